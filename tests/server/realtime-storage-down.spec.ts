/**
 * PostgreSQL unreachable while people write (issue 12 item 4): a change that cannot be stored
 * reaches nobody, the board's sockets close with 4503 ("storage unavailable"), nothing is
 * half-written, and once PostgreSQL is back the change is stored and every client has it, without
 * a restart. The test has a PostgreSQL of its own, since it stops it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../src/lib/domain/close-codes.ts';
import { startPostgres, type PostgresServer } from '../services/services.ts';
import { openApp, type Storage } from './helpers/backends.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, type TestClient } from './helpers/clients.ts';

let postgres: PostgresServer;
let storage: Storage;
let server: TestServer;
beforeAll(async () => {
	postgres = await startPostgres();
	storage = {
		backend: 'postgres',
		dataDir: mkdtempSync(join(tmpdir(), 'kompas-pg-down-')),
		databaseUrl: postgres.url,
		env: { KOMPAS_DATABASE_URL: postgres.url }
	};
	server = await startServer({ storage });
}, 60_000);
afterAll(async () => {
	await server?.close();
	await postgres?.stop();
});

const cards = (c: TestClient) => c.doc.getMap('cards') as Y.Map<Y.Map<unknown>>;
const addCard = (c: TestClient, id: string) => cards(c).set(id, new Y.Map<unknown>([['text', id]]));

describe('PostgreSQL unreachable while a board is in use', () => {
	it('refuses the write with 4503, sends it to nobody, and stores and delivers it once PostgreSQL is back', async () => {
		const board = await fx.board(server.app);
		const room = `board/${board.boardId}`;
		const writer = client(server, room, board.facilitator.cookie);
		const reader = client(server, room, board.facilitator.cookie);
		try {
			await Promise.all([writer.synced(), reader.synced()]);
			addCard(writer, 'voor');
			await eventually(() => expect(cards(reader).has('voor')).toBe(true));

			await postgres.halt();
			addCard(writer, 'tijdens');
			// Both sockets of the board close with the code that says "try again later"...
			await eventually(() => {
				expect(writer.closes.map((c) => c.code)).toContain(CLOSE.storageUnavailable);
				expect(reader.closes.map((c) => c.code)).toContain(CLOSE.storageUnavailable);
			}, 15_000);
			// ... and the change that could not be stored reached nobody.
			expect(cards(reader).has('tijdens')).toBe(false);

			await postgres.resume();
			// The clients reconnect by themselves; the change is delivered and stored.
			await eventually(() => expect(cards(reader).has('tijdens')).toBe(true), 30_000);
			const other = await openApp(storage);
			try {
				await eventually(async () => {
					const doc = new Y.Doc();
					for (const update of (await other.updates.load(room)).updates) Y.applyUpdate(doc, update);
					expect([...doc.getMap('cards').keys()].sort()).toEqual(['tijdens', 'voor']);
				}, 15_000);
			} finally {
				await other.close();
			}
			// Writing goes on as before.
			addCard(reader, 'na');
			await eventually(() => expect(cards(writer).has('na')).toBe(true), 15_000);
		} finally {
			writer.destroy();
			reader.destroy();
		}
	}, 120_000);
});
