import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
	BoardConnection,
	boardRoom,
	classifyClose,
	combineStatus,
	deriveStatus,
	privateRoom,
	accessRefusal,
	reconnectDelay,
	refusedChangeKind,
	type RefusedChange,
	throttle,
	websocketBase
} from './connection.svelte.ts';
import { addCard, createBoardDoc, readCards } from './schema/index.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/** A stand-in for the browser WebSocket: the test plays the server's side by hand. */
class FakeSocket {
	static instances: FakeSocket[] = [];
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;
	readonly CONNECTING = 0;
	readonly OPEN = 1;
	readonly CLOSING = 2;
	readonly CLOSED = 3;
	readyState = 0;
	binaryType = 'blob';
	bufferedAmount = 0;
	sent: Uint8Array[] = [];
	onopen: (() => void) | null = null;
	onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
	onclose: ((event: { code: number; reason: string }) => void) | null = null;
	onerror: ((event: unknown) => void) | null = null;

	constructor(readonly url: string) {
		FakeSocket.instances.push(this);
	}
	send(data: Uint8Array | ArrayBuffer): void {
		this.sent.push(new Uint8Array(data));
	}
	close(): void {
		this.readyState = 3;
	}
	// --- the server's side
	open(): void {
		this.readyState = 1;
		this.onopen?.();
	}
	receive(message: Uint8Array): void {
		this.onmessage?.({ data: message.slice().buffer });
	}
	serverClose(code: number, reason = ''): void {
		this.readyState = 3;
		this.onclose?.({ code, reason });
	}
	/** Plays a server holding `serverDoc`: sends its sync step 1 and 2. */
	syncWith(serverDoc: Y.Doc): void {
		for (const write of [syncProtocol.writeSyncStep1, syncProtocol.writeSyncStep2]) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			write(encoder, serverDoc);
			this.receive(encoding.toUint8Array(encoder));
		}
	}
	/** Applies every sync message this client sent to `serverDoc`; returns the message types. */
	deliverTo(serverDoc: Y.Doc): number[] {
		const types: number[] = [];
		for (const message of this.sent.splice(0)) {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			types.push(type);
			if (type === MESSAGE_SYNC)
				syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), serverDoc, 'client');
		}
		return types;
	}
	static latest(): FakeSocket {
		return FakeSocket.instances[FakeSocket.instances.length - 1];
	}
}

const author = { id: 'p-anouk', name: 'Anouk', perspective: 'gemeente' as const };

function connect(
	doc: Y.Doc,
	extra: Partial<ConstructorParameters<typeof BoardConnection>[0]> = {}
) {
	return new BoardConnection({
		url: 'ws://kompas.test/ws',
		room: boardRoom('werk.1'),
		doc,
		cache: false,
		WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
		random: () => 0.5,
		listenToBrowser: false,
		...extra
	});
}

describe('pure parts', () => {
	it('treats 1009 and the 44xx refusals as final, retries the rest', () => {
		expect(classifyClose(1009)).toEqual({ fatal: true, reason: 'too_large' });
		// A refused change recovers; a lost identity (or a refused upgrade: 1006) asks why first.
		expect(classifyClose(4401)).toEqual({ fatal: false, minDelay: 0, ask: true });
		expect(classifyClose(4403)).toEqual({ fatal: false, minDelay: 0, recover: true });
		expect(classifyClose(4413)).toEqual({ fatal: true, reason: 'board_full' });
		// Nothing can be stored now: try again later, keeping the change on this device.
		expect(classifyClose(4503)).toEqual({ fatal: false, minDelay: 3000 });
		expect(classifyClose(4400)).toEqual({ fatal: true, reason: 'malformed' });
		expect(classifyClose(4499)).toEqual({ fatal: true, reason: 'other' });
		expect(classifyClose(4429)).toEqual({ fatal: false, minDelay: 5000 });
		expect(classifyClose(4408)).toEqual({ fatal: false, minDelay: 1000 });
		expect(classifyClose(4500)).toEqual({ fatal: false, minDelay: 1000 });
		expect(classifyClose(1006)).toEqual({ fatal: false, minDelay: 0, ask: true });
		expect(classifyClose(1001)).toEqual({ fatal: false, minDelay: 0 });
	});

	it('backs off exponentially with full jitter up to a cap', () => {
		const opts = { baseMs: 500, capMs: 15_000 };
		expect(reconnectDelay(0, () => 0, 0, opts)).toBe(0);
		expect(reconnectDelay(0, () => 1, 0, opts)).toBe(500);
		expect(reconnectDelay(3, () => 1, 0, opts)).toBe(4000);
		expect(reconnectDelay(20, () => 1, 0, opts)).toBe(15_000);
		expect(reconnectDelay(2, () => 0.5, 5000, opts)).toBe(6000);
		// 200 clients after a restart do not all return at the same moment
		const delays = new Set(Array.from({ length: 200 }, () => reconnectDelay(2)));
		expect(delays.size).toBeGreaterThan(100);
	});

	it('derives the status the UI shows', () => {
		const base = {
			connected: true,
			synced: true,
			pending: false,
			refused: null,
			everFailed: false
		};
		expect(deriveStatus(base)).toBe('saved');
		expect(deriveStatus({ ...base, pending: true })).toBe('syncing');
		expect(deriveStatus({ ...base, synced: false })).toBe('syncing');
		expect(deriveStatus({ ...base, connected: false })).toBe('syncing');
		expect(deriveStatus({ ...base, connected: false, everFailed: true })).toBe('offline');
		expect(deriveStatus({ ...base, refused: 'forbidden' })).toBe('refused');
		expect(combineStatus('saved', 'offline', 'syncing')).toBe('offline');
		expect(combineStatus()).toBe('saved');
	});

	it('reads why a change was refused, and what an access answer means', () => {
		expect(refusedChangeKind('this step is locked: card.create refused')).toBe('locked');
		expect(refusedChangeKind('the session has ended: reopen it to change the board')).toBe('ended');
		expect(refusedChangeKind('this step is private: write drafts')).toBe('private');
		expect(refusedChangeKind('more than 3 votes in this round')).toBe('vote');
		expect(refusedChangeKind('cards: authorId must be your own id')).toBe('not_own');
		expect(refusedChangeKind('cards.text: longer than 500 characters')).toBe('too_long');
		expect(refusedChangeKind('something new')).toBe('other');
		expect(accessRefusal('removed')).toBe('removed');
		expect(accessRefusal('session-ended')).toBe('session_ended');
		expect(accessRefusal('not-found')).toBe('not_found');
		expect(accessRefusal('logged-out')).toBe('logged_out');
		expect(accessRefusal('no-access')).toBe('unauthorized');
		expect(accessRefusal('ok')).toBeNull();
		expect(accessRefusal(undefined)).toBeNull();
	});

	it('names rooms and the websocket base like the contract', () => {
		expect(boardRoom('k3j2.1')).toBe('board/k3j2.1');
		expect(privateRoom('k3j2.1', 'p1')).toBe('private/k3j2.1/p1');
		expect(websocketBase({ protocol: 'https:', host: 'kompas.nl' })).toBe('wss://kompas.nl/ws');
		expect(websocketBase({ protocol: 'http:', host: 'localhost:5173' })).toBe(
			'ws://localhost:5173/ws'
		);
	});
});

describe('throttle', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('runs the first call at once and only the last of a burst afterwards', () => {
		const calls: number[] = [];
		const t = throttle((n: number) => calls.push(n), 1000);
		for (let i = 1; i <= 50; i++) t.call(i);
		expect(calls).toEqual([1]);
		vi.advanceTimersByTime(999);
		expect(calls).toEqual([1]);
		vi.advanceTimersByTime(1);
		expect(calls).toEqual([1, 50]);
		vi.advanceTimersByTime(5000);
		expect(calls).toEqual([1, 50]);
	});
});

describe('BoardConnection', () => {
	beforeEach(() => {
		FakeSocket.instances = [];
		vi.useFakeTimers();
	});
	afterEach(() => vi.useRealTimers());

	it('goes syncing → saved, and syncing again for a local edit until it is sent', () => {
		const server = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const doc = new Y.Doc();
		const conn = connect(doc);
		const socket = FakeSocket.latest();
		expect(socket.url).toBe('ws://kompas.test/ws/board/werk.1');
		expect(conn.status).toBe('syncing');
		socket.open();
		socket.syncWith(server);
		socket.deliverTo(server);
		expect(conn.status).toBe('syncing');
		vi.advanceTimersByTime(300);
		expect(conn.status).toBe('saved');

		addCard(doc, { kind: 'ambition', text: 'Werk naar vermogen', author });
		expect(conn.view).toMatchObject({ status: 'syncing', pending: true });
		expect(socket.deliverTo(server)).toContain(MESSAGE_SYNC);
		expect(readCards(server).map((c) => c.text)).toEqual(['Werk naar vermogen']);
		vi.advanceTimersByTime(300);
		expect(conn.view).toMatchObject({ status: 'saved', pending: false });
		conn.destroy();
	});

	it('stays syncing while the socket still buffers', () => {
		const doc = new Y.Doc();
		const conn = connect(doc);
		const socket = FakeSocket.latest();
		socket.open();
		socket.syncWith(createBoardDoc());
		socket.bufferedAmount = 10_000;
		vi.advanceTimersByTime(1000);
		expect(conn.status).toBe('syncing');
		socket.bufferedAmount = 0;
		vi.advanceTimersByTime(300);
		expect(conn.status).toBe('saved');
		conn.destroy();
	});

	it('goes offline on a dropped connection, keeps edits, reconnects with jitter and sends them', () => {
		const server = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const doc = new Y.Doc();
		const conn = connect(doc, { random: () => 0.5 });
		const first = FakeSocket.latest();
		first.open();
		first.syncWith(server);
		first.deliverTo(server);
		vi.advanceTimersByTime(300);

		first.serverClose(1006);
		expect(conn.status).toBe('offline');
		addCard(doc, { kind: 'situation', text: 'Getypt zonder verbinding', author });
		expect(conn.view).toMatchObject({ status: 'offline', pending: true });

		// attempt 0: 0.5 × 500 ms
		vi.advanceTimersByTime(249);
		expect(FakeSocket.instances).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(FakeSocket.instances).toHaveLength(2);
		const second = FakeSocket.latest();
		second.open();
		second.syncWith(server);
		second.deliverTo(server);
		expect(readCards(server).map((c) => c.text)).toEqual(['Getypt zonder verbinding']);
		vi.advanceTimersByTime(300);
		expect(conn.view).toMatchObject({ status: 'saved', pending: false });
		conn.destroy();
	});

	it('grows the backoff while the server stays away, and waits longer when rate limited', () => {
		const conn = connect(new Y.Doc(), { random: () => 1 });
		FakeSocket.latest().serverClose(1006); // attempt 0: 500 ms
		vi.advanceTimersByTime(500);
		FakeSocket.latest().serverClose(1006); // attempt 1: 1000 ms
		vi.advanceTimersByTime(999);
		expect(FakeSocket.instances).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(FakeSocket.instances).toHaveLength(3);
		FakeSocket.latest().serverClose(4429); // attempt 2: 5000 + 2000 ms
		vi.advanceTimersByTime(6999);
		expect(FakeSocket.instances).toHaveLength(3);
		vi.advanceTimersByTime(1);
		expect(FakeSocket.instances).toHaveLength(4);
		conn.destroy();
	});

	it('stops for good on a refusal and says why', () => {
		const conn = connect(new Y.Doc());
		const socket = FakeSocket.latest();
		socket.open();
		socket.serverClose(4401, 'participant removed');
		expect(conn.view).toMatchObject({
			status: 'refused',
			reason: 'unauthorized',
			detail: 'participant removed'
		});
		vi.advanceTimersByTime(60_000);
		expect(FakeSocket.instances).toHaveLength(1);
		conn.reconnectNow();
		expect(FakeSocket.instances).toHaveLength(1);
		conn.destroy();
	});

	it('after a refused change, drops the local copy and lets the page start again', async () => {
		const refusals: RefusedChange[] = [];
		const conn = connect(new Y.Doc(), { onRefusedChange: (r) => refusals.push(r) });
		const socket = FakeSocket.latest();
		socket.open();
		socket.serverClose(4403, 'this step is locked: card.create refused');
		await vi.waitFor(() => expect(refusals).toHaveLength(1));
		expect(refusals[0]).toEqual({
			kind: 'locked',
			detail: 'this step is locked: card.create refused'
		});
		// This connection is done (the page makes a new one); it does not loop on the refused change.
		vi.advanceTimersByTime(60_000);
		expect(FakeSocket.instances).toHaveLength(1);
		expect(conn.view.status).not.toBe('refused');
	});

	it('asks why after a refused upgrade (1006), and shows "removed" instead of "offline"', async () => {
		const asked: string[] = [];
		let answer = 'ok';
		const fakeFetch = (async (url: string) => {
			asked.push(url);
			return new Response(JSON.stringify({ access: answer }));
		}) as unknown as typeof fetch;
		const conn = connect(new Y.Doc(), { accessUrl: '/api/board-access/werk.1', fetch: fakeFetch });
		FakeSocket.latest().serverClose(1006);
		// `ok`: a lost network after all; reconnect with backoff.
		await vi.waitFor(() => expect(asked).toHaveLength(1));
		await vi.advanceTimersByTimeAsync(1000);
		expect(FakeSocket.instances).toHaveLength(2);
		expect(conn.view.status).toBe('offline');
		answer = 'removed';
		FakeSocket.latest().serverClose(1006);
		await vi.waitFor(() => expect(conn.view.reason).toBe('removed'));
		expect(conn.view.status).toBe('refused');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(FakeSocket.instances).toHaveLength(2);
		expect(asked).toEqual(['/api/board-access/werk.1', '/api/board-access/werk.1']);
		conn.destroy();
	});

	it('keeps retrying when the question cannot be answered (offline)', async () => {
		const failing = (async () => {
			throw new TypeError('network down');
		}) as unknown as typeof fetch;
		const conn = connect(new Y.Doc(), { accessUrl: '/api/board-access/werk.1', fetch: failing });
		FakeSocket.latest().serverClose(1006);
		await vi.advanceTimersByTimeAsync(1000);
		expect(FakeSocket.instances).toHaveLength(2);
		expect(conn.view.status).toBe('offline');
		conn.destroy();
	});

	it('treats a too-large message (1009) as final', () => {
		const conn = connect(new Y.Doc());
		FakeSocket.latest().open();
		FakeSocket.latest().serverClose(1009);
		expect(conn.view).toMatchObject({ status: 'refused', reason: 'too_large' });
		vi.advanceTimersByTime(60_000);
		expect(FakeSocket.instances).toHaveLength(1);
		conn.destroy();
	});

	it('throttles presence messages', () => {
		const conn = connect(new Y.Doc(), { presenceIntervalMs: 1000 });
		const socket = FakeSocket.latest();
		socket.open();
		socket.sent.length = 0;
		for (let i = 0; i < 20; i++) conn.setPresence({ name: 'Anouk', typing: i });
		const awarenessMessages = () =>
			socket.sent.filter(
				(m) => decoding.readVarUint(decoding.createDecoder(m)) === MESSAGE_AWARENESS
			);
		expect(awarenessMessages()).toHaveLength(1);
		vi.advanceTimersByTime(1000);
		expect(awarenessMessages()).toHaveLength(2);
		expect(conn.awareness.getLocalState()).toEqual({ name: 'Anouk', typing: 19 });
		conn.destroy();
	});

	it('lists the other devices present', () => {
		const conn = connect(new Y.Doc());
		const socket = FakeSocket.latest();
		socket.open();
		const other = new awarenessProtocol.Awareness(new Y.Doc());
		other.setLocalState({ name: 'Bram', perspective: 'aanbieder' });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(
			encoder,
			awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID])
		);
		socket.receive(encoding.toUint8Array(encoder));
		expect(conn.peers).toEqual([
			{ clientId: other.clientID, state: { name: 'Bram', perspective: 'aanbieder' } }
		]);
		other.destroy();
		conn.destroy();
	});
});

describe('offline cache', () => {
	it('keeps what was typed offline across a reload', async () => {
		FakeSocket.instances = [];
		const cache = `kompas:test-${Math.random()}`;
		const first = new Y.Doc();
		const before = connect(first, { cache });
		await vi.waitFor(() => expect(before.view.cacheLoaded).toBe(true));
		addCard(first, { kind: 'situation', text: 'Offline getypt', author });
		// let IndexedDB finish the write
		await new Promise((resolve) => setTimeout(resolve, 50));
		before.destroy();

		const second = new Y.Doc();
		const after = connect(second, { cache });
		await vi.waitFor(() => expect(after.view.cacheLoaded).toBe(true));
		expect(readCards(second).map((c) => c.text)).toEqual(['Offline getypt']);

		await after.discardLocalCopy();
		const third = new Y.Doc();
		const fresh = connect(third, { cache });
		await vi.waitFor(() => expect(fresh.view.cacheLoaded).toBe(true));
		expect(readCards(third)).toEqual([]);
		fresh.destroy();
	});
});
