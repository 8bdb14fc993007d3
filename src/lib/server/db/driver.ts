import { createRequire } from 'node:module';
import { StorageUnavailableError } from '../updates/store.ts';

/**
 * The SQLite driver, chosen once per process from what the running Node offers. This module is the
 * only place that knows which driver runs; everything else sees `SqliteDatabase`.
 *
 * - Node 22.13+ and 24: the built-in `node:sqlite` (`DatabaseSync`). better-sqlite3 12 aborts on
 *   Node 24 (`Assertion failed: (env) != nullptr` in `RemoveEnvironmentCleanupHook` once the GC
 *   collects a statement, because Node 24 changed `node::ObjectWrap`), and the built-in driver
 *   needs no compiler.
 * - Node 20 (and 22.0–22.12, where `node:sqlite` still needs a flag): better-sqlite3 12, an
 *   optional dependency, so that an install where it cannot build still succeeds on newer Node.
 *
 * Both are synchronous and run SQLite in WAL mode, so the durability promise of the update store
 * (an append has reached the database when it returns) holds on either.
 *
 * Errors that mean the database cannot be reached right now (locked by another process beyond the
 * busy timeout, an I/O error, a full disk, a file that cannot be opened) become
 * `StorageUnavailableError`, as PostgreSQL's do: nothing of that statement was written, and pages
 * show the maintenance message instead of a crash (hooks.server.ts).
 */

/** A value SQLite stores. Booleans are not accepted (better-sqlite3 refuses them). */
export type SqlValue = null | number | bigint | string | Uint8Array;
/**
 * Positional values, or one object of named values for `@name` placeholders (typed `object` so that
 * row interfaces fit; the drivers refuse a property that is not a `SqlValue`).
 */
export type SqlParams = SqlValue[] | [object];

export type RunResult = { changes: number | bigint; lastInsertRowid: number | bigint };

/** A prepared statement. Rows come back as plain objects; BLOBs as `Uint8Array`. */
export interface SqliteStatement {
	run(...params: SqlParams): RunResult;
	get(...params: SqlParams): unknown;
	all(...params: SqlParams): unknown[];
}

/** One open database, whichever driver runs it. */
export interface SqliteDatabase {
	/** Which driver runs this database (for logs and the health endpoint). */
	readonly driver: SqliteDriverName;
	prepare(sql: string): SqliteStatement;
	/** Runs one or more statements without results (migrations, pragmas). */
	exec(sql: string): void;
	/** `PRAGMA <source>`: every row, or with `simple` the first column of the first row. */
	pragma(source: string, options?: { simple?: boolean }): unknown;
	/**
	 * Wraps `fn` in a transaction: committed when it returns, rolled back when it throws. Nested
	 * calls become savepoints, as in better-sqlite3.
	 */
	transaction<Args extends unknown[], R>(fn: (...args: Args) => R): (...args: Args) => R;
	/**
	 * Whether a transaction is open on the connection (SQLite's autocommit flag), whoever opened
	 * it: a statement run now would become part of it. Also true when the driver cannot tell
	 * (node:sqlite before Node 22.16), so that callers take the careful path.
	 */
	inTransaction(): boolean;
	close(): void;
}

export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

type Opener = (path: string) => SqliteDatabase;

const require = createRequire(import.meta.url);
let chosen: { name: SqliteDriverName; open: Opener } | undefined;

/**
 * Opens `path` (`':memory:'` for a throw-away database) with the driver for this Node.
 * @throws when no driver can be loaded (better-sqlite3 missing on Node 20), with what to do.
 */
export function openSqlite(path: string): SqliteDatabase {
	chosen ??= chooseDriver();
	return chosen.open(path);
}

/** The driver `openSqlite` uses on this Node, without opening anything. */
export function sqliteDriverName(): SqliteDriverName {
	chosen ??= chooseDriver();
	return chosen.name;
}

function chooseDriver(): { name: SqliteDriverName; open: Opener } {
	const builtIn = loadNodeSqlite();
	if (builtIn) return { name: 'node:sqlite', open: (path) => nodeSqlite(builtIn, path) };
	let BetterSqlite: BetterSqliteConstructor;
	try {
		BetterSqlite = require('better-sqlite3') as BetterSqliteConstructor;
	} catch (cause) {
		throw new Error(
			`Kompas needs SQLite: on Node ${process.versions.node} that is the better-sqlite3 package, ` +
				'which is not installed or did not build. Run `npm install` again with python3, make and ' +
				'g++ present, or use Node 22.13 or newer (built-in node:sqlite).',
			{ cause }
		);
	}
	return { name: 'better-sqlite3', open: (path) => betterSqlite(BetterSqlite, path) };
}

// ── node:sqlite ─────────────────────────────────────────────────────────────────────────────────

/**
 * The part of `node:sqlite` Kompas uses. Written out because the project's Node types are Node 20's,
 * which has no such module (and so code cannot use a newer API by accident elsewhere).
 */
type NodeSqliteModule = {
	DatabaseSync: new (path: string) => {
		prepare(sql: string): {
			run(...params: SqlParams): RunResult;
			get(...params: SqlParams): unknown;
			all(...params: SqlParams): unknown[];
		};
		exec(sql: string): void;
		/** Node 22.16+ and 24: whether a transaction is open. */
		readonly isTransaction?: boolean;
		close(): void;
	};
};

/** `node:sqlite` where it runs without a flag (Node 22.13+, 23.4+), else undefined. */
function loadNodeSqlite(): NodeSqliteModule | undefined {
	// Node 22 still calls the module experimental and says so on every start; Kompas has chosen it
	// knowingly, so that one warning is kept out of the operator's log. Every other warning passes.
	const emitWarning = process.emitWarning;
	process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
		const text = typeof warning === 'string' ? warning : warning.message;
		if (/SQLite is an experimental feature/.test(text)) return;
		(emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
	}) as typeof process.emitWarning;
	try {
		const sqlite = require('node:sqlite') as NodeSqliteModule;
		return typeof sqlite.DatabaseSync === 'function' ? sqlite : undefined;
	} catch {
		return undefined;
	} finally {
		process.emitWarning = emitWarning;
	}
}

function nodeSqlite(sqlite: NodeSqliteModule, path: string): SqliteDatabase {
	const db = new sqlite.DatabaseSync(path);
	const base = {
		driver: 'node:sqlite' as const,
		prepare(sql: string): SqliteStatement {
			const statement = db.prepare(sql);
			const bind = namedParameters(sql);
			// Callers spread the rows and compare them: give them ordinary objects.
			return {
				run: (...params) => statement.run(...bind(params)),
				get: (...params) => plain(statement.get(...bind(params))),
				all: (...params) => statement.all(...bind(params)).map(plain)
			};
		},
		exec: (sql: string) => db.exec(sql),
		inTransaction: () => db.isTransaction ?? true,
		pragma(source: string, options?: { simple?: boolean }) {
			const rows = base.prepare(`PRAGMA ${source}`).all() as Record<string, unknown>[];
			if (!options?.simple) return rows;
			const first = rows[0];
			return first === undefined ? undefined : Object.values(first)[0];
		},
		close: () => db.close()
	};
	return withTransactions(reachable(base));
}

/**
 * better-sqlite3 binds a row object with more properties than the statement names (callers pass a
 * whole row to an INSERT); node:sqlite refuses the extra ones. This keeps only the named ones.
 */
function namedParameters(sql: string): (params: SqlParams) => SqlParams {
	const names = [...new Set([...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]))];
	if (names.length === 0) return (params) => params;
	return (params) => {
		const [first] = params;
		if (params.length !== 1 || typeof first !== 'object' || first === null) return params;
		if (first instanceof Uint8Array) return params;
		const values = first as Record<string, unknown>;
		return [Object.fromEntries(names.filter((n) => n in values).map((n) => [n, values[n]]))];
	};
}

const plain = (row: unknown): unknown =>
	row === undefined || row === null ? row : Object.assign({}, row);

// ── better-sqlite3 ──────────────────────────────────────────────────────────────────────────────

/** The part of better-sqlite3's API Kompas uses (its own types describe the whole package). */
type BetterSqliteConstructor = new (path: string) => {
	readonly inTransaction: boolean;
	prepare(sql: string): SqliteStatement;
	exec(sql: string): unknown;
	pragma(source: string, options?: { simple?: boolean }): unknown;
	close(): unknown;
};

function betterSqlite(BetterSqlite: BetterSqliteConstructor, path: string): SqliteDatabase {
	const db = new BetterSqlite(path);
	return withTransactions(
		reachable({
			driver: 'better-sqlite3',
			prepare: (sql) => db.prepare(sql),
			exec: (sql) => void db.exec(sql),
			inTransaction: () => db.inTransaction,
			pragma: (source, options) => db.pragma(source, options),
			close: () => void db.close()
		})
	);
}

// ── shared by both ──────────────────────────────────────────────────────────────────────────────

type Base = Omit<SqliteDatabase, 'transaction'>;

/** Primary SQLite result codes (the low byte) that mean "not reachable now", by number and name. */
const UNREACHABLE = new Map([
	[5, 'BUSY'],
	[6, 'LOCKED'],
	[10, 'IOERR'],
	[13, 'FULL'],
	[14, 'CANTOPEN']
]);
const UNREACHABLE_NAMES = new Set(UNREACHABLE.values());

/**
 * The primary result code of a driver error by name (`BUSY` for SQLITE_BUSY_SNAPSHOT too), from
 * node:sqlite's `errcode` or better-sqlite3's `code`; null for anything else. Only the codes of
 * `UNREACHABLE` are named from a number: those are all the ones asked about.
 */
function primaryCode(error: unknown): string | null {
	if (!(error instanceof Error)) return null;
	const { errcode, code } = error as Error & { errcode?: unknown; code?: unknown };
	if (typeof errcode === 'number') return UNREACHABLE.get(errcode & 0xff) ?? null;
	return typeof code === 'string' ? (/^SQLITE_([A-Z]+)/.exec(code)?.[1] ?? null) : null;
}

/** Whether a driver error means the database cannot be reached. */
function isUnreachable(error: unknown): boolean {
	return UNREACHABLE_NAMES.has(primaryCode(error) ?? '');
}

/**
 * Whether a driver error is SQLITE_BUSY (another connection holds the lock), raw from either
 * driver or translated into `StorageUnavailableError` (its `cause`).
 */
export function isBusyError(error: unknown): boolean {
	if (primaryCode(error) === 'BUSY') return true;
	return error instanceof Error && error.cause !== undefined && isBusyError(error.cause);
}

function translated<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => R {
	return (...args) => {
		try {
			return run(...args);
		} catch (error) {
			if (!isUnreachable(error)) throw error;
			throw new StorageUnavailableError(
				`storage: SQLite cannot be reached (${(error as Error).message})`,
				{ cause: error }
			);
		}
	};
}

/** Statements and `exec` throw `StorageUnavailableError` when the database cannot be reached. */
function reachable(base: Base): Base {
	return {
		...base,
		prepare(sql) {
			const statement = translated((text: string) => base.prepare(text))(sql);
			return {
				run: translated((...params: SqlParams) => statement.run(...params)),
				get: translated((...params: SqlParams) => statement.get(...params)),
				all: translated((...params: SqlParams) => statement.all(...params))
			};
		},
		exec: translated((sql: string) => base.exec(sql))
	};
}

/**
 * Adds better-sqlite3's transaction semantics (savepoints when nested) to either driver. A
 * transaction begins IMMEDIATE: it takes the write lock at once (waiting up to `busy_timeout` while
 * another process holds it), so that two Kompas nodes on one database file never fail with
 * SQLITE_BUSY when a transaction that has read starts to write, and a read-then-write (a
 * compaction, a migration) sees no other process's write in between. One process changes nothing:
 * its transactions were serial already.
 */
function withTransactions(base: Base): SqliteDatabase {
	let depth = 0;
	return {
		...base,
		transaction(fn) {
			return (...args) => {
				const savepoint = `kompas_tx_${depth}`;
				base.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
				depth++;
				try {
					const result = fn(...args);
					depth--;
					base.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
					return result;
				} catch (error) {
					depth--;
					base.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
					throw error;
				}
			};
		}
	};
}
