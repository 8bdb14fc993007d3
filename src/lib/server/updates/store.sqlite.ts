import type { Db } from '../db/open.ts';
import type { StoredDoc, UpdateStore } from './store.ts';

/**
 * The SQLite `UpdateStore` on the app's database (WAL mode, see db/open.ts), table
 * `realtime_updates` (migration "realtime update log"). Both SQLite drivers are synchronous, so every
 * method has finished its write when its promise is created: an `append` is durable against a
 * process crash once it returns (WAL with synchronous=NORMAL survives SIGKILL; an OS crash may lose
 * the last transactions).
 */
export function createSqliteStore(db: Db, now: () => number = Date.now): UpdateStore {
	const select = db.prepare('SELECT data FROM realtime_updates WHERE doc_name = ? ORDER BY id');
	const insert = db.prepare(
		'INSERT INTO realtime_updates (doc_name, kind, data, created_at) VALUES (?, ?, ?, ?)'
	);
	const maxId = db.prepare('SELECT MAX(id) AS id FROM realtime_updates WHERE doc_name = ?');
	const deleteUpTo = db.prepare('DELETE FROM realtime_updates WHERE doc_name = ? AND id <= ?');
	const exists = db.prepare('SELECT 1 FROM realtime_updates WHERE doc_name = ? LIMIT 1');
	const deletePrefix = db.prepare(
		'DELETE FROM realtime_updates WHERE doc_name >= ? AND doc_name < ?'
	);
	const listNames = db.prepare(
		'SELECT DISTINCT doc_name FROM realtime_updates WHERE doc_name >= ? AND doc_name < ? ORDER BY doc_name'
	);
	const compact = db.transaction((docName: string, snapshot: Uint8Array) => {
		const { id } = maxId.get(docName) as { id: number | null };
		// Updates are appended before they are compacted, so no rows means the document was deleted
		// (a trajectory's deletion): never bring it back.
		if (id === null) return;
		deleteUpTo.run(docName, id);
		insert.run(docName, 'snapshot', Buffer.from(snapshot), now());
	});

	return {
		async load(docName): Promise<StoredDoc> {
			const rows = select.all(docName) as { data: Uint8Array }[];
			const updates = rows.map(
				(row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
			);
			return { updates, bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) };
		},
		async append(docName, update) {
			insert.run(docName, 'update', Buffer.from(update), now());
		},
		async compact(docName, snapshot) {
			compact(docName, snapshot);
		},
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
}
