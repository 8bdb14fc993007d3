import { describe, expect, it } from 'vitest';
import {
	adoptProblem,
	answerProblem,
	provenanceForCard,
	tallyConsent,
	totals,
	type ConsentProposal,
	type ConsentState
} from './consent.ts';

const open = { status: 'open', roundId: 'round-1' } as const;

describe('answerProblem', () => {
	it('accepts one answer in the open round; a bezwaar needs a reason', () => {
		expect(answerProblem(open, 'round-1', { answer: 'akkoord', text: '' }, false)).toBeNull();
		expect(answerProblem(open, 'round-1', { answer: 'parkeren', text: '' }, false)).toBeNull();
		expect(
			answerProblem(open, 'round-1', { answer: 'bezwaar', text: 'te vaag' }, false)
		).toBeNull();
		expect(answerProblem(open, 'round-1', { answer: 'bezwaar', text: '  ' }, false)).toBe(
			'reason_required'
		);
	});

	it('refuses a second answer, another round, a shown round and unknown answers', () => {
		expect(answerProblem(open, 'round-1', { answer: 'akkoord', text: '' }, true)).toBe(
			'already_answered'
		);
		expect(answerProblem(open, 'round-2', { answer: 'akkoord', text: '' }, false)).toBe('not_open');
		expect(answerProblem(null, 'round-1', { answer: 'akkoord', text: '' }, false)).toBe('not_open');
		expect(
			answerProblem(
				{ status: 'revealed', roundId: 'round-1' },
				'round-1',
				{
					answer: 'akkoord',
					text: ''
				},
				false
			)
		).toBe('not_open');
		expect(answerProblem(open, 'round-1', { answer: 'misschien', text: '' }, false)).toBe(
			'unknown_answer'
		);
		expect(
			answerProblem(open, 'round-1', { answer: 'parkeren', text: 'x'.repeat(1001) }, false)
		).toBe('too_long');
	});
});

describe('tallyConsent', () => {
	it('counts per perspective and keeps reasons and notes without names, in a fixed order', () => {
		const { counts, notes } = tallyConsent([
			{ perspective: 'inwoner', answer: { answer: 'bezwaar', text: 'Te duur ', answeredAt: 3 } },
			{ perspective: 'gemeente', answer: { answer: 'akkoord', text: '', answeredAt: 1 } },
			{
				perspective: 'gemeente',
				answer: { answer: 'parkeren', text: 'Eerst cijfers', answeredAt: 2 }
			},
			{
				perspective: 'aanbieder',
				answer: { answer: 'bezwaar', text: 'Niet haalbaar', answeredAt: 4 }
			},
			// A bezwaar without a reason never counts (the server refuses it anyway).
			{ perspective: 'aanbieder', answer: { answer: 'bezwaar', text: '', answeredAt: 5 } }
		]);
		expect(counts.akkoord.gemeente).toBe(1);
		expect(counts.bezwaar).toMatchObject({ inwoner: 1, aanbieder: 1 });
		expect(totals({ counts })).toEqual({ akkoord: 1, bezwaar: 2, parkeren: 1 });
		expect(notes).toEqual([
			{ answer: 'bezwaar', perspective: 'aanbieder', text: 'Niet haalbaar' },
			{ answer: 'bezwaar', perspective: 'inwoner', text: 'Te duur' },
			{ answer: 'parkeren', perspective: 'gemeente', text: 'Eerst cijfers' }
		]);
		expect(JSON.stringify(notes)).not.toMatch(/answeredAt|name/);
	});
});

describe('adopting and provenance', () => {
	const proposal = (over: Partial<ConsentProposal> = {}): ConsentProposal => ({
		id: 'p1',
		subject: 'ambition',
		cardIds: ['card-a'],
		text: 'Iedereen doet mee',
		round: 2,
		roundId: 'r2',
		status: 'revealed',
		note: '',
		createdAt: 1,
		decidedAt: null,
		...over
	});
	const state = (bezwaar: number, p: ConsentProposal): ConsentState => {
		const { counts } = tallyConsent([
			{ perspective: 'inwoner', answer: { answer: 'akkoord', text: '', answeredAt: 1 } },
			...Array.from({ length: bezwaar }, () => ({
				perspective: 'gemeente' as const,
				answer: { answer: 'bezwaar' as const, text: 'nee', answeredAt: 1 }
			}))
		]);
		return {
			proposals: [p],
			results: {
				r2: { roundId: 'r2', proposalId: 'p1', round: 2, text: p.text, counts, notes: [] }
			}
		};
	};

	it('adopts only a shown round without bezwaar', () => {
		expect(adoptProblem(state(0, proposal()), proposal())).toBeNull();
		expect(adoptProblem(state(1, proposal()), proposal())).toBe('has_objections');
		expect(adoptProblem(state(0, proposal({ status: 'open' })), proposal({ status: 'open' }))).toBe(
			'not_revealed'
		);
		const noResult = { proposals: [proposal()], results: {} };
		expect(adoptProblem(noResult, proposal())).toBe('no_result');
	});

	it('an adopted card carries its round and number of bezwaren', () => {
		const adopted = proposal({ status: 'adopted', decidedAt: 9 });
		expect(provenanceForCard(state(0, adopted), 'card-a')).toMatchObject({
			round: 2,
			objections: 0,
			decidedAt: 9
		});
		expect(provenanceForCard(state(0, adopted), 'card-b')).toBeNull();
		expect(provenanceForCard(state(0, proposal()), 'card-a')).toBeNull();
	});
});
