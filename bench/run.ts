/**
 * `npm run bench`: Kompas's realtime server side by side with the reference y-websocket server
 * (y-websocket@2.1.0 bin/utils), same yjs, ws and Node, in one run. Each server runs in its own
 * process and a fresh one per point; load comes from a separate process (bench/load.ts). Writes
 * bench/results/<time>.json and bench/results/latest.md, and prints the tables.
 *
 * Servers: reference (memory only), kompas-memory (memory store), kompas-sqlite (durable: SQLite
 * WAL, write-through). Never part of `npm test`: timings on shared machines are noisy.
 *
 * Flags (`npm run bench -- --only p1x100,churn --duration 10`):
 *   --only <ids>       points to run (default all): p1x100 p1x200 p1x300 p100x30 churn fanout1x200
 *                      fanout50x20 join2000 memory20
 *   --servers <names>  reference,kompas-memory,kompas-sqlite,kompas-2nodes,kompas-2nodes-by-board,
 *                      kompas-postgres,kompas-2nodes-postgres, kompas-unsliced (SQLite, each presence
 *                      batch to all sockets in one turn)
 *                      (default per point; the two-node servers start a redis-server and two Kompas
 *                      processes on one data directory, issue 12; the -postgres ones also start a
 *                      PostgreSQL that holds every table and the update log)
 *   --duration <s>     measured seconds of the participant and fan-out points (default 30 / 10)
 *   --rounds <n>       rounds per point, servers taking turns (default 2 for p1x100, p1x200)
 *   --churn <n>        boards in the churn point (default 1000); --settle <s> (default 30)
 *   --quick            tiny sizes: checks the harness, the numbers mean nothing
 *   --profile          V8 CPU profile (as `node --cpu-prof`) of Kompas servers over the measured
 *                      period of participant points (bench/results/profiles/; bench/profile-top.ts)
 *   --profile-load     V8 CPU profile of the load process, its whole life (joining too), in
 *                      bench/results/profiles/load-<n>/
 *   --rebuild          rebuild the SvelteKit app the join flow runs on (.out/bench/build)
 *   --boards, --per    size of the `custom` participants point (default 10 x 30)
 *   --moves <ms>       how often each participant moves its cursor (default 1000; 0: never, to
 *                      see what presence costs the edits)
 *   --baseline <dir>   also run an older copy of the code (`kompas-baseline`), interleaved
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
	startPostgres,
	startRedis,
	type PostgresServer,
	type RedisServer
} from '../tests/services/services.ts';
import {
	median,
	type LoadConfig,
	type Placement,
	type Scenario,
	type ServerReady
} from './shared.ts';

const { values: flags } = parseArgs({
	options: {
		only: { type: 'string' },
		servers: { type: 'string' },
		duration: { type: 'string' },
		rounds: { type: 'string' },
		churn: { type: 'string' },
		settle: { type: 'string' },
		quick: { type: 'boolean', default: false },
		profile: { type: 'boolean', default: false },
		'profile-load': { type: 'boolean', default: false },
		rebuild: { type: 'boolean', default: false },
		baseline: { type: 'string' },
		boards: { type: 'string' },
		per: { type: 'string' },
		moves: { type: 'string' }
	}
});

type ServerName =
	| 'reference'
	| 'kompas-memory'
	| 'kompas-sqlite'
	| 'kompas-unsliced'
	| 'kompas-baseline'
	| 'kompas-2nodes'
	| 'kompas-2nodes-by-board'
	| 'kompas-2procs'
	| 'kompas-postgres'
	| 'kompas-2nodes-postgres';
const SERVERS: Record<
	ServerName,
	{
		file: string;
		env: Record<string, string>;
		cwd?: string;
		/** Several Kompas nodes on one data directory and a Redis bus, and who goes where. */
		nodes?: { count: number; placement: Placement };
		/** Every repository and the update log on a PostgreSQL started for the run (issue 12). */
		postgres?: boolean;
		/** Several nodes talk over a Redis started for the run, unless `none`. */
		bus?: 'redis' | 'none';
	}
> = {
	reference: { file: 'bench/server-reference.ts', env: {} },
	'kompas-memory': { file: 'bench/server-kompas.ts', env: { BENCH_STORE: 'memory' } },
	'kompas-sqlite': { file: 'bench/server-kompas.ts', env: { BENCH_STORE: 'sqlite' } },
	// The same code with each presence batch sent to all sockets in one turn (before fanout.ts).
	'kompas-unsliced': {
		file: 'bench/server-kompas.ts',
		env: { BENCH_STORE: 'sqlite', BENCH_PRESENCE_SLICE: '1000000' }
	},
	// --baseline <dir>: an older copy of the code (e.g. `git archive <commit>` with node_modules
	// linked), run beside the current one in the same run for a before/after comparison.
	'kompas-baseline': {
		file: 'bench/server-kompas.ts',
		env: { BENCH_STORE: 'sqlite', BENCH_BUILD: resolve('.out/bench/build') },
		cwd: flags.baseline ? resolve(flags.baseline) : undefined
	},
	// Issue 12: two nodes behind a balancer that sends each phone anywhere (a board's people are
	// spread over both, every update crosses the bus) ...
	'kompas-2nodes': {
		file: 'bench/server-kompas.ts',
		env: { BENCH_STORE: 'sqlite' },
		nodes: { count: 2, placement: 'spread' }
	},
	// ... or that keeps a board on one node (nginx `hash` on the board id in the path, README):
	// issue 10 item 3, the machine's second core for a second event loop.
	'kompas-2nodes-by-board': {
		file: 'bench/server-kompas.ts',
		env: { BENCH_STORE: 'sqlite' },
		nodes: { count: 2, placement: 'by-board' }
	},
	// Issue 10 item 3: two processes on one data directory, each board on the process its id
	// hashes to (KOMPAS_PROCESSES, server/processes.ts). Their bus carries a board's messages only
	// while another process holds it too, which this placement never does: no bus here.
	'kompas-2procs': {
		file: 'bench/server-kompas.ts',
		env: { BENCH_STORE: 'sqlite' },
		nodes: { count: 2, placement: 'hash' },
		bus: 'none'
	},
	// Issue 12 on PostgreSQL (KOMPAS_DATABASE_URL): one node, and two nodes on one PostgreSQL and
	// a Redis bus, the set-up that can span machines; here all on this one.
	'kompas-postgres': { file: 'bench/server-kompas.ts', env: {}, postgres: true },
	'kompas-2nodes-postgres': {
		file: 'bench/server-kompas.ts',
		env: {},
		nodes: { count: 2, placement: 'spread' },
		postgres: true
	}
};
const ALL_SERVERS: ServerName[] = ['reference', 'kompas-memory', 'kompas-sqlite'];
const DUAL: ServerName[] = flags.baseline
	? ['reference', 'kompas-baseline', 'kompas-sqlite']
	: ['reference', 'kompas-sqlite'];

interface Point {
	label: string;
	scenario: Scenario;
	servers: ServerName[];
	rounds: number;
}

const seconds = (flag: string | undefined, fallback: number) =>
	(flag ? Number(flag) : fallback) * 1000;
const participantsPoint = (
	boards: number,
	per: number,
	rounds: number,
	servers: ServerName[] = DUAL
): Point => ({
	label: `participants ${boards} board${boards > 1 ? 's' : ''} x ${per}`,
	scenario: {
		kind: 'participants',
		boards,
		participantsPerBoard: per,
		editEveryMs: 5000,
		moveEveryMs: flags.moves === undefined ? 1000 : Number(flags.moves),
		durationMs: seconds(flags.duration, 30)
	},
	servers,
	rounds
});
const POINTS: Record<string, Point> = {
	p1x100: participantsPoint(1, 100, 2),
	p1x200: participantsPoint(1, 200, 2),
	// Issue 12: the same points over two nodes (one data directory, a Redis bus) beside one node.
	p1x300: participantsPoint(1, 300, 1, [...DUAL, 'kompas-2nodes']),
	p100x30: participantsPoint(100, 30, 1, [...DUAL, 'kompas-2nodes', 'kompas-2nodes-by-board']),
	churn: {
		label: `churn ${flags.churn ?? 1000} boards`,
		scenario: {
			kind: 'churn',
			boards: Number(flags.churn ?? 1000),
			concurrent: 50,
			clientsPerBoard: 3,
			cardsPerBoard: 20,
			settleMs: seconds(flags.settle, 30)
		},
		servers: DUAL,
		rounds: 1
	},
	fanout1x200: {
		label: 'fan-out 1 board x 200 clients',
		scenario: {
			kind: 'fanout',
			boards: 1,
			clientsPerBoard: 200,
			writersPerBoard: 5,
			updatesPerSecond: 4,
			durationMs: seconds(flags.duration, 10)
		},
		servers: ALL_SERVERS,
		rounds: 2
	},
	fanout50x20: {
		label: 'fan-out 50 boards x 20 clients',
		scenario: {
			kind: 'fanout',
			boards: 50,
			clientsPerBoard: 20,
			writersPerBoard: 1,
			updatesPerSecond: 2,
			durationMs: seconds(flags.duration, 10)
		},
		servers: ALL_SERVERS,
		rounds: 2
	},
	join2000: {
		label: 'join a 2,000-card board',
		scenario: { kind: 'join', cards: 2000, joins: 7 },
		servers: ALL_SERVERS,
		rounds: 1
	},
	// --boards and --per: any other participants point.
	custom: participantsPoint(Number(flags.boards ?? 10), Number(flags.per ?? 30), 1),
	memory20: {
		label: 'memory 20 boards x 200 cards',
		scenario: { kind: 'memory', boards: 20, cardsPerBoard: 200, unloadWaitMs: 3000 },
		servers: ALL_SERVERS,
		rounds: 1
	}
};

const chosen = flags.only
	? flags.only.split(',')
	: Object.keys(POINTS).filter((id) => id !== 'custom');
for (const id of chosen) if (!POINTS[id]) throw new Error(`unknown point ${id}`);
const points = chosen.map((id) => POINTS[id]);
for (const point of points) {
	if (flags.servers) point.servers = flags.servers.split(',') as ServerName[];
	if (flags.rounds) point.rounds = Number(flags.rounds);
	const s = point.scenario;
	if (!flags.quick) continue;
	point.rounds = 1;
	if (s.kind === 'fanout') {
		s.clientsPerBoard = Math.min(s.clientsPerBoard, 10);
		s.boards = Math.min(s.boards, 5);
		s.durationMs = 1500;
	} else if (s.kind === 'participants') {
		s.boards = Math.min(s.boards, 3);
		s.participantsPerBoard = Math.min(s.participantsPerBoard, 10);
		s.durationMs = Math.min(s.durationMs, 6000);
	} else if (s.kind === 'churn') {
		s.boards = Math.min(s.boards, 20);
		s.settleMs = Math.min(s.settleMs, 2000);
	} else if (s.kind === 'join') {
		s.cards = 200;
		s.joins = 2;
	} else s.boards = 3;
}

// The join flow runs on the built SvelteKit app (its own output folder, see svelte.config.js).
if (
	points.some((p) => p.servers.some((s) => s !== 'reference')) &&
	(flags.rebuild || !existsSync('.out/bench/build/handler.js'))
) {
	process.stderr.write('bench: building the app for the join flow (.out/bench) ...\n');
	const built = spawnSync('npm', ['run', 'build'], {
		env: { ...process.env, KOMPAS_OUT: '.out/bench' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	if (built.status !== 0) throw new Error('build failed');
}

let profiles = 0;
function start(
	name: ServerName,
	label: string,
	extraEnv: Record<string, string> = {}
): Promise<{ child: ChildProcess; ready: ServerReady }> {
	const { file, env, cwd } = SERVERS[name];
	const profile =
		flags.profile && name !== 'reference'
			? {
					BENCH_PROFILE_DIR: `bench/results/profiles/${name}-${label.replace(/\W+/g, '-')}-${++profiles}`
				}
			: {};
	const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
		cwd,
		env: { ...process.env, ...env, ...profile, ...extraEnv },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
		createInterface({ input: child.stdout! }).once('line', (line) =>
			resolve({ child, ready: JSON.parse(line) as ServerReady })
		);
	});
}

let loadProfiles = 0;
function load(config: LoadConfig): Promise<Record<string, number>> {
	const profile = flags['profile-load']
		? ['--cpu-prof', '--cpu-prof-dir', `bench/results/profiles/load-${++loadProfiles}`]
		: [];
	const child = spawn(
		process.execPath,
		[...profile, '--import', 'tsx', 'bench/load.ts', JSON.stringify(config)],
		{
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	return new Promise((resolve, reject) => {
		let output = '';
		child.stdout!.on('data', (chunk) => (output += chunk));
		child.once('exit', (code) => {
			const line = output.trim().split('\n').pop();
			if (code === 0 && line) resolve(JSON.parse(line) as Record<string, number>);
			else reject(new Error(`load exited with ${code}: ${output}`));
		});
	});
}

/** Stops a server (SIGKILL: nothing of it is needed afterwards). */
function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGKILL');
	});
}

const loadAverage = () => loadavg().map((l) => Number(l.toFixed(2)));

/**
 * The servers of one run: one process, or several nodes on one data directory and a Redis; with
 * `postgres`, on a PostgreSQL of their own (started here, on a free port, and removed after).
 */
async function startAll(name: ServerName, label: string) {
	const { nodes, postgres } = SERVERS[name];
	const database: PostgresServer | null = postgres ? await startPostgres() : null;
	const databaseEnv: Record<string, string> = database ? { BENCH_DATABASE_URL: database.url } : {};
	if (!nodes) {
		try {
			const one = await start(name, label, databaseEnv);
			return {
				children: [one.child],
				ready: one.ready,
				ports: [one.ready.port],
				stop: async () => {
					await database?.stop();
				}
			};
		} catch (error) {
			await database?.stop();
			throw error;
		}
	}
	const redis: Pick<RedisServer, 'url' | 'stop'> | null =
		SERVERS[name].bus === 'none' ? null : await startRedis();
	const dataDir = mkdtempSync(join(tmpdir(), 'kompas-bench-nodes-'));
	const children: ChildProcess[] = [];
	try {
		const shared = {
			...databaseEnv,
			...(redis ? { BENCH_REDIS_URL: redis.url } : {}),
			BENCH_DATA_DIR: dataDir
		};
		const first = await start(name, label, { ...shared, BENCH_NODE_ID: 'node-1' });
		children.push(first.child);
		const { port: _port, ...seeded } = first.ready;
		void _port;
		const ports = [first.ready.port];
		for (let n = 2; n <= nodes.count; n++) {
			const next = await start(name, label, {
				...shared,
				BENCH_NODE_ID: `node-${n}`,
				BENCH_SEEDED: JSON.stringify(seeded)
			});
			children.push(next.child);
			ports.push(next.ready.port);
		}
		return {
			children,
			ready: first.ready,
			ports,
			stop: async () => {
				await redis?.stop();
				await database?.stop();
				rmSync(dataDir, { recursive: true, force: true });
			}
		};
	} catch (error) {
		await Promise.all(children.map(stop));
		await redis?.stop();
		await database?.stop();
		throw error;
	}
}

/** Runs one point against fresh servers (memory and CPU of one run do not leak into the next). */
async function runOne(name: ServerName, point: Point) {
	const servers = await startAll(name, point.label);
	const { ready } = servers;
	const began = Date.now();
	try {
		const base = `http://127.0.0.1:${ready.port}`;
		process.stderr.write(`bench: ${name} / ${point.label} ... `);
		const nodes = SERVERS[name].nodes;
		const result = await load({
			base,
			wsUrl: `ws://127.0.0.1:${ready.port}/ws`,
			origin: base,
			cookie: ready.cookie,
			statsUrl: `${base}/bench/stats`,
			boards: ready.boards,
			sessions: ready.sessions,
			churnBoards: ready.churnBoards,
			nodes: nodes
				? {
						placement: nodes.placement,
						urls: servers.ports.map((port) => ({
							base: `http://127.0.0.1:${port}`,
							wsUrl: `ws://127.0.0.1:${port}/ws`,
							statsUrl: `http://127.0.0.1:${port}/bench/stats`
						}))
					}
				: undefined,
			scenario: point.scenario
		});
		const [load1, load5] = loadAverage();
		process.stderr.write(`done in ${Math.round((Date.now() - began) / 1000)} s (load ${load1})\n`);
		return { ...result, loadAvg1: load1, loadAvg5: load5 };
	} finally {
		await Promise.all(servers.children.map(stop));
		await servers.stop();
	}
}

/** Per-metric median over rounds. */
function medianRound(runs: Record<string, number>[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const key of Object.keys(runs[0])) {
		const middle = median(runs.map((r) => r[key]));
		out[key] = runs.length % 2 ? middle : Number(middle.toFixed(2));
	}
	return out;
}

// The servers take turns within each point, so that the load of a shared machine hits them alike.
const results: Record<string, Record<string, Record<string, number>>> = {};
const raw: Record<string, Record<string, Record<string, number>[]>> = {};
const began = Date.now();
const loadBefore = loadAverage();
for (const point of points) {
	for (let round = 0; round < point.rounds; round++)
		for (const name of point.servers)
			((raw[point.label] ??= {})[name] ??= []).push(
				// One retry: on a shared machine a run can die of a timeout that says nothing about it.
				await runOne(name, point).catch((error: unknown) => {
					process.stderr.write(`bench: ${name} failed (${String(error)}), once more\n`);
					return runOne(name, point);
				})
			);
	results[point.label] = Object.fromEntries(
		Object.entries(raw[point.label]).map(([name, runs]) => [name, medianRound(runs)])
	);
}

/**
 * The load process limits the figures when it used most of a core, or its own event loop lagged by
 * 50 ms or half the measured p99 (latency is measured in that loop).
 */
const generatorBound = (r: Record<string, number>) =>
	r.loadCpuPct >= 85 || r.loadLoopDelayP99Ms >= Math.min(50, 0.5 * r.p99Ms);
const ratio = (a: number | undefined, b: number | undefined) =>
	a === undefined || b === undefined || b === 0 || Number.isNaN(a / b)
		? '–'
		: `${(a / b).toFixed(2)}×`;
const cell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : String(v));
/** The longest collector pause (the longest full one in brackets) and the total. */
const gcCell = (r: Record<string, number>) =>
	`${cell(r.serverGcMaxMs)} (${cell(r.serverGcMajorMaxMs)}) / ${cell(r.serverGcTotalMs)}`;

const sections: string[] = [];
const participantPoints = points.filter((p) => p.scenario.kind === 'participants');
if (participantPoints.length) {
	const rows = [
		'| point | server | p50 | p95 | p99 | max | dropped | presence p50 / p99 | server CPU % (ms per 1k msgs) | RSS MB (peak) | server loop p99 / max ms | server GC longest (full) / total ms | server main thread on a core / waiting for one % | generator CPU % / loop p99 ms / waiting for a core % / longest GC ms | load avg (1 min) | note |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
	];
	for (const point of participantPoints) {
		const r = results[point.label];
		for (const name of point.servers) {
			const x = r[name];
			if (!x) continue;
			const runs = raw[point.label][name].map((run) => run.loadAvg1).join(', ');
			rows.push(
				`| ${point.label} | ${name} | ${cell(x.p50Ms)} | ${cell(x.p95Ms)} | ${cell(x.p99Ms)} | ${cell(x.maxMs)} | ${cell(x.dropped)} | ${cell(x.presenceP50Ms)} / ${cell(x.presenceP99Ms)} | ${cell(x.serverCpuPct)} (${cell(x.serverCpuMsPer1kMessages)}) | ${cell(x.serverRssMb)} (${cell(x.serverPeakRssMb)}) | ${cell(x.serverLoopDelayP99Ms)} / ${cell(x.serverLoopDelayMaxMs)} | ${gcCell(x)} | ${cell(x.serverMainRunPct)} / ${cell(x.serverMainWaitPct)} | ${cell(x.loadCpuPct)} / ${cell(x.loadLoopDelayP99Ms)} / ${cell(x.loadWaitPct)} / ${cell(x.loadGcMaxMs)} | ${runs} | ${generatorBound(x) ? 'generator-bound: not the server figure' : ''} |`
			);
		}
		const k = r['kompas-sqlite'] ?? r['kompas-memory'];
		const ref = r.reference;
		if (k && ref)
			rows.push(
				`| ${point.label} | Kompas / reference | ${ratio(k.p50Ms, ref.p50Ms)} | ${ratio(k.p95Ms, ref.p95Ms)} | ${ratio(k.p99Ms, ref.p99Ms)} | ${ratio(k.maxMs, ref.maxMs)} | | | ${ratio(k.serverCpuMsPer1kMessages, ref.serverCpuMsPer1kMessages)} | ${ratio(k.serverRssMb, ref.serverRssMb)} | | | | | | |`
			);
	}
	const nodeRows = [
		'| point | servers | p50 | p99 | dropped | CPU % per node | RSS MB per node | CPU ms per 1k msgs (all nodes) | p99 vs one node |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|'
	];
	for (const point of participantPoints) {
		const r = results[point.label];
		const one = r['kompas-sqlite'];
		for (const name of point.servers) {
			const x = r[name];
			if (!x || !SERVERS[name].nodes) continue;
			const per = (metric: string) =>
				Array.from({ length: x.nodes }, (_, i) => cell(x[`node${i + 1}${metric}`])).join(' / ');
			nodeRows.push(
				`| ${point.label} | ${name} | ${cell(x.p50Ms)} | ${cell(x.p99Ms)} | ${cell(x.dropped)} | ${per('CpuPct')} | ${per('RssMb')} | ${cell(x.serverCpuMsPer1kMessages)} | ${ratio(x.p99Ms, one?.p99Ms)} |`
			);
		}
	}
	sections.push(
		'Participants: each joins through the join flow (Kompas: join form + cookie), holds a board and a private socket, edits its own card every 5 s and moves its cursor every second. Latency in ms: from the writer’s edit to the update frame reaching each other participant (thin clients, bench/thin-client.ts), on one clock shared by the load processes. Median of the rounds; load avg per round.',
		'',
		...rows,
		''
	);
	if (nodeRows.length > 2)
		sections.push(
			"Several nodes (issue 12): two Kompas processes on one data directory and a Redis bus, on this same machine. `kompas-2nodes`: each board's participants alternate between the nodes (every update crosses the bus); `kompas-2nodes-by-board`: each board stays on one node (a balancer hashing the board id); `kompas-2nodes-postgres`: spread as `kompas-2nodes`, with every table and the update log on one PostgreSQL (on this machine too); `kompas-2procs`: two processes on one data directory without Redis, each board on the process its id hashes to, as `KOMPAS_PROCESSES=2` places them (issue 10).",
			'',
			...nodeRows,
			''
		);
}
const churnPoints = points.filter((p) => p.scenario.kind === 'churn');
if (churnPoints.length) {
	const rows = [
		'| point | server | start RSS MB | right after | 30 s later, no GC | after a forced GC | no GC vs start | GC vs start | docs left | churn s | load avg |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
	];
	for (const point of churnPoints)
		for (const name of point.servers) {
			const x = results[point.label][name];
			if (!x) continue;
			rows.push(
				`| ${point.label} | ${name} | ${x.startRssMb} | ${x.peakRssMb} | ${x.settledRssMb} | ${x.gcRssMb} | ${x.settledRssPct} % | ${x.gcRssPct} % | ${x.docsAfterSettle} | ${x.churnSeconds} | ${x.loadAvg1} |`
			);
		}
	sections.push(
		'Churn: boards opened by 3 facilitator clients that write 20 cards, then closed, 50 at a time.',
		'',
		...rows,
		''
	);
}
const METRICS: Record<string, string[]> = {
	fanout: [
		'p50Ms',
		'p95Ms',
		'p99Ms',
		'maxMs',
		'dropped',
		'serverCpuPct',
		'serverRssMb',
		'loadCpuPct',
		'loadLoopDelayP99Ms',
		'loadAvg1'
	],
	join: ['medianMs', 'maxMs', 'docBytes', 'loadAvg1'],
	memory: ['perBoardKb', 'afterUnloadRetainedMb', 'docsAfterUnload', 'loadAvg1']
};
const legacy = points.filter((p) => METRICS[p.scenario.kind]);
if (legacy.length) {
	const rows: string[] = [
		'| scenario | metric | reference | kompas-memory | kompas-sqlite | memory / ref | sqlite / ref |',
		'|---|---|---:|---:|---:|---:|---:|'
	];
	for (const point of legacy)
		for (const metric of METRICS[point.scenario.kind]) {
			const r = results[point.label];
			const v = (n: ServerName) => r?.[n]?.[metric];
			rows.push(
				`| ${point.label} | ${metric} | ${v('reference') ?? '–'} | ${v('kompas-memory') ?? '–'} | ${v('kompas-sqlite') ?? '–'} | ${ratio(v('kompas-memory'), v('reference'))} | ${ratio(v('kompas-sqlite'), v('reference'))} |`
			);
		}
	sections.push(
		'Facilitators only: open loop, no presence, sequence numbers count drops (fan-out: median of 2 rounds).',
		'',
		...rows,
		''
	);
}

const environment = {
	node: process.version,
	cpus: cpus().length,
	cpu: cpus()[0]?.model,
	flags,
	durationS: Math.round((Date.now() - began) / 1000),
	loadAverageBefore: loadBefore,
	loadAverageAfter: loadAverage(),
	date: new Date().toISOString()
};
const table = [
	`Kompas realtime bench, ${environment.date}, Node ${environment.node}, ${environment.cpus} CPU(s) (${environment.cpu}), ${environment.durationS} s, load average ${environment.loadAverageBefore.join(' ')} → ${environment.loadAverageAfter.join(' ')}${flags.quick ? ' (QUICK: sizes too small to mean anything)' : ''}.`,
	'Ratios < 1 mean Kompas is lower. "generator-bound": the load process used ≥ 85 % CPU or its event loop lagged (p99) ≥ 50 ms or ≥ half the latency p99.',
	'',
	...sections
].join('\n');
mkdirSync('bench/results', { recursive: true });
const stamp = environment.date.replace(/[:.]/g, '-');
writeFileSync(
	join('bench/results', `${stamp}.json`),
	JSON.stringify({ environment, results, raw }, null, '\t')
);
writeFileSync(join('bench/results', flags.quick ? 'quick.md' : 'latest.md'), `${table}\n`);
console.log(table);
