import type { Db } from '../db/open.ts';
import type { SqliteStatement } from '../db/driver.ts';
import type { AsyncUpdateStore, StoredDoc, UpdateStore } from './store.ts';
import type { SqliteGate } from '../db/kysely-sqlite.ts';
import type { Executor } from '../db/repository.ts';
import { mergeRowsOffThread } from './merge.ts';

type Row = { id: number; kind: string; data: Uint8Array };

/** `bytes` as a Buffer over the same memory (better-sqlite3 binds Buffers as blobs). */
const asBuffer = (bytes: Uint8Array) =>
	Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Compaction on SQLite: reads the rows, merges them off the event loop (merge.ts) and replaces
 * exactly those rows by the snapshot; rows appended meanwhile are kept beside it. `run` runs each
 * synchronous step: at once, or through the gate of the app's connection.
 */
function sqliteCompaction(db: Db, insert: SqliteStatement, now: () => number) {
	const rowsOf = db.prepare(
		'SELECT id, kind, data FROM realtime_updates WHERE doc_name = ? ORDER BY id'
	);
	const deleteUpTo = db.prepare('DELETE FROM realtime_updates WHERE doc_name = ? AND id <= ?');
	const countUpTo = db.prepare(
		'SELECT COUNT(*) AS n FROM realtime_updates WHERE doc_name = ? AND id <= ?'
	);
	/** The rows to merge, or null when there is nothing to compact. */
	const rowsToCompact = (docName: string): Row[] | null => {
		const rows = rowsOf.all(docName) as Row[];
		// Updates are appended before they are compacted, so no rows means the document was deleted
		// (a trajectory's deletion): never bring it back.
		if (rows.length === 0) return null;
		if (rows.length === 1 && rows[0].kind === 'snapshot') return null;
		return rows;
	};
	// The driver opens every transaction with BEGIN IMMEDIATE (driver.ts): the write lock is taken
	// before the rows are counted, so no other process compacts in between.
	const replaceRows = db.transaction(
		(docName: string, rows: Row[], snapshot: Uint8Array): number | null => {
			const last = rows[rows.length - 1].id;
			// Ids only grow (AUTOINCREMENT) and rows are only ever removed: if every row read is still
			// there, nothing else compacted or removed the document while it was merged. Otherwise the
			// log stays as the other compaction (or the removal) left it.
			if ((countUpTo.get(docName, last) as { n: number }).n !== rows.length) return null;
			deleteUpTo.run(docName, last);
			insert.run(docName, 'snapshot', asBuffer(snapshot), now());
			return snapshot.byteLength;
		}
	);
	return async (
		docName: string,
		run: <T>(work: () => T) => T | Promise<T> = (work) => work()
	): Promise<number | null> => {
		const rows = await run(() => rowsToCompact(docName));
		if (!rows) return null;
		const snapshot = await mergeRowsOffThread(rows.map((row) => row.data));
		return run(() => replaceRows(docName, rows, snapshot));
	};
}

/**
 * The SQLite `UpdateStore` on the app's database (WAL mode, see db/open.ts), table
 * `realtime_updates` (migration "realtime update log"). Both SQLite drivers are synchronous, so every
 * method but `compact` (which merges on a worker thread between its reads and its writes) has
 * finished its write when its promise is created: an `append` is durable against a
 * process crash once it returns (WAL with synchronous=NORMAL survives SIGKILL; an OS crash may lose
 * the last transactions).
 */
export function createSqliteStore(db: Db, now: () => number = Date.now): UpdateStore {
	return sqliteStore(db, now).store;
}

/** The store, and what the gated form below shares of it: its compaction and two statements. */
function sqliteStore(db: Db, now: () => number) {
	const select = db.prepare('SELECT data FROM realtime_updates WHERE doc_name = ? ORDER BY id');
	const insert = db.prepare(
		'INSERT INTO realtime_updates (doc_name, kind, data, created_at) VALUES (?, ?, ?, ?)'
	);
	const exists = db.prepare('SELECT 1 FROM realtime_updates WHERE doc_name = ? LIMIT 1');
	const deletePrefix = db.prepare(
		'DELETE FROM realtime_updates WHERE doc_name >= ? AND doc_name < ?'
	);
	const listNames = db.prepare(
		'SELECT DISTINCT doc_name FROM realtime_updates WHERE doc_name >= ? AND doc_name < ? ORDER BY doc_name'
	);
	const compact = sqliteCompaction(db, insert, now);

	const store: UpdateStore = {
		async load(docName): Promise<StoredDoc> {
			const rows = select.all(docName) as { data: Uint8Array }[];
			const updates = rows.map(
				(row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
			);
			return { updates, bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) };
		},
		async append(docName, update) {
			// A view, not a copy: SQLite copies the bytes into its page anyway.
			insert.run(docName, 'update', asBuffer(update), now());
		},
		appendNow(docName, update) {
			if (db.inTransaction()) return false;
			insert.run(docName, 'update', asBuffer(update), now());
			return true;
		},
		compact: (docName) => compact(docName),
		async list(prefix) {
			const rows = listNames.all(prefix, prefix + '\uffff') as { doc_name: string }[];
			return rows.map((row) => row.doc_name);
		},
		create(docName, snapshot) {
			db.transaction(() => {
				if (exists.get(docName) !== undefined) throw new Error('board-exists');
				insert.run(docName, 'snapshot', Buffer.from(snapshot), now());
			})();
		},
		removeDocs(prefix) {
			deletePrefix.run(prefix, prefix + '\uffff');
		},
		async close() {
			// The database belongs to the app context, which closes it.
		}
	};
	return { store, compact, insert, exists };
}

/**
 * The SQLite store as the app context uses it (`AppContext.updates`): every call goes through the
 * connection's one gate (db/kysely-sqlite.ts), so a board update that arrives while a unit of work
 * is open (awaiting something) waits for it to finish instead of running inside it. `create` and
 * `removeDocs` with the unit's `tx` run in that transaction: it holds the connection, so its
 * statements are the only ones running on it.
 */
export function createGatedSqliteStore(
	db: Db,
	gate: SqliteGate,
	now: () => number = Date.now
): AsyncUpdateStore<Executor> {
	const { store, compact, insert, exists } = sqliteStore(db, now);
	return {
		load: (docName) => gate(() => store.load(docName)),
		append: (docName, update) => gate(() => store.append(docName, update)),
		// Outside a transaction the row commits on its own, whatever else holds the gate: Kysely's
		// queries between two awaits are synchronous too. Inside one (a unit of work awaiting
		// something), the append waits at the gate like any other.
		appendNow: (docName, update) => store.appendNow!(docName, update),
		// The gate is held for the reads and the writes, not while the rows are merged.
		compact: (docName) => compact(docName, gate),
		list: (prefix) => gate(() => store.list(prefix)),
		async create(docName, snapshot, tx) {
			if (!tx) return gate(() => store.create(docName, snapshot));
			// Inside the caller's transaction (it holds the connection): check and insert, no BEGIN.
			if (exists.get(docName) !== undefined) throw new Error('board-exists');
			insert.run(docName, 'snapshot', Buffer.from(snapshot), now());
		},
		async removeDocs(prefix, tx) {
			if (!tx) return gate(() => store.removeDocs(prefix));
			store.removeDocs(prefix);
		},
		close: () => store.close()
	};
}
