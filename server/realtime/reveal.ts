/**
 * Server-side reactions to a board's control state (the private document, src/lib/board/schema/private.ts):
 * - a step leaves `control.privateSteps` → every participant's drafts of that step move into the
 *   shared `cards` and out of the private docs (an anonymous step: in one shuffled update, with one
 *   time stamp and no bylines; `revealStep`);
 * - a voting round's status becomes `closed` → how many people voted is written on the round
 *   (`voters`), so the facilitator is warned before revealing an anonymous round nobody can hide in;
 * - a voting round's status becomes `revealed` → all ballots of that round are tallied with
 *   `tallyBallots` (src/lib/domain/votes.ts) into `control.results.<roundId>`: per card per
 *   perspective, or, in an anonymous round, per group of at least `MIN_VOTERS_APART` people;
 * - a consent proposal's status becomes `revealed` → the answers of its round are counted into
 *   `control.consentResults.<roundId>` (consent-tally.ts).
 * All are written with origin `SERVER_ORIGIN`, so they are stored and broadcast like any update.
 * When a board loads, drafts of steps that are no longer private (a reveal cut short by a crash)
 * are revealed too.
 * Work runs one job at a time per board and holds the board room and every private room of the
 * board (private-rooms.ts) while it runs. With several nodes only the node that accepted the change
 * runs it (changes from the bus are followed, not acted on).
 */
import type * as Y from 'yjs';
import { consentRoundsToCount, countConsentRound } from './consent-tally.ts';
import { consentStatusesOf } from '../../src/lib/board/schema/consent.ts';
import {
	anonymousStepsOf,
	privateStepsOf,
	readBallot,
	readControl,
	readDrafts,
	revealStep,
	roundStatusesOf,
	PRIVATE_ROOT,
	ROOT,
	SERVER_ORIGIN,
	writeRoundResults,
	writeRoundVoters
} from '../../src/lib/board/schema/index.ts';
import { isStepId, type StepId } from '../../src/lib/domain/steps.ts';
import { revealMode, type AnonymityMode } from '../../src/lib/domain/anonymity.ts';
import { countVoters, tallyBallots, type CastBallot } from '../../src/lib/domain/votes.ts';
import { isPerspective } from '../../src/lib/domain/roles.ts';
import { BUS_ORIGIN, type Room, type Rooms } from './rooms.ts';
import type { UpdateLog } from './store.ts';
import { boardRoomName } from './types.ts';
import { withPrivateDocs, type PrivateDoc } from './private-rooms.ts';

const PRIVATE_BALLOTS = PRIVATE_ROOT.ballots;

export interface BoardWatchDeps {
	rooms: Rooms;
	store: UpdateLog;
	/** Perspective per participant id of the board (for tallies; awaited, the repository may be async). */
	perspectives(boardId: string): Map<string, string> | Promise<Map<string, string>>;
	/** The server's clock (ms): the one time stamp of an anonymous reveal. */
	now?: () => number;
	logError?: (message: string, error: unknown) => void;
}

/**
 * Watches a loaded board room; returns the cleanup for the room's unload. `ready` resolves when
 * every job started so far has finished (tests).
 */
export function watchBoard(room: Room, boardId: string, deps: BoardWatchDeps) {
	const logError = deps.logError ?? ((message, error) => console.error(message, error));
	// Everything watched here is in the control state. Defined as a map now, so that the root keeps
	// its identity (a root first met in an update is an untyped placeholder until someone asks).
	const control = room.doc.getMap<unknown>(ROOT.control);
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

	const withPrivate = <T>(job: (docs: PrivateDoc[]) => T) => withPrivateDocs(deps, boardId, job);
	const now = () => deps.now?.() ?? Date.now();

	const reveal = (step: string, whilePrivate: AnonymityMode | undefined) =>
		enqueue(async (board) => {
			if (!isStepId(step)) return;
			const anonymous = revealMode(anonymousStepsOf(board.doc)[step], whilePrivate);
			await withPrivate((docs) =>
				revealStep(
					board.doc,
					docs.map((d) => d.doc),
					step,
					{ origin: SERVER_ORIGIN, anonymous, now: now() }
				)
			);
		});

	/** Every private document's ballot in `roundId`, with the voter's perspective. */
	const ballotsOf = (
		docs: PrivateDoc[],
		roundId: string,
		perspectives: ReadonlyMap<string, string>
	): CastBallot[] => {
		return docs.map(({ participantId, doc }) => {
			const known = perspectives.get(participantId);
			return {
				perspective: isPerspective(known) ? known : 'anders',
				ballot: readBallot(doc, roundId)
			};
		});
	};
	const roundOf = (board: Room, roundId: string) =>
		readControl(board.doc).rounds.find((r) => r.id === roundId);

	const countRoundVoters = (roundId: string) =>
		enqueue(async (board) => {
			const round = roundOf(board, roundId);
			if (!round) return;
			const perspectives = await deps.perspectives(boardId);
			const voters = await withPrivate((docs) =>
				countVoters(round, ballotsOf(docs, roundId, perspectives))
			);
			writeRoundVoters(board.doc, roundId, voters, SERVER_ORIGIN);
		});

	const tally = (roundId: string) =>
		enqueue(async (board) => {
			const round = roundOf(board, roundId);
			if (!round) return;
			const perspectives = await deps.perspectives(boardId);
			await withPrivate((docs) => {
				const ballots = ballotsOf(docs, roundId, perspectives);
				board.doc.transact(() => {
					writeRoundVoters(board.doc, roundId, countVoters(round, ballots), SERVER_ORIGIN);
					writeRoundResults(board.doc, roundId, tallyBallots(round, ballots), SERVER_ORIGIN);
				}, SERVER_ORIGIN);
				// A round hidden from facilitators too: once tallied, nobody keeps who voted what.
				if (round.anonymous === 'hidden')
					for (const { doc } of docs)
						doc.transact(
							() => doc.getMap<Y.Map<number>>(PRIVATE_BALLOTS).delete(roundId),
							SERVER_ORIGIN
						);
			});
		});

	const countConsent = (roundId: string) =>
		enqueue(async (board) => {
			const perspectives = await deps.perspectives(boardId);
			await withPrivate((docs) =>
				countConsentRound(
					board.doc,
					roundId,
					docs.map((d) => [d.participantId, d.doc]),
					perspectives
				)
			);
		});

	const onTransaction = (tr: Y.Transaction) => {
		// Most transactions are card edits: nothing in the control state changed, nothing to read.
		if (!(tr.changedParentTypes as Map<unknown, unknown>).has(control)) return;
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
		for (const [id, status] of nextStatuses) {
			if (!here || status === statuses.get(id)) continue;
			if (status === 'revealed') tally(id);
			else if (status === 'closed') countRoundVoters(id);
		}
		statuses = nextStatuses;
		const nextConsent = consentStatusesOf(room.doc);
		if (here)
			for (const roundId of consentRoundsToCount(consent, nextConsent)) countConsent(roundId);
		consent = nextConsent;
	};
	room.doc.on('afterTransaction', onTransaction);

	// Catch up after a crash between a step leaving `privateSteps` and its reveal: drafts of a step
	// that is no longer private are revealed when the board loads.
	enqueue((board) =>
		withPrivate((docs) => {
			const open = privateStepsOf(board.doc);
			const anonymous = anonymousStepsOf(board.doc);
			const stale = new Set(docs.flatMap(({ doc }) => readDrafts(doc).map((d) => d.step)));
			for (const step of stale)
				if (!open.has(step))
					revealStep(
						board.doc,
						docs.map((d) => d.doc),
						step,
						{ origin: SERVER_ORIGIN, anonymous: revealMode(anonymous[step], undefined), now: now() }
					);
		})
	);
	return {
		stop: () => room.doc.off('afterTransaction', onTransaction),
		ready: () => queue
	};
}
