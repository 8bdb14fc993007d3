/**
 * The PostgreSQL update store when PostgreSQL goes away (issue 12 item 4): calls are refused with
 * `StorageUnavailableError`, nothing is half-written, and once PostgreSQL is back the same store
 * (the same pool, no restart of Kompas) works again.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startPostgres, type PostgresServer } from '../../../../tests/services/services.ts';
import { connectPostgres, migratePostgres, type PostgresDb } from '../db/postgres.ts';
import { createPostgresStore } from './store.postgres.ts';
import { createPostgresClientOwners } from './client-owners.postgres.ts';
import { StorageUnavailableError } from './store.ts';

let server: PostgresServer;
let pg: PostgresDb;
const logged: unknown[] = [];
beforeAll(async () => {
	server = await startPostgres();
	pg = connectPostgres(server.url, { logError: (_message, error) => logged.push(error) });
	await migratePostgres(pg.db);
}, 60_000);
afterAll(async () => {
	await pg?.close();
	await server?.stop();
});

const bytes = (...values: number[]) => new Uint8Array(values);
/** Two real Yjs updates (compaction merges the rows) and the snapshot they make. */
const doc = new Y.Doc();
const updates: Uint8Array[] = [];
doc.on('update', (u: Uint8Array) => updates.push(u));
doc.getMap('m').set('1', 1);
doc.getMap('m').set('2', 2);
const [u1, u2] = updates;
const merged = Y.encodeStateAsUpdate(doc);

describe('UpdateStore (postgres) when PostgreSQL is down', () => {
	it('refuses clearly, writes nothing half, and works again once PostgreSQL is back', async () => {
		const store = createPostgresStore(pg);
		const owners = createPostgresClientOwners(pg);
		const names = Array.from({ length: 20 }, (_, i) => `board/f.${i + 1}`);
		for (const name of names) {
			await store.append(name, u1);
			await store.append(name, u2);
		}
		await owners.bind('board/f.1', 7, 'participant:a');

		// One compaction surely halfway when PostgreSQL is killed: its old rows deleted, its snapshot
		// not yet inserted. A test-only trigger makes the snapshot's INSERT wait for a lock that
		// another transaction holds.
		await sql`create function wait_for_test() returns trigger language plpgsql as $$
			begin perform pg_advisory_xact_lock(4242); return new; end $$`.execute(pg.db);
		await sql`create trigger wait_for_test before insert on realtime_updates for each row
			when (new.doc_name = 'board/f.1') execute function wait_for_test()`.execute(pg.db);
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const holding = new Promise<void>((resolve) => (locked = resolve));
		const blocker = pg.db
			.transaction()
			.execute(async (trx) => {
				await sql`select pg_advisory_xact_lock(4242)`.execute(trx);
				locked();
				await held;
			})
			.catch(() => {});
		await holding;
		const midway = store.compact('board/f.1').then(
			() => null,
			(error: unknown) => error
		);
		await expect
			.poll(async () => {
				const { rows } = await sql<{
					n: number;
				}>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`.execute(
					pg.db
				);
				return rows[0].n;
			})
			.toBe(1);
		// And the others in flight, wherever they are: each happens whole or not at all.
		const others = Promise.allSettled(names.slice(1).map((name) => store.compact(name)));
		await server.halt({ crash: true });
		release();
		await blocker;
		expect(await midway).toBeInstanceOf(StorageUnavailableError);
		const settled = await others;
		for (const result of settled)
			if (result.status === 'rejected')
				expect(result.reason).toBeInstanceOf(StorageUnavailableError);

		const refused = store.append('board/f.1', bytes(3));
		await expect(refused).rejects.toBeInstanceOf(StorageUnavailableError);
		await expect(refused).rejects.toThrow(/update store append: PostgreSQL is unreachable/);
		await expect(store.load('board/f.1')).rejects.toBeInstanceOf(StorageUnavailableError);
		await expect(store.create('board/g.1', bytes(5))).rejects.toBeInstanceOf(
			StorageUnavailableError
		);
		await expect(store.removeDocs('board/f.')).rejects.toBeInstanceOf(StorageUnavailableError);
		await expect(owners.bind('board/f.1', 8, 'participant:b')).rejects.toBeInstanceOf(
			StorageUnavailableError
		);

		await server.resume();
		await sql`drop trigger wait_for_test on realtime_updates`.execute(pg.db);
		// The compaction killed halfway left the whole log.
		expect((await store.load('board/f.1')).updates).toEqual([u1, u2]);
		for (const [i, name] of names.slice(1).entries()) {
			const stored = (await store.load(name)).updates;
			// The whole log or the whole snapshot, never a mix or nothing.
			if (settled[i].status === 'fulfilled') expect(stored).toEqual([merged]);
			else expect([[u1, u2], [merged]]).toContainEqual(stored);
		}
		expect(await store.list('board/g.')).toEqual([]);
		expect(await owners.load('board/f.1')).toEqual(new Map([[7, 'participant:a']]));

		// The same store, without reconnecting by hand.
		await store.append('board/f.1', bytes(3));
		expect((await store.load('board/f.1')).updates.at(-1)).toEqual(bytes(3));
		await store.create('board/g.1', bytes(5));
		await owners.bind('board/f.1', 8, 'participant:b');
		expect((await owners.load('board/f.1')).get(8)).toBe('participant:b');
	}, 60_000);
});
