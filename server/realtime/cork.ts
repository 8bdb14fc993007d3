/**
 * Coalesces socket writes within one turn of the event loop. A socket that is sent a message is
 * corked until the I/O callbacks of this turn are done (`setImmediate`), so that everything it is
 * sent meanwhile (a board update, a presence batch, more updates of a busy room) leaves in one
 * `writev` system call instead of one per message: at 100 boards × 30 people, writing was the
 * largest single cost of the server (bench/results/profile/). The order of messages on a socket is
 * kept. Only while the server is busy (pace.ts `coalesceWrites`): on a calm one a socket gets one
 * message per turn, and it leaves at once.
 *
 * A write waits at most `MAX_HOLD_MS` for the turn's other writes. On a busy server one turn can
 * read hundreds of sockets (libuv hands the poll phase every socket that is ready), and a card
 * edit fanned out at its start would otherwise wait for all of them before its first byte leaves.
 * So when a socket is sent something and the oldest corked write has waited that long, everything
 * corked so far leaves first and a new batch begins.
 */

/** The part of a `net.Socket` (the upgraded request's socket) this needs. */
export interface Corkable {
	cork(): void;
	uncork(): void;
}

/** The longest a corked write waits for others to join it (ms). */
export const MAX_HOLD_MS = 2;

const corked = new Set<Corkable>();
let scheduled = false;
/** When the first socket of the current batch was corked (`performance.now()`). */
let openedAt = 0;

function uncorkAll(): void {
	const sockets = [...corked];
	corked.clear();
	for (const socket of sockets) socket.uncork();
}

function atTurnEnd(): void {
	scheduled = false;
	uncorkAll();
}

/**
 * Corks `socket` until the end of this turn of the event loop, or until a write corked earlier has
 * waited `MAX_HOLD_MS` (`now` is for tests).
 */
export function corkForThisTurn(socket: Corkable, now = performance.now()): void {
	if (corked.size > 0 && now - openedAt >= MAX_HOLD_MS) uncorkAll();
	if (corked.has(socket)) return;
	if (corked.size === 0) openedAt = now;
	socket.cork();
	corked.add(socket);
	if (!scheduled) {
		scheduled = true;
		setImmediate(atTurnEnd);
	}
}
