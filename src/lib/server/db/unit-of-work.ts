import { kyselyUnitOfWork, type Executor } from './repository.ts';

/**
 * A unit of work: runs `work` so that every write the repositories and the update store make inside
 * it commits together, or (when it rejects) none does. A trajectory's deletion removes its rows and
 * its boards' documents in one; an import writes the trajectory and its boards in one.
 *
 * `work` gets the transaction `tx`, and every port call inside passes it (`delete(id, tx)`,
 * `updates.removeDocs(prefix, tx)`): on PostgreSQL a call without it would run outside the unit, on
 * SQLite it would wait for the unit's one connection (a deadlock). On SQLite, Kysely's driver holds
 * its one connection for the whole unit, and the update store and client owners go through the same
 * gate (kysely-sqlite.ts `sqliteGate`), so nothing else runs inside the unit while it awaits.
 */
export type Atomically = <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;

/** The unit of work on the app's Kysely database (SQLite or PostgreSQL). */
export function unitOfWork(db: Executor): Atomically {
	return kyselyUnitOfWork(db);
}
