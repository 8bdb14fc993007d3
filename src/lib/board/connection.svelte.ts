/**
 * `BoardConnection`: the one module that connects a board document to the server.
 *
 * - y-websocket's `WebsocketProvider` (v3) speaks the wire protocol; this wrapper owns reconnecting:
 *   full-jitter exponential backoff (the provider's own backoff has no jitter and caps at 2.5 s, so
 *   every client would return at the same moment after a server restart), an immediate retry when
 *   the browser comes back online or the tab becomes visible again.
 * - Close codes decide: 1009 (message too large) and the server's 44xx refusals are final (no
 *   reconnect loop: a rejected update would be resent forever), except 4408 (too slow) and 4429
 *   (rate limited), which back off and retry, and:
 *   - 4403 (one local change refused): not final. The local copy and its offline cache are dropped
 *     and `onRefusedChange` tells the page, which starts again from the server's state and tells the
 *     person why (`refusedChangeKind` of the close reason);
 *   - 1006 (a refused upgrade looks like this in a browser, as does a lost network) and 4401: before
 *     reconnecting, the board asks `accessUrl` why (`/api/board-access/<boardId>`). Removed, session
 *     ended, board gone or logged out are final, with their own message, and the offline cache is
 *     cleared (a shared device keeps nothing); `ok` or no answer (offline) reconnects.
 * - A status for the UI: `saved` | `syncing` | `offline` | `refused` (with a reason).
 * - Presence (awareness) is throttled: at most one local presence message per `presenceIntervalMs`.
 * - A y-indexeddb cache keeps what was typed offline across a reload; it is sent on reconnect.
 *
 * Create it in the board page's lifecycle (never at import time: SSR would share it between users)
 * and call `destroy()` on leave.
 */
import { createSubscriber } from 'svelte/reactivity';
import { CLOSE, refusalOf, type Refusal } from '../domain/close-codes.ts';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

export type ConnectionStatus = 'saved' | 'syncing' | 'offline' | 'refused';
export type RefusalReason =
	| 'unauthorized'
	| 'forbidden'
	| 'too_large'
	| 'board_full'
	| 'malformed'
	| 'other'
	// Answers of the board-access endpoint after a refused upgrade or a 4401:
	| 'removed'
	| 'session_ended'
	| 'not_found'
	| 'logged_out';

/** Refusals that shut this person out of the board (no reload helps; their access is gone). */
export const SHUT_OUT: readonly RefusalReason[] = [
	'unauthorized',
	'removed',
	'session_ended',
	'not_found',
	'logged_out'
];

export const isShutOut = (reason: RefusalReason | null): boolean =>
	reason !== null && SHUT_OUT.includes(reason);

/** Close codes of the Kompas realtime server (one definition for server and browser). */
export const CLOSE_CODES = CLOSE;

export type CloseDecision =
	| { fatal: true; reason: RefusalReason }
	| {
			fatal: false;
			/** wait at least this long before reconnecting, ms */
			minDelay: number;
			/** Ask the board-access endpoint why before reconnecting (1006, 4401). */
			ask?: true;
			/** One local change was refused (4403): start again from the server's state. */
			recover?: true;
	  };

/**
 * What to do after the server closed the socket with `code`. `ask` and `recover` need the page's
 * help (`accessUrl`, `onRefusedChange`); without it, 4401 and 4403 are final.
 */
export function classifyClose(code: number): CloseDecision {
	switch (code) {
		case CLOSE_CODES.tooBig:
			return { fatal: true, reason: 'too_large' };
		case CLOSE_CODES.malformed:
			return { fatal: true, reason: 'malformed' };
		case CLOSE_CODES.unauthorized:
			return { fatal: false, minDelay: 0, ask: true };
		case CLOSE_CODES.forbidden:
			return { fatal: false, minDelay: 0, recover: true };
		case CLOSE_CODES.boardFull:
			return { fatal: true, reason: 'board_full' };
		case CLOSE_CODES.tooSlow:
			return { fatal: false, minDelay: 1000 };
		case CLOSE_CODES.rateLimited:
			return { fatal: false, minDelay: 5000 };
		// The server cannot store now: try again, not too often (the change stays on this device).
		case CLOSE_CODES.storageUnavailable:
			return { fatal: false, minDelay: 3000 };
		case 1006:
			return { fatal: false, minDelay: 0, ask: true };
	}
	if (code >= 4400 && code < 4500) return { fatal: true, reason: 'other' };
	if (code >= 4500 && code < 4600) return { fatal: false, minDelay: 1000 };
	return { fatal: false, minDelay: 0 };
}

/** What the board-access endpoint answers (src/lib/server/board-access.ts). */
export type BoardAccessAnswer =
	'ok' | 'removed' | 'session-ended' | 'not-found' | 'logged-out' | 'no-access';

/** The refusal an access answer means, or null when the board may be opened (reconnect). */
export function accessRefusal(answer: unknown): RefusalReason | null {
	switch (answer) {
		case 'removed':
			return 'removed';
		case 'session-ended':
			return 'session_ended';
		case 'not-found':
			return 'not_found';
		case 'logged-out':
			return 'logged_out';
		case 'no-access':
			return 'unauthorized';
	}
	return null;
}

/** Why one change was refused, in words the person understands (the UI has a message per kind). */
export type RefusedChangeKind =
	| 'ended'
	| 'locked'
	| 'private'
	| 'vote'
	| 'not_own'
	| 'too_long'
	| 'quota_cards'
	| 'quota_text'
	| 'quota_rate'
	| 'consent_reason'
	| 'consent'
	| 'other';

/** The kinds a close reason names first (`REFUSALS`) that need no further reading. */
const NAMED_REFUSALS: Partial<Record<Refusal, RefusedChangeKind>> = {
	ended: 'ended',
	byline: 'not_own',
	field: 'too_long',
	'quota-cards': 'quota_cards',
	'quota-text': 'quota_text',
	'quota-rate': 'quota_rate',
	'consent-reason': 'consent_reason'
};

/** Reads the server's close reason (English, see server/realtime/authorize.ts) as a kind. */
export function refusedChangeKind(reason: string): RefusedChangeKind {
	const named = refusalOf(reason);
	if (named && NAMED_REFUSALS[named]) return NAMED_REFUSALS[named];
	const text = reason.toLowerCase();
	if (text.includes('ended')) return 'ended';
	if (text.includes('consent')) return 'consent';
	if (text.includes('locked')) return 'locked';
	if (text.includes('private') || text.includes('draft')) return 'private';
	if (/round|vote|ballot/.test(text)) return 'vote';
	if (/authorid|your own|belongs to someone/.test(text)) return 'not_own';
	if (/long|limit|quota|too many|too large|characters|bytes/.test(text)) return 'too_long';
	return 'other';
}

/** What `onRefusedChange` receives. */
export interface RefusedChange {
	kind: RefusedChangeKind;
	/** The server's reason (English, for support). */
	detail: string;
}

export interface BackoffOptions {
	/** First window, ms. */
	baseMs: number;
	/** Largest window, ms. */
	capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

/**
 * "Full jitter" backoff: a uniformly random wait in `[minDelay, minDelay + min(cap, base·2^attempt)]`,
 * so that many clients spread out instead of returning together.
 */
export function reconnectDelay(
	attempt: number,
	random: () => number = Math.random,
	minDelay = 0,
	{ baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF
): number {
	const window = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
	return Math.round(minDelay + random() * window);
}

/** The facts the status is derived from. */
export interface ConnectionFacts {
	connected: boolean;
	synced: boolean;
	/** Local changes that may not have reached the server yet. */
	pending: boolean;
	refused: RefusalReason | null;
	/** Whether a connection was ever attempted and failed or dropped (before: "syncing"). */
	everFailed: boolean;
}

/** The status the UI shows for these facts. */
export function deriveStatus(facts: ConnectionFacts): ConnectionStatus {
	if (facts.refused) return 'refused';
	if (!facts.connected) return facts.everFailed ? 'offline' : 'syncing';
	if (!facts.synced || facts.pending) return 'syncing';
	return 'saved';
}

const STATUS_RANK: Record<ConnectionStatus, number> = {
	saved: 0,
	syncing: 1,
	offline: 2,
	refused: 3
};

/** One status for several connections (the board and the private doc): the worst one. */
export function combineStatus(...statuses: ConnectionStatus[]): ConnectionStatus {
	return statuses.reduce<ConnectionStatus>(
		(worst, s) => (STATUS_RANK[s] > STATUS_RANK[worst] ? s : worst),
		'saved'
	);
}

/** The IndexedDB database that keeps a room's document on this device. */
export function cacheNameOf(room: string): string {
	return `kompas:${room}`;
}

/** Deletes a room's offline cache without opening it (an ended session keeps nothing). */
export function deleteCache(room: string): Promise<void> {
	if (typeof indexedDB === 'undefined') return Promise.resolve();
	return new Promise((resolve) => {
		const request = indexedDB.deleteDatabase(cacheNameOf(room));
		request.onsuccess = request.onerror = request.onblocked = () => resolve();
	});
}

/** Deletes every offline cache of a board on this device: the board and any private document. */
export async function forgetBoard(boardId: string): Promise<void> {
	if (typeof indexedDB === 'undefined') return;
	const prefix = cacheNameOf(privateRoom(boardId, ''));
	const names =
		typeof indexedDB.databases === 'function'
			? (await indexedDB.databases()).map((d) => d.name ?? '')
			: [];
	await Promise.all([
		deleteCache(boardRoom(boardId)),
		...names.filter((n) => n.startsWith(prefix)).map((n) => deleteCache(n.slice('kompas:'.length)))
	]);
}

/** The endpoint that says why a board cannot be opened (after a refused upgrade). */
export function boardAccessUrl(boardId: string): string {
	return `/api/board-access/${encodeURIComponent(boardId)}`;
}

/** Websocket room of a board's shared document (`/ws/board/<boardId>`, README "Realtime"). */
export function boardRoom(boardId: string): string {
	return `board/${boardId}`;
}

/** Websocket room of one participant's private document. */
export function privateRoom(boardId: string, participantId: string): string {
	return `private/${boardId}/${participantId}`;
}

/** The websocket base URL for a page at `location` (`https:` → `wss:`), path `/ws`. */
export function websocketBase(location: { protocol: string; host: string }): string {
	return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** Presence fields each device publishes (awareness); never persisted. */
export type Presence = Record<string, string | number | boolean | null>;

export interface PeerPresence {
	clientId: number;
	state: Presence;
}

/** Throttles calls to `fn` to one per `intervalMs`: the first call runs at once, the last one wins. */
export function throttle<A extends unknown[]>(
	fn: (...args: A) => void,
	intervalMs: number,
	now: () => number = Date.now
): { call: (...args: A) => void; flush: () => void; cancel: () => void } {
	let last = -Infinity;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let pending: A | null = null;
	const run = () => {
		timer = null;
		if (!pending) return;
		const args = pending;
		pending = null;
		last = now();
		fn(...args);
	};
	return {
		call(...args: A) {
			pending = args;
			const wait = last + intervalMs - now();
			if (wait <= 0 && timer === null) run();
			else if (timer === null) timer = setTimeout(run, Math.max(0, wait));
		},
		flush() {
			if (timer !== null) clearTimeout(timer);
			run();
		},
		cancel() {
			if (timer !== null) clearTimeout(timer);
			timer = null;
			pending = null;
		}
	};
}

export interface BoardConnectionOptions {
	/** Websocket base URL, e.g. `websocketBase(location)` → `wss://host/ws`. */
	url: string;
	/** Room under the base URL: {@link boardRoom} or {@link privateRoom}. */
	room: string;
	doc: Y.Doc;
	/**
	 * IndexedDB cache name, or `false` for none (tests, observers). Default: `kompas:<room>`.
	 * Skipped automatically where `indexedDB` does not exist (SSR).
	 */
	cache?: string | false;
	/** For Node tests and load generators. */
	WebSocketPolyfill?: typeof WebSocket;
	/** Minimum gap between two local presence messages, ms (default 1000). */
	presenceIntervalMs?: number;
	/** How long after the last local change, with nothing buffered, the change counts as saved. */
	saveDelayMs?: number;
	backoff?: BackoffOptions;
	random?: () => number;
	/** Listen to `online` and `visibilitychange` (default: when `window` exists). */
	listenToBrowser?: boolean;
	/**
	 * Asked after a 1006 or 4401 before reconnecting (`/api/board-access/<boardId>`); without it a
	 * 4401 is final and a 1006 simply retries.
	 */
	accessUrl?: string;
	/** For tests: the fetch used for `accessUrl`. */
	fetch?: typeof fetch;
	/**
	 * Called after the server refused a local change (4403), once this connection has stopped and its
	 * offline cache is gone: start again from the server's state (a new doc and connection) and tell
	 * the person why. Without it a 4403 is final.
	 */
	onRefusedChange?: (refusal: RefusedChange) => void;
}

/** What the UI reads. */
export interface ConnectionView {
	status: ConnectionStatus;
	reason: RefusalReason | null;
	/** The server's close reason text (English, for logs and support). */
	detail: string;
	/** Changes made here that the server may not have yet. */
	pending: boolean;
	/** The local cache has loaded (offline edits of an earlier visit are back). */
	cacheLoaded: boolean;
}

export class BoardConnection {
	readonly doc: Y.Doc;
	readonly room: string;
	readonly #provider: WebsocketProvider;
	readonly #cache: IndexeddbPersistence | null;
	readonly #options: Required<
		Pick<BoardConnectionOptions, 'presenceIntervalMs' | 'saveDelayMs' | 'backoff' | 'random'>
	>;
	readonly #presence: ReturnType<typeof throttle<[Presence]>>;
	readonly #subscribePeers: () => void;
	readonly #cleanups: (() => void)[] = [];

	#facts: ConnectionFacts = {
		connected: false,
		synced: false,
		pending: false,
		refused: null,
		everFailed: false
	};
	#view = $state<ConnectionView>({
		status: 'syncing',
		reason: null,
		detail: '',
		pending: false,
		cacheLoaded: false
	});
	#attempt = 0;
	readonly #accessUrl: string | null;
	readonly #fetch: typeof fetch | null;
	readonly #onRefusedChange: ((refusal: RefusedChange) => void) | null;
	#reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	#saveTimer: ReturnType<typeof setTimeout> | null = null;
	#destroyed = false;
	#cacheGone = false;

	constructor(options: BoardConnectionOptions) {
		this.doc = options.doc;
		this.room = options.room;
		this.#options = {
			presenceIntervalMs: options.presenceIntervalMs ?? 1000,
			saveDelayMs: options.saveDelayMs ?? 300,
			backoff: options.backoff ?? DEFAULT_BACKOFF,
			random: options.random ?? Math.random
		};

		this.#accessUrl = options.accessUrl ?? null;
		this.#fetch = options.fetch ?? (typeof fetch === 'undefined' ? null : fetch.bind(globalThis));
		this.#onRefusedChange = options.onRefusedChange ?? null;
		const cacheName = options.cache === undefined ? cacheNameOf(options.room) : options.cache;
		this.#cache =
			cacheName !== false && typeof indexedDB !== 'undefined'
				? new IndexeddbPersistence(cacheName, this.doc)
				: null;
		if (this.#cache) {
			void this.#cache.whenSynced.then(() => {
				if (!this.#destroyed) this.#view.cacheLoaded = true;
			});
		}

		this.#provider = new WebsocketProvider(options.url, options.room, this.doc, {
			disableBc: true,
			maxBackoffTime: this.#options.backoff.capMs,
			// We decide about reconnecting ourselves (with jitter): the provider never reconnects
			// after a server close, it emits `closed` and we schedule `connect()`.
			shouldReconnect: () => false,
			...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {})
		});
		const provider = this.#provider;

		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			if (status === 'connected') this.#update({ connected: true });
			else if (status === 'disconnected') this.#update({ connected: false, synced: false });
		};
		const onSync = (synced: boolean) => {
			this.#update({ synced });
			if (synced) {
				this.#attempt = 0;
				// Our state went out as the answer to the server's sync step 1: confirm after a pause.
				this.#markPending();
			}
		};
		const onConnectionClose = (event: CloseEvent | null) => {
			if (event === null) return;
			this.#update({ connected: false, synced: false, everFailed: true });
		};
		const onClosed = (event: { code: number; reason: string }) => this.#onServerClose(event);
		const onUpdate = (_update: Uint8Array, origin: unknown) => {
			if (origin === provider || (this.#cache !== null && origin === this.#cache)) return;
			this.#markPending();
		};
		provider.on('status', onStatus);
		provider.on('sync', onSync);
		provider.on('connection-close', onConnectionClose);
		provider.on('closed', onClosed);
		this.doc.on('update', onUpdate);
		this.#cleanups.push(() => {
			provider.off('status', onStatus);
			provider.off('sync', onSync);
			provider.off('connection-close', onConnectionClose);
			provider.off('closed', onClosed);
			this.doc.off('update', onUpdate);
		});

		this.#presence = throttle((state: Presence) => {
			if (!this.#destroyed) this.awareness.setLocalState(state);
		}, this.#options.presenceIntervalMs);
		this.#subscribePeers = createSubscriber((update) => {
			this.awareness.on('change', update);
			return () => this.awareness.off('change', update);
		});

		const listen = options.listenToBrowser ?? typeof window !== 'undefined';
		if (listen) {
			const online = () => this.reconnectNow();
			const offline = () => this.#update({ everFailed: true });
			const visible = () => {
				if (document.visibilityState === 'visible' && !this.#facts.connected) this.reconnectNow();
			};
			window.addEventListener('online', online);
			window.addEventListener('offline', offline);
			document.addEventListener('visibilitychange', visible);
			this.#cleanups.push(() => {
				window.removeEventListener('online', online);
				window.removeEventListener('offline', offline);
				document.removeEventListener('visibilitychange', visible);
			});
		}
	}

	/** Status, refusal reason and pending flag, reactive. */
	get view(): ConnectionView {
		return this.#view;
	}

	get status(): ConnectionStatus {
		return this.#view.status;
	}

	get awareness(): Awareness {
		return this.#provider.awareness;
	}

	/** Everyone present on this board (other devices), reactive. */
	get peers(): PeerPresence[] {
		this.#subscribePeers();
		const peers: PeerPresence[] = [];
		for (const [clientId, state] of this.awareness.getStates()) {
			if (clientId === this.doc.clientID || !state || Object.keys(state).length === 0) continue;
			peers.push({ clientId, state: state as Presence });
		}
		return peers;
	}

	/** Publishes this device's presence (name, perspective, current step...), throttled. */
	setPresence(state: Presence): void {
		this.#presence.call(state);
	}

	/** Reconnects now (after `online`, a visible tab, or a "try again" button); resets backoff. */
	reconnectNow(): void {
		if (this.#destroyed || this.#facts.refused) return;
		this.#attempt = 0;
		if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = null;
		this.#provider.connect();
	}

	/**
	 * After a `forbidden` refusal: throws away this device's copy (including the offline cache), so
	 * that a reload starts from the server's state. Resolves when the cache is gone; then reload.
	 */
	async discardLocalCopy(): Promise<void> {
		this.destroy();
		await this.forgetLocalCopy();
	}

	/**
	 * Stops keeping this board on the device: the offline cache is deleted, and nothing is written to
	 * it any more (the connection stays). For an ended session and a participant who leaves.
	 */
	async forgetLocalCopy(): Promise<void> {
		const cache = this.#cache;
		if (cache && !this.#cacheGone) {
			this.#cacheGone = true;
			await cache.clearData();
		}
	}

	/** Disconnects and stops everything; keeps the offline cache. The doc is not destroyed. */
	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
		if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
		this.#presence.cancel();
		for (const cleanup of this.#cleanups) cleanup();
		this.#provider.destroy();
		if (!this.#cacheGone) void this.#cache?.destroy();
	}

	#onServerClose({ code, reason }: { code: number; reason: string }): void {
		if (this.#destroyed) return;
		const decision = classifyClose(code);
		if (decision.fatal) return this.#refuse(decision.reason, reason);
		if (decision.recover) {
			const onRefusedChange = this.#onRefusedChange;
			if (!onRefusedChange) return this.#refuse('forbidden', reason);
			// The refused change is only here (and in the offline cache): drop both; the page starts
			// again from the server's state.
			void this.discardLocalCopy().then(() =>
				onRefusedChange({ kind: refusedChangeKind(reason), detail: reason })
			);
			return;
		}
		if (decision.ask) {
			if (this.#accessUrl && this.#fetch) return void this.#askWhy(decision.minDelay, reason);
			if (code === CLOSE_CODES.unauthorized) return this.#refuse('unauthorized', reason);
		}
		this.#scheduleReconnect(decision.minDelay);
	}

	/** Final: says why, and keeps nothing of this board on the device when access is gone. */
	#refuse(reason: RefusalReason, detail: string): void {
		this.#update({ refused: reason, connected: false, synced: false }, detail);
		if (isShutOut(reason)) void this.forgetLocalCopy();
	}

	/** After a 1006 or 4401: asks the board-access endpoint before reconnecting. */
	async #askWhy(minDelay: number, detail: string): Promise<void> {
		let answer: unknown = null;
		try {
			const response = await this.#fetch!(this.#accessUrl!, {
				cache: 'no-store',
				credentials: 'same-origin'
			});
			if (response.ok) answer = ((await response.json()) as { access?: unknown }).access;
		} catch {
			// No answer: offline, or the server is restarting. Reconnect as usual.
		}
		if (this.#destroyed) return;
		const refusal = accessRefusal(answer);
		if (refusal) return this.#refuse(refusal, detail || String(answer));
		this.#scheduleReconnect(minDelay);
	}

	#scheduleReconnect(minDelay: number): void {
		const delay = reconnectDelay(
			this.#attempt++,
			this.#options.random,
			minDelay,
			this.#options.backoff
		);
		if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = setTimeout(() => {
			this.#reconnectTimer = null;
			if (!this.#destroyed && !this.#facts.refused) this.#provider.connect();
		}, delay);
	}

	#markPending(): void {
		this.#update({ pending: true });
		this.#scheduleSaveCheck();
	}

	#scheduleSaveCheck(): void {
		if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
		this.#saveTimer = setTimeout(() => {
			this.#saveTimer = null;
			if (this.#destroyed) return;
			const ws = this.#provider.ws;
			const flushed = this.#facts.connected && this.#facts.synced && ws !== null;
			if (flushed && ws.bufferedAmount === 0) this.#update({ pending: false });
			else if (this.#facts.connected) this.#scheduleSaveCheck();
			// offline: stays pending until the next sync confirms it.
		}, this.#options.saveDelayMs);
	}

	#update(patch: Partial<ConnectionFacts>, detail?: string): void {
		this.#facts = { ...this.#facts, ...patch };
		if (this.#destroyed) return;
		const status = deriveStatus(this.#facts);
		const view = this.#view;
		if (view.status !== status) view.status = status;
		if (view.reason !== this.#facts.refused) view.reason = this.#facts.refused;
		if (view.pending !== this.#facts.pending) view.pending = this.#facts.pending;
		if (detail !== undefined) view.detail = detail;
	}
}
