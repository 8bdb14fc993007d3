/**
 * A Kompas realtime server as its own process, for the crash test: `tsx tests/server/helpers/serve.ts`
 * with KOMPAS_DATA_DIR and PORT (0 for any). Prints `{"port":N}` on stdout once listening. SIGTERM
 * closes it gracefully; SIGKILL is what the test is about.
 */
import { createAppContext } from '../../../src/lib/server/context.ts';
import { createKompasServer } from '../../../server/http.ts';
import { createRealtimeServer } from '../../../server/realtime/index.ts';

const app = createAppContext({
	dataDir: process.env.KOMPAS_DATA_DIR ?? './data',
	secureCookies: false,
	origin: null
});
const realtime = createRealtimeServer({
	app,
	flushDelayMs: process.env.FLUSH_DELAY_MS ? Number(process.env.FLUSH_DELAY_MS) : undefined,
	unloadDelayMs: 200,
	log: () => {}
});
const kompas = createKompasServer({
	app,
	upgrade: realtime.upgrade,
	beforeClose: () => realtime.close()
});
const { port } = await kompas.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void kompas.close().then(() => process.exit(0)));
