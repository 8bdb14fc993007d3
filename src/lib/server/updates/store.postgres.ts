/**
 * The PostgreSQL `AsyncUpdateStore` (table `realtime_updates`, migration
 * "0001-realtime-update-log" in db/postgres-migrations.ts): one `bytea` row per update or snapshot.
 *
 * Concurrency, with several Kompas nodes on one database:
 * - `append` is one INSERT: durable when its promise resolves, nothing written when it rejects.
 * - `compact` reads the document's rows, merges them into one snapshot (merge.ts), deletes exactly
 *   those rows by id and inserts the snapshot, in one transaction under a transaction advisory
 *   try-lock per document: while one node compacts a document, another node's compaction of it does
 *   nothing; rows committed meanwhile are kept beside the snapshot. It inserts only when it deleted
 *   something, so a document removed meanwhile stays removed.
 * - `create` checks and inserts under a transaction-scoped advisory lock on the document name, so
 *   two creates of one document cannot both succeed.
 * - `removeDocs` first locks the table against writers (SHARE ROW EXCLUSIVE; readers go on), so
 *   that a compaction running meanwhile either finishes first (and its snapshot is removed too) or
 *   finds nothing left to replace. Appends wait for that moment; deletions are rare.
 * Errors that mean PostgreSQL is unreachable become `StorageUnavailableError`.
 */
import { sql } from 'kysely';
import { inTransaction, isUnavailable, type PgExecutor, type PostgresDb } from '../db/postgres.ts';
import { StorageUnavailableError, type AsyncUpdateStore, type StoredDoc } from './store.ts';
import { mergeRowsOffThread } from './merge.ts';

/** The first string after every string that starts with `prefix` (code unit order), or null for ''. */
export function prefixEnd(prefix: string): string | null {
	if (prefix === '') return null;
	return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Rethrows `error`, as `StorageUnavailableError` when PostgreSQL cannot be reached. */
export function rethrow(what: string, error: unknown): never {
	if (isUnavailable(error)) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new StorageUnavailableError(`${what}: PostgreSQL is unreachable (${reason})`, {
			cause: error
		});
	}
	throw error;
}

const view = (data: Uint8Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export function createPostgresStore(
	{ db }: PostgresDb,
	now: () => number = Date.now
): AsyncUpdateStore<PgExecutor> {
	const insert = (on: PgExecutor, docName: string, kind: 'update' | 'snapshot', data: Uint8Array) =>
		on
			.insertInto('realtime_updates')
			.values({ doc_name: docName, kind, data: Buffer.from(data), created_at: now() })
			.execute();
	const guard =
		<A extends unknown[], R>(what: string, fn: (...args: A) => Promise<R>) =>
		(...args: A): Promise<R> =>
			fn(...args).catch((error: unknown) => rethrow(`update store ${what}`, error));

	return {
		load: guard('load', async (docName): Promise<StoredDoc> => {
			const rows = await db
				.selectFrom('realtime_updates')
				.select('data')
				.where('doc_name', '=', docName)
				.orderBy('id')
				.execute();
			const updates = rows.map((row) => view(row.data));
			return { updates, bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) };
		}),
		append: guard('append', async (docName: string, update: Uint8Array) => {
			await insert(db, docName, 'update', update);
		}),
		compact: guard('compact', (docName: string) =>
			db.transaction().execute(async (trx): Promise<number | null> => {
				// One compaction of a document at a time across nodes (issue 12 item 3): when another
				// node is compacting it, this one leaves the log as it is (it stays correct, only longer).
				const { rows: lock } = await sql<{
					locked: boolean;
				}>`select pg_try_advisory_xact_lock(hashtextextended(${'compact:' + docName}, 0)) as locked`.execute(
					trx
				);
				if (!lock[0]?.locked) return null;
				const rows = await trx
					.selectFrom('realtime_updates')
					.select(['id', 'kind', 'data'])
					.where('doc_name', '=', docName)
					.orderBy('id')
					.execute();
				if (rows.length === 0 || (rows.length === 1 && rows[0].kind === 'snapshot')) return null;
				// The snapshot is merged from exactly the rows it replaces (deleted by id), whichever node
				// appended them; a row committed after the SELECT is kept beside it.
				const snapshot = await mergeRowsOffThread(rows.map((row) => view(row.data)));
				const gone = await trx
					.deleteFrom('realtime_updates')
					.where(
						'id',
						'in',
						rows.map((row) => row.id)
					)
					.executeTakeFirst();
				// Nothing deleted: the document was removed meanwhile; never bring it back.
				if (gone.numDeletedRows === 0n) return null;
				await insert(trx, docName, 'snapshot', snapshot);
				return snapshot.byteLength;
			})
		),
		list: guard('list', async (prefix: string) => {
			const end = prefixEnd(prefix);
			let query = db
				.selectFrom('realtime_updates')
				.select('doc_name')
				.distinct()
				.where('doc_name', '>=', prefix);
			if (end !== null) query = query.where('doc_name', '<', end);
			const rows = await query.orderBy('doc_name').execute();
			return rows.map((row) => row.doc_name);
		}),
		create: guard('create', (docName: string, snapshot: Uint8Array, tx?: PgExecutor) =>
			inTransaction(db, tx, async (trx) => {
				await sql`select pg_advisory_xact_lock(hashtextextended(${docName}, 0))`.execute(trx);
				const existing = await trx
					.selectFrom('realtime_updates')
					.select('id')
					.where('doc_name', '=', docName)
					.limit(1)
					.executeTakeFirst();
				if (existing) throw new Error('board-exists');
				await insert(trx, docName, 'snapshot', snapshot);
			})
		),
		removeDocs: guard('removeDocs', (prefix: string, tx?: PgExecutor) =>
			inTransaction(db, tx, async (trx) => {
				await sql`LOCK TABLE realtime_updates IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
				const end = prefixEnd(prefix);
				let query = trx.deleteFrom('realtime_updates').where('doc_name', '>=', prefix);
				if (end !== null) query = query.where('doc_name', '<', end);
				await query.execute();
			})
		),
		async close() {
			// The pool belongs to whoever connected it (the app context or the test), which ends it.
		}
	};
}
