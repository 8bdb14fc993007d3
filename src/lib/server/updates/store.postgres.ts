/**
 * The PostgreSQL `AsyncUpdateStore` (table `realtime_updates`, migration
 * "0001-realtime-update-log" in db/postgres-migrations.ts): one `bytea` row per update or snapshot.
 *
 * Concurrency, with several Kompas nodes on one database:
 * - `append` is one INSERT: durable when its promise resolves, nothing written when it rejects.
 * - `compact` deletes the rows up to the highest id it saw and inserts the snapshot in one
 *   transaction, under a transaction advisory lock per document: while one node compacts a
 *   document, another node's compaction of it does nothing; rows appended meanwhile (higher ids, or lower ids not yet committed) are kept.
 *   It inserts only when it deleted something, so a document removed meanwhile stays removed.
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
		compact: guard('compact', (docName: string, snapshot: Uint8Array) =>
			db.transaction().execute(async (trx) => {
				// One compaction of a document at a time across nodes (issue 12 item 3): when another
				// node is compacting it, this one leaves the log as it is (it stays correct, only longer).
				const { rows } = await sql<{
					locked: boolean;
				}>`select pg_try_advisory_xact_lock(hashtextextended(${'compact:' + docName}, 0)) as locked`.execute(
					trx
				);
				if (!rows[0]?.locked) return;
				const { max } = await trx
					.selectFrom('realtime_updates')
					.select((eb) => eb.fn.max('id').as('max'))
					.where('doc_name', '=', docName)
					.executeTakeFirstOrThrow();
				if (max === null) return;
				const gone = await trx
					.deleteFrom('realtime_updates')
					.where('doc_name', '=', docName)
					.where('id', '<=', max)
					.executeTakeFirst();
				// Nothing deleted: the document was removed meanwhile; never bring it back.
				if (gone.numDeletedRows === 0n) return;
				await insert(trx, docName, 'snapshot', snapshot);
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
