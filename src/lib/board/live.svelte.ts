/**
 * `openLiveBoard()`: the one place that wires a live board together in the browser: the shared
 * board document and its `BoardConnection`, a participant's private document and its connection,
 * the `BoardState` over them, and (for facilitators) the participants' private documents whose
 * drafts they watch. Routes and components never create Yjs documents or connections themselves.
 *
 * `useLiveBoard()` is the page-side lifecycle: opened when the page mounts (or another board or
 * person is shown), closed on leave; never at import time, where SSR would share it between users.
 */
import { untrack } from 'svelte';
import * as Y from 'yjs';
import { BoardState, type BoardUser } from './board.svelte.ts';
import { ConsentHolder } from './consent-context.svelte.ts';
import {
	BoardConnection,
	boardAccessUrl,
	boardRoom,
	deleteCache,
	privateRoom,
	websocketBase,
	type RefusedChange
} from './connection.svelte.ts';
import { CONTROL, createBoardDoc, createPrivateDoc, sharedTypes } from './schema/index.ts';

export interface OpenLiveBoardOptions {
	boardId: string;
	user: BoardUser;
	/** Websocket base URL; default `websocketBase(location)`. */
	url?: string;
	/**
	 * Keep an offline copy in IndexedDB (default true). The projector keeps none: it only shows.
	 * Watched drafts are never cached.
	 */
	cache?: boolean;
	/**
	 * Keep nothing on this device: delete what an earlier visit cached and cache nothing now (a
	 * participant of an ended session on a shared device).
	 */
	keepNothing?: boolean;
	/**
	 * The board page: after a refused change or close, the board's own connections ask the server
	 * why (`boardAccessUrl`) and report a refused change here (the page then opens the board afresh).
	 */
	onRefusedChange?: (refusal: RefusedChange) => void;
	/** Reopens the board when it changes (`useLiveBoard`): start again from the server's state. */
	generation?: number;
	/** For Node tests. */
	WebSocketPolyfill?: typeof WebSocket;
}

/** An open live board: what the board components read, and how to close it. */
export interface LiveBoardHandle {
	readonly boardId: string;
	readonly board: BoardState;
	/**
	 * Consent rounds of this board (proposals, results, this participant's answers): `current` is
	 * loaded once the board holds a proposal, at once for facilitators.
	 */
	readonly consent: ConsentHolder;
	/** The shared board document's connection. */
	readonly connection: BoardConnection;
	/** A participant's own private document (drafts, ballots); null for members and the projector. */
	readonly privateConnection: BoardConnection | null;
	/**
	 * Facilitators: shows the private drafts of these participants live, opening each one's private
	 * document once (the server lets only facilitators and that participant in). Participants added
	 * later are opened on the next call, those left out are closed; all are closed with the board.
	 */
	watchDrafts(participantIds: readonly string[]): void;
	/** Participants whose drafts are watched now. */
	readonly watched: readonly string[];
	/** Deletes this device's copy of the board and the private document (ended session, leaving). */
	forgetLocalCopies(): Promise<void>;
	/** Disconnects and frees everything. Idempotent. */
	close(): void;
}

export function openLiveBoard(options: OpenLiveBoardOptions): LiveBoardHandle {
	const { boardId, user } = options;
	const url = options.url ?? websocketBase(location);
	const cache = (options.cache ?? true) && !options.keepNothing;
	const own = options.onRefusedChange
		? { accessUrl: boardAccessUrl(boardId), onRefusedChange: options.onRefusedChange }
		: {};
	const connect = (room: string, doc: Y.Doc, keep: boolean, extra: object = {}) =>
		new BoardConnection({
			url,
			room,
			doc,
			...extra,
			...(keep ? {} : { cache: false as const }),
			...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {})
		});

	const rooms = [
		boardRoom(boardId),
		...(user.role === 'participant' ? [privateRoom(boardId, user.id)] : [])
	];
	if (options.keepNothing) for (const room of rooms) void deleteCache(room);
	const doc = createBoardDoc();
	const connection = connect(rooms[0], doc, cache, own);
	const privateConnection =
		user.role === 'participant' ? connect(rooms[1], createPrivateDoc(), cache, own) : null;
	const board = new BoardState({ doc, privateDoc: privateConnection?.doc ?? null, user });
	const consent = new ConsentHolder();

	// Not state: connections are opened and closed here; the board's drafts are what renders.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	const drafts = new Map<string, { connection: BoardConnection; detach: () => void }>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- not state, like `drafts`
	const consentWatch = new Map<string, () => void>();
	let closed = false;

	// The consent code is its own chunk: loaded when the board has a proposal (facilitators: now).
	const { control } = sharedTypes(doc);
	let consentLoading = false;
	const loadConsent = () => {
		if (consentLoading) return;
		consentLoading = true;
		control.unobserveDeep(watchConsent);
		void import('./consent.svelte.ts').then(({ ConsentBoard }) => {
			if (closed) return;
			const loaded = new ConsentBoard({ doc, privateDoc: privateConnection?.doc ?? null, user });
			for (const [id, { connection: c }] of drafts) consentWatch.set(id, loaded.attach(id, c.doc));
			consent.current = loaded;
		});
	};
	const watchConsent = () => {
		const proposals = control.get(CONTROL.consent);
		if (proposals instanceof Y.Map && proposals.size > 0) loadConsent();
	};
	if (user.role === 'facilitator') loadConsent();
	else {
		control.observeDeep(watchConsent);
		watchConsent();
	}

	return {
		boardId,
		board,
		consent,
		connection,
		privateConnection,
		watchDrafts(participantIds) {
			if (closed || !board.isFacilitator) return;
			// Stop watching whoever is no longer in the list (an anonymous round hides authors: none).
			for (const [id, watched] of drafts) {
				if (participantIds.includes(id)) continue;
				watched.detach();
				watched.connection.destroy();
				watched.connection.doc.destroy();
				drafts.delete(id);
			}
			for (const id of participantIds) {
				if (drafts.has(id)) continue;
				const draftConnection = connect(privateRoom(boardId, id), createPrivateDoc(), false);
				drafts.set(id, {
					connection: draftConnection,
					detach: board.attachDrafts(id, draftConnection.doc)
				});
				if (consent.current) consentWatch.set(id, consent.current.attach(id, draftConnection.doc));
			}
		},
		get watched() {
			return [...drafts.keys()];
		},
		async forgetLocalCopies() {
			await Promise.all([connection.forgetLocalCopy(), privateConnection?.forgetLocalCopy()]);
		},
		close() {
			if (closed) return;
			closed = true;
			for (const { connection: c, detach } of drafts.values()) {
				detach();
				c.destroy();
				c.doc.destroy();
			}
			drafts.clear();
			control.unobserveDeep(watchConsent);
			for (const detach of consentWatch.values()) detach();
			consentWatch.clear();
			consent.current?.destroy();
			consent.current = null;
			board.destroy();
			connection.destroy();
			privateConnection?.destroy();
			privateConnection?.doc.destroy();
			doc.destroy();
		}
	};
}

/**
 * For a page component (call during its initialisation): the live board for `options()`, opened in
 * an effect and closed on leave. It reopens only when the board, the person or their role change:
 * new page data for the same board and person keeps the connection.
 */
export function useLiveBoard(options: () => OpenLiveBoardOptions): {
	readonly current: LiveBoardHandle | null;
} {
	// Not deeply reactive: the handle's parts own their own reactive state.
	let current = $state.raw<LiveBoardHandle | null>(null);
	const key = $derived.by(() => {
		const { boardId, user, generation = 0 } = options();
		return JSON.stringify([boardId, user.id, user.role, generation]);
	});
	$effect(() => {
		void key;
		// Only the key is a dependency: nothing read while connecting re-runs this.
		return untrack(() => {
			const live = openLiveBoard(options());
			current = live;
			return () => {
				current = null;
				live.close();
			};
		});
	});
	return {
		get current() {
			return current;
		}
	};
}
