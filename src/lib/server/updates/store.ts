/**
 * The board update log's port (table `realtime_updates`; nobody else's SQL names it): an append-only
 * log of Yjs updates per document, which can be compacted into one snapshot. The realtime server's
 * rooms load, append and compact; the app (boards.ts) reads whole boards for overviews and exports,
 * writes imported or next-cycle boards and deletes a deleted trajectory's documents. Small on
 * purpose, so that Postgres (or anything else) is an adapter later, not a rewrite. Adapters:
 * `store.memory.ts` (tests, benchmarks) and `store.sqlite.ts` (the app database).
 *
 * Document names are the room names: `board/<boardId>` and `private/<boardId>/<participantId>`.
 * Updates commute (Yjs), so the order in which `load` returns them does not matter.
 *
 * `create` and `removeDocs` run inside the caller's unit of work (`AppContext.atomically`, e.g. a
 * trajectory's rows and its boards are deleted together). They are synchronous, like every SQLite
 * repository the same unit of work calls; issue 12 item 2 makes them async together with the
 * repositories and the unit of work (ARCHITECTURE.md, "Ports and adapters").
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
	 * Replaces everything stored for `docName` so far by `snapshot` (one update holding the whole
	 * state). Appends that happen after the call started are kept. Runs atomically: either the old rows
	 * or the snapshot remain. When nothing is stored for `docName` (it was deleted, e.g. with its
	 * trajectory), does nothing: a deleted document never comes back.
	 */
	compact(docName: string, snapshot: Uint8Array): Promise<void>;
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

/** What `UpdateStore.load` returns. */
export interface StoredDoc {
	/** The stored updates (the snapshot first when there is one). */
	updates: Uint8Array[];
	/** Total bytes stored, used for the board-size limit. */
	bytes: number;
}
