/**
 * Which identity writes with which Yjs client id, per document, kept across server restarts.
 *
 * A Yjs client id names the author of every struct; a crafted client that wrote under someone
 * else's id could take over their clock range (their later offline edits would then be dropped as
 * duplicates) or pose as them in presence. The server binds an id to the identity that first writes
 * with it, and refuses everyone else. This small port keeps those bindings: the app
 * database (table `realtime_client_owners`, nobody else's SQL names it) in production, a Map in tests and benchmarks.
 *
 * `ClientOwners` is synchronous, as the rooms call it today (server/realtime/rooms.ts).
 * `AsyncClientOwners` is the form it evolves into (issue 12 item 2), which the PostgreSQL adapter
 * (client-owners.postgres.ts) implements and `asyncClientOwners` lifts the others to; the rooms
 * switch to it with `await owners.load(name)` (ARCHITECTURE.md, "Ports and adapters").
 */
import type { Db } from '../db/open.ts';
import type { SqliteGate } from '../db/kysely-sqlite.ts';
import type { Executor } from '../db/repository.ts';

export interface ClientOwners {
	/** The bindings of one document: client id → owner key (`participant:<id>`, `user:<id>`). */
	load(docName: string): Map<number, string>;
	/** Binds `clientId` to `owner` in `docName` (once; a second bind of the same id is ignored). */
	bind(docName: string, clientId: number, owner: string): void;
	/** Forgets the bindings of every document whose name starts with `prefix` (with the documents). */
	removeDocs(prefix: string): void;
}

/** `ClientOwners` with every method async; `removeDocs` runs in the caller's transaction `tx`. */
export interface AsyncClientOwners<Tx = never> {
	load(docName: string): Promise<Map<number, string>>;
	bind(docName: string, clientId: number, owner: string): Promise<void>;
	removeDocs(prefix: string, tx?: Tx): Promise<void>;
}

/** A synchronous `ClientOwners` as `AsyncClientOwners` (the work runs at the call). */
export function asyncClientOwners(owners: ClientOwners): AsyncClientOwners {
	return {
		load: async (docName) => owners.load(docName),
		bind: async (docName, clientId, owner) => owners.bind(docName, clientId, owner),
		removeDocs: async (prefix) => owners.removeDocs(prefix)
	};
}

/** Bindings in the app database (migration "realtime client owners"). */
export function createSqliteClientOwners(db: Db): ClientOwners {
	const select = db.prepare(
		'SELECT client_id, owner FROM realtime_client_owners WHERE doc_name = ?'
	);
	const insert = db.prepare(
		'INSERT OR IGNORE INTO realtime_client_owners (doc_name, client_id, owner) VALUES (?, ?, ?)'
	);
	const deletePrefix = db.prepare(
		'DELETE FROM realtime_client_owners WHERE doc_name >= ? AND doc_name < ?'
	);
	return {
		load(docName) {
			const rows = select.all(docName) as { client_id: number; owner: string }[];
			return new Map(rows.map((row) => [row.client_id, row.owner]));
		},
		bind(docName, clientId, owner) {
			insert.run(docName, clientId, owner);
		},
		removeDocs(prefix) {
			deletePrefix.run(prefix, prefix + '\uffff');
		}
	};
}

/**
 * The SQLite bindings as the app context uses them: through the connection's one gate (see
 * `createGatedSqliteStore`); `removeDocs` with the unit of work's `tx` runs in it.
 */
export function createGatedSqliteClientOwners(
	db: Db,
	gate: SqliteGate
): AsyncClientOwners<Executor> {
	const owners = createSqliteClientOwners(db);
	return {
		load: (docName) => gate(() => owners.load(docName)),
		bind(docName, clientId, owner) {
			// At once when no unit of work is open (as `appendNow` of the update store): the binding
			// is stored before the update that brought the client id, which follows it at once.
			if (db.inTransaction()) return gate(() => owners.bind(docName, clientId, owner));
			try {
				owners.bind(docName, clientId, owner);
				return Promise.resolve();
			} catch (error) {
				return Promise.reject(error);
			}
		},
		async removeDocs(prefix, tx) {
			if (!tx) return gate(() => owners.removeDocs(prefix));
			owners.removeDocs(prefix);
		}
	};
}

/** Bindings in memory (tests, benchmarks, the memory store). */
export function createMemoryClientOwners(): ClientOwners {
	const docs = new Map<string, Map<number, string>>();
	return {
		load: (docName) => new Map(docs.get(docName)),
		bind(docName, clientId, owner) {
			let doc = docs.get(docName);
			if (!doc) docs.set(docName, (doc = new Map()));
			if (!doc.has(clientId)) doc.set(clientId, owner);
		},
		removeDocs(prefix) {
			for (const name of [...docs.keys()]) if (name.startsWith(prefix)) docs.delete(name);
		}
	};
}
