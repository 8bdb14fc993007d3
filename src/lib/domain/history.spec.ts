import { describe, expect, it } from 'vitest';
import type { Card } from './cards.ts';
import {
	addedAt,
	agreedInSession,
	changedAt,
	changesSince,
	latestSession,
	sessionNumbers
} from './history.ts';

const card = (id: string, times: Partial<Card> = {}, step: Card['step'] = 'outcomes'): Card => ({
	id,
	step,
	kind: step === 'ambition' ? 'ambition' : 'outcome',
	text: id,
	authorId: 'p',
	authorName: 'P',
	perspective: null,
	createdAt: 0,
	order: `a${id}`,
	coAuthors: [],
	mergedInto: null,
	...times
});

describe('what changed since', () => {
	const cards = [
		card('old', { createdAt: 10, addedAt: 10, changedAt: 10 }),
		card('edited', { createdAt: 10, addedAt: 10, changedAt: 150 }),
		card('new', { createdAt: 5, addedAt: 120, changedAt: 120 }),
		card('amb', { createdAt: 20, addedAt: 20, changedAt: 20 }, 'ambition'),
		card('merged', { addedAt: 130, mergedInto: 'new' })
	];
	const control = { agreed: ['amb', 'old'], agreedAt: { amb: 110, old: 50, edited: 200 } };

	it('splits added, changed and agreed by server time, in step order', () => {
		const changes = changesSince({ cards, control }, 100);
		expect(changes.added.map((c) => c.id)).toEqual(['new']);
		expect(changes.changed.map((c) => c.id)).toEqual(['edited']);
		// Agreed since then and still agreed (a stale stamp of an un-agreed card does not count).
		expect(changes.agreed.map((c) => c.id)).toEqual(['amb']);
	});

	it('trusts the server stamps over the device clock, and falls back for older cards', () => {
		expect(addedAt(card('x', { createdAt: 5, addedAt: 120 }))).toBe(120);
		expect(addedAt(card('x', { createdAt: 5 }))).toBe(5);
		expect(changedAt(card('x', { createdAt: 5 }))).toBe(5);
		expect(
			changesSince({ cards: [card('x', { createdAt: 200 })], control }, 100).added
		).toHaveLength(1);
	});

	it('numbers sessions by their start and names the session of an agreement', () => {
		const numbers = sessionNumbers([
			{ id: 'b', startedAt: 300 },
			{ id: 'planned', startedAt: null },
			{ id: 'a', startedAt: 100 }
		]);
		expect([...numbers]).toEqual([
			['a', 1],
			['b', 2]
		]);
		const sessions = {
			sessionStarts: [
				{ number: 2, startedAt: 300 },
				{ number: 1, startedAt: 100 }
			]
		};
		expect(latestSession(sessions)).toEqual({ number: 2, startedAt: 300 });
		expect(latestSession({ sessionStarts: [] })).toBeNull();
		expect(agreedInSession({ agreed: ['amb'], agreedIn: { amb: 1, gone: 2 } }, 'amb')).toBe(1);
		expect(agreedInSession({ agreed: ['amb'], agreedIn: { amb: 1, gone: 2 } }, 'gone')).toBeNull();
	});
});
