/**
 * The `UpdateStore` and `ClientOwners` contracts, run against every adapter: memory, SQLite and a
 * real PostgreSQL (tests/services/services.ts starts one on a free port). What the rooms and the
 * app (boards.ts) rely on. The contract is written against the async form of the ports
 * (`AsyncUpdateStore`, `AsyncClientOwners`), which the synchronous adapters reach through
 * `asyncUpdateStore`/`asyncClientOwners`.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { useMigratedPostgres } from '../../../../tests/services/databases.ts';
import { createDb, type Db } from '../db/open.ts';
import { migratePostgres, postgresUnitOfWork, type PostgresDb } from '../db/postgres.ts';
import { createMemoryStore } from './store.memory.ts';
import { createSqliteStore } from './store.sqlite.ts';
import { createPostgresStore } from './store.postgres.ts';
import {
	asyncClientOwners,
	createMemoryClientOwners,
	createSqliteClientOwners,
	type AsyncClientOwners
} from './client-owners.ts';
import { createPostgresClientOwners } from './client-owners.postgres.ts';
import { asyncUpdateStore, type AsyncUpdateStore, type UpdateStore } from './store.ts';

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));
const sqlite = () => {
	const db = createDb(':memory:');
	dbs.push(db);
	return db;
};

const pg = useMigratedPostgres();
/** A clean PostgreSQL for each test (the tables, not the cluster: that takes seconds). */
async function postgres(): Promise<PostgresDb> {
	await sql`TRUNCATE realtime_updates, realtime_client_owners`.execute(pg.db);
	return pg;
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe.each([
	['memory', async (): Promise<AsyncUpdateStore> => asyncUpdateStore(createMemoryStore())],
	['sqlite', async (): Promise<AsyncUpdateStore> => asyncUpdateStore(createSqliteStore(sqlite()))],
	['postgres', async (): Promise<AsyncUpdateStore> => createPostgresStore(await postgres())]
])('UpdateStore (%s)', (_name, make) => {
	it('appends, loads, compacts and lists', async () => {
		const store = await make();
		await store.append('board/t.1', bytes(1));
		await store.append('board/t.1', bytes(2, 3));
		expect(await store.load('board/t.1')).toEqual({ updates: [bytes(1), bytes(2, 3)], bytes: 3 });
		await store.compact('board/t.1', bytes(9));
		expect((await store.load('board/t.1')).updates).toEqual([bytes(9)]);
		await store.append('board/t.1', bytes(4));
		expect((await store.load('board/t.1')).updates).toEqual([bytes(9), bytes(4)]);
		await store.append('private/t.1/p', bytes(4));
		expect(await store.list('board/t.')).toEqual(['board/t.1']);
		expect((await store.list('')).sort()).toEqual(['board/t.1', 'private/t.1/p']);
		expect(await store.load('board/unknown.1')).toEqual({ updates: [], bytes: 0 });
	});

	it('creates a document once, refusing one that has content', async () => {
		const store = await make();
		await store.create('board/t.2', bytes(5));
		expect((await store.load('board/t.2')).updates).toEqual([bytes(5)]);
		await expect(store.create('board/t.2', bytes(6))).rejects.toThrow('board-exists');
		expect((await store.load('board/t.2')).updates).toEqual([bytes(5)]);
	});

	it('removes every document under a prefix, and a compaction never brings one back', async () => {
		const store = await make();
		for (const name of ['board/t.1', 'board/t.2', 'private/t.1/p', 'board/tt.1', 'board/t/'])
			await store.append(name, bytes(1));
		await store.removeDocs('board/t.');
		await store.removeDocs('private/t.');
		expect((await store.list('')).sort()).toEqual(['board/t/', 'board/tt.1']);
		await store.compact('board/t.1', bytes(7));
		expect((await store.load('board/t.1')).updates).toEqual([]);
	});

	it('keeps bytes as they were (every byte value, a large update)', async () => {
		const store = await make();
		const all = Uint8Array.from({ length: 256 }, (_, i) => i);
		const large = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
		await store.append('board/b.1', all);
		await store.append('board/b.1', large);
		const { updates, bytes: size } = await store.load('board/b.1');
		expect(updates).toEqual([all, large]);
		expect(size).toBe(256 + (1 << 20));
	});
});

describe('UpdateStore (memory, sqlite): synchronous inside a SQLite unit of work', () => {
	it.each([
		['memory', (): UpdateStore => createMemoryStore()],
		['sqlite', (): UpdateStore => createSqliteStore(sqlite())]
	])('%s: create throws at the call, so the transaction around it rolls back', (_name, make) => {
		const store = make();
		store.create('board/t.2', bytes(5));
		expect(() => store.create('board/t.2', bytes(6))).toThrow('board-exists');
	});
});

describe('UpdateStore (postgres): units of work and concurrency', () => {
	it("create and removeDocs run in the caller's transaction: all or nothing", async () => {
		const db = await postgres();
		const store = createPostgresStore(db);
		const owners = createPostgresClientOwners(db);
		const atomically = postgresUnitOfWork(db.db);
		await store.append('board/t.1', bytes(1));
		await owners.bind('board/t.1', 7, 'participant:a');
		await expect(
			atomically(async (tx) => {
				await store.removeDocs('board/t.', tx);
				await owners.removeDocs('board/t.', tx);
				await store.create('board/n.1', bytes(2), tx);
				throw new Error('disk full');
			})
		).rejects.toThrow('disk full');
		expect(await store.list('')).toEqual(['board/t.1']);
		expect(await owners.load('board/t.1')).toEqual(new Map([[7, 'participant:a']]));

		await atomically(async (tx) => {
			await store.removeDocs('board/t.', tx);
			await owners.removeDocs('board/t.', tx);
			await store.create('board/n.1', bytes(2), tx);
		});
		expect(await store.list('')).toEqual(['board/n.1']);
		expect(await owners.load('board/t.1')).toEqual(new Map());
	});

	it('a compaction racing a removal never brings the document back', async () => {
		const store = createPostgresStore(await postgres());
		const names = Array.from({ length: 20 }, (_, i) => `board/r.${i + 1}`);
		for (const name of names) await store.append(name, bytes(1));
		await Promise.all([
			...names.map((name) => store.compact(name, bytes(9))),
			store.removeDocs('board/r.'),
			...names.map((name) => store.compact(name, bytes(8)))
		]);
		expect(await store.list('board/r.')).toEqual([]);
	});

	it('one compaction of a document at a time: while another node compacts it, compact leaves it', async () => {
		const db = await postgres();
		const store = createPostgresStore(db);
		await store.append('board/l.1', bytes(1));
		await store.append('board/l.1', bytes(2));
		// Another node's compaction: a transaction that holds the document's compaction lock.
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const holding = new Promise<void>((resolve) => (locked = resolve));
		const other = db.db.transaction().execute(async (trx) => {
			await sql`select pg_advisory_xact_lock(hashtextextended(${'compact:board/l.1'}, 0))`.execute(
				trx
			);
			locked();
			await held;
		});
		await holding;
		await store.compact('board/l.1', bytes(9));
		expect((await store.load('board/l.1')).updates).toEqual([bytes(1), bytes(2)]);
		release();
		await other;
		await store.compact('board/l.1', bytes(9));
		expect((await store.load('board/l.1')).updates).toEqual([bytes(9)]);
	});

	it('two concurrent creates of one document: exactly one wins', async () => {
		const store = createPostgresStore(await postgres());
		const results = await Promise.allSettled([
			store.create('board/c.1', bytes(1)),
			store.create('board/c.1', bytes(2))
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect((await store.load('board/c.1')).updates).toHaveLength(1);
	});

	it('migrating again changes nothing', async () => {
		const db = await postgres();
		await createPostgresStore(db).append('board/m.1', bytes(1));
		await migratePostgres(db.db);
		expect((await createPostgresStore(db).load('board/m.1')).updates).toEqual([bytes(1)]);
	});
});

describe.each([
	['memory', async (): Promise<AsyncClientOwners> => asyncClientOwners(createMemoryClientOwners())],
	[
		'sqlite',
		async (): Promise<AsyncClientOwners> => asyncClientOwners(createSqliteClientOwners(sqlite()))
	],
	['postgres', async (): Promise<AsyncClientOwners> => createPostgresClientOwners(await postgres())]
])('ClientOwners (%s)', (_name, make) => {
	it('binds once and forgets a prefix', async () => {
		const owners = await make();
		await owners.bind('board/t.1', 7, 'participant:a');
		await owners.bind('board/t.1', 7, 'participant:b');
		await owners.bind('board/t.1', 0xffffffff, 'user:d');
		await owners.bind('board/tt.1', 8, 'user:c');
		expect(await owners.load('board/t.1')).toEqual(
			new Map([
				[7, 'participant:a'],
				[0xffffffff, 'user:d']
			])
		);
		await owners.removeDocs('board/t.');
		expect(await owners.load('board/t.1')).toEqual(new Map());
		expect(await owners.load('board/tt.1')).toEqual(new Map([[8, 'user:c']]));
	});
});
