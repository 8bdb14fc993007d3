// Keeps `npm ci` working against a registry mirror that lacks some platforms' optional binaries.
//
// npm writes no lock entry for an optional platform package (e.g. @rollup/rollup-darwin-arm64) that
// the registry cannot serve, and `npm ci` then refuses the lock as "out of sync". This adds the
// missing entries with their os/cpu/libc, so that npm ci skips them on other platforms exactly as
// it would with a complete registry. Run after `npm install` changed package-lock.json:
//   node scripts/fix-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const file = `${root}package-lock.json`;
const lock = JSON.parse(readFileSync(file, 'utf8'));
const out = execSync('npm ci --dry-run --ignore-scripts 2>&1 || true', {
	cwd: root,
	encoding: 'utf8'
});
const missing = [...out.matchAll(/Missing: (.+?)@ from lock file/g)].map((m) => m[1]);

const OSES = [
	'aix',
	'android',
	'darwin',
	'freebsd',
	'linux',
	'netbsd',
	'openbsd',
	'openharmony',
	'sunos',
	'win32'
];
const CPUS = [
	'arm',
	'arm64',
	'ia32',
	'loong64',
	'mips64el',
	'ppc64',
	'riscv64',
	's390x',
	'wasm32',
	'x64'
];

function platformOf(name) {
	const parts = name.split('/').pop().split('-');
	const os = parts.find((p) => OSES.includes(p));
	const cpu = parts.find((p) => CPUS.includes(p));
	const libc =
		os !== 'linux'
			? undefined
			: parts.some((p) => p.startsWith('musl'))
				? 'musl'
				: parts.some((p) => p.startsWith('gnu'))
					? 'glibc'
					: undefined;
	return { os, cpu, libc };
}

for (const name of missing) {
	const parent = Object.values(lock.packages).find((entry) => entry.optionalDependencies?.[name]);
	const key = `node_modules/${name}`;
	if (!parent || lock.packages[key]) continue;
	const { os, cpu, libc } = platformOf(name);
	lock.packages[key] = {
		version: parent.optionalDependencies[name].replace(/^[\^~=]/, ''),
		optional: true,
		...(cpu ? { cpu: [cpu] } : {}),
		...(os ? { os: [os] } : {}),
		...(libc ? { libc: [libc] } : {})
	};
	console.log(`added ${key}`);
}
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(
	missing.length ? `${missing.length} platform entries checked` : 'lock file is complete'
);
