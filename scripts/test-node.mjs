// `npm run test:node -- 24`: proves Kompas on another Node version than the one installed.
//
// 1. Fetches the official Node binary for that major version from the npm registry
//    (`node-<platform>-<arch>@<major>`, which carries bin/node and the headers native modules
//    build against) into .out/node-<major>/runtime.
// 2. Copies the project (the files git knows, no node_modules) to .out/node-<major>/project and
//    runs `npm ci` there with that Node first on PATH, engine-strict as in .npmrc, and native
//    modules built against its headers. The project's own node_modules is never touched.
// 3. Runs the SQLite driver's unit tests and the server tests (tests/server/, which include a
//    start on a populated database) with that Node.
// 4. Builds the app with that Node, starts the production server on a populated database (the
//    Kampen demo, an imported trajectory and a board of 300 cards) and runs the end-to-end
//    workshop test against it.
//
// Options: --skip-e2e (steps 1–3 only). Prints each step's duration at the end.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const [major, ...flags] = process.argv.slice(2);
if (!/^\d+$/.test(major ?? '')) {
	console.error('Usage: npm run test:node -- <major version, e.g. 22 or 24> [--skip-e2e]');
	process.exit(2);
}
const skipE2e = flags.includes('--skip-e2e');

const work = join(root, '.out', `node-${major}`);
const runtimeDir = join(work, 'runtime');
const project = join(work, 'project');
const packageName = `node-${process.platform}-${process.arch}`;
const nodeDir = join(runtimeDir, 'node_modules', packageName);
const timings = [];

/** Runs a command (inherits output) and stops the script when it fails. */
function run(label, command, args, options = {}) {
	const started = Date.now();
	console.log(`\n[test:node ${major}] ${label}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	timings.push([label, seconds]);
	if (result.status !== 0) {
		console.error(`[test:node ${major}] ${label} failed (exit ${result.status ?? result.signal}).`);
		summary();
		process.exit(result.status ?? 1);
	}
}

function summary() {
	console.log(`\n[test:node ${major}] durations:`);
	for (const [label, seconds] of timings) console.log(`  ${label.padEnd(28)} ${seconds} s`);
}

// 1. The runtime.
run('fetch Node', 'npm', [
	'install',
	'--no-save',
	'--no-package-lock',
	'--no-audit',
	'--no-fund',
	'--prefix',
	runtimeDir,
	`${packageName}@${major}`
]);
const nodeBin = join(nodeDir, 'bin');
if (!existsSync(join(nodeBin, 'node'))) {
	console.error(
		`No node binary in ${nodeDir}: does ${packageName}@${major} exist on the registry?`
	);
	process.exit(1);
}
const env = {
	...process.env,
	PATH: `${nodeBin}:${process.env.PATH}`,
	// node-gyp builds native modules against this Node's own headers, never downloads them.
	npm_config_nodedir: nodeDir,
	npm_config_engine_strict: 'true'
};
const version = spawnSync(join(nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith(`v${major}.`)) {
	console.error(`Expected Node ${major}, got ${version}.`);
	process.exit(1);
}
console.log(`[test:node ${major}] Node ${version} from ${packageName}`);

// 2. A copy of the project with its own node_modules (kept between local runs while the lock
// file is unchanged; CI starts from nothing).
const lockHash = createHash('sha256')
	.update(readFileSync(join(root, 'package-lock.json')))
	.update(version)
	.digest('hex');
const stamp = join(project, 'node_modules', '.kompas-lock-hash');
const reuse = existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash;
if (existsSync(project)) {
	for (const entry of listProjectEntries(project)) rmSync(entry, { recursive: true, force: true });
}
mkdirSync(project, { recursive: true });
copyProject();
if (reuse) console.log(`[test:node ${major}] node_modules unchanged since the last run: reused`);
else {
	rmSync(join(project, 'node_modules'), { recursive: true, force: true });
	run(`npm ci (Node ${major})`, 'npm', ['ci', '--no-audit', '--no-fund'], { cwd: project, env });
	writeFileSync(stamp, lockHash);
}
run('compile messages', 'npm', ['run', 'i18n'], { cwd: project, env });

// 3. Driver and server tests.
run(`server tests (Node ${major})`, 'npx', ['vitest', 'run', 'src/lib/server/db', 'tests/server'], {
	cwd: project,
	env
});

// 4. Build, then the workshop end to end on a populated database.
if (!skipE2e) {
	run(`build (Node ${major})`, 'npx', ['vite', 'build'], { cwd: project, env });
	run(
		`e2e workshop (Node ${major})`,
		'npx',
		['playwright', 'test', '--no-deps', 'tests/e2e/workshop.e2e.ts'],
		{
			cwd: project,
			env: {
				...env,
				E2E_POPULATE: '1',
				E2E_PORT: process.env.E2E_PORT ?? String(4300 + Number(major))
			}
		}
	);
}
summary();
console.log(`[test:node ${major}] Node ${version}: all passed`);

/** Everything in the copy except its node_modules. */
function listProjectEntries(dir) {
	return spawnSync('ls', ['-A', dir], { encoding: 'utf8' })
		.stdout.split('\n')
		.filter((name) => name && name !== 'node_modules')
		.map((name) => join(dir, name));
}

/** Copies the files git knows (tracked, and new ones it does not ignore) into the copy. */
function copyProject() {
	const listed = spawnSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{
			cwd: root,
			encoding: 'utf8'
		}
	);
	if (listed.status !== 0) {
		console.error('test:node copies the files git knows: run it in a git checkout.');
		process.exit(1);
	}
	for (const file of listed.stdout.split('\0').filter(Boolean)) {
		const from = join(root, file);
		if (!existsSync(from)) continue; // deleted in the work tree, not yet in the index
		mkdirSync(dirname(join(project, file)), { recursive: true });
		cpSync(from, join(project, file));
	}
}
