import type { Db } from './open.ts';

/**
 * A unit of work: runs `work` so that every write the repositories and the update store make inside
 * it commits together, or (when it throws) none does. A trajectory's deletion removes its rows and
 * its boards' documents in one; an import writes the trajectory and its boards in one.
 *
 * On SQLite every repository and the update store share one connection and are synchronous, so the
 * unit of work is one SQLite transaction (nested ones become savepoints). Issue 12 item 2 makes it
 * `<T>(work: (tx: Tx) => Promise<T>) => Promise<T>` with every port method taking the `tx` it runs
 * in (Kysely's `db.transaction().execute(trx => …)`; on SQLite Kysely serialises transactions on its
 * one connection), so that the same call is one transaction on Postgres (ARCHITECTURE.md).
 */
export type Atomically = <T>(work: () => T) => T;

/** The unit of work on the app's SQLite database. */
export function sqliteUnitOfWork(db: Db): Atomically {
	return (work) => db.transaction(work)();
}
