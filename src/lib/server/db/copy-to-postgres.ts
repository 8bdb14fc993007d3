/**
 * Copies a whole SQLite installation into PostgreSQL (`npm run kompas -- migrate-to-postgres`,
 * server/cli.ts). The database layer's job, so it names every table: the owners' adapters stay
 * per table.
 *
 * - The target is migrated first, then everything happens in ONE PostgreSQL transaction that
 *   first locks every table and refuses when any holds a row: a failure anywhere (PostgreSQL gone,
 *   a row it refuses, a count that does not match) leaves the target as it was.
 * - SQLite is read in one read transaction, so the copy is one consistent moment, even while
 *   Kompas writes (what it writes after that moment is not copied: `sourceChanged` says so).
 * - Tables go in foreign-key order, in batches by primary key (keyset pages, at most `batchRows`
 *   rows and about `batchBytes` bytes each), so a large update log is streamed, never held whole.
 * - Ids, timestamps and bytes are kept as they are; identity sequences continue after the highest
 *   id (and after SQLite's AUTOINCREMENT counter).
 * - Before committing it verifies: per table the row count on both sides, and for the update log
 *   per document the count, the bytes and an md5 over every row's id, kind, time and data.
 */
import { createHash, type Hash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { SqlValue, SqliteDatabase } from './driver.ts';
import { migratePostgres, type PgSchema } from './postgres.ts';

export interface CopyProgress {
	table: string;
	copied: number;
	total: number;
}

export interface TableCount {
	table: string;
	sqlite: number;
	postgres: number;
	/**
	 * Every value of every row is the same on both sides (an md5 over the rows in key order; for
	 * the update log, the per-document check below).
	 */
	equal: boolean;
}

export interface UpdateLogCheck {
	documents: number;
	/** Bytes of Yjs updates and snapshots in SQLite. */
	bytes: number;
	/** Documents whose rows differ between the two (count, bytes or digest). */
	mismatched: string[];
}

export interface CopyReport {
	/** Every count and every document matches; the copy is committed only then. */
	ok: boolean;
	tables: TableCount[];
	updateLog: UpdateLogCheck;
	/** Another connection (a running Kompas) committed to SQLite while the copy ran. */
	sourceChanged: boolean;
	ms: number;
}

/** The target already holds rows; nothing was changed. */
export class TargetNotEmptyError extends Error {
	constructor(readonly tables: { table: string; rows: number }[]) {
		super(`the target database is not empty (${tables.map((t) => t.table).join(', ')})`);
	}
}

/** The two schemas do not hold the same tables (a Kompas of another version on one side). */
export class SchemaMismatchError extends Error {}

/** A count or document did not match; the transaction was rolled back. */
export class VerificationError extends Error {
	constructor(readonly report: CopyReport) {
		super('the copy does not match the source');
	}
}

const UPDATE_LOG = 'realtime_updates';
const BOOKKEEPING = /^kompas_migrations/;

interface TableInfo {
	name: string;
	columns: string[];
	/** The keyset order: the primary key (every table has one). */
	key: string[];
	/** Columns holding binary data, whose size decides the batches. */
	blobs: string[];
	/** Key columns holding text (ordered byte by byte on both sides). */
	textKeys: string[];
	/** Tables this one references. */
	references: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function sqliteTables(db: SqliteDatabase): TableInfo[] {
	const names = (
		db
			.prepare(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
			)
			.all() as { name: string }[]
	)
		.map((row) => row.name)
		.filter((name) => !BOOKKEEPING.test(name));
	return names.map((name) => {
		const columns = db.prepare('SELECT * FROM pragma_table_info(?) ORDER BY cid').all(name) as {
			name: string;
			type: string;
			pk: number;
		}[];
		const references = (
			db.prepare('SELECT "table" FROM pragma_foreign_key_list(?)').all(name) as { table: string }[]
		).map((row) => row.table);
		const key = columns
			.filter((c) => c.pk > 0)
			.sort((a, b) => a.pk - b.pk)
			.map((c) => c.name);
		if (key.length === 0) throw new SchemaMismatchError(`table ${name} has no primary key`);
		return {
			name,
			columns: columns.map((c) => c.name),
			key,
			blobs: columns.filter((c) => /BLOB/i.test(c.type)).map((c) => c.name),
			textKeys: columns.filter((c) => c.pk > 0 && !/INT/i.test(c.type)).map((c) => c.name),
			references: [...new Set(references)].filter((table) => table !== name)
		};
	});
}

/** Tables in an order where every table comes after the tables it references. */
export function foreignKeyOrder<T extends { name: string; references: string[] }>(
	tables: T[]
): T[] {
	const byName = new Map(tables.map((table) => [table.name, table]));
	const done = new Set<string>();
	const ordered: T[] = [];
	const visit = (table: T, path: string[]) => {
		if (done.has(table.name)) return;
		if (path.includes(table.name))
			throw new SchemaMismatchError(`foreign keys form a cycle: ${[...path, table.name]}`);
		for (const name of table.references) {
			const target = byName.get(name);
			if (target) visit(target, [...path, table.name]);
		}
		done.add(table.name);
		ordered.push(table);
	};
	for (const table of tables) visit(table, []);
	return ordered;
}

/**
 * The rows of `table` in primary-key order, in batches of at most `maxRows` rows and (as far as
 * one row allows) `maxBytes` bytes of binary data. Reads only: run it in a read transaction.
 */
function* batches(
	db: SqliteDatabase,
	table: TableInfo,
	maxRows: number,
	maxBytes: number
): Generator<Record<string, SqlValue>[]> {
	const key = table.key.map(quote).join(', ');
	const after = (bound: SqlValue[] | null, op: string) =>
		bound ? `(${key}) ${op} (${bound.map(() => '?').join(', ')})` : '1';
	const size = table.blobs.length ? table.blobs.map((b) => `length(${quote(b)})`).join(' + ') : '0';
	const pageSize = Math.max(maxRows, 1000);
	let from: SqlValue[] | null = null;
	for (;;) {
		// A page of keys and sizes first, then the rows in pieces that fit the limits.
		const page = db
			.prepare(
				`SELECT ${key}, ${size} AS kompas_size FROM ${quote(table.name)} WHERE ${after(from, '>')} ORDER BY ${key} LIMIT ${pageSize}`
			)
			.all(...(from ?? [])) as Record<string, SqlValue>[];
		if (page.length === 0) return;
		let start: SqlValue[] | null = from;
		let rows = 0;
		let bytes = 0;
		for (const [i, entry] of page.entries()) {
			rows++;
			bytes += Number(entry.kompas_size ?? 0);
			if (rows < maxRows && bytes < maxBytes && i < page.length - 1) continue;
			const end = table.key.map((column) => entry[column]);
			yield db
				.prepare(
					`SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)} WHERE ${after(start, '>')} AND ${after(end, '<=')} ORDER BY ${key}`
				)
				.all(...(start ?? []), ...end) as Record<string, SqlValue>[];
			start = end;
			rows = 0;
			bytes = 0;
		}
		from = start;
	}
}

const toPostgres = (value: SqlValue) =>
	value instanceof Uint8Array
		? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
		: value;

/** Per document of the update log: rows, bytes and an md5 over `id:kind:created_at:md5(data)`, comma-separated. */
interface DocDigest {
	rows: number;
	bytes: number;
	hash: Hash;
}

/**
 * A row as the PostgreSQL side renders it in `verify`: values as text (bytes as their md5, null as
 * \\N), separated by U+001F, ended by U+001E.
 */
function rowText(table: TableInfo, row: Record<string, SqlValue>): string {
	return (
		table.columns
			.map((column) => {
				const value = row[column];
				if (value === null || value === undefined) return '\\N';
				if (value instanceof Uint8Array) return createHash('md5').update(value).digest('hex');
				return String(value);
			})
			.join('\x1f') + '\x1e'
	);
}

/** The md5 over every row of a table (not the update log, which is checked per document). */
function digestRows(hashes: Map<string, Hash>, table: TableInfo, rows: Record<string, SqlValue>[]) {
	let hash = hashes.get(table.name);
	if (!hash) {
		hash = createHash('md5');
		hashes.set(table.name, hash);
	}
	for (const row of rows) hash.update(rowText(table, row));
}

function digestRow(digests: Map<string, DocDigest>, row: Record<string, SqlValue>) {
	const doc = String(row.doc_name);
	const data = row.data as Uint8Array;
	let digest = digests.get(doc);
	if (!digest) {
		digest = { rows: 0, bytes: 0, hash: createHash('md5') };
		digests.set(doc, digest);
	}
	const md5 = createHash('md5').update(data).digest('hex');
	digest.hash.update(
		`${digest.rows === 0 ? '' : ','}${row.id}:${row.kind}:${row.created_at}:${md5}`
	);
	digest.rows++;
	digest.bytes += data.byteLength;
}

export interface CopyOptions {
	/** Most rows per INSERT (default 500; fewer when a table has many columns). */
	batchRows?: number;
	/** About this many bytes of binary data per INSERT (default 8 MiB). */
	batchBytes?: number;
	/** After every batch; the copy waits for it (the CLI prints progress). */
	onProgress?: (progress: CopyProgress) => void | Promise<void>;
}

/**
 * Copies every table of `source` into `target` (migrated first) and verifies the copy.
 * @returns the report of a committed, verified copy.
 * @throws TargetNotEmptyError when the target holds any row (nothing changed),
 *   SchemaMismatchError when the two schemas hold different tables (nothing changed),
 *   VerificationError when a count or document differs (rolled back), or the error of
 *   PostgreSQL or SQLite (rolled back).
 */
export async function copySqliteToPostgres(
	source: SqliteDatabase,
	target: Kysely<PgSchema>,
	options: CopyOptions = {}
): Promise<CopyReport> {
	const started = performance.now();
	await migratePostgres(target);
	const tables = foreignKeyOrder(sqliteTables(source));
	const { rows: pgTables } = await sql<{ name: string; identity: string | null }>`
		select t.table_name as name,
			(select c.column_name from information_schema.columns c
				where c.table_schema = t.table_schema and c.table_name = t.table_name
					and c.is_identity = 'YES' limit 1) as identity
		from information_schema.tables t
		where t.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(target);
	const identity = new Map(
		pgTables.filter((t) => !BOOKKEEPING.test(t.name)).map((t) => [t.name, t.identity])
	);
	const missing = tables.filter((t) => !identity.has(t.name)).map((t) => t.name);
	const extra = [...identity.keys()].filter((name) => !tables.some((t) => t.name === name));
	if (missing.length || extra.length)
		throw new SchemaMismatchError(
			`the schemas differ: only in SQLite: ${missing.join(', ') || '-'}; only in PostgreSQL: ${extra.join(', ') || '-'}`
		);

	const maxBytes = options.batchBytes ?? 8 * 1024 * 1024;
	const version = source.pragma('data_version', { simple: true });
	source.exec('BEGIN');
	let report: CopyReport;
	try {
		// The first read fixes the moment every later read of this transaction sees.
		const totals = new Map(
			tables.map((table) => [
				table.name,
				Number(
					(source.prepare(`SELECT count(*) AS n FROM ${quote(table.name)}`).get() as { n: number })
						.n
				)
			])
		);
		report = await target.transaction().execute(async (trx) => {
			// No Kompas node writes meanwhile, and the emptiness checked below stays true.
			await sql`lock table ${sql.join(tables.map((t) => sql.table(t.name)))} in access exclusive mode`.execute(
				trx
			);
			const occupied: { table: string; rows: number }[] = [];
			for (const table of tables) {
				const rows = await countRows(trx, table.name);
				if (rows > 0) occupied.push({ table: table.name, rows });
			}
			if (occupied.length) throw new TargetNotEmptyError(occupied);

			const digests = new Map<string, DocDigest>();
			const hashes = new Map<string, Hash>();
			for (const table of tables) {
				const total = totals.get(table.name) ?? 0;
				const maxRows = Math.max(
					1,
					Math.min(options.batchRows ?? 500, Math.floor(30_000 / table.columns.length))
				);
				const overriding = identity.get(table.name) ? sql`overriding system value` : sql``;
				let copied = 0;
				for (const rows of batches(source, table, maxRows, maxBytes)) {
					await sql`insert into ${sql.table(table.name)} (${sql.join(table.columns.map((c) => sql.ref(c)))}) ${overriding} values ${sql.join(
						rows.map(
							(row) => sql`(${sql.join(table.columns.map((column) => toPostgres(row[column])))})`
						)
					)}`.execute(trx);
					if (table.name === UPDATE_LOG) for (const row of rows) digestRow(digests, row);
					else digestRows(hashes, table, rows);
					copied += rows.length;
					await options.onProgress?.({ table: table.name, copied, total });
				}
				const column = identity.get(table.name);
				if (column) await continueIdentity(source, trx, table.name, column);
			}
			const checked = await verify(trx, tables, totals, digests, hashes);
			const result = { ...checked, sourceChanged: false, ms: 0 };
			if (!result.ok) throw new VerificationError(result);
			return result;
		});
	} catch (error) {
		if (error instanceof VerificationError) error.report.ms = performance.now() - started;
		throw error;
	} finally {
		source.exec('COMMIT');
	}
	report.sourceChanged = source.pragma('data_version', { simple: true }) !== version;
	report.ms = performance.now() - started;
	return report;
}

async function countRows(on: Kysely<PgSchema> | Transaction<PgSchema>, table: string) {
	const { rows } = await sql<{
		n: string;
	}>`select count(*) as n from ${sql.table(table)}`.execute(on);
	return Number(rows[0].n);
}

/** The identity sequence continues after the highest id SQLite ever gave (AUTOINCREMENT). */
async function continueIdentity(
	source: SqliteDatabase,
	trx: Transaction<PgSchema>,
	table: string,
	column: string
) {
	const hasSequence = source
		.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
		.get();
	const seq = hasSequence
		? Number(
				(
					source.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as
						{ seq: number } | undefined
				)?.seq ?? 0
			)
		: 0;
	const { rows } = await sql<{ max: string | null }>`
		select max(${sql.ref(column)}) as max from ${sql.table(table)}`.execute(trx);
	const last = Math.max(seq, Number(rows[0].max ?? 0));
	if (last > 0)
		await sql`select setval(pg_get_serial_sequence(${table}, ${column}), ${last})`.execute(trx);
}

async function verify(
	trx: Transaction<PgSchema>,
	tables: TableInfo[],
	totals: Map<string, number>,
	digests: Map<string, DocDigest>,
	hashes: Map<string, Hash>
): Promise<Omit<CopyReport, 'sourceChanged' | 'ms'>> {
	const counts: TableCount[] = [];
	for (const table of tables) {
		if (table.name === UPDATE_LOG) {
			counts.push({
				table: table.name,
				sqlite: totals.get(table.name) ?? 0,
				postgres: await countRows(trx, table.name),
				equal: true // set from the documents below
			});
			continue;
		}
		// The same rendering as rowText, in the same order (text keys byte by byte, as SQLite's BINARY).
		const values = table.columns.map((column) =>
			table.blobs.includes(column)
				? sql`coalesce(md5(${sql.ref(column)}), '\\N')`
				: sql`coalesce(${sql.ref(column)}::text, '\\N')`
		);
		const order = table.key.map((column) =>
			table.textKeys.includes(column) ? sql`${sql.ref(column)} collate "C"` : sql.ref(column)
		);
		const { rows } = await sql<{ n: string; digest: string }>`
			select count(*) as n,
				md5(coalesce(string_agg(concat_ws(chr(31), ${sql.join(values)}) || chr(30), '' order by ${sql.join(order)}), '')) as digest
			from ${sql.table(table.name)}`.execute(trx);
		const expected = (hashes.get(table.name) ?? createHash('md5')).digest('hex');
		counts.push({
			table: table.name,
			sqlite: totals.get(table.name) ?? 0,
			postgres: Number(rows[0].n),
			equal: rows[0].digest === expected
		});
	}
	const { rows } = await sql<{ doc_name: string; n: string; bytes: string; digest: string }>`
		select doc_name, count(*) as n, sum(length(data)) as bytes,
			md5(string_agg(id::text || ':' || kind || ':' || created_at::text || ':' || md5(data), ','
				order by id)) as digest
		from realtime_updates group by doc_name`.execute(trx);
	const copied = new Map(rows.map((row) => [row.doc_name, row]));
	const mismatched = new Set<string>();
	let bytes = 0;
	for (const [doc, digest] of digests) {
		bytes += digest.bytes;
		const there = copied.get(doc);
		if (
			!there ||
			Number(there.n) !== digest.rows ||
			Number(there.bytes) !== digest.bytes ||
			there.digest !== digest.hash.digest('hex')
		)
			mismatched.add(doc);
	}
	for (const doc of copied.keys()) if (!digests.has(doc)) mismatched.add(doc);
	const log = counts.find((c) => c.table === UPDATE_LOG);
	if (log) log.equal = mismatched.size === 0;
	return {
		ok: counts.every((c) => c.sqlite === c.postgres && c.equal) && mismatched.size === 0,
		tables: counts,
		updateLog: { documents: digests.size, bytes, mismatched: [...mismatched].sort() }
	};
}

/**
 * Verifies an already copied target against `source` (counts per table, the update log per
 * document), without changing either. For an operator's second look, and for the tests that
 * check the verification itself sees a difference.
 */
export async function verifyCopy(
	source: SqliteDatabase,
	target: Kysely<PgSchema>
): Promise<Omit<CopyReport, 'sourceChanged' | 'ms'>> {
	const tables = foreignKeyOrder(sqliteTables(source));
	source.exec('BEGIN');
	try {
		const totals = new Map<string, number>();
		const digests = new Map<string, DocDigest>();
		const hashes = new Map<string, Hash>();
		for (const table of tables) {
			let n = 0;
			for (const rows of batches(source, table, 500, 8 * 1024 * 1024)) {
				n += rows.length;
				if (table.name === UPDATE_LOG) for (const row of rows) digestRow(digests, row);
				else digestRows(hashes, table, rows);
			}
			totals.set(table.name, n);
		}
		return await target
			.transaction()
			.setAccessMode('read only')
			.execute((trx) => verify(trx, tables, totals, digests, hashes));
	} finally {
		source.exec('COMMIT');
	}
}
