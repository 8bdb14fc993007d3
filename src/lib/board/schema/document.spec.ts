/** The shared document: creation, migration, and two copies converging. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	addComment,
	createBoardDoc,
	lockStep,
	migrate,
	readBoardSnapshot,
	readCard,
	readCards,
	readComments,
	readControl,
	readMeta,
	ROOT,
	SCHEMA_VERSION,
	setCurrentStep,
	setPriorityOrder,
	setPrivate,
	updateCard,
	type Author
} from './index.ts';

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
