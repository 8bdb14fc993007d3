/**
 * Server-side reactions to a board's control state (BOARD-CONTRACT.md, "Private doc"):
 * - a step leaves `control.privateSteps` → every participant's drafts of that step move into the
 *   shared `cards` and out of the private docs;
 * - a voting round's status becomes `revealed` → all ballots of that round are tallied per card per
 *   perspective into `control.results.<roundId>`.
 * Both are written with origin `SERVER_ORIGIN`, so they are stored and broadcast like any update.
 * Work runs one job at a time per board and holds the board room while it runs.
 */
import * as Y from 'yjs';
import { mapIn } from './authorize.ts';
import { BOARD_ROOTS, CONTROL, FIELDS, PRIVATE_ROOTS, ROUND } from './board-keys.ts';
import { SERVER_ORIGIN, type Room, type Rooms } from './rooms.ts';
import type { UpdateStore } from './store.ts';
import { boardRoomName, privateRoomPrefix } from './types.ts';

export interface BoardWatchDeps {
	rooms: Rooms;
	store: UpdateStore;
	/** Perspective per participant id of the board (for tallies). */
	perspectives(boardId: string): Map<string, string>;
	logError?: (message: string, error: unknown) => void;
}

function privateSteps(doc: Y.Doc): Set<string> {
	const set = mapIn(doc, BOARD_ROOTS.control)?.get(CONTROL.privateSteps);
	if (!(set instanceof Y.Map)) return new Set();
	return new Set([...set.entries()].filter(([, on]) => on === true).map(([step]) => step));
}

function roundStatuses(doc: Y.Doc): Map<string, unknown> {
	const rounds = mapIn(doc, BOARD_ROOTS.control)?.get(CONTROL.rounds);
	const statuses = new Map<string, unknown>();
	if (rounds instanceof Y.Map)
		for (const [id, round] of rounds.entries())
			if (round instanceof Y.Map) statuses.set(id, round.get(ROUND.status));
	return statuses;
}

const plain = (value: unknown) => (value instanceof Y.AbstractType ? value.toJSON() : value);

/**
 * Watches a loaded board room; returns the cleanup for the room's unload. `ready` resolves when
 * every job started so far has finished (tests).
 */
export function watchBoard(room: Room, boardId: string, deps: BoardWatchDeps) {
	const logError = deps.logError ?? ((message, error) => console.error(message, error));
	let steps = privateSteps(room.doc);
	let statuses = roundStatuses(room.doc);
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

	const reveal = (step: string) =>
		enqueue(async (board) => {
			for (const name of await privateRooms()) {
				const own = await deps.rooms.acquire(name);
				try {
					const drafts = mapIn(own.doc, PRIVATE_ROOTS.drafts);
					if (!drafts) continue;
					const moving = [...drafts.entries()].filter(
						(entry): entry is [string, Y.Map<unknown>] =>
							entry[1] instanceof Y.Map && entry[1].get(FIELDS.step) === step
					);
					if (moving.length === 0) continue;
					board.doc.transact(() => {
						const cards = board.doc.getMap(BOARD_ROOTS.cards);
						for (const [id, draft] of moving)
							cards.set(
								id,
								new Y.Map([...draft.entries()].map(([key, value]) => [key, plain(value)]))
							);
					}, SERVER_ORIGIN);
					own.doc.transact(() => {
						for (const [id] of moving) drafts.delete(id);
					}, SERVER_ORIGIN);
				} finally {
					deps.rooms.release(own);
				}
			}
		});

	const tally = (roundId: string) =>
		enqueue(async (board) => {
			const perspectives = deps.perspectives(boardId);
			const totals = new Map<string, Map<string, number>>();
			for (const name of await privateRooms()) {
				const participantId = name.slice(privateRoomPrefix(boardId).length);
				const perspective = perspectives.get(participantId) ?? 'anders';
				const own = await deps.rooms.acquire(name);
				try {
					const ballot = mapIn(own.doc, PRIVATE_ROOTS.ballots)?.get(roundId);
					if (!(ballot instanceof Y.Map)) continue;
					for (const [cardId, votes] of ballot.entries()) {
						if (typeof votes !== 'number' || !(votes > 0)) continue;
						const perCard = totals.get(cardId) ?? new Map<string, number>();
						perCard.set(perspective, (perCard.get(perspective) ?? 0) + votes);
						totals.set(cardId, perCard);
					}
				} finally {
					deps.rooms.release(own);
				}
			}
			board.doc.transact(() => {
				const control = board.doc.getMap(BOARD_ROOTS.control);
				let results = control.get(CONTROL.results);
				if (!(results instanceof Y.Map)) {
					results = new Y.Map();
					control.set(CONTROL.results, results);
				}
				const round = new Y.Map<Y.Map<number>>();
				for (const [cardId, perCard] of totals) round.set(cardId, new Y.Map<number>([...perCard]));
				(results as Y.Map<unknown>).set(roundId, round);
			}, SERVER_ORIGIN);
		});

	const onTransaction = () => {
		const nextSteps = privateSteps(room.doc);
		for (const step of steps) if (!nextSteps.has(step)) reveal(step);
		steps = nextSteps;
		const nextStatuses = roundStatuses(room.doc);
		for (const [id, status] of nextStatuses)
			if (status === 'revealed' && statuses.get(id) !== 'revealed') tally(id);
		statuses = nextStatuses;
	};
	room.doc.on('afterTransaction', onTransaction);
	return {
		stop: () => room.doc.off('afterTransaction', onTransaction),
		ready: () => queue
	};
}
