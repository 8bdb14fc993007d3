/**
 * The Kompas realtime server for the benchmark: the production modules (createKompasServer +
 * createRealtimeServer) on a fresh data directory with a seeded trajectory of 100 themes and a
 * facilitator session made directly in the database. BENCH_STORE=memory|sqlite picks the store.
 * Start: `node --expose-gc --import tsx bench/server-kompas.ts`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../src/lib/server/context.ts';
import { SESSION_COOKIE } from '../src/lib/server/auth/index.ts';
import { createKompasServer } from '../server/http.ts';
import { createMemoryStore, createRealtimeServer } from '../server/realtime/index.ts';
import { serverStats, type ServerReady } from './shared.ts';

const app = createAppContext({
	dataDir: mkdtempSync(join(tmpdir(), 'kompas-bench-')),
	secureCookies: false,
	origin: null
});
// Seed: a facilitator (password hash not needed for a session) and a trajectory with 100 themes.
const user = app.users.create({
	name: 'Bench',
	email: 'bench@example.org',
	kind: 'facilitator',
	passwordHash: 'not-used'
});
const trajectory = app.trajectories.create(user.id, {
	municipality: 'Benchdorp',
	title: 'Bench',
	description: '',
	partners: [],
	themes: Array.from({ length: 100 }, (_, i) => `Thema ${i}`)
});
const { token } = app.sessions.create(user.id, 'bench');

const realtime = createRealtimeServer({
	app,
	store: process.env.BENCH_STORE === 'memory' ? createMemoryStore() : undefined,
	unloadDelayMs: 500,
	limits: {
		maxSocketsPerAccount: 10_000,
		messagesPerSecond: 10_000,
		messageBurst: 10_000,
		maxFailedUpgradesPerIpPerMinute: 10_000
	},
	log: () => {}
});
const kompas = createKompasServer({
	app,
	upgrade: realtime.upgrade,
	beforeClose: () => realtime.close(),
	handler(req, res) {
		if (req.url !== '/bench/stats') return void res.writeHead(404).end();
		res
			.writeHead(200, { 'content-type': 'application/json' })
			.end(JSON.stringify(serverStats(realtime.stats().rooms.length)));
	}
});
const { port } = await kompas.listen(0, '127.0.0.1');
const ready: ServerReady = {
	port,
	cookie: `${SESSION_COOKIE}=${token}`,
	boards: trajectory.themes.map((theme) => `${theme.id}.1`)
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
process.on('SIGTERM', () => void kompas.close().then(() => process.exit(0)));
