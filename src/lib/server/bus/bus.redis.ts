/**
 * The bus over Redis pub/sub (`KOMPAS_REDIS_URL`), with ioredis: one connection publishes, one
 * subscribes (a subscribed Redis connection runs no other commands). A message is one binary frame
 * on channel `kompas:<topic>`: kind (0 update, 1 awareness, 2 event), the sender's node id (length
 * byte + UTF-8), then the Yjs bytes or the event as JSON.
 *
 * When Redis goes away, publishing is refused at once (no offline queue: a late update is worse
 * than a refused one, the update log has it anyway) and both connections retry. Once the
 * subscriber is back it subscribes to every topic again itself, then runs the `onResume`
 * listeners, so a listener that resyncs from the store cannot miss a message published after it.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { KompasEventName } from '../events.ts';
import {
	BusUnavailableError,
	EVENTS_TOPIC,
	type Bus,
	type DocMessage,
	type EventMessage
} from './bus.ts';

const KINDS = ['update', 'awareness', 'event'] as const;
const PREFIX = 'kompas:';

function frame(kind: (typeof KINDS)[number], nodeId: string, payload: Uint8Array): Buffer {
	const id = Buffer.from(nodeId, 'utf8');
	return Buffer.concat([Buffer.from([KINDS.indexOf(kind), id.length]), id, payload]);
}

function unframe(message: Buffer) {
	const kind = KINDS[message[0]];
	const idEnd = 2 + message[1];
	if (!kind || message.length < idEnd) return null;
	return {
		kind,
		from: message.subarray(2, idEnd).toString('utf8'),
		payload: new Uint8Array(message.subarray(idEnd))
	};
}

/** The URL for logs: a password in it is not printed. */
function withoutPassword(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'the configured URL';
	}
}

export interface RedisBusOptions {
	/** Defaults to a random UUID (at most 255 bytes). */
	nodeId?: string;
	logError?: (message: string, error: unknown) => void;
}

/**
 * Connects to Redis at `url`. @throws (rejects) when Redis cannot be reached at start.
 */
export async function createRedisBus(url: string, options: RedisBusOptions = {}): Promise<Bus> {
	const nodeId = options.nodeId ?? randomUUID();
	if (Buffer.byteLength(nodeId) > 255) throw new Error('bus: node id longer than 255 bytes');
	const logError = options.logError ?? ((message, error) => console.error(message, error));
	const settings = {
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 1,
		retryStrategy: (times: number) => Math.min(50 * times, 1000)
	};
	const pub = new Redis(url, settings);
	const sub = new Redis(url, { ...settings, autoResubscribe: false });
	pub.on('error', (error) => logError('bus: the Redis publisher failed', error));
	sub.on('error', (error) => logError('bus: the Redis subscriber failed', error));

	const handlers = new Map<string, Set<(message: DocMessage | EventMessage) => void>>();
	const resumers = new Set<() => void>();

	sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
		const topic = channel.toString('utf8').slice(PREFIX.length);
		const parsed = unframe(message);
		if (!parsed || parsed.from === nodeId) return;
		let delivered: DocMessage | EventMessage;
		if (parsed.kind === 'event') {
			try {
				const { name, payload } = JSON.parse(Buffer.from(parsed.payload).toString('utf8')) as {
					name: KompasEventName;
					payload: unknown;
				};
				delivered = { name, payload, from: parsed.from } as EventMessage;
			} catch (error) {
				logError('bus: an unreadable event', error);
				return;
			}
		} else
			delivered = { kind: parsed.kind, docName: topic, data: parsed.payload, from: parsed.from };
		for (const handler of handlers.get(topic) ?? []) {
			try {
				handler(delivered);
			} catch (error) {
				logError(`bus: a handler of ${topic} failed`, error);
			}
		}
	});

	let started = false;
	sub.on('ready', () => {
		if (!started) return;
		// Back after an outage: subscribe again, then let the nodes resync what they missed.
		const channels = [...handlers.keys()].map((topic) => PREFIX + topic);
		void (channels.length > 0 ? sub.subscribe(...channels) : Promise.resolve())
			.then(() => {
				for (const resumer of [...resumers]) resumer();
			})
			.catch((error: unknown) => logError('bus: subscribing again after an outage failed', error));
	});

	try {
		await Promise.all([pub.connect(), sub.connect()]);
	} catch (error) {
		pub.disconnect();
		sub.disconnect();
		throw new BusUnavailableError(`bus: Redis at ${withoutPassword(url)} is unreachable`, {
			cause: error
		});
	}
	started = true;

	const publish = async (topic: string, data: Buffer) => {
		try {
			await pub.publish(PREFIX + topic, data);
		} catch (error) {
			throw new BusUnavailableError(
				`bus: publishing failed, Redis is unreachable (${error instanceof Error ? error.message : String(error)})`,
				{ cause: error }
			);
		}
	};

	const listen = async (topic: string, handler: (message: DocMessage | EventMessage) => void) => {
		let set = handlers.get(topic);
		if (!set) {
			handlers.set(topic, (set = new Set()));
			try {
				await sub.subscribe(PREFIX + topic);
			} catch (error) {
				handlers.delete(topic);
				throw new BusUnavailableError(`bus: subscribing to ${topic} failed`, { cause: error });
			}
		}
		set.add(handler);
		return async () => {
			set.delete(handler);
			if (set.size > 0 || handlers.get(topic) !== set) return;
			handlers.delete(topic);
			// While Redis is down there is nothing to unsubscribe from; the next resubscription skips it.
			await sub.unsubscribe(PREFIX + topic).catch(() => {});
		};
	};

	return {
		nodeId,
		publishDoc: (kind, docName, data) => publish(docName, frame(kind, nodeId, data)),
		publishEvent: (name, payload) =>
			publish(
				EVENTS_TOPIC,
				frame('event', nodeId, Buffer.from(JSON.stringify({ name, payload }), 'utf8'))
			),
		subscribeDoc: (docName, handler) =>
			listen(docName, (message) => handler(message as DocMessage)),
		subscribeEvents: (handler) =>
			listen(EVENTS_TOPIC, (message) => handler(message as EventMessage)),
		onResume(listener) {
			resumers.add(listener);
			return () => resumers.delete(listener);
		},
		async ping() {
			try {
				await pub.ping();
			} catch (error) {
				throw new BusUnavailableError(
					`bus: Redis does not answer (${error instanceof Error ? error.message : String(error)})`,
					{ cause: error }
				);
			}
		},
		async close() {
			resumers.clear();
			handlers.clear();
			await Promise.allSettled([pub.quit(), sub.quit()]);
			// quit is refused while Redis is down; stop the reconnecting too.
			pub.disconnect();
			sub.disconnect();
		}
	};
}
