/**
 * A Kompas realtime server as its own process, for the crash test: `tsx tests/server/helpers/serve.ts`
 * with KOMPAS_DATA_DIR and PORT (0 for any). Prints `{"port":N}` on stdout once listening. SIGTERM
 * closes it gracefully; SIGKILL is what the test is about. With KOMPAS_REDIS_URL it is one node of
 * several (server/node.ts), as in production; with KOMPAS_DATABASE_URL it stores in PostgreSQL.
 * With KOMPAS_PROCESSES=N it is the primary of N children (server/processes.ts), each running this
 * file again, and prints `{"port":N,"pids":[…]}` once they all serve.
 */
import { createAppContext, type AppConfig } from '../../../src/lib/server/context.ts';
import { createKompasServer } from '../../../server/http.ts';
import { createRealtimeServer } from '../../../server/realtime/index.ts';
import { createNodeBus, nodeConfigFromEnv } from '../../../server/node.ts';
import {
	childIndex,
	processCountFromEnv,
	serveHandedConnections,
	startPrimary
} from '../../../server/processes.ts';

const count = processCountFromEnv();
if (count > 1 && childIndex() === null) {
	const primary = await startPrimary({
		count,
		entry: new URL(import.meta.url).pathname,
		port: Number(process.env.PORT ?? 0),
		host: '127.0.0.1',
		log: (line) => process.stderr.write(`${line}\n`)
	});
	const announce = () =>
		process.stdout.write(
			`${JSON.stringify({ port: primary.address.port, pids: primary.pids() })}\n`
		);
	announce();
	// `pids` on stdin: the children's process ids again (after a restart).
	process.stdin.on('data', announce);
	process.on('SIGTERM', () => void primary.close().then(() => process.exit(0)));
} else await serve();

async function serve() {
	// KOMPAS_DATABASE_URL: PostgreSQL, as in production.
	const config: AppConfig = {
		dataDir: process.env.KOMPAS_DATA_DIR ?? './data',
		secureCookies: false,
		origin: null,
		databaseUrl: process.env.KOMPAS_DATABASE_URL || null
	};
	const app = await createAppContext(config);
	const bus = await createNodeBus(nodeConfigFromEnv());
	const realtime = createRealtimeServer({
		app,
		bus,
		flushDelayMs: process.env.FLUSH_DELAY_MS ? Number(process.env.FLUSH_DELAY_MS) : undefined,
		unloadDelayMs: 200,
		log: () => {}
	});
	const kompas = createKompasServer({
		app,
		upgrade: realtime.upgrade,
		beforeClose: async () => {
			await realtime.close();
			await bus.close();
		}
	});
	if (childIndex() !== null) serveHandedConnections(kompas.server, () => kompas.close());
	else {
		const { port } = await kompas.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
		process.stdout.write(`${JSON.stringify({ port })}\n`);
	}
	process.on('SIGTERM', () => void kompas.close().then(() => process.exit(0)));
}
