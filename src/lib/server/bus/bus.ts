/**
 * The bus between Kompas nodes (issue 12 item 3): board updates, presence and app events that one
 * node publishes reach every other node that listens, never the sender itself. Adapters:
 * `createSoloBus` (one node: publishing reaches nobody and costs nothing), `createMemoryBusNetwork`
 * (nodes in one process: tests) and `bus.redis.ts` (`KOMPAS_REDIS_URL`, Redis pub/sub). The realtime
 * rooms (server/realtime/rooms.ts) carry document updates and presence over it; app events cross it
 * through `events-link.ts`.
 *
 * The bus is not the truth and may lose messages (pub/sub has no replay): while a node's
 * connection to Redis is down, what others publish does not reach it. `onResume` tells a node that
 * its subscriptions are back after such a gap, so that it resyncs its rooms from the update log
 * (the store, which is the truth).
 *
 * Topics: one per document (`board/<boardId>`, `private/<boardId>/<participantId>`), so a node
 * hears only the rooms it holds, and one for app events.
 */
import type { KompasEventName, KompasEvents } from '../events.ts';

/** A Yjs update or an awareness (presence) update of one document, from another node. */
export interface DocMessage {
	kind: 'update' | 'awareness';
	docName: string;
	data: Uint8Array;
	/** The node that published it. */
	from: string;
}

/** An app event (events.ts) from another node. */
export type EventMessage = {
	[K in KompasEventName]: { name: K; payload: KompasEvents[K]; from: string };
}[KompasEventName];

export interface Bus {
	/** This node's id: messages carry it, and a node drops the ones it published itself. */
	readonly nodeId: string;
	/**
	 * True when no other node can ever listen (`createSoloBus`): the rooms then skip publishing,
	 * subscribing and the shared-state lookups altogether, so one node costs what it did before.
	 */
	readonly solo?: boolean;
	/**
	 * Publishes to the other nodes listening on `docName`.
	 * @throws (rejects with) BusUnavailableError when the bus cannot be reached.
	 */
	publishDoc(kind: DocMessage['kind'], docName: string, data: Uint8Array): Promise<void>;
	/** Publishes an app event to every other node. @throws BusUnavailableError */
	publishEvent<K extends KompasEventName>(name: K, payload: KompasEvents[K]): Promise<void>;
	/** Listens to `docName` (while a room is loaded); resolves with the function that stops it. */
	subscribeDoc(
		docName: string,
		handler: (message: DocMessage) => void
	): Promise<() => Promise<void>>;
	/** Listens to app events; resolves with the function that stops it. */
	subscribeEvents(handler: (message: EventMessage) => void): Promise<() => Promise<void>>;
	/** `listener` runs after the bus came back from an outage with every subscription in place. */
	onResume(listener: () => void): () => void;
	/**
	 * Resolves when the bus answers (Redis: a PING on the publishing connection), for the health
	 * endpoint. @throws (rejects with) BusUnavailableError when it does not.
	 */
	ping(): Promise<void>;
	close(): Promise<void>;
}

/** The bus cannot be reached: the message was not sent. */
export class BusUnavailableError extends Error {
	override name = 'BusUnavailableError';
}

/** The topic of app events, beside the documents' names. */
export const EVENTS_TOPIC = '#events';

const done = Promise.resolve();
const nothingToStop = async () => {};

/** The bus of a node that is alone (no `KOMPAS_REDIS_URL`): nothing is sent, nothing arrives. */
export function createSoloBus(nodeId = 'solo'): Bus {
	return {
		nodeId,
		solo: true,
		publishDoc: () => done,
		publishEvent: () => done,
		subscribeDoc: async () => nothingToStop,
		subscribeEvents: async () => nothingToStop,
		onResume: () => () => {},
		ping: () => done,
		close: () => done
	};
}

/**
 * Nodes in one process that share a bus, for tests and as the single-node default: `node(id)` is
 * one node's view; `interrupt()` and `resume()` play an outage (messages published meanwhile are
 * lost, as with Redis) and its end (every node's `onResume` listeners run).
 */
export function createMemoryBusNetwork() {
	type Listener = { nodeId: string; handler: (message: DocMessage | EventMessage) => void };
	const topics = new Map<string, Set<Listener>>();
	const resumers = new Set<() => void>();
	let down = false;

	const deliver = (topic: string, message: DocMessage | EventMessage) => {
		if (down) return;
		for (const listener of topics.get(topic) ?? [])
			if (listener.nodeId !== message.from) queueMicrotask(() => listener.handler(message));
	};
	const listen = async (topic: string, listener: Listener) => {
		let set = topics.get(topic);
		if (!set) topics.set(topic, (set = new Set()));
		set.add(listener);
		return async () => {
			set.delete(listener);
		};
	};

	return {
		node(nodeId: string): Bus {
			const mine = new Set<() => void>();
			let closed = false;
			const check = () => {
				if (closed || down) throw new BusUnavailableError('bus: the memory bus is down');
			};
			return {
				nodeId,
				async publishDoc(kind, docName, data) {
					check();
					deliver(docName, { kind, docName, data: data.slice(), from: nodeId });
				},
				async publishEvent(name, payload) {
					check();
					deliver(EVENTS_TOPIC, { name, payload, from: nodeId } as EventMessage);
				},
				subscribeDoc: (docName, handler) =>
					listen(docName, {
						nodeId,
						handler: (message) => handler(message as DocMessage)
					}),
				subscribeEvents: (handler) =>
					listen(EVENTS_TOPIC, {
						nodeId,
						handler: (message) => handler(message as EventMessage)
					}),
				onResume(listener) {
					const wrapped = () => listener();
					mine.add(wrapped);
					resumers.add(wrapped);
					return () => {
						mine.delete(wrapped);
						resumers.delete(wrapped);
					};
				},
				async ping() {
					check();
				},
				async close() {
					closed = true;
					for (const resumer of mine) resumers.delete(resumer);
					for (const set of topics.values())
						for (const listener of set) if (listener.nodeId === nodeId) set.delete(listener);
				}
			};
		},
		interrupt() {
			down = true;
		},
		resume() {
			down = false;
			for (const resumer of [...resumers]) resumer();
		}
	};
}
