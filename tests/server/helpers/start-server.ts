/**
 * Starts the real Kompas HTTP server with the realtime upgrade handler on port 0, on a fresh data
 * directory (or a given one). No SvelteKit handler: server tests only need `/health`, `/healthz` and
 * websockets. With a `bus` it is one node among others: its app events cross the bus
 * (events-link.ts) and `/healthz` asks the bus when `redisUrl` is set, as server/index.ts does.
 */
import { createAppContext, type AppContext } from '../../../src/lib/server/context.ts';
import { assertBackend, freshStorage, testConfig, type Storage } from './backends.ts';
import { linkEvents } from '../../../src/lib/server/bus/events-link.ts';
import { deferRepositories, type Delay } from './deferred.ts';
import { createKompasServer, type KompasServer } from '../../../server/http.ts';
import {
	createRealtimeServer,
	type RealtimeOptions,
	type RealtimeServer
} from '../../../server/realtime/index.ts';

export interface TestServer {
	app: AppContext;
	realtime: RealtimeServer;
	kompas: KompasServer;
	port: number;
	/** `http://127.0.0.1:<port>`: the Origin the server accepts. */
	origin: string;
	/** `ws://127.0.0.1:<port>/ws`: the provider's server URL. */
	wsUrl: string;
	dataDir: string;
	storage: Storage;
	close(): Promise<void>;
}

export interface StartOptions extends Partial<Omit<RealtimeOptions, 'app'>> {
	/** Where the installation keeps its data (helpers/backends.ts); default a fresh SQLite data dir. */
	storage?: Storage;
	/** A SQLite data dir to start on (instead of `storage`). */
	dataDir?: string;
	redisUrl?: string;
	/**
	 * The realtime server sees the repositories async, each call answering after `deferred(path,
	 * call)` ms in a later macrotask (helpers/deferred.ts). `KOMPAS_TEST_DEFERRED=1` turns it on
	 * (0 ms) for every server test; `=all` also gives the test itself the deferred context.
	 */
	deferred?: Delay;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
	const { redisUrl, deferred, storage: given, dataDir: sqliteDir, ...rest } = options;
	const storage: Storage =
		given ??
		(sqliteDir
			? { backend: 'sqlite', dataDir: sqliteDir, databaseUrl: null, env: {} }
			: await freshStorage('sqlite'));
	const { dataDir } = storage;
	// Awaited: the context is created asynchronously once it can run on PostgreSQL.
	const app = await createAppContext(testConfig(storage, { redisUrl }));
	assertBackend(app, storage);
	const unlinkEvents = options.bus
		? await linkEvents(app.events, options.bus, { logError: () => {} })
		: null;
	const mode = process.env.KOMPAS_TEST_DEFERRED;
	const delay = deferred ?? (mode === '1' || mode === 'all' ? () => 0 : null);
	const realtime = createRealtimeServer({
		unloadDelayMs: 50,
		log: () => {},
		...rest,
		app: delay ? deferRepositories(app, delay) : app
	});
	const kompas = createKompasServer({
		app,
		upgrade: realtime.upgrade,
		health: { redis: redisUrl && options.bus ? options.bus : null },
		beforeClose: async () => {
			await realtime.close();
			await unlinkEvents?.();
		}
	});
	const { port } = await kompas.listen(0, '127.0.0.1');
	return {
		// `KOMPAS_TEST_DEFERRED=all`: the test's own calls are async too, as after the switch to the
		// async repositories, so a call a test forgot to await shows.
		app: mode === 'all' ? deferRepositories(app) : app,
		realtime,
		kompas,
		port,
		origin: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/ws`,
		dataDir,
		storage,
		close: () => kompas.close()
	};
}
