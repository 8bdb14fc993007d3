// `npm start`: build the app when the build is missing or older than the sources, then serve it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const buildMarker = join(root, 'build', 'handler.js');

/** Newest modification time below `dir`, in ms. */
function newest(dir) {
	let max = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name === 'paraglide' || entry.name === 'node_modules') continue;
			max = Math.max(max, newest(path));
		} else max = Math.max(max, statSync(path).mtimeMs);
	}
	return max;
}

const sources = ['src', 'messages', 'static'].map((d) => join(root, d)).filter(existsSync);
const stale =
	!existsSync(buildMarker) || Math.max(...sources.map(newest)) > statSync(buildMarker).mtimeMs;

const run = (cmd, args) => {
	const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
	if (result.status !== 0) process.exit(result.status ?? 1);
};

if (stale) {
	console.log('Kompas: building the app (first start or changed sources)…');
	run('npx', ['vite', 'build']);
}
run('npx', ['tsx', 'server/index.ts']);
