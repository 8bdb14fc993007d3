import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anonymousStepsOf, readAuthored, roundAnonymityOf, setAnonymous } from './anonymity.ts';
import { openRound, readControl } from './control.ts';
import { addDraft, createPrivateDoc, readDrafts, revealDrafts } from './private.ts';
import { readCards } from './cards.ts';
import { judgeChanges, type SchemaChange } from './validate.ts';

const anouk = { id: 'p-anouk', name: 'Anouk', perspective: 'inwoner' as const };

function withDraft() {
	const board = new Y.Doc();
	const own = createPrivateDoc();
	addDraft(own, { step: 'ambition', kind: 'ambition', text: 'samen', author: anouk, createdAt: 5 });
	return { board, own };
}

describe('anonymous steps and rounds in the documents', () => {
	it('stores and reads the anonymity of steps and rounds', () => {
		const doc = new Y.Doc();
		setAnonymous(doc, 'outcomes', 'hidden');
		setAnonymous(doc, 'ambition', 'facilitator');
		expect(anonymousStepsOf(doc)).toEqual({ outcomes: 'hidden', ambition: 'facilitator' });
		setAnonymous(doc, 'ambition', null);
		expect(readControl(doc).anonymousSteps).toEqual({ outcomes: 'hidden' });
		const id = openRound(doc, { votesPerPerson: 3, now: 1, anonymous: 'facilitator' });
		expect(roundAnonymityOf(doc, id)).toBe('facilitator');
		expect(readControl(doc).rounds[0].anonymous).toBe('facilitator');
	});

	it('reveals without a byline, and keeps the author in the private doc only for facilitators', () => {
		const { board, own } = withDraft();
		revealDrafts(board, own, 'ambition', 'server', 'facilitator');
		const [card] = readCards(board);
		expect(card).toMatchObject({ text: 'samen', authorId: '', authorName: '', perspective: null });
		expect(new TextDecoder().decode(Y.encodeStateAsUpdate(board))).not.toContain('Anouk');
		expect(readDrafts(own)).toEqual([]);
		expect([...readAuthored(own)]).toEqual([[card.id, 'Anouk']]);
	});

	it('keeps no author when the round hides them from facilitators too', () => {
		const { board, own } = withDraft();
		revealDrafts(board, own, 'ambition', 'server', 'hidden');
		expect(readCards(board)[0].authorId).toBe('');
		expect(readAuthored(own).size).toBe(0);
	});

	it('a reveal that is not anonymous keeps the byline', () => {
		const { board, own } = withDraft();
		revealDrafts(board, own, 'ambition');
		expect(readCards(board)[0]).toMatchObject({ authorId: 'p-anouk', authorName: 'Anouk' });
	});

	it('only facilitators set anonymity; nobody but the server writes who authored what', () => {
		const board = new Y.Doc();
		const participant = {
			role: 'participant' as const,
			byline: { authorId: 'p-anouk', authorName: 'Anouk', perspective: 'inwoner' }
		};
		const facilitator = { ...participant, role: 'facilitator' as const };
		const setStep: SchemaChange[] = [
			{ kind: 'insert', path: ['control', 'anonymousSteps', 'outcomes'], values: ['hidden'] }
		];
		expect(judgeChanges('board', board, setStep, participant)).toMatchObject({
			ok: false,
			code: 'rule'
		});
		expect(judgeChanges('board', board, setStep, facilitator).ok).toBe(true);
		const badMode: SchemaChange[] = [
			{ kind: 'insert', path: ['control', 'anonymousSteps', 'outcomes'], values: ['sometimes'] }
		];
		expect(judgeChanges('board', board, badMode, facilitator)).toMatchObject({
			ok: false,
			code: 'field'
		});
		const claim: SchemaChange[] = [
			{ kind: 'insert', path: ['authored', 'card-1'], values: ['Anouk'] }
		];
		expect(judgeChanges('private', createPrivateDoc(), claim, participant)).toMatchObject({
			ok: false
		});
		expect(judgeChanges('private', createPrivateDoc(), claim, facilitator)).toMatchObject({
			ok: false
		});
	});
});
