/**
 * The board update log's port (table `realtime_updates`; nobody else's SQL names it): an append-only
 * log of Yjs updates per document, which can be compacted into one snapshot. The realtime server's
 * rooms load, append and compact; the app (boards.ts) reads whole boards for overviews and exports,
 * writes imported or next-cycle boards and deletes a deleted trajectory's documents. Small on
 * purpose, so that Postgres (or anything else) is an adapter, not a rewrite. Adapters:
 * `store.memory.ts` (tests, benchmarks), `store.sqlite.ts` (the app database) and
 * `store.postgres.ts` (`AsyncUpdateStore`, below).
 *
 * Document names are the room names: `board/<boardId>` and `private/<boardId>/<participantId>`.
 * Updates commute (Yjs), so the order in which `load` returns them does not matter.
 *
 * `create` and `removeDocs` run inside the caller's unit of work (`AppContext.atomically`, e.g. a
 * trajectory's rows and its boards are deleted together). Here they are synchronous, like every
 * SQLite repository the same unit of work calls. The port they evolve into is `AsyncUpdateStore`
 * below: every method async, and the two unit-of-work methods take the transaction they run in.
 * PostgreSQL implements it; `asyncUpdateStore` lifts today's adapters to it, and the contract spec
 * (store.spec.ts) holds all three to it. When the unit of work becomes async (plan step 3), callers
 * switch to `AsyncUpdateStore` and this synchronous form goes (ARCHITECTURE.md, "Ports and
 * adapters").
 */
export interface UpdateStore {
	/**
	 * Everything stored for `docName` (snapshot and later updates); empty when unknown.
	 * @throws when the storage cannot be read.
	 */
	load(docName: string): Promise<StoredDoc>;
	/**
	 * Appends one (possibly merged) update to the document's log. Resolves once it is durable.
	 * @throws when the storage cannot be written (the caller keeps the update and retries).
	 */
	append(docName: string, update: Uint8Array): Promise<void>;
	/**
	 * Appends like `append`, but synchronously, when the adapter can do that safely now: true when
	 * the update is durable on return, false when nothing was done and the caller must use `append`
	 * (SQLite while another caller's transaction is open on the connection: the row would become
	 * part of it). Missing where every write is a round trip (PostgreSQL). The realtime server
	 * sends an accepted edit in the same turn it was stored in, without a wait for a promise.
	 * @throws when the storage cannot be written, as `append` rejects.
	 */
	appendNow?(docName: string, update: Uint8Array): boolean;
	/**
	 * Replaces the rows stored for `docName` by one snapshot merged from those rows (merge.ts), so
	 * that the snapshot holds every node's updates whatever any node has loaded. Runs atomically
	 * (either the old rows or the snapshot remain) and one compaction of a document at a time,
	 * across nodes too (SQLite: the rows are merged off the event loop, then checked and replaced
	 * under `BEGIN IMMEDIATE`, and a compaction whose rows went meanwhile leaves the log as it is;
	 * PostgreSQL: an advisory try-lock, and a node that finds it taken leaves the log as it is).
	 * Rows appended while it runs are kept beside the
	 * snapshot. When nothing is stored for `docName` (it was deleted, e.g. with its trajectory), does
	 * nothing: a deleted document never comes back.
	 * @returns the bytes now stored for the document, or null when it compacted nothing (deleted,
	 *   already one snapshot, or another node is compacting or has compacted it).
	 */
	compact(docName: string): Promise<number | null>;
	/** The names of the stored documents that start with `prefix` (e.g. a board's private docs). */
	list(prefix: string): Promise<string[]>;
	/**
	 * Stores `snapshot` as the whole of a new document (an imported board, a next cycle's board).
	 * Part of the caller's unit of work. @throws Error('board-exists') when `docName` has content.
	 */
	create(docName: string, snapshot: Uint8Array): void;
	/**
	 * Deletes every document whose name starts with `prefix` (a theme's boards or private documents,
	 * AVG: deletion). Part of the caller's unit of work; a deleted document never comes back (see
	 * `compact`).
	 */
	removeDocs(prefix: string): void;
	/** Releases resources; the store is unusable afterwards. */
	close(): Promise<void>;
}

/** The methods that do not take part in a caller's unit of work: the same on every form of the port. */
export type UpdateLog = Omit<UpdateStore, 'create' | 'removeDocs'>;

/**
 * The update store with every method async (issue 12 item 2): `create` and `removeDocs` run in the
 * caller's transaction `tx` when given (`Tx` is the adapter's transaction handle, e.g. a Kysely
 * transaction on PostgreSQL), else in one of their own. Same contract as `UpdateStore` otherwise.
 */
export interface AsyncUpdateStore<Tx = never> extends UpdateLog {
	/** @throws (rejects with) Error('board-exists') when `docName` has content. */
	create(docName: string, snapshot: Uint8Array, tx?: Tx): Promise<void>;
	removeDocs(prefix: string, tx?: Tx): Promise<void>;
}

/**
 * A synchronous store as an `AsyncUpdateStore` (its writes run at the call, inside whatever SQLite
 * transaction is open, and the promise only reports the outcome).
 */
export function asyncUpdateStore(store: UpdateStore): AsyncUpdateStore {
	return {
		load: (docName) => store.load(docName),
		append: (docName, update) => store.append(docName, update),
		...(store.appendNow && { appendNow: store.appendNow.bind(store) }),
		compact: (docName) => store.compact(docName),
		list: (prefix) => store.list(prefix),
		close: () => store.close(),
		create: async (docName, snapshot) => store.create(docName, snapshot),
		removeDocs: async (prefix) => store.removeDocs(prefix)
	};
}

/**
 * The storage cannot be reached (PostgreSQL down, restarting or unreachable): nothing of the
 * refused call was written, and the same call succeeds once the storage is back. The realtime server
 * keeps the update and retries; pages show a maintenance message (issue 12 item 4).
 */
export class StorageUnavailableError extends Error {
	override name = 'StorageUnavailableError';
}

/** What `UpdateStore.load` returns. */
export interface StoredDoc {
	/** The stored updates (the snapshot first when there is one). */
	updates: Uint8Array[];
	/** Total bytes stored, used for the board-size limit. */
	bytes: number;
}
