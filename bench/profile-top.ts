/**
 * `npx tsx bench/profile-top.ts <file.cpuprofile> [n]`: the top entries of a V8 CPU profile (from
 * `npm run bench -- --profile`) by self time, and by total time for Kompas's own functions, as a
 * Markdown table.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

const [file, count = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
	for (const child of node.children ?? []) parent.set(child, node.id);

// Time per sample: the delta that follows it.
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => {
	const delta = profile.timeDeltas[i + 1] ?? 0;
	selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
});
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
const idle = [...selfTime].filter(([id]) =>
	['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName)
);

const short = (url: string) =>
	url
		.replace(/^file:\/\/.*?\/node_modules\//, '')
		.replace(/^file:\/\/.*?\/(server|src|bench)\//, '$1/')
		.replace(/^node:/, 'node:');
const keyOf = (node: ProfileNode) => {
	const { functionName, url, lineNumber } = node.callFrame;
	return `${functionName || '(anonymous)'} ${short(url)}${url ? `:${lineNumber + 1}` : ''}`;
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, time] of selfTime) {
	const key = keyOf(byId.get(id)!);
	self.set(key, (self.get(key) ?? 0) + time);
	// Inclusive: once per distinct function on the stack.
	const seen = new Set<string>();
	for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
		const k = keyOf(byId.get(at)!);
		if (seen.has(k)) continue;
		seen.add(k);
		inclusive.set(k, (inclusive.get(k) ?? 0) + time);
	}
}

const ms = (us: number) => (us / 1000).toFixed(0);
const pct = (us: number) => ((us / total) * 100).toFixed(1);
const top = (map: Map<string, number>, filter: (key: string) => boolean) =>
	[...map]
		.filter(([key]) => filter(key))
		.sort((a, b) => b[1] - a[1])
		.slice(0, Number(count));

const lines = [
	`Profile ${file}: ${ms(total)} ms sampled; ${idle.map(([id, t]) => `${byId.get(id)!.callFrame.functionName} ${pct(t)} %`).join(', ')}.`,
	'',
	'| self ms | self % | function |',
	'|---:|---:|---|',
	...top(self, () => true).map(([key, t]) => `| ${ms(t)} | ${pct(t)} | \`${key}\` |`),
	'',
	'Kompas functions by total (inclusive) time:',
	'',
	'| total ms | total % | function |',
	'|---:|---:|---|',
	...top(inclusive, (key) => / (server|src)\//.test(key)).map(
		([key, t]) => `| ${ms(t)} | ${pct(t)} | \`${key}\` |`
	)
];
console.log(lines.join('\n'));
