/**
 * The databases the server specs run on (issue 12 item 5): embedded SQLite (a fresh data dir) and
 * PostgreSQL (a fresh database on the one PostgreSQL that tests/services/global-setup.ts starts per
 * Vitest run). A spec runs its body once per backend:
 *
 *   describe.each(SERVER_BACKENDS)('the write rules (%s)', (backend) => {
 *     beforeAll(async () => (server = await startServer({ storage: await freshStorage(backend) })));
 *     …
 *   });
 *
 * `openApp(storage)` opens a second context on the same storage (what another node, or the test
 * itself reading behind the server's back, sees); `storage.env` is what a spawned server needs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import {
	createAppContext,
	type AppConfig,
	type AppContext
} from '../../../src/lib/server/context.ts';

export { SERVER_BACKENDS, type Backend } from './backend-list.ts';
import type { Backend } from './backend-list.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The run's PostgreSQL (superuser `kompas`), or null when no spec needs it. */
		postgresUrl: string | null;
	}
}

/** Where one installation keeps its data. */
export interface Storage {
	backend: Backend;
	/** Always set: SQLite's file lives here, and on PostgreSQL nothing does. */
	dataDir: string;
	/** `postgres://…/<fresh database>` on PostgreSQL, null on SQLite. */
	databaseUrl: string | null;
	/** The environment a spawned server (helpers/serve.ts) needs for it. */
	env: Record<string, string>;
}

let databases = 0;

/** A fresh installation: an empty data dir, and on PostgreSQL an empty database of its own. */
export async function freshStorage(backend: Backend): Promise<Storage> {
	const dataDir = mkdtempSync(join(tmpdir(), 'kompas-rt-'));
	if (backend === 'sqlite') return { backend, dataDir, databaseUrl: null, env: {} };
	const admin = inject('postgresUrl');
	if (!admin)
		throw new Error(
			'no PostgreSQL for this run: add "postgres" to SERVER_BACKENDS (tests/server/helpers/backends.ts)'
		);
	const name = `kompas_${process.pid}_${Date.now().toString(36)}_${++databases}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	try {
		await client.query(`CREATE DATABASE ${name}`);
	} finally {
		await client.end();
	}
	const url = new URL(admin);
	url.pathname = `/${name}`;
	const databaseUrl = url.toString();
	return { backend, dataDir, databaseUrl, env: { KOMPAS_DATABASE_URL: databaseUrl } };
}

/** The app configuration of a test installation on `storage`. */
export function testConfig(
	storage: Pick<Storage, 'dataDir' | 'databaseUrl'>,
	extra: Partial<AppConfig> = {}
): AppConfig {
	return {
		dataDir: storage.dataDir,
		secureCookies: false,
		origin: null,
		...extra,
		databaseUrl: storage.databaseUrl
	};
}

/**
 * Throws when a context on PostgreSQL storage is not on PostgreSQL (a context that ignored
 * `databaseUrl` would run the test on SQLite and pass for the wrong reason).
 */
export function assertBackend(app: AppContext, storage: Pick<Storage, 'backend'>): void {
	const { dialect } = app.database;
	if (dialect !== storage.backend)
		throw new Error(`the app context runs on ${dialect}, the test asked for ${storage.backend}`);
}

/**
 * Opens (another) app context on `storage`, with its own clock when given: what another process
 * sees, and how a test changes the database behind a server's back (no event reaches the server).
 * Close it with `app.close()`.
 */
export async function openApp(storage: Storage, now?: () => Date): Promise<AppContext> {
	const app = await createAppContext(testConfig(storage), now);
	assertBackend(app, storage);
	return app;
}
