/**
 * Presence goes out in slices, behind document updates (issue 10). A board's presence batch is one
 * message for every socket of the board: 100 sends at once on a board of 100, 30 per board at
 * 100 boards × 30, and most of what a busy server writes. Sent in one go, a card edit that arrives
 * meanwhile waits until the whole burst (and its socket writes) is done.
 *
 * So a presence batch is queued here and sent `slice` sockets per turn of the event loop: between
 * two slices the loop reads the sockets again, and a card edit that arrived is fanned out at once
 * (rooms.ts broadcasts updates directly, never through this queue), ahead of the rest of the
 * batch. All boards share one queue, so the batches of boards whose timers fired together are
 * spread over turns as well. The slice's writes leave with the turn's other writes to the same
 * socket in one `writev` (cork.ts): the slice runs in the check phase, before the corks open.
 *
 * A board has at most one batch in the queue (`busy`): while it is still being sent, the board's
 * next changes wait and go out together afterwards, so a server that cannot write presence as
 * fast as it comes sends it less often instead of queueing more.
 */
import type { RoomPeer } from './rooms.ts';

export interface FanoutOptions {
	/** Sockets sent to per turn of the event loop (default 32). */
	slice?: number;
}

/** One board's batch: a message for a snapshot of its peers. */
interface Job {
	key: object;
	message: Uint8Array;
	peers: RoomPeer[];
	next: number;
	done?: () => void;
}

export function createFanout(options: FanoutOptions = {}) {
	const slice = Math.max(1, options.slice ?? 32);
	const queue: Job[] = [];
	const busy = new Set<object>();
	let scheduled = false;
	/** Messages sent through the queue, and turns used (stats). */
	let sends = 0;
	let turns = 0;

	function drain(): void {
		scheduled = false;
		turns++;
		let budget = slice;
		while (budget > 0 && queue.length > 0) {
			const job = queue[0];
			const end = Math.min(job.peers.length, job.next + budget);
			budget -= end - job.next;
			sends += end - job.next;
			for (; job.next < end; job.next++) job.peers[job.next].send(job.message);
			if (job.next < job.peers.length) break;
			queue.shift();
			busy.delete(job.key);
			job.done?.();
		}
		schedule();
	}

	function schedule(): void {
		if (scheduled || queue.length === 0) return;
		scheduled = true;
		setImmediate(drain);
	}

	return {
		/**
		 * Queues `message` for `peers` (a snapshot: who joins later got the full presence on
		 * connecting). `key` (the room) has one batch at a time: false when its previous batch is
		 * still being sent (nothing queued; send the changes after `done`).
		 */
		enqueue(key: object, peers: Iterable<RoomPeer>, message: Uint8Array, done?: () => void) {
			if (busy.has(key)) return false;
			const list = [...peers];
			if (list.length === 0) {
				done?.();
				return true;
			}
			busy.add(key);
			queue.push({ key, message, peers: list, next: 0, done });
			schedule();
			return true;
		},
		/** A batch of `key` is queued or being sent. */
		busy: (key: object) => busy.has(key),
		/** Drops `key`'s batch (its room unloaded). */
		forget(key: object) {
			const index = queue.findIndex((job) => job.key === key);
			if (index >= 0) queue.splice(index, 1);
			busy.delete(key);
		},
		stats: () => ({ queued: queue.length, sends, turns })
	};
}

export type Fanout = ReturnType<typeof createFanout>;
