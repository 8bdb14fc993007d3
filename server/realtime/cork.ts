/**
 * Coalesces socket writes within one turn of the event loop. A socket that is sent a message is
 * corked until the I/O callbacks of this turn are done (`setImmediate`), so that everything it is
 * sent meanwhile (a board update, a presence batch, more updates of a busy room) leaves in one
 * `writev` system call instead of one per message: at 100 boards × 30 people, writing was the
 * largest single cost of the server (bench/results/profile/). Nothing waits for a timer, and the
 * order of messages on a socket is kept. Only while the server is busy (pace.ts `coalesceWrites`):
 * on a calm one a socket gets one message per turn, and it leaves at once.
 */

/** The part of a `net.Socket` (the upgraded request's socket) this needs. */
export interface Corkable {
	cork(): void;
	uncork(): void;
}

const corked = new Set<Corkable>();
let scheduled = false;

function uncorkAll(): void {
	scheduled = false;
	const sockets = [...corked];
	corked.clear();
	for (const socket of sockets) socket.uncork();
}

/** Corks `socket` until the end of this turn of the event loop (once per turn). */
export function corkForThisTurn(socket: Corkable): void {
	if (corked.has(socket)) return;
	socket.cork();
	corked.add(socket);
	if (!scheduled) {
		scheduled = true;
		setImmediate(uncorkAll);
	}
}
