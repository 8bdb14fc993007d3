/**
 * The `UpdateStore` contract, run against every adapter (memory, SQLite; issue 12 item 2 adds
 * Postgres to the list): what the rooms and the app (boards.ts) rely on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/open.ts';
import { createMemoryStore } from './store.memory.ts';
import { createSqliteStore } from './store.sqlite.ts';
import { createMemoryClientOwners, createSqliteClientOwners } from './client-owners.ts';
import type { UpdateStore } from './store.ts';

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));
const sqlite = () => {
	const db = createDb(':memory:');
	dbs.push(db);
	return db;
};

const bytes = (...values: number[]) => new Uint8Array(values);

describe.each([
	['memory', (): UpdateStore => createMemoryStore()],
	['sqlite', (): UpdateStore => createSqliteStore(sqlite())]
])('UpdateStore (%s)', (_name, make) => {
	it('appends, loads, compacts and lists', async () => {
		const store = make();
		await store.append('board/t.1', bytes(1));
		await store.append('board/t.1', bytes(2, 3));
		expect(await store.load('board/t.1')).toEqual({ updates: [bytes(1), bytes(2, 3)], bytes: 3 });
		await store.compact('board/t.1', bytes(9));
		expect((await store.load('board/t.1')).updates).toEqual([bytes(9)]);
		await store.append('private/t.1/p', bytes(4));
		expect(await store.list('board/t.')).toEqual(['board/t.1']);
		expect(await store.load('board/unknown.1')).toEqual({ updates: [], bytes: 0 });
	});

	it('creates a document once, refusing one that has content', async () => {
		const store = make();
		store.create('board/t.2', bytes(5));
		expect((await store.load('board/t.2')).updates).toEqual([bytes(5)]);
		expect(() => store.create('board/t.2', bytes(6))).toThrow('board-exists');
		expect((await store.load('board/t.2')).updates).toEqual([bytes(5)]);
	});

	it('removes every document under a prefix, and a compaction never brings one back', async () => {
		const store = make();
		for (const name of ['board/t.1', 'board/t.2', 'private/t.1/p', 'board/tt.1'])
			await store.append(name, bytes(1));
		store.removeDocs('board/t.');
		store.removeDocs('private/t.');
		expect(await store.list('')).toEqual(['board/tt.1']);
		await store.compact('board/t.1', bytes(7));
		expect((await store.load('board/t.1')).updates).toEqual([]);
	});
});

describe.each([
	['memory', () => createMemoryClientOwners()],
	['sqlite', () => createSqliteClientOwners(sqlite())]
])('ClientOwners (%s)', (_name, make) => {
	it('binds once and forgets a prefix', () => {
		const owners = make();
		owners.bind('board/t.1', 7, 'participant:a');
		owners.bind('board/t.1', 7, 'participant:b');
		owners.bind('board/tt.1', 8, 'user:c');
		expect(owners.load('board/t.1')).toEqual(new Map([[7, 'participant:a']]));
		owners.removeDocs('board/t.');
		expect(owners.load('board/t.1')).toEqual(new Map());
		expect(owners.load('board/tt.1')).toEqual(new Map([[8, 'user:c']]));
	});
});
