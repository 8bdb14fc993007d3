/**
 * App events across nodes (issue 12 item 3): every event emitted on this node (`events.emit`) is
 * published on the bus, and every event another node published is emitted here with
 * `events.emitRemote`, which reaches this node's listeners but is not published again. The bus drops
 * a node's own messages, so nothing travels in a loop.
 *
 * An event this node could not publish (its connection to Redis down) waits in an outbox, in
 * order, and goes out when the bus is back (`onResume`, and a retry every `retryMs` for an outage of
 * the publishing connection alone). What other nodes miss while their own subscription is down is
 * not replayed to them; the listeners do not depend on it for safety. Who may open a board is read from the database on every upgrade, so a removed
 * participant is refused on every node; the event only closes sockets that are already open at once
 * (and `onResume` lets the realtime server check its open sockets and boards again after an outage).
 */
import type { Events, KompasEventName, KompasEvents } from '../events.ts';
import type { Bus } from './bus.ts';

export interface EventsLinkOptions {
	/** Where a refused publish or a failing listener is reported (default console.error). */
	logError?: (message: string, error: unknown) => void;
	/** How long to wait before publishing the outbox again after a refused publish (default 1 s). */
	retryMs?: number;
	/** The most events kept while the bus is down; beyond it the oldest is dropped (default 10,000). */
	outboxLimit?: number;
}

/**
 * Links `events` to `bus` until the returned function is called.
 * @throws (rejects) BusUnavailableError when the bus cannot subscribe.
 */
export async function linkEvents(
	events: Events,
	bus: Bus,
	options: EventsLinkOptions = {}
): Promise<() => Promise<void>> {
	const logError = options.logError ?? ((message, error) => console.error(message, error));
	const unsubscribe = await bus.subscribeEvents((message) => {
		try {
			events.emitRemote(message.name, message.payload);
		} catch (error) {
			logError(`events: a listener of ${message.name} from node ${message.from} failed`, error);
		}
	});
	const retryMs = options.retryMs ?? 1000;
	const outboxLimit = options.outboxLimit ?? 10_000;
	type Pending = { name: KompasEventName; payload: KompasEvents[KompasEventName] };
	const outbox: Pending[] = [];
	let sending = false;
	let retry: ReturnType<typeof setTimeout> | null = null;
	let stopped = false;

	/** Set when a drain is asked for while one runs (e.g. the bus resumed during a refused publish). */
	let again = false;

	/** Publishes the outbox in order; stops at the first refusal and tries again later. */
	async function drain(): Promise<void> {
		if (stopped) return;
		if (sending) {
			again = true;
			return;
		}
		sending = true;
		try {
			while (outbox.length > 0 && !stopped) {
				again = false;
				const next = outbox[0];
				try {
					await bus.publishEvent(next.name, next.payload);
				} catch (error) {
					logError(`events: ${next.name} did not reach the other nodes yet`, error);
					if (again) continue;
					retry ??= setTimeout(() => {
						retry = null;
						void drain();
					}, retryMs);
					return;
				}
				outbox.shift();
			}
		} finally {
			sending = false;
		}
	}

	const stopSending = events.onLocal((name, payload) => {
		if (outbox.length >= outboxLimit) {
			const dropped = outbox.shift();
			logError(`events: outbox full, ${dropped?.name} is dropped`, new Error('outbox full'));
		}
		outbox.push({ name, payload });
		void drain();
	});
	const stopResume = bus.onResume(() => void drain());
	return async () => {
		stopped = true;
		if (retry) clearTimeout(retry);
		stopSending();
		stopResume();
		await unsubscribe();
	};
}
