/**
 * App events across nodes (issue 12 item 3): every event emitted on this node (`events.emit`) is
 * published on the bus, and every event another node published is emitted here with
 * `events.emitRemote`, which reaches this node's listeners but is not published again. The bus drops
 * a node's own messages, so nothing travels in a loop.
 *
 * The bus may lose an event (Redis down while it was published): the listeners do not depend on it
 * for safety. Who may open a board is read from the database on every upgrade, so a removed
 * participant is refused on every node; the event only closes sockets that are already open at once
 * (and `onResume` lets the realtime server check its open sockets and boards again after an outage).
 */
import type { Events } from '../events.ts';
import type { Bus } from './bus.ts';

export interface EventsLinkOptions {
	/** Where a refused publish or a failing listener is reported (default console.error). */
	logError?: (message: string, error: unknown) => void;
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
	const stopSending = events.onLocal((name, payload) => {
		bus
			.publishEvent(name, payload)
			.catch((error: unknown) => logError(`events: ${name} did not reach the other nodes`, error));
	});
	return async () => {
		stopSending();
		await unsubscribe();
	};
}
