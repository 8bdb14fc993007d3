/**
 * The write rules at document level: a server doc, client docs made from it, and the verdict on the
 * client's update. Complements tests/server/realtime-rules.spec.ts (the same rules over sockets).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, createBoardDoc, deleteCard, updateCard, type Author } from '$lib/board/schema';
import { authorizeUpdate, type WriteContext } from './authorize.ts';
import { readChanges } from './changes.ts';

const ME = 'participant-me';

function serverDoc(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const control = doc.getMap('control');
		control.set('lockedSteps', new Y.Map([['activities', true]]));
		control.set('privateSteps', new Y.Map());
		control.set('ended', false);
		const cards = doc.getMap('cards');
		cards.set(
			'mine',
			new Y.Map<unknown>([
				['authorId', ME],
				['step', 'outcomes'],
				['text', 'a']
			])
		);
		cards.set(
			'theirs',
			new Y.Map<unknown>([
				['authorId', 'other'],
				['step', 'outcomes'],
				['text', 'b']
			])
		);
		cards.set(
			'locked',
			new Y.Map<unknown>([
				['authorId', ME],
				['step', 'activities'],
				['text', 'c']
			])
		);
	});
	return doc;
}

/** A client synced with `server`; returns the update that `change` makes on it. */
function updateOf(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
	const local = new Y.Doc();
	Y.applyUpdate(local, Y.encodeStateAsUpdate(server));
	const before = Y.encodeStateVector(local);
	change(local);
	return Y.encodeStateAsUpdate(local, before);
}

const as = (role: WriteContext['role'], doc: Y.Doc): WriteContext => ({
	role,
	actorId: role === 'participant' ? ME : 'user-1',
	name: 'Ik',
	perspective: role === 'participant' ? 'inwoner' : null,
	room: 'board',
	target: doc,
	board: doc
});
const cards = (doc: Y.Doc) => doc.getMap('cards') as Y.Map<Y.Map<unknown>>;

describe('readChanges', () => {
	it('places field writes, record writes and deletions at their paths', () => {
		const doc = serverDoc();
		const update = updateOf(doc, (d) => {
			cards(d).get('mine')?.set('text', 'nieuw');
			cards(d).delete('theirs');
			cards(d).set('new', new Y.Map([['text', 'x']]));
		});
		const read = readChanges(doc, update);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		const paths = read.changes.map((c) => `${c.kind} ${c.path.join('/')}`).sort();
		expect(paths).toEqual([
			'delete cards/mine/text',
			'delete cards/theirs',
			// deleting a record deletes its fields too
			'delete cards/theirs/authorId',
			'delete cards/theirs/step',
			'delete cards/theirs/text',
			'insert cards/mine/text',
			'insert cards/new',
			'insert cards/new/text'
		]);
	});

	it('refuses updates that depend on changes the server does not have', () => {
		const doc = serverDoc();
		const ahead = new Y.Doc();
		Y.applyUpdate(ahead, Y.encodeStateAsUpdate(doc));
		ahead.getMap('cards').set('first', new Y.Map());
		const before = Y.encodeStateVector(ahead);
		ahead.getMap('cards').set('second', new Y.Map());
		const onlySecond = Y.encodeStateAsUpdate(ahead, before);
		expect(readChanges(doc, onlySecond)).toEqual({
			ok: false,
			reason: 'update depends on unknown changes',
			missing: true
		});
	});

	it('refuses garbage without throwing', () => {
		const doc = serverDoc();
		for (const junk of [
			new Uint8Array([1, 2, 3]),
			new Uint8Array([0xff, 0xff, 0xff]),
			new Uint8Array()
		])
			expect(readChanges(doc, junk).ok).toBe(false);
	});

	it('an empty update has no changes', () => {
		const doc = serverDoc();
		const read = readChanges(
			doc,
			updateOf(doc, () => {})
		);
		expect(read.ok && read.changes).toEqual([]);
	});
});

describe('authorizeUpdate', () => {
	const verdict = (role: WriteContext['role'], change: (doc: Y.Doc) => void) => {
		const doc = serverDoc();
		return authorizeUpdate(as(role, doc), updateOf(doc, change));
	};

	it('lets participants write their own cards in open steps', () => {
		expect(verdict('participant', (d) => cards(d).get('mine')?.set('text', 'ok')).ok).toBe(true);
		expect(
			verdict('participant', (d) =>
				cards(d).set(
					'n',
					new Y.Map<unknown>([
						['authorId', ME],
						['step', 'outcomes']
					])
				)
			).ok
		).toBe(true);
		expect(verdict('participant', (d) => cards(d).delete('mine')).ok).toBe(true);
	});

	it.each([
		['edit another author', (d: Y.Doc) => cards(d).get('theirs')?.set('text', 'x')],
		['delete another author', (d: Y.Doc) => cards(d).delete('theirs')],
		['replace another author', (d: Y.Doc) => cards(d).set('theirs', new Y.Map([['authorId', ME]]))],
		['take over authorship', (d: Y.Doc) => cards(d).get('theirs')?.set('authorId', ME)],
		['give away authorship', (d: Y.Doc) => cards(d).get('mine')?.set('authorId', 'other')],
		['create without author', (d: Y.Doc) => cards(d).set('n', new Y.Map([['step', 'outcomes']]))],
		['edit in a locked step', (d: Y.Doc) => cards(d).get('locked')?.set('text', 'x')],
		['move into a locked step', (d: Y.Doc) => cards(d).get('mine')?.set('step', 'activities')],
		['write control', (d: Y.Doc) => d.getMap('control').set('ended', true)],
		[
			'unlock a step',
			(d: Y.Doc) => (d.getMap('control').get('lockedSteps') as Y.Map<boolean>).delete('activities')
		],
		['write meta', (d: Y.Doc) => d.getMap('meta').set('themeName', 'x')],
		['write an unknown root', (d: Y.Doc) => d.getMap('elsewhere').set('x', 1)],
		[
			'comment on a locked card',
			(d: Y.Doc) =>
				d.getMap('comments').set(
					'c',
					new Y.Map<unknown>([
						['authorId', ME],
						['cardId', 'locked']
					])
				)
		]
	])('refuses a participant who tries to %s', (_name, change) => {
		expect(verdict('participant', change).ok).toBe(false);
	});

	it('refuses every change of an observer but lets an empty sync reply pass', () => {
		expect(verdict('observer', (d) => cards(d).set('n', new Y.Map())).ok).toBe(false);
		expect(verdict('observer', () => {})).toMatchObject({ ok: true, empty: true });
	});

	it('lets facilitators write everything', () => {
		expect(verdict('facilitator', (d) => d.getMap('control').set('ended', true)).ok).toBe(true);
		expect(verdict('facilitator', (d) => cards(d).delete('theirs')).ok).toBe(true);
	});

	it('refuses a byline in an anonymous step: new cards and edits of own older cards alike', () => {
		const doc = serverDoc();
		doc.getMap('control').set('anonymousSteps', new Y.Map([['outcomes', 'facilitator']]));
		const add = updateOf(doc, (d) =>
			cards(d).set(
				'n',
				new Y.Map<unknown>([
					['authorId', ME],
					['step', 'outcomes']
				])
			)
		);
		expect(authorizeUpdate(as('participant', doc), add)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^byline: .*anonymous/)
		});
		const edit = updateOf(doc, (d) => cards(d).get('mine')?.set('text', 'x'));
		expect(authorizeUpdate(as('participant', doc), edit).ok).toBe(false);
		// A card without an author (an anonymous reveal) is nobody's: refused as another's record.
		doc.getMap('control').set('anonymousSteps', new Y.Map());
		cards(doc).set(
			'nobody',
			new Y.Map<unknown>([
				['authorId', ''],
				['step', 'outcomes']
			])
		);
		const take = updateOf(doc, (d) => cards(d).get('nobody')?.set('text', 'mijn'));
		expect(authorizeUpdate(as('participant', doc), take).ok).toBe(false);
		expect(authorizeUpdate(as('facilitator', doc), take).ok).toBe(true);
	});

	it('refuses participants once the session has ended', () => {
		const doc = serverDoc();
		doc.getMap('control').set('ended', true);
		const update = updateOf(doc, (d) => cards(d).get('mine')?.set('text', 'te laat'));
		expect(authorizeUpdate(as('participant', doc), update)).toEqual({
			ok: false,
			reason: 'ended: the session has ended'
		});
	});
});

describe('ballots', () => {
	/** A board with one open round of 5 votes, and a private doc whose ballot has `votes`. */
	function setup(votes: Record<string, number>) {
		const board = new Y.Doc();
		board.transact(() => {
			const rounds = new Y.Map<unknown>();
			board.getMap('control').set('rounds', rounds);
			rounds.set(
				'r1',
				new Y.Map<unknown>([
					['id', 'r1'],
					['status', 'open'],
					['votesPerPerson', 5]
				])
			);
		});
		const mine = new Y.Doc();
		mine.getMap('ballots').set('r1', new Y.Map<unknown>(Object.entries(votes)));
		const ctx: WriteContext = { ...as('participant', board), room: 'private', target: mine };
		return { mine, ctx };
	}

	it('judge the ballot as the update leaves it: an overwrite replaces, it does not add', () => {
		const { mine, ctx } = setup({ c1: 1, c2: 1 });
		const ballot = (d: Y.Doc) => d.getMap('ballots').get('r1') as Y.Map<number>;
		expect(
			authorizeUpdate(
				ctx,
				updateOf(mine, (d) => ballot(d).set('c1', 4))
			).ok
		).toBe(true);
		expect(
			authorizeUpdate(
				ctx,
				updateOf(mine, (d) => ballot(d).set('c1', 5))
			).ok
		).toBe(false);
		expect(
			authorizeUpdate(
				ctx,
				updateOf(mine, (d) => {
					ballot(d).delete('c2');
					ballot(d).set('c1', 5);
				})
			).ok
		).toBe(true);
		expect(
			authorizeUpdate(
				ctx,
				updateOf(mine, (d) => ballot(d).set('c3', 4))
			).ok
		).toBe(false);
	});
});

describe('a phone back from offline', () => {
	const anouk: Author = { id: 'p-anouk', name: 'Anouk', perspective: 'gemeente' };

	/**
	 * The update a phone sends when it reconnects after `offline` (its sync reply: everything the
	 * server lacks), made on a copy of a real board whose undo history keeps overwritten values.
	 */
	function offlineUpdate(offline: (doc: Y.Doc, origin: object, undo: Y.UndoManager) => void) {
		const server = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const phone = new Y.Doc();
		Y.applyUpdate(phone, Y.encodeStateAsUpdate(server));
		const origin = {};
		const undo = new Y.UndoManager([phone.getMap('cards')], {
			trackedOrigins: new Set([origin]),
			captureTimeout: 0
		});
		offline(phone, origin, undo);
		return { server, update: Y.encodeStateAsUpdate(phone, Y.encodeStateVector(server)) };
	}

	/** The server's verdict on that update, for Anouk. */
	function backOnline(offline: Parameters<typeof offlineUpdate>[0]) {
		const { server, update } = offlineUpdate(offline);
		const ctx: WriteContext = {
			...as('participant', server),
			actorId: anouk.id,
			name: anouk.name,
			perspective: anouk.perspective
		};
		return authorizeUpdate(ctx, update);
	}

	it('accepts a card typed in several saves: the kept overwrites arrive merged in one struct', () => {
		const typing = (phone: Y.Doc, origin: object) => {
			const id = addCard(phone, { kind: 'activity', text: 'Re-integratie', author: anouk }, origin);
			for (const text of [
				'Re-integratie door',
				'Re-integratie door de',
				'Re-integratie door de gemeente'
			])
				updateCard(phone, id, { text }, origin);
		};
		expect(backOnline(typing)).toMatchObject({ ok: true });
		// Proof that the case is real: the update holds a text struct with more than one value.
		const { server, update } = offlineUpdate(typing);
		const read = readChanges(server, update);
		const texts = read.ok ? read.changes.filter((c) => c.path[2] === 'text') : [];
		expect(texts.some((c) => c.kind === 'insert' && c.values.length > 1)).toBe(true);
	});

	it('accepts undo, redo and a removal made offline', () => {
		const verdict = backOnline((phone, origin, undo) => {
			const id = addCard(phone, { kind: 'activity', text: 'Buurtcoach', author: anouk }, origin);
			updateCard(phone, id, { text: 'Buurtcoach op school' }, origin);
			updateCard(phone, id, { text: 'Buurtcoach op de school' }, origin);
			undo.undo();
			undo.undo();
			undo.redo();
			deleteCard(phone, id, origin);
			undo.undo();
		});
		expect(verdict).toMatchObject({ ok: true });
	});

	it('still refuses a bad value hidden among the kept overwrites', () => {
		const verdict = backOnline((phone, origin) => {
			const id = addCard(phone, { kind: 'activity', text: 'Kort', author: anouk }, origin);
			const card = phone.getMap('cards').get(id) as Y.Map<unknown>;
			phone.transact(() => card.set('text', 'x'.repeat(100_000)), origin);
			phone.transact(() => card.set('text', 'Kort genoeg'), origin);
			phone.transact(() => card.set('text', 'Kort genoeg, echt'), origin);
		});
		expect(verdict).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^field: cards\.text /)
		});
	});
});
