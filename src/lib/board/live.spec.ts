import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addDraft, createPrivateDoc } from './schema/index.ts';
import { openLiveBoard, type LiveBoardHandle } from './live.svelte.ts';

/** Records which rooms were opened and closed; never connects. */
class RecordingSocket {
	static sockets: RecordingSocket[] = [];
	static opened: string[] = [];
	static closed: string[] = [];
	readonly CONNECTING = 0;
	readonly OPEN = 1;
	readonly CLOSING = 2;
	readonly CLOSED = 3;
	readyState = 0;
	binaryType = 'blob';
	bufferedAmount = 0;
	onopen = null;
	onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
	onclose = null;
	onerror = null;
	constructor(readonly url: string) {
		RecordingSocket.opened.push(url);
		RecordingSocket.sockets.push(this);
	}
	/** The server sends the whole of `doc` as one update. */
	deliver(doc: Y.Doc): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0); // sync message
		syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
		this.onmessage?.({ data: encoding.toUint8Array(encoder).slice().buffer });
	}
	send(): void {}
	close(): void {
		this.readyState = 3;
		RecordingSocket.closed.push(this.url);
	}
}

const base = 'ws://kompas.test/ws';
const open = (role: 'participant' | 'facilitator' | 'observer', id = 'p-anouk') =>
	openLiveBoard({
		boardId: 'werk.1',
		user: { id, name: 'Anouk', perspective: role === 'participant' ? 'gemeente' : null, role },
		url: base,
		cache: false,
		WebSocketPolyfill: RecordingSocket as unknown as typeof WebSocket
	});

let live: LiveBoardHandle | null = null;
afterEach(() => {
	live?.close();
	live = null;
	RecordingSocket.sockets = [];
	RecordingSocket.opened = [];
	RecordingSocket.closed = [];
});

describe('openLiveBoard', () => {
	it('opens the shared board and a participant’s own private document', () => {
		live = open('participant');
		expect(RecordingSocket.opened).toEqual([
			`${base}/board/werk.1`,
			`${base}/private/werk.1/p-anouk`
		]);
		expect(live.privateConnection?.room).toBe('private/werk.1/p-anouk');
		expect(live.board.user.role).toBe('participant');
		expect(live.board.isFacilitator).toBe(false);
	});

	it('gives members the shared board only', () => {
		live = open('observer', 'u-kees');
		expect(RecordingSocket.opened).toEqual([`${base}/board/werk.1`]);
		expect(live.privateConnection).toBeNull();
	});

	it('lets a facilitator watch each participant’s drafts once, and only a facilitator', () => {
		const observer = open('observer', 'u-kees');
		observer.watchDrafts(['p-anouk']);
		expect(observer.watched).toEqual([]);
		observer.close();
		RecordingSocket.opened = [];

		live = open('facilitator', 'u-fien');
		live.watchDrafts(['p-anouk']);
		live.watchDrafts(['p-anouk', 'p-bram']);
		expect(live.watched).toEqual(['p-anouk', 'p-bram']);
		expect(RecordingSocket.opened).toEqual([
			`${base}/board/werk.1`,
			`${base}/private/werk.1/p-anouk`,
			`${base}/private/werk.1/p-bram`
		]);
	});

	it('shows a watched participant’s drafts on the facilitator’s board', () => {
		live = open('facilitator', 'u-fien');
		live.watchDrafts(['p-anouk']);
		expect(live.board.allDrafts).toEqual([]);
		// What the server sends over the participant's private room.
		const privateDoc = createPrivateDoc();
		addDraft(privateDoc, {
			kind: 'ambition',
			text: 'Iedereen doet mee',
			author: { id: 'p-anouk', name: 'Anouk', perspective: 'gemeente' }
		});
		const socket = RecordingSocket.sockets.find((s) => s.url.endsWith('/private/werk.1/p-anouk'));
		socket?.deliver(privateDoc);
		expect(live.board.allDrafts.map((c) => c.text)).toEqual(['Iedereen doet mee']);
	});

	it('closes every connection and document on close, once', () => {
		live = open('facilitator', 'u-fien');
		live.watchDrafts(['p-anouk']);
		const docs = [live.connection.doc];
		expect(docs[0].isDestroyed).toBe(false);
		live.close();
		live.close();
		expect(docs.every((d) => d.isDestroyed)).toBe(true);
		expect(RecordingSocket.closed.sort()).toEqual(
			[`${base}/board/werk.1`, `${base}/private/werk.1/p-anouk`].sort()
		);
		live.watchDrafts(['p-bram']);
		expect(live.watched).toEqual([]);
	});
});
