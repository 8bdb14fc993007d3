/**
 * The Kompas server for the benchmark: the production modules (createKompasServer +
 * createRealtimeServer + the built SvelteKit handler for the join flow) on a fresh data directory.
 * Seeds a facilitator session made directly in the database, a trajectory of 100 themes with a
 * live session (join code) on each theme's board, and nine more trajectories (1,000 boards in all,
 * for the churn scenario). BENCH_STORE=memory|sqlite picks the store; BENCH_BUILD is the build
 * folder (default .out/bench/build, made by run.ts). Several nodes: BENCH_REDIS_URL (the bus),
 * BENCH_DATA_DIR (shared) and, for every node but the first, BENCH_SEEDED (the first's ready line).
 * BENCH_DATABASE_URL puts every table and the update log on PostgreSQL.
 * Start: `node --expose-gc --import tsx bench/server-kompas.ts`.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAppContext, installAppContext } from '../src/lib/server/context.ts';
import { SESSION_COOKIE } from '../src/lib/server/auth/index.ts';
import { createKompasServer, type RequestHandler } from '../server/http.ts';
import { createMemoryStore, createRealtimeServer } from '../server/realtime/index.ts';
import { createNodeBus } from '../server/node.ts';
import { serverStats, statsPath, type ServerReady } from './shared.ts';

const buildDir = resolve(process.env.BENCH_BUILD ?? '.out/bench/build');
const handlerPath = join(buildDir, 'handler.js');
if (!existsSync(handlerPath)) {
	console.error(`bench: no build at ${buildDir} (KOMPAS_OUT=.out/bench npm run build)`);
	process.exit(1);
}

// BENCH_DATA_DIR and BENCH_SEEDED: a second node on the first node's data, which it seeded.
const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'kompas-bench-'));
// BENCH_DATABASE_URL: every repository and the update log on PostgreSQL (issue 12).
const app = await createAppContext({
	dataDir,
	secureCookies: false,
	origin: null,
	databaseUrl: process.env.BENCH_DATABASE_URL ?? null
});
installAppContext(app);
const seeded = process.env.BENCH_SEEDED
	? (JSON.parse(process.env.BENCH_SEEDED) as Omit<ServerReady, 'port'>)
	: await seed();

/** A facilitator's session (no password hash needed for it) and ten trajectories of 100 themes. */
async function seed(): Promise<Omit<ServerReady, 'port'>> {
	const user = await app.users.create({
		name: 'Bench',
		email: 'bench@example.org',
		kind: 'facilitator',
		passwordHash: 'not-used'
	});
	const trajectories = [];
	for (let t = 0; t < 10; t++)
		trajectories.push(
			await app.trajectories.create(user.id, {
				municipality: 'Benchdorp',
				title: `Bench ${t}`,
				description: '',
				partners: [],
				themes: Array.from({ length: 100 }, (_, i) => `Thema ${i}`)
			})
		);
	const { token } = await app.sessions.create(user.id, 'bench');
	const sessions = [];
	for (const theme of trajectories[0].themes) {
		const session = await app.liveSessions.create({
			trajectoryId: trajectories[0].id,
			themeId: theme.id,
			title: 'Bijeenkomst',
			date: '2026-11-27',
			agenda: []
		});
		sessions.push({ boardId: session.boardId, joinCode: session.joinCode });
	}
	return {
		cookie: `${SESSION_COOKIE}=${token}`,
		boards: sessions.map((s) => s.boardId),
		sessions,
		churnBoards: trajectories.flatMap((t) => t.themes.map((theme) => `${theme.id}.1`))
	};
}

// BENCH_REDIS_URL: one of several nodes, sharing the data directory and a Redis bus (issue 12).
const bus = await createNodeBus({
	redisUrl: process.env.BENCH_REDIS_URL ?? null,
	nodeId: process.env.BENCH_NODE_ID
});

const realtime = createRealtimeServer({
	app,
	bus,
	store: process.env.BENCH_STORE === 'memory' ? createMemoryStore() : undefined,
	unloadDelayMs: 500,
	// BENCH_PRESENCE_SLICE: sockets per turn for presence batches (server `kompas-unsliced`: all).
	awarenessSlice: process.env.BENCH_PRESENCE_SLICE
		? Number(process.env.BENCH_PRESENCE_SLICE)
		: undefined,
	limits: {
		maxSocketsPerAccount: 10_000,
		messagesPerSecond: 10_000,
		messageBurst: 10_000,
		maxFailedUpgradesPerIpPerMinute: 10_000
	},
	// BENCH_LOG=1: refusals and errors on stderr (a run with drops says why).
	log: process.env.BENCH_LOG
		? (event, detail) => process.stderr.write(`realtime ${event} ${JSON.stringify(detail)}\n`)
		: () => {}
});
// adapter-node takes the origin from this header (else https), which the form's CSRF check compares.
process.env.PROTOCOL_HEADER = 'x-forwarded-proto';
const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: RequestHandler };
const kompas = createKompasServer({
	app,
	upgrade: realtime.upgrade,
	beforeClose: () => realtime.close(),
	handler(req, res, next) {
		if (req.url?.startsWith('/bench/profile?')) {
			void profile(req.url.slice('/bench/profile?'.length)).then((answer) =>
				res.writeHead(200).end(answer)
			);
			return;
		}
		const stats = statsPath(req.url);
		if (!stats) {
			req.headers['x-forwarded-proto'] = 'http';
			return handler(req, res, next);
		}
		res
			.writeHead(200, { 'content-type': 'application/json' })
			.end(JSON.stringify(serverStats(realtime.stats().rooms.length, stats.gc, stats.resetLoop)));
	}
});

/**
 * BENCH_PROFILE_DIR: `GET /bench/profile?start` and `?stop` run V8's CPU profiler (what
 * `node --cpu-prof` writes) over the measured period only, without the joins before it.
 */
const profileDir = process.env.BENCH_PROFILE_DIR;
let profiler: Session | null = null;
async function profile(command: string): Promise<string> {
	if (!profileDir) return 'off';
	if (command === 'start') {
		profiler = new Session();
		profiler.connect();
		await profiler.post('Profiler.enable');
		await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
		await profiler.post('Profiler.start');
		return 'started';
	}
	if (!profiler) return 'not started';
	const { profile } = await profiler.post('Profiler.stop');
	profiler.disconnect();
	profiler = null;
	mkdirSync(profileDir, { recursive: true });
	const file = join(profileDir, `server-${Date.now()}.cpuprofile`);
	writeFileSync(file, JSON.stringify(profile));
	return file;
}
const { port } = await kompas.listen(0, '127.0.0.1');
const ready: ServerReady = { port, ...seeded };
process.stdout.write(`${JSON.stringify(ready)}\n`);
process.on('SIGTERM', () => void kompas.close().then(() => process.exit(0)));
