import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	addComment,
	addDraft,
	addLink,
	BoardWriteError,
	createBoardDoc,
	createPrivateDoc,
	deleteCard,
	endSession,
	lockStep,
	markAgreed,
	mergeCards,
	migrate,
	moveCard,
	openRound,
	readBallot,
	readBoardSnapshot,
	readCard,
	readCards,
	readComments,
	readControl,
	readDrafts,
	readLinks,
	readMeta,
	recordOwner,
	recordStep,
	revealDrafts,
	revealRound,
	ROOT,
	SCHEMA_VERSION,
	setCurrentStep,
	setPriorityOrder,
	setPrivate,
	setVotes,
	startTimer,
	pauseTimer,
	resumeTimer,
	touchedRecords,
	updateCard,
	type Author,
	type TouchedRecord
} from './schema.ts';

const gemeente: Author = { id: 'p-gemeente', name: 'Anouk', perspective: 'gemeente' };
const kern: Author = { id: 'p-kern', name: 'Bram', perspective: 'aanbieder' };

/** Two docs wired together like two clients behind a server (updates relayed synchronously). */
function pair(): [Y.Doc, Y.Doc] {
	const a = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
	const b = new Y.Doc();
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	return [a, b];
}

/** Exchange all missing updates both ways. */
function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('createBoardDoc and migrate', () => {
	it('initialises meta and control at the current schema version', () => {
		const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		expect(readMeta(doc)).toEqual({
			schemaVersion: SCHEMA_VERSION,
			boardId: 'werk.1',
			themeName: 'Werk'
		});
		const control = readControl(doc);
		expect(control.currentStep).toBe('ambition');
		expect(control.joiningOpen).toBe(true);
		expect(control.ended).toBe(false);
		expect(doc.getMap(ROOT.control).get('lockedSteps')).toBeInstanceOf(Y.Map);
	});

	it('is idempotent: a second migrate changes nothing and emits no update', () => {
		const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const before = Y.encodeStateAsUpdate(doc);
		let updates = 0;
		doc.on('update', () => updates++);
		expect(migrate(doc, { boardId: 'werk.1', themeName: 'Werk' })).toBe(false);
		expect(migrate(doc)).toBe(false);
		expect(updates).toBe(0);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('upgrades a version-0 document and keeps its cards', () => {
		const doc = new Y.Doc();
		addCard(doc, { kind: 'ambition', text: 'Iedereen doet mee', author: gemeente });
		expect(readMeta(doc).schemaVersion).toBe(0);
		expect(migrate(doc, { boardId: 'werk.1' })).toBe(true);
		expect(readMeta(doc).schemaVersion).toBe(SCHEMA_VERSION);
		expect(readCards(doc)).toHaveLength(1);
	});
});

describe('cards', () => {
	it('stores one nested Y.Map per card and reads it back as a domain object', () => {
		const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const id = addCard(doc, {
			kind: 'outcome',
			text: '  Minder inwoners vallen terug in de uitkering ',
			horizonYears: 3,
			outcomeKind: 'inhoudelijk',
			author: gemeente,
			createdAt: 1000
		});
		expect(doc.getMap(ROOT.cards).get(id)).toBeInstanceOf(Y.Map);
		expect(readCard(doc, id)).toMatchObject({
			id,
			step: 'outcomes',
			kind: 'outcome',
			text: 'Minder inwoners vallen terug in de uitkering',
			authorId: 'p-gemeente',
			authorName: 'Anouk',
			perspective: 'gemeente',
			createdAt: 1000,
			horizonYears: 3,
			outcomeKind: 'inhoudelijk',
			coAuthors: [],
			mergedInto: null
		});
	});

	it('refuses invalid input with BoardWriteError', () => {
		const doc = createBoardDoc();
		expect(() => addCard(doc, { kind: 'outcome', text: '   ', author: gemeente })).toThrow(
			BoardWriteError
		);
		expect(() =>
			addCard(doc, { kind: 'ambition', text: 'x', author: gemeente, step: 'outcomes' })
		).toThrow(BoardWriteError);
		expect(() =>
			addCard(doc, { kind: 'situation', text: 'x', horizonYears: 3, author: gemeente })
		).toThrow(BoardWriteError);
		expect(readCards(doc)).toHaveLength(0);
	});

	it('orders new cards after the last one of the step and moves between neighbours', () => {
		const doc = createBoardDoc();
		const a = addCard(doc, { kind: 'outcome', text: 'A', author: gemeente });
		const b = addCard(doc, { kind: 'outcome', text: 'B', author: gemeente });
		const c = addCard(doc, { kind: 'outcome', text: 'C', author: gemeente });
		expect(readCards(doc).map((x) => x.text)).toEqual(['A', 'B', 'C']);
		moveCard(doc, c, { after: a, before: b });
		expect(readCards(doc).map((x) => x.text)).toEqual(['A', 'C', 'B']);
		moveCard(doc, a, { after: b, before: null });
		expect(readCards(doc).map((x) => x.text)).toEqual(['C', 'B', 'A']);
	});

	it('updates only the given fields and removes a field with null', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, {
			kind: 'indicator',
			text: 'Terugval in de uitkering',
			baseline: '12%',
			target: '8%',
			author: gemeente
		});
		updateCard(doc, id, { target: '6%', baseline: null });
		const card = readCard(doc, id);
		expect(card?.target).toBe('6%');
		expect(card?.baseline).toBeUndefined();
		expect(card?.text).toBe('Terugval in de uitkering');
		expect(() => updateCard(doc, id, { horizonYears: 99 })).toThrow(BoardWriteError);
	});

	it('stores activity owners as a list', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, {
			kind: 'activity',
			text: 'Maatje helpt thuis na de start van werk',
			owners: ['De Kern', ' Welzijn Kampen ', 'De Kern'],
			isNew: false,
			author: kern
		});
		expect(readCard(doc, id)?.owners).toEqual(['De Kern', 'Welzijn Kampen']);
	});
});

describe('convergence', () => {
	it('two docs editing concurrently converge to the same snapshot', () => {
		const [a, b] = pair();
		const id = addCard(a, { kind: 'ambition', text: 'Werk naar vermogen', author: gemeente });
		sync(a, b);
		addCard(a, { kind: 'situation', text: '8 jongeren op de leerwerkplaats', author: gemeente });
		addCard(b, { kind: 'situation', text: '2 naar betaald werk', author: kern });
		updateCard(a, id, { text: 'Werk naar eigen vermogen' });
		updateCard(b, id, { text: 'Iedereen werkt naar vermogen' });
		addComment(b, { cardId: id, text: 'Eens!', author: kern });
		setCurrentStep(a, 'outcomes');
		sync(a, b);
		expect(readBoardSnapshot(a)).toEqual(readBoardSnapshot(b));
		expect(readCards(a)).toHaveLength(3);
		expect(readComments(a, id)).toHaveLength(1);
		expect(readControl(b).currentStep).toBe('outcomes');
	});

	it('concurrent edits to different fields of one card both survive', () => {
		const [a, b] = pair();
		const id = addCard(a, {
			kind: 'outcome',
			text: 'Minder terugval in de uitkering',
			horizonYears: 3,
			author: gemeente
		});
		sync(a, b);
		updateCard(a, id, { text: 'Minder inwoners vallen terug in de uitkering' });
		updateCard(b, id, { horizonYears: 4, outcomeKind: 'inhoudelijk' });
		sync(a, b);
		for (const doc of [a, b])
			expect(readCard(doc, id)).toMatchObject({
				text: 'Minder inwoners vallen terug in de uitkering',
				horizonYears: 4,
				outcomeKind: 'inhoudelijk'
			});
	});

	it('a priority order fixed on two devices at once reads without duplicates', () => {
		const [a, b] = pair();
		setPriorityOrder(a, ['c1', 'c2']);
		setPriorityOrder(b, ['c2', 'c1']);
		sync(a, b);
		expect(readControl(a).priorityOrder).toHaveLength(2);
		expect(readControl(a).priorityOrder).toEqual(readControl(b).priorityOrder);
	});

	it('concurrent flags in control maps both survive', () => {
		const [a, b] = pair();
		lockStep(a, 'ambition');
		setPrivate(b, 'outcomes');
		lockStep(b, 'outcomes');
		sync(a, b);
		expect(readControl(a).lockedSteps).toEqual(['ambition', 'outcomes']);
		expect(readControl(a).privateSteps).toEqual(['outcomes']);
		expect(readControl(a)).toEqual(readControl(b));
	});
});

describe('links, comments, merge', () => {
	it('links an activity to an outcome and refuses pairs the compass does not allow', () => {
		const doc = createBoardDoc();
		const outcome = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const activity = addCard(doc, { kind: 'activity', text: 'Maatje', author: kern });
		const id = addLink(doc, { from: activity, to: outcome, authorId: kern.id });
		expect(readLinks(doc)).toEqual([{ id, from: activity, to: outcome, authorId: kern.id }]);
		expect(() => addLink(doc, { from: outcome, to: activity, authorId: kern.id })).toThrow(
			/not_allowed/
		);
		expect(() => addLink(doc, { from: activity, to: outcome, authorId: kern.id })).toThrow(
			/duplicate/
		);
	});

	it('drops links and comments of deleted cards from the snapshot', () => {
		const doc = createBoardDoc();
		const outcome = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const activity = addCard(doc, { kind: 'activity', text: 'Maatje', author: kern });
		addLink(doc, { from: activity, to: outcome, authorId: kern.id });
		addComment(doc, { cardId: activity, text: 'Goed idee', author: gemeente });
		deleteCard(doc, activity);
		const snapshot = readBoardSnapshot(doc);
		expect(snapshot.links).toEqual([]);
		expect(snapshot.comments).toEqual([]);
		expect(readLinks(doc)).toHaveLength(1);
	});

	it('merges duplicates keeping both authors and moving links and comments', () => {
		const doc = createBoardDoc();
		const target = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const dup = addCard(doc, {
			kind: 'outcome',
			text: 'Minder mensen terug in uitkering',
			author: kern
		});
		const activity = addCard(doc, { kind: 'activity', text: 'Maatje', author: kern });
		addLink(doc, { from: activity, to: dup, authorId: kern.id });
		addComment(doc, { cardId: dup, text: 'Zelfde als die van Anouk', author: kern });
		mergeCards(doc, target, [dup]);
		expect(readCard(doc, dup)?.mergedInto).toBe(target);
		expect(readCard(doc, target)?.coAuthors).toEqual(['Bram']);
		expect(readLinks(doc).map((l) => [l.from, l.to])).toEqual([[activity, target]]);
		expect(readComments(doc, target)).toHaveLength(1);
	});
});

describe('control', () => {
	it('runs a voting round and stores revealed results per perspective', () => {
		const doc = createBoardDoc();
		const outcome = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: gemeente });
		const round = openRound(doc, { votesPerPerson: 3, now: 10 });
		expect(readControl(doc).rounds).toEqual([
			{ id: round, status: 'open', votesPerPerson: 3, createdAt: 10 }
		]);
		revealRound(doc, round, { [outcome]: { gemeente: 2, aanbieder: 1 } });
		const control = readControl(doc);
		expect(control.rounds[0].status).toBe('revealed');
		expect(control.results[round]).toEqual({ [outcome]: { gemeente: 2, aanbieder: 1 } });
		const second = openRound(doc, { votesPerPerson: 2, now: 20 });
		openRound(doc, { votesPerPerson: 2, now: 30 });
		expect(readControl(doc).rounds.find((r) => r.id === second)?.status).toBe('closed');
	});

	it('pauses and resumes the timer, marks agreed, fixes priorities, ends the session', () => {
		const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		startTimer(doc, 60_000, 1_000);
		expect(readControl(doc).timerEndsAt).toBe(61_000);
		pauseTimer(doc, 31_000);
		expect(readControl(doc)).toMatchObject({ timerEndsAt: null, timerPausedLeft: 30_000 });
		resumeTimer(doc, 100_000);
		expect(readControl(doc)).toMatchObject({ timerEndsAt: 130_000, timerPausedLeft: null });
		markAgreed(doc, 'c1');
		markAgreed(doc, 'c2');
		markAgreed(doc, 'c1', false);
		expect(readControl(doc).agreed).toEqual(['c2']);
		setPriorityOrder(doc, ['c2', 'c1', 'c2']);
		setPriorityOrder(doc, ['c3', 'c2']);
		expect(readControl(doc).priorityOrder).toEqual(['c3', 'c2']);
		endSession(doc);
		expect(readControl(doc)).toMatchObject({ ended: true, joiningOpen: false });
	});
});

describe('private doc', () => {
	it('keeps drafts out of the shared doc until revealDrafts moves them', () => {
		const shared = createBoardDoc();
		const mine = createPrivateDoc();
		addCard(shared, { kind: 'ambition', text: 'Al zichtbaar', author: gemeente });
		const draft = addDraft(mine, { kind: 'ambition', text: 'Nog geheim', author: kern });
		expect(readCards(shared).map((c) => c.text)).toEqual(['Al zichtbaar']);
		expect(readDrafts(mine, 'ambition').map((c) => c.text)).toEqual(['Nog geheim']);
		expect(Buffer.from(Y.encodeStateAsUpdate(shared)).toString('utf8')).not.toContain('Nog geheim');
		expect(revealDrafts(shared, mine, 'outcomes')).toEqual([]);
		expect(revealDrafts(shared, mine, 'ambition')).toEqual([draft]);
		expect(readCards(shared).map((c) => c.text)).toEqual(['Al zichtbaar', 'Nog geheim']);
		expect(readCard(shared, draft)?.authorId).toBe(kern.id);
		expect(readDrafts(mine)).toEqual([]);
	});

	it('stores ballots per round and card', () => {
		const mine = createPrivateDoc();
		setVotes(mine, 'r1', 'c1', 2);
		setVotes(mine, 'r1', 'c2', 1);
		setVotes(mine, 'r1', 'c2', 0);
		expect(readBallot(mine, 'r1')).toEqual({ c1: 2 });
		expect(readBallot(mine, 'r2')).toEqual({});
		expect(() => setVotes(mine, 'r1', 'c1', -1)).toThrow(BoardWriteError);
	});
});

describe('server helpers', () => {
	it('recordOwner and recordStep read the author and step of a record', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, { kind: 'outcome', text: 'Minder terugval', author: kern });
		expect(recordOwner(doc, 'cards', id)).toBe(kern.id);
		expect(recordOwner(doc, 'cards', 'nope')).toBeNull();
		expect(recordStep(doc, 'cards', id)).toBe('outcomes');
	});

	it('touchedRecords names the records and fields an update changes', () => {
		const source = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const id = addCard(source, { kind: 'outcome', text: 'Minder terugval', author: kern });
		const scratch = new Y.Doc();
		Y.applyUpdate(scratch, Y.encodeStateAsUpdate(source));

		const seen: TouchedRecord[][] = [];
		scratch.on('afterTransaction', (tr: Y.Transaction) => seen.push(touchedRecords(tr)));
		const capture = (write: () => void): TouchedRecord[] => {
			const sv = Y.encodeStateVector(scratch);
			write();
			seen.length = 0;
			Y.applyUpdate(scratch, Y.encodeStateAsUpdate(source, sv));
			return seen.flat();
		};

		expect(capture(() => updateCard(source, id, { text: 'Minder inwoners terug' }))).toEqual([
			{ root: 'cards', recordId: id, fields: ['text'] }
		]);
		const added: string[] = [];
		expect(
			capture(() =>
				added.push(addCard(source, { kind: 'outcome', text: 'Nieuw', author: gemeente }))
			)
		).toEqual([{ root: 'cards', recordId: added[0], fields: null }]);
		expect(capture(() => deleteCard(source, id))).toEqual([
			{ root: 'cards', recordId: id, fields: null }
		]);
		expect(capture(() => lockStep(source, 'outcomes'))).toEqual([
			{ root: 'control', recordId: 'lockedSteps', fields: ['outcomes'] }
		]);
		expect(capture(() => source.getMap('evil').set('x', 1))).toEqual([
			{ root: 'evil', recordId: 'x', fields: null }
		]);
	});
});
