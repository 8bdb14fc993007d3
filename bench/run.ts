/**
 * `npm run bench`: Kompas's realtime server side by side with the reference y-websocket server
 * (y-websocket@2.1.0 bin/utils), same yjs, ws and Node, in one run. Each server runs in its own
 * process; load comes from a separate process of real providers (bench/load.ts). Writes
 * bench/results/<time>.json and bench/results/latest.md, and prints the table.
 *
 * Servers: reference (memory only), kompas-memory (memory store), kompas-sqlite (durable: SQLite WAL,
 * batched appends). Never part of `npm test`: timings on shared machines are noisy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LoadConfig, Scenario, ServerReady } from './shared.ts';

const SCENARIOS: Record<string, Scenario> = {
	'fan-out 1 board x 200 clients': {
		kind: 'fanout',
		boards: 1,
		clientsPerBoard: 200,
		writersPerBoard: 5,
		updatesPerSecond: 4,
		durationMs: 10_000
	},
	'fan-out 50 boards x 20 clients': {
		kind: 'fanout',
		boards: 50,
		clientsPerBoard: 20,
		writersPerBoard: 1,
		updatesPerSecond: 2,
		durationMs: 10_000
	},
	'join a 2,000-card board': { kind: 'join', cards: 2000, joins: 7 },
	'memory 20 boards x 200 cards': {
		kind: 'memory',
		boards: 20,
		cardsPerBoard: 200,
		unloadWaitMs: 3000
	}
};

// BENCH_QUICK=1: a smoke run with tiny sizes (checks the harness, numbers mean nothing).
if (process.env.BENCH_QUICK)
	for (const scenario of Object.values(SCENARIOS)) {
		if (scenario.kind === 'fanout') {
			scenario.clientsPerBoard = Math.min(scenario.clientsPerBoard, 10);
			scenario.boards = Math.min(scenario.boards, 5);
			scenario.durationMs = 1500;
		} else if (scenario.kind === 'join') {
			scenario.cards = 200;
			scenario.joins = 2;
		} else scenario.boards = 3;
	}

const SERVERS = {
	reference: { file: 'bench/server-reference.ts', env: {} },
	'kompas-memory': { file: 'bench/server-kompas.ts', env: { BENCH_STORE: 'memory' } },
	'kompas-sqlite': { file: 'bench/server-kompas.ts', env: { BENCH_STORE: 'sqlite' } }
} as const;
type ServerName = keyof typeof SERVERS;

function start(name: ServerName): Promise<{ child: ChildProcess; ready: ServerReady }> {
	const { file, env } = SERVERS[name];
	const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
		createInterface({ input: child.stdout! }).once('line', (line) =>
			resolve({ child, ready: JSON.parse(line) as ServerReady })
		);
	});
}

function load(config: LoadConfig): Promise<Record<string, number>> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'bench/load.ts', JSON.stringify(config)],
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

/** Runs one scenario against a fresh server (memory and CPU of one run do not leak into the next). */
async function runOne(name: ServerName, label: string, scenario: Scenario) {
	const { child, ready } = await start(name);
	try {
		const base = `127.0.0.1:${ready.port}`;
		process.stderr.write(`bench: ${name} / ${label} ... `);
		const result = await load({
			wsUrl: `ws://${base}/ws`,
			origin: `http://${base}`,
			cookie: ready.cookie,
			statsUrl: `http://${base}/bench/stats`,
			boards: ready.boards,
			scenario
		});
		process.stderr.write('done\n');
		return result;
	} finally {
		child.kill('SIGKILL');
	}
}

/** Per-metric median over rounds. */
function median(runs: Record<string, number>[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const key of Object.keys(runs[0])) {
		const values = runs.map((r) => r[key]).sort((a, b) => a - b);
		const mid = values.length >> 1;
		out[key] =
			values.length % 2 ? values[mid] : Number(((values[mid - 1] + values[mid]) / 2).toFixed(2));
	}
	return out;
}

// The servers take turns within each scenario (and fan-out runs twice), so that the load of a shared
// machine hits all of them alike.
const ROUNDS: Record<Scenario['kind'], number> = { fanout: 2, join: 1, memory: 1 };
const results: Record<string, Record<string, Record<string, number>>> = {};
const raw: Record<string, Record<string, Record<string, number>[]>> = {};
const began = Date.now();
const loadBefore = loadavg();
for (const [label, scenario] of Object.entries(SCENARIOS)) {
	for (let round = 0; round < ROUNDS[scenario.kind]; round++)
		for (const name of Object.keys(SERVERS) as ServerName[])
			((raw[label] ??= {})[name] ??= []).push(await runOne(name, label, scenario));
	results[label] = Object.fromEntries(
		Object.entries(raw[label]).map(([name, runs]) => [name, median(runs)])
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
		'loadCpuPct'
	],
	join: ['medianMs', 'maxMs', 'docBytes'],
	memory: ['perBoardKb', 'afterUnloadRetainedMb', 'docsAfterUnload']
};
const rows: string[] = [
	'| scenario | metric | reference | kompas-memory | kompas-sqlite | memory / ref | sqlite / ref |',
	'|---|---|---:|---:|---:|---:|---:|'
];
const ratio = (a: number | undefined, b: number | undefined) =>
	a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;
for (const [label, scenario] of Object.entries(SCENARIOS))
	for (const metric of METRICS[scenario.kind]) {
		const r = results[label];
		const v = (n: ServerName) => r?.[n]?.[metric];
		rows.push(
			`| ${label} | ${metric} | ${v('reference') ?? '–'} | ${v('kompas-memory') ?? '–'} | ${v('kompas-sqlite') ?? '–'} | ${ratio(v('kompas-memory'), v('reference'))} | ${ratio(v('kompas-sqlite'), v('reference'))} |`
		);
	}

const environment = {
	node: process.version,
	cpus: cpus().length,
	cpu: cpus()[0]?.model,
	durationS: Math.round((Date.now() - began) / 1000),
	loadAverageBefore: loadBefore.map((l) => Number(l.toFixed(2))),
	loadAverageAfter: loadavg().map((l) => Number(l.toFixed(2))),
	date: new Date().toISOString()
};
const table = [
	`Kompas realtime bench, ${environment.date}, Node ${environment.node}, ${environment.cpus} CPU(s) (${environment.cpu}), ${environment.durationS} s, load average ${environment.loadAverageBefore[0]} → ${environment.loadAverageAfter[0]}.`,
	'Fan-out: median of 2 rounds, servers taking turns; open loop, no awareness state, sequence numbers count drops.',
	'Latency: writer send to receiver apply, both in the load process. Ratios < 1 mean Kompas is lower.',
	'',
	...rows
].join('\n');
mkdirSync('bench/results', { recursive: true });
const stamp = environment.date.replace(/[:.]/g, '-');
writeFileSync(
	join('bench/results', `${stamp}.json`),
	JSON.stringify({ environment, results }, null, '\t')
);
writeFileSync(join('bench/results', 'latest.md'), `${table}\n`);
console.log(table);
