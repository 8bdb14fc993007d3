import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, createBoardDoc, readCard, readControl } from './index.ts';
import {
	answerConsent,
	consentAdoptionProblem,
	readConsent,
	readConsentAnswer
} from './consent.ts';
import {
	adoptConsent,
	amendConsent,
	parkConsent,
	proposeConsent,
	revealConsent,
	writeConsentResult
} from './consent-writers.ts';
import { tallyConsent } from '../../domain/consent.ts';

const board = () => createBoardDoc({ boardId: 'theme.1', themeName: 'Werk' });

describe('consent proposals', () => {
	it('goes round by round: propose, reveal, amend, reveal, adopt (cards agreed)', () => {
		const doc = board();
		const amb = addCard(doc, {
			kind: 'ambition',
			text: 'Iedereen doet mee',
			author: { id: 'f', name: 'F', perspective: null }
		});
		const id = proposeConsent(doc, {
			subject: 'ambition',
			cardIds: [amb],
			text: 'Iedereen doet mee',
			now: 1,
			roundId: 'r1'
		});
		expect(() =>
			proposeConsent(doc, { subject: 'activity', cardIds: ['x'], text: 'Nog een', now: 2 })
		).toThrow();
		revealConsent(doc, id);
		writeConsentResult(doc, {
			roundId: 'r1',
			proposalId: id,
			round: 1,
			text: 'Iedereen doet mee',
			...tallyConsent([
				{
					perspective: 'inwoner',
					answer: { answer: 'bezwaar', text: 'Wie is iedereen?', answeredAt: 1 }
				}
			])
		});
		expect(() => adoptConsent(doc, id, 5)).toThrow(/has_objections/);
		expect(amendConsent(doc, id, { text: 'Alle inwoners doen mee', roundId: 'r2' })).toBe(2);
		revealConsent(doc, id);
		writeConsentResult(doc, {
			roundId: 'r2',
			proposalId: id,
			round: 2,
			text: 'Alle inwoners doen mee',
			...tallyConsent([
				{ perspective: 'inwoner', answer: { answer: 'akkoord', text: '', answeredAt: 1 } }
			])
		});
		adoptConsent(doc, id, 7);
		const state = readConsent(doc);
		expect(state.proposals[0]).toMatchObject({ status: 'adopted', round: 2, decidedAt: 7 });
		expect(Object.keys(state.results).sort()).toEqual(['r1', 'r2']);
		expect(state.results.r1.notes).toEqual([
			{ answer: 'bezwaar', perspective: 'inwoner', text: 'Wie is iedereen?' }
		]);
		expect(readControl(doc).agreed).toContain(amb);
		expect(readCard(doc, amb)?.text).toBe('Alle inwoners doen mee');
		expect(readConsent(doc).proposals).toHaveLength(1);
	});

	it('parks with a note, and a note is required', () => {
		const doc = board();
		const id = proposeConsent(doc, {
			subject: 'priorities',
			cardIds: ['a', 'b'],
			text: '1. a',
			now: 1
		});
		expect(() => parkConsent(doc, id, ' ', 2)).toThrow();
		parkConsent(doc, id, 'Eerst de cijfers van de GGD', 2);
		expect(readConsent(doc).proposals[0]).toMatchObject({
			status: 'parked',
			note: 'Eerst de cijfers van de GGD',
			cardIds: ['a', 'b']
		});
	});
});

describe('answers', () => {
	it('are written once; a bezwaar needs a reason', () => {
		const own = new Y.Doc();
		expect(() => answerConsent(own, 'r1', { answer: 'bezwaar', text: ' ', now: 1 })).toThrow();
		answerConsent(own, 'r1', { answer: 'parkeren', text: 'Later', now: 1 });
		expect(readConsentAnswer(own, 'r1')).toEqual({
			answer: 'parkeren',
			text: 'Later',
			answeredAt: 1
		});
		expect(() => answerConsent(own, 'r1', { answer: 'akkoord', text: '', now: 2 })).toThrow();
	});
});

describe("the server's adoption check (consentAdoptionProblem)", () => {
	const adopt = (id: string) => [
		{ kind: 'insert' as const, path: ['control', 'consent', id, 'status'], values: ['adopted'] }
	];
	function shown(answer: 'akkoord' | 'bezwaar') {
		const doc = board();
		const id = proposeConsent(doc, {
			subject: 'ambition',
			cardIds: ['amb-1'],
			text: 'Iedereen doet mee',
			now: 1,
			roundId: 'r1'
		});
		expect(consentAdoptionProblem(doc, adopt(id))).toMatch(/not_revealed/);
		revealConsent(doc, id);
		expect(consentAdoptionProblem(doc, adopt(id))).toMatch(/no_result/);
		writeConsentResult(doc, {
			roundId: 'r1',
			proposalId: id,
			round: 1,
			text: 'Iedereen doet mee',
			...tallyConsent([
				{ perspective: 'inwoner', answer: { answer, text: 'Wie is iedereen?', answeredAt: 1 } }
			])
		});
		return { doc, id };
	}

	it('refuses adopting a result with a bezwaar, and allows it without', () => {
		const withObjection = shown('bezwaar');
		expect(consentAdoptionProblem(withObjection.doc, adopt(withObjection.id))).toMatch(
			/has_objections/
		);
		const agreed = shown('akkoord');
		expect(consentAdoptionProblem(agreed.doc, adopt(agreed.id))).toBeNull();
		// Other changes to a proposal are no adoption.
		expect(
			consentAdoptionProblem(withObjection.doc, [
				{ kind: 'insert', path: ['control', 'consent', withObjection.id, 'note'], values: ['x'] }
			])
		).toBeNull();
	});

	it('refuses adopting while moving the round, and moving to a round that has a result', () => {
		const { doc, id } = shown('akkoord');
		expect(
			consentAdoptionProblem(doc, [
				...adopt(id),
				{ kind: 'insert', path: ['control', 'consent', id, 'round'], values: [2] }
			])
		).toMatch(/change the round/);
		expect(
			consentAdoptionProblem(doc, [
				{ kind: 'insert', path: ['control', 'consent', 'other', 'roundId'], values: ['r1'] }
			])
		).toMatch(/already has a result/);
	});
});
