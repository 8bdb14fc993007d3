/**
 * `npm run bench:page`: the participant's first load of the board on a slow phone. Starts the
 * production build (run `npm run build` first; KOMPAS_OUT is honoured) on a fresh data folder with
 * a seeded session, then loads `/b/<board>` as a joined participant three times in Debian's
 * Chromium, each in a fresh context (cold cache), with CDP throttling (1.6 Mbps down, 750 kbps up,
 * 150 ms RTT, 4× CPU slowdown). Reports the median time until the card input is usable and the
 * gzipped JS the page loaded; writes bench/results/page-<time>.json and page-latest.md.
 * Never part of `npm test` (timings on a shared machine are noisy); the byte budget is
 * (tests/e2e/budget.e2e.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadParticipantBoard, SLOW_PHONE, type BoardLoad } from './page-load.ts';
import type { PageSeed } from './page-seed.ts';
import { median } from './shared.ts';

const RUNS = 3;
const port = Number(process.env.BENCH_PAGE_PORT ?? 4390);
const baseURL = `http://localhost:${port}`;
const out = process.env.KOMPAS_OUT;
const buildDir = out ? join(out, 'build') : 'build';
if (!existsSync(join(buildDir, 'handler.js'))) {
	console.error(`No build at ${buildDir}: run "npm run build" first.`);
	process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'kompas-bench-page-'));
const env = { ...process.env, KOMPAS_DATA_DIR: dataDir };
const seed = JSON.parse(
	execFileSync(process.execPath, ['--import', 'tsx', 'bench/page-seed.ts'], {
		env,
		encoding: 'utf8'
	})
		.trim()
		.split('\n')
		.at(-1)!
) as PageSeed;

// One Node process (no npx wrapper), so that killing it stops the server.
const server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
	env: { ...env, PORT: String(port), ORIGIN: baseURL },
	stdio: ['ignore', 'ignore', 'inherit']
});

async function waitForHealth() {
	for (let i = 0; i < 300; i++) {
		try {
			if ((await fetch(`${baseURL}/health`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error('the server did not start');
}

try {
	await waitForHealth();
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic']
	});
	const runs: BoardLoad[] = [];
	try {
		for (let i = 0; i < RUNS; i++) {
			const run = await loadParticipantBoard(browser, { baseURL, seed, slowPhone: true });
			runs.push(run);
			console.log(
				`run ${i + 1}: card input usable after ${Math.round(run.cardInputMs)} ms, ` +
					`${(run.jsGzipBytes / 1024).toFixed(1)} kB gzipped JS`
			);
		}
	} finally {
		await browser.close();
	}
	const result = {
		when: new Date().toISOString(),
		profile: SLOW_PHONE,
		runs: runs.map((r) => ({
			cardInputMs: Math.round(r.cardInputMs),
			jsGzipBytes: r.jsGzipBytes,
			scripts: r.scripts.map((s) => ({
				path: new URL(s.url).pathname,
				bytes: s.bytes,
				gzipBytes: s.gzipBytes
			}))
		})),
		median: {
			cardInputMs: Math.round(median(runs.map((r) => r.cardInputMs))),
			jsGzipKb: Number((median(runs.map((r) => r.jsGzipBytes)) / 1024).toFixed(1))
		},
		machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))) }
	};
	mkdirSync('bench/results', { recursive: true });
	const stamp = result.when.replace(/[:.]/g, '-');
	writeFileSync(`bench/results/page-${stamp}.json`, JSON.stringify(result, null, '\t') + '\n');
	const md = [
		'# Participant board, first load on a slow phone',
		'',
		`${result.when}, ${RUNS} cold runs, median. Profile: 1.6 Mbps down, 750 kbps up, 150 ms RTT, 4× CPU.`,
		`Machine: ${result.machine.cpus} cores, load ${result.machine.loadavg.join(' ')}.`,
		'',
		'| measure | median | runs |',
		'| --- | --- | --- |',
		`| card input usable | ${(result.median.cardInputMs / 1000).toFixed(2)} s | ${result.runs.map((r) => (r.cardInputMs / 1000).toFixed(2)).join(', ')} |`,
		`| JS loaded (gzip -9) | ${result.median.jsGzipKb} kB | ${result.runs.map((r) => (r.jsGzipBytes / 1024).toFixed(1)).join(', ')} |`,
		''
	].join('\n');
	writeFileSync('bench/results/page-latest.md', md);
	console.log(`\n${md}`);
} finally {
	server.kill('SIGTERM');
	await new Promise((resolve) => server.once('exit', resolve));
	rmSync(dataDir, { recursive: true, force: true });
}
