/**
 * The bus between the processes of one machine (`KOMPAS_PROCESSES`, server/processes.ts): each
 * child process is a node, the primary that forked them is the hub, and messages travel over the
 * IPC channel Node opens for a forked child. No Redis is needed on one machine.
 *
 * The primary routes every board's sockets to one process, so a board's topic normally has one
 * listener and nobody else to tell. A node therefore publishes a topic only while another node
 * listens to it: the hub tells every node which topics others listen to (`interest`). So that
 * nothing published after a subscription is missed (the rooms read the store after subscribing,
 * rooms.ts `load`), `subscribeDoc` resolves only once every other node has taken note of the new
 * interest: what a node publishes after that reaches the subscriber, and what it stored before is
 * in the store.
 *
 * IPC keeps order and loses nothing while the channel is open; when it closes the primary is gone
 * and the child stops (processes.ts), so there is no outage to resume from.
 */
import type { KompasEventName, KompasEvents } from '../events.ts';
import {
	BusUnavailableError,
	EVENTS_TOPIC,
	type Bus,
	type DocMessage,
	type EventMessage
} from './bus.ts';

/** What a node sends to the hub. */
type ToHub =
	| { kompasBus: 'sub'; topic: string; id: number }
	| { kompasBus: 'unsub'; topic: string }
	| { kompasBus: 'ack'; id: number }
	| { kompasBus: 'pub'; topic: string; message: Delivered };
/** What the hub sends to a node. */
type ToNode =
	| { kompasBus: 'interest'; topic: string; on: boolean; id: number }
	| { kompasBus: 'subscribed'; id: number }
	| { kompasBus: 'msg'; topic: string; message: Delivered };
type Delivered = DocMessage | EventMessage;

/**
 * One end of the IPC channel: in a child, its `process`; in the primary, a `ChildProcess`. Sends
 * structured-clone messages (`fork` with `serialization: 'advanced'`: Uint8Arrays stay bytes).
 */
export interface Link {
	send(message: unknown): void;
	onMessage(handler: (message: unknown) => void): () => void;
	/** False once the channel closed. */
	connected(): boolean;
}

const isBusMessage = (message: unknown): message is { kompasBus: string } =>
	typeof message === 'object' && message !== null && 'kompasBus' in message;

/** The link of a forked child to its primary (`process.send`). */
export function parentLink(): Link {
	if (!process.send) throw new Error('bus: this process was not forked with an IPC channel');
	return {
		send: (message) => void process.send?.(message),
		onMessage(handler) {
			process.on('message', handler);
			return () => void process.off('message', handler);
		},
		connected: () => process.connected
	};
}

/** The primary's side: relays between the nodes attached to it. */
export function createBusHub() {
	/** Each node's link and the topics it listens to. */
	const nodes = new Map<Link, { topics: Set<string>; stop: () => void }>();
	/** Interest changes waiting for nodes' acknowledgements. */
	const pending = new Map<number, { waiting: Set<Link>; done: () => void }>();
	let nextId = 1;

	const othersListen = (self: Link, topic: string) => {
		for (const [link, node] of nodes) if (link !== self && node.topics.has(topic)) return true;
		return false;
	};

	/** Changes `subscriber`'s topics, tells the nodes whose view changed, resolves once they know. */
	function change(subscriber: Link, topic: string, on: boolean): Promise<void> {
		const before = new Map([...nodes.keys()].map((link) => [link, othersListen(link, topic)]));
		const node = nodes.get(subscriber);
		if (node) {
			if (on) node.topics.add(topic);
			else node.topics.delete(topic);
		}
		const told = new Set<Link>();
		const id = nextId++;
		for (const link of nodes.keys()) {
			if (othersListen(link, topic) === before.get(link)) continue;
			if (!link.connected()) continue;
			link.send({ kompasBus: 'interest', topic, on: !before.get(link), id } satisfies ToNode);
			told.add(link);
		}
		if (told.size === 0) return Promise.resolve();
		return new Promise((resolve) => pending.set(id, { waiting: told, done: resolve }));
	}

	function acknowledged(link: Link, id: number) {
		const entry = pending.get(id);
		if (!entry) return;
		entry.waiting.delete(link);
		if (entry.waiting.size > 0) return;
		pending.delete(id);
		entry.done();
	}

	function receive(link: Link, message: ToHub) {
		switch (message.kompasBus) {
			case 'sub':
				void change(link, message.topic, true).then(() => {
					if (link.connected())
						link.send({ kompasBus: 'subscribed', id: message.id } satisfies ToNode);
				});
				return;
			case 'unsub':
				void change(link, message.topic, false);
				return;
			case 'ack':
				return acknowledged(link, message.id);
			case 'pub':
				for (const [other, node] of nodes)
					if (other !== link && node.topics.has(message.topic) && other.connected())
						other.send({ kompasBus: 'msg', topic: message.topic, message: message.message });
		}
	}

	return {
		/** A node joins (a child that was just forked). */
		attach(link: Link): void {
			const stop = link.onMessage((message) => {
				if (isBusMessage(message)) receive(link, message as ToHub);
			});
			nodes.set(link, { topics: new Set(), stop });
		},
		/** A node is gone (its process exited): its topics go, and nobody waits for it any more. */
		detach(link: Link): void {
			const node = nodes.get(link);
			if (!node) return;
			node.stop();
			for (const topic of [...node.topics]) void change(link, topic, false);
			nodes.delete(link);
			for (const id of [...pending.keys()]) acknowledged(link, id);
		},
		/** The topics each attached node listens to (for tests and diagnostics). */
		topics: () => [...nodes.values()].map((node) => [...node.topics].sort())
	};
}

/** A node's side of the process bus. */
export function createProcessBus(nodeId: string, link: Link): Bus {
	const handlers = new Map<string, Set<(message: Delivered) => void>>();
	/** Topics another node listens to: only these are published. */
	const interest = new Set<string>();
	const subscribing = new Map<number, () => void>();
	let nextId = 1;
	let closed = false;

	const stop = link.onMessage((raw) => {
		if (!isBusMessage(raw)) return;
		const message = raw as ToNode;
		switch (message.kompasBus) {
			case 'interest':
				if (message.on) interest.add(message.topic);
				else interest.delete(message.topic);
				link.send({ kompasBus: 'ack', id: message.id } satisfies ToHub);
				return;
			case 'subscribed':
				subscribing.get(message.id)?.();
				subscribing.delete(message.id);
				return;
			case 'msg':
				for (const handler of [...(handlers.get(message.topic) ?? [])]) {
					try {
						handler(message.message);
					} catch (error) {
						console.error(`bus: a handler of ${message.topic} failed`, error);
					}
				}
		}
	});

	const check = () => {
		if (closed || !link.connected())
			throw new BusUnavailableError('bus: the channel to the primary process is closed');
	};
	const publish = async (topic: string, message: Delivered) => {
		check();
		if (interest.has(topic)) link.send({ kompasBus: 'pub', topic, message } satisfies ToHub);
	};
	const listen = async (topic: string, handler: (message: Delivered) => void) => {
		check();
		let set = handlers.get(topic);
		if (!set) {
			handlers.set(topic, (set = new Set()));
			const id = nextId++;
			const subscribed = new Promise<void>((resolve) => subscribing.set(id, resolve));
			link.send({ kompasBus: 'sub', topic, id } satisfies ToHub);
			await subscribed;
		}
		set.add(handler);
		return async () => {
			set.delete(handler);
			if (set.size > 0 || handlers.get(topic) !== set) return;
			handlers.delete(topic);
			if (link.connected()) link.send({ kompasBus: 'unsub', topic } satisfies ToHub);
		};
	};

	return {
		nodeId,
		publishDoc: (kind, docName, data) =>
			publish(docName, { kind, docName, data, from: nodeId } satisfies DocMessage),
		publishEvent: <K extends KompasEventName>(name: K, payload: KompasEvents[K]) =>
			publish(EVENTS_TOPIC, { name, payload, from: nodeId } as EventMessage),
		subscribeDoc: (docName, handler) =>
			listen(docName, (message) => handler(message as DocMessage)),
		subscribeEvents: (handler) =>
			listen(EVENTS_TOPIC, (message) => handler(message as EventMessage)),
		onResume: () => () => {},
		async ping() {
			check();
		},
		async close() {
			if (closed) return;
			closed = true;
			if (link.connected())
				for (const topic of handlers.keys())
					link.send({ kompasBus: 'unsub', topic } satisfies ToHub);
			handlers.clear();
			for (const resolve of subscribing.values()) resolve();
			subscribing.clear();
			stop();
		}
	};
}
