/**
 * `npx tsx bench/tail-by-cpu.ts [point] [server] [since]`: every stored round of one bench point
 * (bench/results/*.json), grouped by what the server's CPU cost per 1,000 client messages was in
 * that round, with the p99 median and how many rounds met 100 ms in each group.
 *
 * The same code costs a different amount of CPU from hour to hour on a shared machine, and the
 * tail follows that cost (issue 10). This shows how strongly, over all rounds on record, so that a
 * single round's p99 can be read against the machine's speed at that moment. Profiled runs are left
 * out (the profiler costs CPU itself), and so are instrumented ones (`notComparable`). Defaults:
 * `participants 100 boards x 30`, `kompas-sqlite`, rounds from 2026-11-28T09-13 on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './shared.ts';

interface Round {
	p99Ms: number;
	serverCpuMsPer1kMessages?: number;
}
interface RunFile {
	environment: { flags?: { profile?: boolean } };
	raw?: Record<string, Record<string, Round[]>>;
}

const [
	point = 'participants 100 boards x 30',
	server = 'kompas-sqlite',
	since = '2026-11-28T09-13'
] = process.argv.slice(2);
const dir = join(import.meta.dirname, 'results');
/**
 * Runs in which the server had a temporary instrument of its own running, or was set up unlike
 * production (issue-10.md tells each): left out. The other rounds include candidate changes that
 * were measured against main, kept or dropped; they all do much the same work per message.
 */
const notComparable: Record<string, string> = {
	'2026-11-28T13-33-56': 'a tracer with its own timer in the server',
	'2026-11-28T13-35-11': 'a tracer with its own timer in the server',
	'2026-11-28T13-48-25': 'a tracer with its own timer in the server',
	'2026-11-28T13-51-11': 'a tracer with its own timer in the server',
	'2026-11-28T14-45-24': 'the tracer, and every callback timed',
	'2026-11-28T19-40-34': 'the server with --single-threaded-gc',
	'2026-11-29T05-59-10': 'a probe reading /proc every 5 ms',
	'2026-11-29T06-13-11': 'a probe reading /proc every 5 ms',
	'2026-11-29T06-36-08': 'the server pinned to one core',
	'2026-11-29T06-57-55': 'presence coalescing with a counter (dropped)'
};
/** Upper bounds of the groups (ms CPU per 1,000 messages). */
const bounds = [200, 215, 230, 245, 260, Infinity];

const rounds: { cpu: number; p99: number }[] = [];
for (const name of readdirSync(dir).filter(
	(f) => /^\d{4}-.*\.json$/.test(f) && f >= since && !(f.slice(0, 19) in notComparable)
)) {
	const run = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RunFile;
	if (run.environment.flags?.profile) continue;
	for (const round of run.raw?.[point]?.[server] ?? [])
		if (round.serverCpuMsPer1kMessages !== undefined)
			rounds.push({ cpu: round.serverCpuMsPer1kMessages, p99: round.p99Ms });
}

console.log(
	`${point}, ${server}: ${rounds.length} rounds from ${since} on (profiled and instrumented runs left out)\n`
);
console.log(
	'| server CPU per 1k messages (ms) | rounds | p99 median (ms) | rounds with p99 ≤ 100 ms |'
);
console.log('|---|---:|---:|---:|');
let low = 0;
for (const high of bounds) {
	const group = rounds.filter((r) => r.cpu >= low && r.cpu < high).map((r) => r.p99);
	const label = high === Infinity ? `${low} and more` : `${low}–${high}`;
	if (group.length > 0)
		console.log(
			`| ${label} | ${group.length} | ${Math.round(median(group))} | ${group.filter((p) => p <= 100).length} |`
		);
	low = high;
}
