/**
 * The `UpdateStore` and `ClientOwners` contracts, run against every adapter: memory, SQLite and a
 * real PostgreSQL (tests/services/services.ts starts one on a free port). What the rooms and the
 * app (boards.ts) rely on. The contract is written against the async form of the ports
 * (`AsyncUpdateStore`, `AsyncClientOwners`), which the synchronous adapters reach through
 * `asyncUpdateStore`/`asyncClientOwners`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useMigratedPostgres } from '../../../../tests/services/databases.ts';
import { createDb, type Db } from '../db/open.ts';
import {
	connectPostgres,
	migratePostgres,
	postgresUnitOfWork,
	type PostgresDb
} from '../db/postgres.ts';
import { createMemoryStore } from './store.memory.ts';
import { createGatedSqliteStore, createSqliteStore } from './store.sqlite.ts';
import { sqliteGate, sqliteKysely } from '../db/kysely-sqlite.ts';
import type { Database } from '../db/tables.ts';
import { createPostgresStore } from './store.postgres.ts';
import {
	asyncClientOwners,
	createGatedSqliteClientOwners,
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

/**
 * A writer of real Yjs updates (compaction merges rows, so they must be updates): each call sets
 * one key of map `m` and returns that update. Writers are clients of one document (other nodes).
 */
function writer(): (key: string) => Uint8Array {
	const doc = new Y.Doc();
	return (key) => {
		let update: Uint8Array = new Uint8Array();
		doc.once('update', (u: Uint8Array) => (update = u));
		doc.getMap('m').set(key, key);
		return update;
	};
}
/** The keys of map `m` in the document the updates make. */
function keysOf(updates: Uint8Array[]): string[] {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return [...doc.getMap('m').keys()].sort();
}

describe.each([
	['memory', async (): Promise<AsyncUpdateStore> => asyncUpdateStore(createMemoryStore())],
	['sqlite', async (): Promise<AsyncUpdateStore> => asyncUpdateStore(createSqliteStore(sqlite()))],
	['postgres', async (): Promise<AsyncUpdateStore> => createPostgresStore(await postgres())]
])('UpdateStore (%s)', (_name, make) => {
	it('appends, loads, compacts and lists', async () => {
		const store = await make();
		const write = writer();
		const [u1, u2] = [write('1'), write('2')];
		await store.append('board/t.1', u1);
		await store.append('board/t.1', u2);
		expect(await store.load('board/t.1')).toEqual({
			updates: [u1, u2],
			bytes: u1.byteLength + u2.byteLength
		});
		const size = await store.compact('board/t.1');
		const compacted = (await store.load('board/t.1')).updates;
		expect(compacted).toHaveLength(1);
		expect(size).toBe(compacted[0].byteLength);
		expect(keysOf(compacted)).toEqual(['1', '2']);
		// One snapshot is as compact as it gets.
		expect(await store.compact('board/t.1')).toBeNull();
		await store.append('board/t.1', write('4'));
		expect((await store.load('board/t.1')).updates).toHaveLength(2);
		expect(keysOf((await store.load('board/t.1')).updates)).toEqual(['1', '2', '4']);
		await store.append('private/t.1/p', write('5'));
		expect(await store.list('board/t.')).toEqual(['board/t.1']);
		expect((await store.list('')).sort()).toEqual(['board/t.1', 'private/t.1/p']);
		expect(await store.load('board/unknown.1')).toEqual({ updates: [], bytes: 0 });
	});

	it('merges the snapshot from the stored rows: every writer, removed content dropped', async () => {
		const store = await make();
		// Two nodes' clients write one document; the snapshot is built from the rows, not from
		// anyone's copy of the document.
		const [one, two] = [writer(), writer()];
		await store.append('board/w.1', one('a'));
		await store.append('board/w.1', two('b'));
		await store.compact('board/w.1');
		await store.append('board/w.1', two('c'));
		await store.append('board/w.1', one('d'));
		await store.compact('board/w.1');
		expect(keysOf((await store.load('board/w.1')).updates)).toEqual(['a', 'b', 'c', 'd']);
		// An update that waits for one it depends on is kept too (and completed later).
		const doc = new Y.Doc();
		const text = doc.getText('t');
		const parts: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => parts.push(u));
		text.insert(0, 'x'.repeat(1000));
		text.insert(1000, 'tail');
		text.delete(0, 1000);
		await store.append('board/w.2', parts[1]);
		await store.append('board/w.2', parts[2]);
		await store.compact('board/w.2');
		await store.append('board/w.2', parts[0]);
		const { updates } = await store.load('board/w.2');
		const back = new Y.Doc();
		for (const update of updates) Y.applyUpdate(back, update);
		expect(back.getText('t').toString()).toBe('tail');
		await store.compact('board/w.2');
		// The removed 1000 characters are gone from the snapshot.
		expect((await store.load('board/w.2')).bytes).toBeLessThan(200);
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
		expect(await store.compact('board/t.1')).toBeNull();
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

describe('UpdateStore (sqlite): two nodes on one database file', () => {
	it("each node's compaction keeps the other's rows, appended before or after", async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'kompas-store-')), 'kompas.sqlite');
		const [dbOne, dbTwo] = [createDb(path), createDb(path)];
		dbs.push(dbOne, dbTwo);
		const [one, two] = [createSqliteStore(dbOne), createSqliteStore(dbTwo)];
		const [writeOne, writeTwo] = [writer(), writer()];
		const keys: string[] = [];
		for (let i = 0; i < 30; i++) {
			await one.append('board/s.1', writeOne(`one-${i}`));
			await two.append('board/s.1', writeTwo(`two-${i}`));
			keys.push(`one-${i}`, `two-${i}`);
			if (i % 3 === 0) await (i % 2 ? one : two).compact('board/s.1');
		}
		expect(keysOf((await two.load('board/s.1')).updates)).toEqual(keys.sort());
	});

	it('a compaction whose rows another node compacted or removed while it merged leaves the log as that left it', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'kompas-store-')), 'kompas.sqlite');
		const [dbOne, dbTwo] = [createDb(path), createDb(path)];
		dbs.push(dbOne, dbTwo);
		const [one, two] = [createSqliteStore(dbOne), createSqliteStore(dbTwo)];
		const write = writer();
		for (let i = 0; i < 50; i++) await one.append('board/r.1', write(`k${i}`));
		// Both read the same rows and merge them off the event loop; the first to finish replaces
		// them, and then a row is appended. The second then finds its rows gone.
		const first = two.compact('board/r.1');
		const second = one.compact('board/r.1');
		expect(await first).not.toBeNull();
		await two.append('board/r.1', write('na'));
		expect(await second).toBeNull();
		const rows = (await one.load('board/r.1')).updates;
		expect(rows).toHaveLength(2);
		expect(keysOf(rows)).toEqual([...Array.from({ length: 50 }, (_, i) => `k${i}`), 'na'].sort());

		// A document removed while its compaction merges stays removed.
		await one.append('board/r.1', write('nog een'));
		const removed = one.compact('board/r.1');
		two.removeDocs('board/r.');
		expect(await removed).toBeNull();
		expect(await one.load('board/r.1')).toEqual({ updates: [], bytes: 0 });
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

describe('UpdateStore and ClientOwners (sqlite, behind the connection gate): at once', () => {
	it('appendNow and bind store at once outside a transaction; inside an open unit of work they wait for it', async () => {
		const db = sqlite();
		const kysely = sqliteKysely<Database>(db);
		const store = createGatedSqliteStore(db, sqliteGate(kysely));
		const owners = createGatedSqliteClientOwners(db, sqliteGate(kysely));
		const bound = () => [...createSqliteClientOwners(db).load('board/g.1').keys()];
		// Three writers: no update depends on another.
		const [now, notNow, later] = ['1', '2', '3'].map((key) => writer()(key));
		expect(store.appendNow!('board/g.1', now)).toBe(true);
		expect(keysOf((await store.load('board/g.1')).updates)).toEqual(['1']);
		// A client id's binding too (it goes before the update that brought the id).
		void owners.bind('board/g.1', 7, 'participant:a');
		expect(bound()).toEqual([7]);

		// A unit of work that writes, then awaits something, then rolls back.
		let release!: () => void;
		const awaited = new Promise<void>((resolve) => (release = resolve));
		let began!: () => void;
		const begun = new Promise<void>((resolve) => (began = resolve));
		const unit = kysely.transaction().execute(async (trx) => {
			await sql`INSERT INTO realtime_updates (doc_name, kind, data, created_at) VALUES ('board/g.2', 'update', ${Buffer.from(writer()('x'))}, 0)`.execute(
				trx
			);
			began();
			await awaited;
			throw new Error('rolled back');
		});
		await begun;
		// A row written now would be part of the unit, and roll back with it.
		expect(store.appendNow!('board/g.1', notNow)).toBe(false);
		const binding = owners.bind('board/g.1', 8, 'participant:b');
		expect(bound()).toEqual([7]);
		let appended = false;
		const appending = store.append('board/g.1', later).then(() => (appended = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect(appended).toBe(false);
		release();
		await expect(unit).rejects.toThrow('rolled back');
		await Promise.all([appending, binding]);
		expect(bound().sort()).toEqual([7, 8]);
		expect(keysOf((await store.load('board/g.1')).updates)).toEqual(['1', '3']);
		expect((await store.load('board/g.2')).updates).toEqual([]);
		await kysely.destroy();
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
		const write = writer();
		for (const name of names) {
			await store.append(name, write('1'));
			await store.append(name, write('2'));
		}
		await Promise.all([
			...names.map((name) => store.compact(name)),
			store.removeDocs('board/r.'),
			...names.map((name) => store.compact(name))
		]);
		expect(await store.list('board/r.')).toEqual([]);
	});

	it('one compaction of a document at a time: while another node compacts it, compact leaves it', async () => {
		const db = await postgres();
		const store = createPostgresStore(db);
		const write = writer();
		const [u1, u2] = [write('1'), write('2')];
		await store.append('board/l.1', u1);
		await store.append('board/l.1', u2);
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
		expect(await store.compact('board/l.1')).toBeNull();
		expect((await store.load('board/l.1')).updates).toEqual([u1, u2]);
		release();
		await other;
		await store.compact('board/l.1');
		const { updates } = await store.load('board/l.1');
		expect(updates).toHaveLength(1);
		expect(keysOf(updates)).toEqual(['1', '2']);
	});

	it('two nodes appending and compacting one document at once lose no row', async () => {
		const db = await postgres();
		// Two nodes: two stores, each with connections of its own.
		const other = connectPostgres(pg.url, { logError: () => {} });
		try {
			const [one, two] = [createPostgresStore(db), createPostgresStore(other)];
			const [writeOne, writeTwo] = [writer(), writer()];
			const work: Promise<unknown>[] = [];
			for (let i = 0; i < 40; i++) {
				work.push(one.append('board/n.1', writeOne(`one-${i}`)));
				work.push(two.append('board/n.1', writeTwo(`two-${i}`)));
				if (i % 4 === 0) work.push(one.compact('board/n.1'), two.compact('board/n.1'));
			}
			await Promise.all(work);
			const keys = keysOf((await one.load('board/n.1')).updates);
			expect(keys).toHaveLength(80);
			await two.compact('board/n.1');
			expect((await one.load('board/n.1')).updates).toHaveLength(1);
			expect(keysOf((await one.load('board/n.1')).updates)).toEqual(keys);
		} finally {
			await other.close();
		}
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
