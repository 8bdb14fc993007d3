// Browser tests use Debian's Chromium (Playwright's own download cannot run here), preferably its
// headless shell (scripts/chromium.mjs). Installs that when no Chromium is there and we are root;
// otherwise says exactly what to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromiumPath, HEADLESS_SHELL } from './chromium.mjs';

const found = chromiumPath();
if (found && existsSync(found)) process.exit(0);
if (found) {
	console.error(`CHROMIUM_PATH is set to ${found}, which does not exist.`);
	process.exit(1);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
	console.error(
		`No Chromium found. Install it with:\n  sudo apt-get update && sudo apt-get install -y ${HEADLESS_SHELL.apt}\n` +
			`or set CHROMIUM_PATH to a Chromium binary.`
	);
	process.exit(1);
}
console.log(`Chromium is missing: installing Debian package "${HEADLESS_SHELL.apt}"…`);
for (const args of [['update'], ['install', '-y', HEADLESS_SHELL.apt]]) {
	const result = spawnSync('apt-get', args, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
	if (result.status !== 0) {
		console.error(
			`apt-get ${args.join(' ')} failed; install ${HEADLESS_SHELL.apt} by hand and run again.`
		);
		process.exit(result.status ?? 1);
	}
}
if (!existsSync(HEADLESS_SHELL.path)) {
	console.error(`apt-get finished but ${HEADLESS_SHELL.path} is still missing.`);
	process.exit(1);
}
