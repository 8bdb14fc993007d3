// Browser tests use Debian's Chromium (Playwright's own download cannot run here).
// Installs it when missing and we are root; otherwise says exactly what to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
	console.error(
		`Chromium not found at ${path}. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium\n` +
			`or set CHROMIUM_PATH to a Chromium binary.`
	);
	process.exit(1);
}
console.log('Chromium is missing: installing Debian package "chromium"…');
for (const args of [['update'], ['install', '-y', 'chromium']]) {
	const result = spawnSync('apt-get', args, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
	if (result.status !== 0) {
		console.error(`apt-get ${args.join(' ')} failed; install chromium by hand and run again.`);
		process.exit(result.status ?? 1);
	}
}
if (!existsSync(path)) {
	console.error(`apt-get finished but ${path} is still missing.`);
	process.exit(1);
}
