// Command-line tools that tests run besides Node: poppler-utils (pdfinfo, pdffonts) reads the PDF
// export's structure tree the way a checker does; PostgreSQL and Redis are the real servers that
// tests/services/services.ts starts on free ports; nginx and Caddy run the README's load balancer
// snippets in front of two nodes (tests/services/proxies.ts). Installs missing Debian packages when we are
// root; otherwise says exactly what to run. Add a tool here as { command, pkg }.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const TOOLS = [
	{ command: 'pdfinfo', pkg: 'poppler-utils' },
	{ command: 'initdb', pkg: 'postgresql' },
	{ command: 'redis-server', pkg: 'redis-server' },
	{ command: 'nginx', pkg: 'nginx' },
	{ command: 'caddy', pkg: 'caddy' }
];

/** Debian keeps PostgreSQL's server binaries off PATH, in /usr/lib/postgresql/<version>/bin. */
const inPostgresLib = (command) =>
	existsSync('/usr/lib/postgresql') &&
	readdirSync('/usr/lib/postgresql').some((version) =>
		existsSync(`/usr/lib/postgresql/${version}/bin/${command}`)
	);
const found = (command) =>
	spawnSync('sh', ['-c', `command -v ${command}`]).status === 0 || inPostgresLib(command);
const missing = [...new Set(TOOLS.filter((t) => !found(t.command)).map((t) => t.pkg))];
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
	console.error(
		`Missing test tools (${missing.join(', ')}). Install them with:\n` +
			`  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`
	);
	process.exit(1);
}
console.log(`Installing Debian packages for the tests: ${missing.join(', ')}…`);
for (const args of [['update'], ['install', '-y', ...missing]]) {
	const result = spawnSync('apt-get', args, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
	if (result.status !== 0) {
		console.error(
			`apt-get ${args.join(' ')} failed; install ${missing.join(' ')} by hand and run again.`
		);
		process.exit(result.status ?? 1);
	}
}
const still = TOOLS.filter((t) => !found(t.command)).map((t) => t.command);
if (still.length > 0) {
	console.error(`apt-get finished but ${still.join(', ')} is still missing.`);
	process.exit(1);
}
