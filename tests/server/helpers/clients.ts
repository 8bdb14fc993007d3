/**
 * Clients for server tests: the stock y-websocket providers (v3 and v2) with cookies and Origin
 * sent on the upgrade, and raw sockets for crafted messages.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider as ProviderV3 } from 'y-websocket';
import { WebsocketProvider as ProviderV2 } from 'y-websocket-v2';

export type ProviderVersion = 'v3' | 'v2';

/**
 * A `ws` WebSocket class that sends these headers on every connect (what a browser sends).
 * `connection`, when it returns a socket, is the TCP connection to upgrade (one already used for
 * an HTTP request, kept alive); when it returns undefined, a new one is opened.
 */
export function webSocketWith(
	headers: Record<string, string>,
	connection?: () => Socket | undefined
): new (url: string, protocols?: string | string[]) => WebSocket {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			const socket = connection?.();
			super(url, protocols, socket ? { headers, createConnection: () => socket } : { headers });
		}
	};
}

export interface TestClient {
	doc: Y.Doc;
	/** Typed as the v3 provider: v2 has the same public API (events, synced, destroy). */
	provider: ProviderV3;
	/** Resolves when the first sync with the server is done. */
	synced(): Promise<void>;
	/** Close events seen by the provider (code, reason). */
	closes: { code: number; reason: string }[];
	destroy(): void;
}

/**
 * Connects a stock provider to `room` (`board/<id>` or `private/<id>/<participant>`).
 * Reconnects are on (the provider's default) unless `connect: false`.
 */
export function client(
	server: { wsUrl: string; origin: string },
	room: string,
	cookie: string,
	options: {
		version?: ProviderVersion;
		doc?: Y.Doc;
		origin?: string;
		/** The connection of each connect (`webSocketWith`). */
		connection?: () => Socket | undefined;
	} = {}
): TestClient {
	const doc = options.doc ?? new Y.Doc();
	const Provider = (options.version === 'v2' ? ProviderV2 : ProviderV3) as typeof ProviderV3;
	const provider = new Provider(server.wsUrl, room, doc, {
		WebSocketPolyfill: webSocketWith(
			{ cookie, origin: options.origin ?? server.origin },
			options.connection
		) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 200
	});
	const closes: { code: number; reason: string }[] = [];
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event) closes.push({ code: event.code, reason: String(event.reason) });
	});
	return {
		doc,
		provider,
		closes,
		synced: () =>
			new Promise<void>((resolve) => {
				if (provider.synced) return resolve();
				const onSync = (synced: boolean) => {
					if (!synced) return;
					provider.off('sync', onSync);
					resolve();
				};
				provider.on('sync', onSync);
			}),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Result of a raw connection attempt. */
export interface RawSocket {
	ws: WebSocket;
	/** Binary messages received. */
	messages: Uint8Array[];
	closed: Promise<{ code: number; reason: string }>;
}

/**
 * Opens a raw websocket. Resolves with the socket once open, or rejects with the HTTP status of
 * the refused upgrade (`{ status, messages }`).
 */
export function raw(
	server: { port: number; origin: string },
	path: string,
	headers: Record<string, string>,
	options: { autoPong?: boolean } = {}
): Promise<RawSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers, ...options });
		const messages: Uint8Array[] = [];
		const closed = new Promise<{ code: number; reason: string }>((done) =>
			ws.on('close', (code, reason) => done({ code, reason: reason.toString() }))
		);
		ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
		ws.on('unexpected-response', (_req, res) => {
			reject({ status: res.statusCode, messages });
			ws.terminate();
		});
		ws.on('error', () => {});
		ws.on('open', () => resolve({ ws, messages, closed }));
	});
}

/** A sync-update message carrying `update`, as a provider would send it. */
export function updateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

/**
 * Waits until `check` (expects inside, may be async) passes, retrying every 20 ms; rethrows its last
 * failure after `timeout`. (`expect.poll` does not allow expects inside its callback.)
 */
export async function eventually(check: () => void | Promise<void>, timeout = 5000): Promise<void> {
	const deadline = Date.now() + timeout;
	for (;;) {
		try {
			await check();
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}
}
