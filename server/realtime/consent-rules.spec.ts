/**
 * The consent write rules at document level (authorize.ts): a participant answers once, in their
 * own private document, in the open round, a bezwaar with a reason; nobody answers for someone else.
 * tests/server/realtime-consent.spec.ts checks the same over sockets.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoardDoc } from '../../src/lib/board/schema/index.ts';
import { answerConsent } from '../../src/lib/board/schema/consent.ts';
import { proposeConsent, revealConsent } from '../../src/lib/board/schema/consent-writers.ts';
import { authorizeUpdate, type WriteContext } from './authorize.ts';

function setup() {
	const board = createBoardDoc({ boardId: 'theme.1', themeName: 'Werk' });
	const proposal = proposeConsent(board, {
		subject: 'ambition',
		cardIds: ['amb'],
		text: 'Iedereen doet mee',
		now: 1,
		roundId: 'round-open'
	});
	const own = new Y.Doc();
	return { board, own, proposal };
}

function updateOf(target: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
	const local = new Y.Doc();
	Y.applyUpdate(local, Y.encodeStateAsUpdate(target));
	const before = Y.encodeStateVector(local);
	change(local);
	return Y.encodeStateAsUpdate(local, before);
}

const ctx = (role: WriteContext['role'], board: Y.Doc, own: Y.Doc): WriteContext => ({
	role,
	actorId: role === 'participant' ? 'me' : 'user-1',
	name: 'Ik',
	perspective: role === 'participant' ? 'inwoner' : null,
	room: 'private',
	target: own,
	board
});

/** Writes an answer record straight into the doc (as a client that skips the form's checks). */
const rawAnswer = (roundId: string, fields: Record<string, unknown>) => (doc: Y.Doc) =>
	doc.getMap('consent').set(roundId, new Y.Map<unknown>(Object.entries(fields)));

describe('consent answers', () => {
	it('accepts one answer in the open round', () => {
		const { board, own } = setup();
		const update = updateOf(own, (d) =>
			answerConsent(d, 'round-open', { answer: 'akkoord', text: '', now: 2 })
		);
		expect(authorizeUpdate(ctx('participant', board, own), update).ok).toBe(true);
	});

	it('refuses a bezwaar without a reason with its own kind', () => {
		const { board, own } = setup();
		const update = updateOf(
			own,
			rawAnswer('round-open', { answer: 'bezwaar', text: '  ', answeredAt: 2 })
		);
		expect(authorizeUpdate(ctx('participant', board, own), update)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^consent-reason: /)
		});
	});

	it('refuses a second answer, a change and a removal', () => {
		const { board, own } = setup();
		answerConsent(own, 'round-open', { answer: 'akkoord', text: '', now: 2 });
		const again = updateOf(
			own,
			rawAnswer('round-open', { answer: 'bezwaar', text: 'toch niet', answeredAt: 3 })
		);
		const change = updateOf(own, (d) =>
			(d.getMap('consent').get('round-open') as Y.Map<unknown>).set('answer', 'parkeren')
		);
		const removal = updateOf(own, (d) => d.getMap('consent').delete('round-open'));
		for (const update of [again, change, removal])
			expect(authorizeUpdate(ctx('participant', board, own), update)).toMatchObject({
				ok: false,
				reason: expect.stringMatching(/^rule: consent: you answered already/)
			});
	});

	it('refuses answers outside an open round', () => {
		const { board, own, proposal } = setup();
		const unknown = updateOf(own, (d) =>
			answerConsent(d, 'no-such-round', { answer: 'akkoord', text: '', now: 2 })
		);
		expect(authorizeUpdate(ctx('participant', board, own), unknown)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/not open/)
		});
		revealConsent(board, proposal);
		const late = updateOf(own, (d) =>
			answerConsent(d, 'round-open', { answer: 'akkoord', text: '', now: 2 })
		);
		expect(authorizeUpdate(ctx('participant', board, own), late)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/not open/)
		});
	});

	it('refuses a facilitator answering in a participant’s private document', () => {
		const { board, own } = setup();
		const update = updateOf(own, (d) =>
			answerConsent(d, 'round-open', { answer: 'akkoord', text: '', now: 2 })
		);
		expect(authorizeUpdate(ctx('facilitator', board, own), update)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/only the participant answers/)
		});
	});

	it('refuses a participant writing results or proposals on the board', () => {
		const { board } = setup();
		const update = updateOf(board, (d) =>
			(d.getMap('control').get('consent') as Y.Map<Y.Map<unknown>>)
				.get([...(d.getMap('control').get('consent') as Y.Map<unknown>).keys()][0])
				?.set('status', 'adopted')
		);
		const asParticipant = { ...ctx('participant', board, board), room: 'board' as const };
		expect(authorizeUpdate(asParticipant, update).ok).toBe(false);
		const results = updateOf(board, (d) => d.getMap('control').set('consentResults', new Y.Map()));
		expect(
			authorizeUpdate({ ...ctx('facilitator', board, board), room: 'board' }, results).ok
		).toBe(false);
	});
});
