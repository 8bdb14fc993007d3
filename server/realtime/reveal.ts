/**
 * Server-side reactions to a board's control state (the private document, src/lib/board/schema/private.ts):
 * - a step leaves `control.privateSteps` → every participant's drafts of that step move into the
 *   shared `cards` and out of the private docs;
 * - a voting round's status becomes `revealed` → all ballots of that round are tallied per card per
 *   perspective into `control.results.<roundId>`;
 * - a consent proposal's status becomes `revealed` → the answers of its round are counted into
 *   `control.consentResults.<roundId>` (consent-tally.ts).
 * Both are written with origin `SERVER_ORIGIN`, so they are stored and broadcast like any update.
 * When a board loads, drafts of steps that are no longer private (a reveal cut short by a crash)
 * are revealed too.
 * Work runs one job at a time per board and holds the board room while it runs. With several nodes
 * only the node that accepted the change runs it (changes from the bus are followed, not acted on).
 */
import type * as Y from 'yjs';
import { consentRoundsToCount, countConsentRound } from './consent-tally.ts';
import { consentStatusesOf } from '../../src/lib/board/schema/consent.ts';
import {
	anonymousStepsOf,
	privateStepsOf,
	readBallot,
	readDrafts,
	revealDrafts,
	roundAnonymityOf,
	roundStatusesOf,
	PRIVATE_ROOT,
	SERVER_ORIGIN,
	writeRoundResults
} from '../../src/lib/board/schema/index.ts';
import { isStepId, type StepId } from '../../src/lib/domain/steps.ts';
import { revealMode, type AnonymityMode } from '../../src/lib/domain/anonymity.ts';
import type { RoundResults } from '../../src/lib/domain/votes.ts';
import { isPerspective, type Perspective } from '../../src/lib/domain/roles.ts';
import { BUS_ORIGIN, type Room, type Rooms } from './rooms.ts';
import type { UpdateStore } from './store.ts';
import { boardRoomName, privateRoomPrefix } from './types.ts';

const PRIVATE_BALLOTS = PRIVATE_ROOT.ballots;

export interface BoardWatchDeps {
	rooms: Rooms;
	store: UpdateStore;
	/** Perspective per participant id of the board (for tallies). */
	perspectives(boardId: string): Map<string, string>;
	logError?: (message: string, error: unknown) => void;
}

/**
 * Watches a loaded board room; returns the cleanup for the room's unload. `ready` resolves when
 * every job started so far has finished (tests).
 */
export function watchBoard(room: Room, boardId: string, deps: BoardWatchDeps) {
	const logError = deps.logError ?? ((message, error) => console.error(message, error));
	let steps = privateStepsOf(room.doc);
	// The anonymity a private step had while private: a reveal keeps the promise it was written under.
	const anonymousWhilePrivate = new Map<string, AnonymityMode>();
	const noteAnonymity = () => {
		const anonymous = anonymousStepsOf(room.doc);
		for (const step of steps) {
			const mode = anonymous[step as StepId];
			if (mode && anonymousWhilePrivate.get(step) !== 'hidden')
				anonymousWhilePrivate.set(step, mode);
		}
	};
	noteAnonymity();
	let statuses = roundStatusesOf(room.doc);
	let consent = consentStatusesOf(room.doc);
	let queue: Promise<void> = Promise.resolve();

	const enqueue = (job: (board: Room) => Promise<void>) => {
		queue = queue.then(async () => {
			let board: Room | null = null;
			try {
				board = await deps.rooms.acquire(boardRoomName(boardId));
				await job(board);
			} catch (error) {
				logError(`realtime: server job on ${boardId} failed`, error);
			} finally {
				if (board) deps.rooms.release(board);
			}
		});
	};

	const privateRooms = async () =>
		new Set([
			...(await deps.store.list(privateRoomPrefix(boardId))),
			...deps.rooms.loadedNames(privateRoomPrefix(boardId))
		]);

	const reveal = (step: string, whilePrivate: AnonymityMode | undefined) =>
		enqueue(async (board) => {
			if (!isStepId(step)) return;
			const mode = revealMode(anonymousStepsOf(board.doc)[step], whilePrivate);
			for (const name of await privateRooms()) {
				const own = await deps.rooms.acquire(name);
				try {
					revealDrafts(board.doc, own.doc, step, SERVER_ORIGIN, mode);
				} finally {
					deps.rooms.release(own);
				}
			}
		});

	const tally = (roundId: string) =>
		enqueue(async (board) => {
			const perspectives = deps.perspectives(boardId);
			const totals: Record<string, Partial<Record<Perspective, number>>> = {};
			for (const name of await privateRooms()) {
				const participantId = name.slice(privateRoomPrefix(boardId).length);
				const known = perspectives.get(participantId);
				const perspective: Perspective = isPerspective(known) ? known : 'anders';
				const own = await deps.rooms.acquire(name);
				try {
					for (const [cardId, votes] of Object.entries(readBallot(own.doc, roundId))) {
						const perCard = (totals[cardId] ??= {});
						perCard[perspective] = (perCard[perspective] ?? 0) + votes;
					}
				} finally {
					deps.rooms.release(own);
				}
			}
			writeRoundResults(board.doc, roundId, totals as RoundResults, SERVER_ORIGIN);
			// A round hidden from facilitators too: once tallied, nobody keeps who voted what.
			if (roundAnonymityOf(board.doc, roundId) === 'hidden')
				for (const name of await privateRooms()) {
					const own = await deps.rooms.acquire(name);
					try {
						own.doc.transact(() => own.doc.getMap(PRIVATE_BALLOTS).delete(roundId), SERVER_ORIGIN);
					} finally {
						deps.rooms.release(own);
					}
				}
		});

	const countConsent = (roundId: string) =>
		enqueue(async (board) => {
			const docs: [string, Room][] = [];
			try {
				for (const name of await privateRooms())
					docs.push([
						name.slice(privateRoomPrefix(boardId).length),
						await deps.rooms.acquire(name)
					]);
				countConsentRound(
					board.doc,
					roundId,
					docs.map(([id, own]) => [id, own.doc]),
					deps.perspectives(boardId)
				);
			} finally {
				for (const [, own] of docs) deps.rooms.release(own);
			}
		});

	const onTransaction = (tr: Y.Transaction) => {
		// A change another node accepted is that node's to act on (it reveals and tallies, once);
		// here the watcher only follows the state, so that it does not act on it later either.
		const here = tr.origin !== BUS_ORIGIN;
		const nextSteps = privateStepsOf(room.doc);
		noteAnonymity();
		for (const step of steps)
			if (!nextSteps.has(step)) {
				if (here) reveal(step, anonymousWhilePrivate.get(step));
				anonymousWhilePrivate.delete(step);
			}
		steps = nextSteps;
		noteAnonymity();
		const nextStatuses = roundStatusesOf(room.doc);
		for (const [id, status] of nextStatuses)
			if (here && status === 'revealed' && statuses.get(id) !== 'revealed') tally(id);
		statuses = nextStatuses;
		const nextConsent = consentStatusesOf(room.doc);
		if (here)
			for (const roundId of consentRoundsToCount(consent, nextConsent)) countConsent(roundId);
		consent = nextConsent;
	};
	room.doc.on('afterTransaction', onTransaction);

	// Catch up after a crash between a step leaving `privateSteps` and its reveal: drafts of a step
	// that is no longer private are revealed when the board loads.
	enqueue(async (board) => {
		const open = privateStepsOf(board.doc);
		for (const name of await privateRooms()) {
			const own = await deps.rooms.acquire(name);
			try {
				const stale = new Set(readDrafts(own.doc).map((draft) => draft.step));
				const anonymous = anonymousStepsOf(board.doc);
				for (const step of stale)
					if (!open.has(step))
						revealDrafts(
							board.doc,
							own.doc,
							step,
							SERVER_ORIGIN,
							revealMode(anonymous[step], undefined)
						);
			} finally {
				deps.rooms.release(own);
			}
		}
	});
	return {
		stop: () => room.doc.off('afterTransaction', onTransaction),
		ready: () => queue
	};
}
