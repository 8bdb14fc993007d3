import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardActionError, BoardState, type BoardUser } from './board.svelte.ts';
import * as schema from './schema/index.ts';

const facilitator: BoardUser = {
	id: 'u-karin',
	name: 'Karin',
	perspective: null,
	role: 'facilitator'
};
const anouk: BoardUser = {
	id: 'p-anouk',
	name: 'Anouk',
	perspective: 'gemeente',
	role: 'participant'
};
const bram: BoardUser = {
	id: 'p-bram',
	name: 'Bram',
	perspective: 'aanbieder',
	role: 'participant'
};

/** A server doc and clients that relay every update synchronously (no network). */
function room() {
	const server = schema.createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
	const docs: Y.Doc[] = [];
	const join = (user: BoardUser, withPrivate = user.role === 'participant') => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
		for (const other of [server, ...docs]) {
			doc.on('update', (u: Uint8Array, origin: unknown) => {
				if (origin !== 'relay') Y.applyUpdate(other, u, 'relay');
			});
			other.on('update', (u: Uint8Array, origin: unknown) => {
				if (origin !== 'relay') Y.applyUpdate(doc, u, 'relay');
			});
		}
		docs.push(doc);
		const privateDoc = withPrivate ? schema.createPrivateDoc() : null;
		let t = 1000;
		return {
			doc,
			privateDoc,
			board: new BoardState({ doc, privateDoc, user, now: () => (t += 1000) })
		};
	};
	return { server, join };
}

describe('BoardState', () => {
	it('adds cards as domain objects that others see, and keeps others from editing them', () => {
		const { join } = room();
		const a = join(anouk);
		const b = join(bram);
		const id = a.board.addCard({ kind: 'ambition', text: 'Werk naar vermogen' });
		expect(b.board.cards.map((c) => [c.id, c.text, c.draft])).toEqual([
			[id, 'Werk naar vermogen', false]
		]);
		expect(b.board.canEdit(b.board.card(id)!)).toBe(false);
		expect(() => b.board.updateCard(id, { text: 'Anders' })).toThrow(BoardActionError);
		a.board.updateCard(id, { text: 'Werk naar eigen vermogen' });
		expect(b.board.card(id)?.text).toBe('Werk naar eigen vermogen');
	});

	it('re-reads a part only after it changed', () => {
		const { join } = room();
		const a = join(anouk);
		const first = a.board.sharedCards;
		expect(a.board.sharedCards).toBe(first);
		a.board.addCard({ kind: 'situation', text: '8 jongeren op de leerwerkplaats' });
		expect(a.board.sharedCards).not.toBe(first);
		const control = a.board.control;
		const cards = a.board.cards;
		const checks = a.board.checks;
		expect(a.board.cards).toBe(cards);
		expect(a.board.checks).toBe(checks);
		a.board.addCard({ kind: 'situation', text: '2 naar betaald werk' });
		expect(a.board.control).toBe(control);
		expect(a.board.cards).not.toBe(cards);
		expect(a.board.cards).toHaveLength(2);
	});

	it('undoes and redoes only this person’s own edits', () => {
		const { join } = room();
		const a = join(anouk);
		const b = join(bram);
		const mine = a.board.addCard({ kind: 'outcome', text: 'Minder terugval' });
		b.board.addCard({ kind: 'outcome', text: 'Meer doorstroom' });
		expect(a.board.canUndo).toBe(true);
		a.board.undo();
		expect(b.board.cards.map((c) => c.text)).toEqual(['Meer doorstroom']);
		expect(a.board.canRedo).toBe(true);
		a.board.redo();
		expect(b.board.card(mine)?.text).toBe('Minder terugval');
	});

	it('keeps input of a private step in the private doc until the server reveals it', () => {
		const { server, join } = room();
		const f = join(facilitator);
		const a = join(anouk);
		const b = join(bram);
		f.board.setPrivate('ambition');
		const draft = a.board.addCard({ kind: 'ambition', text: 'Nog geheim' });
		expect(a.board.cards.map((c) => [c.text, c.draft])).toEqual([['Nog geheim', true]]);
		expect(b.board.cards).toEqual([]);
		const detach = f.board.attachDrafts(anouk.id, a.privateDoc!);
		expect(f.board.cardsOf('ambition').map((c) => [c.text, c.draft])).toEqual([
			['Nog geheim', true]
		]);
		detach();
		expect(f.board.cards).toEqual([]);
		f.board.attachDrafts(anouk.id, a.privateDoc!);
		expect(Buffer.from(Y.encodeStateAsUpdate(server)).toString('utf8')).not.toContain('Nog geheim');
		a.board.updateCard(draft, { text: 'Nog steeds geheim' });
		schema.revealDrafts(server, a.privateDoc!, 'ambition');
		expect(b.board.cards.map((c) => c.text)).toEqual(['Nog steeds geheim']);
		expect(a.board.drafts).toEqual([]);
		expect(f.board.cards.map((c) => [c.text, c.draft])).toEqual([['Nog steeds geheim', false]]);
	});

	it('shows a revealed card once while its draft is still on its way out of the private doc', () => {
		const { server, join } = room();
		const f = join(facilitator);
		const a = join(anouk);
		f.board.setPrivate('ambition');
		const draft = a.board.addCard({ kind: 'ambition', text: 'Nog geheim' });
		f.board.attachDrafts(anouk.id, a.privateDoc!);
		// The server's copy of Anouk's private doc: the reveal removes the draft there, and that
		// removal reaches her phone over its own socket, after the board's update.
		const serverCopy = new Y.Doc();
		Y.applyUpdate(serverCopy, Y.encodeStateAsUpdate(a.privateDoc!));
		schema.revealDrafts(server, serverCopy, 'ambition');
		expect(a.board.drafts.map((c) => c.id)).toEqual([draft]);
		const once = [[draft, 'Nog geheim', false]];
		for (const board of [a.board, f.board]) {
			expect(board.cards.map((c) => [c.id, c.text, c.draft])).toEqual(once);
			expect(board.cardsOf('ambition').map((c) => [c.id, c.text, c.draft])).toEqual(once);
		}
		Y.applyUpdate(a.privateDoc!, Y.encodeStateAsUpdate(serverCopy));
		expect(a.board.drafts).toEqual([]);
		expect(a.board.cards.map((c) => [c.id, c.text, c.draft])).toEqual(once);
	});

	it('refuses writes in a locked step and after the end, and control to participants', () => {
		const { join } = room();
		const f = join(facilitator);
		const a = join(anouk);
		expect(() => a.board.lockStep('ambition')).toThrow(BoardActionError);
		f.board.lockStep('outcomes');
		expect(a.board.canAdd('outcomes')).toBe(false);
		expect(() => a.board.addCard({ kind: 'outcome', text: 'x' })).toThrow(/locked/);
		f.board.endSession();
		expect(() => a.board.addCard({ kind: 'ambition', text: 'x' })).toThrow(/ended/);
		expect(a.board.control.joiningOpen).toBe(false);
	});

	it('casts votes within the budget into the private ballot', () => {
		const { join } = room();
		const f = join(facilitator);
		const a = join(anouk);
		const outcome = a.board.addCard({ kind: 'outcome', text: 'Minder terugval' });
		expect(() => a.board.castVote(outcome, 1)).toThrow(/no_round/);
		f.board.openRound(2);
		a.board.castVote(outcome, 1);
		a.board.castVote(outcome, 5);
		expect(a.board.ballot).toEqual({ [outcome]: 2 });
		expect(a.board.votesLeft).toBe(0);
		expect(schema.readBallot(a.privateDoc!, a.board.round!.id)).toEqual({ [outcome]: 2 });
		expect(a.doc.share.has(schema.PRIVATE_ROOT.ballots)).toBe(false);
	});

	it('follows the facilitator’s step unless looking back', () => {
		const { join } = room();
		const f = join(facilitator);
		const a = join(anouk);
		f.board.setCurrentStep('activities');
		expect(a.board.step).toBe('activities');
		a.board.viewStep('outcomes');
		expect(a.board.step).toBe('outcomes');
		expect(a.board.lookingAway).toBe(true);
		f.board.setCurrentStep('measurement');
		expect(a.board.step).toBe('outcomes');
		a.board.followFacilitator();
		expect(a.board.step).toBe('measurement');
	});

	it('shows compass checks up to the current step', () => {
		const { join } = room();
		const f = join(facilitator);
		const a = join(anouk);
		const ambition = a.board.addCard({ kind: 'ambition', text: 'Werk naar vermogen' });
		expect(a.board.checks.map((c) => c.code)).toEqual(['no_agreed_ambition']);
		f.board.markAgreed(ambition);
		f.board.setCurrentStep('activities');
		const activity = a.board.addCard({ kind: 'activity', text: 'Bingomiddag' });
		expect(a.board.checks.map((c) => c.id)).toEqual([
			`ambition_without_outcomes:${ambition}`,
			`activity_without_outcome:${activity}`
		]);
		const outcome = a.board.addCard({ kind: 'outcome', text: 'Minder terugval', step: 'outcomes' });
		a.board.link(activity, outcome);
		expect(a.board.checks).toEqual([]);
	});
});
