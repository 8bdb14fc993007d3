// `npm run test:node -- 22 24`: proves Kompas on other Node versions than the one installed.
//
// 1. Fetches the official Node binary for each major version from the npm registry
//    (`node-<platform>-<arch>@<major>`, which carries bin/node and the headers native modules
//    build against) into .out/node-<major>/runtime.
// 2. Copies the project (the files git knows, no node_modules) to .out/node-<major>/project and
//    runs `npm ci` there with that Node first on PATH, engine-strict as in .npmrc, and native
//    modules built against its headers. The project's own node_modules is never touched.
//    Steps 1 and 2 run for all versions at once: most of `npm ci` is compiling better-sqlite3,
//    one compiler on one core, so two versions share a 2-core machine well.
// 3. Then, one version after the other: the SQLite driver's unit tests and the server tests
//    (tests/server/, which include a start on a populated database) with that Node.
// 4. Builds the app with that Node, starts the production server on a populated database (the
//    Kampen demo, an imported trajectory and a board of 300 cards) and runs the end-to-end
//    workshop test against it.
//
// Options: --skip-e2e (steps 1–3 only). Prints each step's duration at the end.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const majors = args.filter((arg) => !arg.startsWith('--'));
const skipE2e = args.includes('--skip-e2e');
if (majors.length === 0 || !majors.every((major) => /^\d+$/.test(major))) {
	console.error('Usage: npm run test:node -- <major versions, e.g. 22 24> [--skip-e2e]');
	process.exit(2);
}
const packageName = `node-${process.platform}-${process.arch}`;
/** [major, step, seconds] of every step run. */
const timings = [];

/** Commands still running (another version's install, when one fails). */
const running = new Set();

/** Runs a command and resolves with its exit code; `quiet` keeps its output for a failure. */
function exec(command, args, options, quiet) {
	return new Promise((done) => {
		const child = spawn(command, args, { ...options, stdio: quiet ? 'pipe' : 'inherit' });
		running.add(child);
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		child.stderr?.on('data', (chunk) => (output += chunk));
		child.on('close', (code, signal) => {
			running.delete(child);
			done({ code: code ?? signal ?? 1, output });
		});
	});
}

/**
 * Runs a step for Node `major` and stops the script when it fails. Steps that run beside another
 * version's (`quiet`) print their output only when they fail, so the log stays readable.
 */
async function run(major, label, command, commandArgs, options = {}, quiet = false) {
	const started = Date.now();
	console.log(`\n[test:node ${major}] ${label}: ${command} ${commandArgs.join(' ')}`);
	const { code, output } = await exec(command, commandArgs, options, quiet);
	timings.push([major, label, ((Date.now() - started) / 1000).toFixed(1)]);
	if (code !== 0) {
		if (quiet) process.stderr.write(output);
		fail(
			`[test:node ${major}] ${label} failed (exit ${code}).`,
			typeof code === 'number' ? code : 1
		);
	}
	if (quiet) console.log(`[test:node ${major}] ${label}: done`);
}

/** Stops the script: another version's commands still running stop too. */
function fail(message, code = 1) {
	console.error(message);
	for (const child of running) child.kill();
	summary();
	process.exit(code);
}

function summary() {
	console.log('\n[test:node] durations:');
	for (const [major, label, seconds] of timings)
		console.log(`  Node ${major}  ${label.padEnd(28)} ${seconds} s`);
}

/** Steps 1 and 2 for `major`: its Node, and a copy of the project installed with it. */
async function prepare(major) {
	const work = join(root, '.out', `node-${major}`);
	const runtimeDir = join(work, 'runtime');
	const project = join(work, 'project');
	const nodeDir = join(runtimeDir, 'node_modules', packageName);
	const quiet = majors.length > 1;
	await run(
		major,
		'fetch Node',
		'npm',
		[
			'install',
			'--no-save',
			'--no-package-lock',
			'--no-audit',
			'--no-fund',
			'--prefix',
			runtimeDir,
			`${packageName}@${major}`
		],
		{},
		quiet
	);
	const nodeBin = join(nodeDir, 'bin');
	if (!existsSync(join(nodeBin, 'node'))) {
		fail(`No node binary in ${nodeDir}: does ${packageName}@${major} exist on the registry?`);
	}
	const env = {
		...process.env,
		PATH: `${nodeBin}:${process.env.PATH}`,
		// node-gyp builds native modules against this Node's own headers, never downloads them.
		npm_config_nodedir: nodeDir,
		npm_config_engine_strict: 'true'
	};
	const version = spawnSync(join(nodeBin, 'node'), ['--version'], {
		encoding: 'utf8'
	}).stdout.trim();
	if (!version.startsWith(`v${major}.`)) {
		fail(`Expected Node ${major}, got ${version}.`);
	}
	console.log(`[test:node ${major}] Node ${version} from ${packageName}`);

	// A copy of the project with its own node_modules (kept between local runs while the lock
	// file is unchanged; CI starts from nothing).
	const lockHash = createHash('sha256')
		.update(readFileSync(join(root, 'package-lock.json')))
		.update(version)
		.digest('hex');
	const stamp = join(project, 'node_modules', '.kompas-lock-hash');
	const reuse = existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash;
	if (existsSync(project)) {
		for (const entry of listProjectEntries(project))
			rmSync(entry, { recursive: true, force: true });
	}
	mkdirSync(project, { recursive: true });
	copyProject(project);
	if (reuse) console.log(`[test:node ${major}] node_modules unchanged since the last run: reused`);
	else {
		rmSync(join(project, 'node_modules'), { recursive: true, force: true });
		await run(
			major,
			`npm ci (Node ${major})`,
			'npm',
			['ci', '--no-audit', '--no-fund'],
			{ cwd: project, env },
			quiet
		);
		writeFileSync(stamp, lockHash);
	}
	await run(major, 'compile messages', 'npm', ['run', 'i18n'], { cwd: project, env }, quiet);
	return { major, version, project, env };
}

/** Steps 3 and 4 for a prepared version. */
async function check({ major, version, project, env }) {
	await run(
		major,
		`server tests (Node ${major})`,
		'npx',
		['vitest', 'run', 'src/lib/server/db', 'tests/server'],
		{ cwd: project, env }
	);
	if (!skipE2e) {
		await run(major, `build (Node ${major})`, 'npx', ['vite', 'build'], { cwd: project, env });
		await run(
			major,
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
	console.log(`[test:node ${major}] Node ${version}: all passed`);
}

const prepared = await Promise.all(majors.map(prepare));
for (const version of prepared) await check(version);
summary();

/** Everything in the copy except its node_modules. */
function listProjectEntries(dir) {
	return spawnSync('ls', ['-A', dir], { encoding: 'utf8' })
		.stdout.split('\n')
		.filter((name) => name && name !== 'node_modules')
		.map((name) => join(dir, name));
}

/** Copies the files git knows (tracked, and new ones it does not ignore) into the copy. */
function copyProject(project) {
	const listed = spawnSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{
			cwd: root,
			encoding: 'utf8'
		}
	);
	if (listed.status !== 0) {
		fail('test:node copies the files git knows: run it in a git checkout.');
	}
	for (const file of listed.stdout.split('\0').filter(Boolean)) {
		const from = join(root, file);
		if (!existsSync(from)) continue; // deleted in the work tree, not yet in the index
		mkdirSync(dirname(join(project, file)), { recursive: true });
		cpSync(from, join(project, file));
	}
}
