/** The control state: rounds, timer, flags, priorities. */
import { describe, expect, it } from 'vitest';
import {
	addCard,
	createBoardDoc,
	endSession,
	markAgreed,
	openRound,
	pauseTimer,
	readControl,
	resumeTimer,
	revealRound,
	setPriorityOrder,
	startTimer,
	type Author
} from './index.ts';

const gemeente: Author = { id: 'p-gemeente', name: 'Anouk', perspective: 'gemeente' };

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
