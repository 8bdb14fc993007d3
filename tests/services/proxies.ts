/**
 * The load balancers of the README's "Operations (several nodes)" as real servers for tests: nginx
 * and Caddy from Debian's packages (`scripts/ensure-tools.mjs` installs them), each run from a
 * temporary directory on a free loopback port with the README's own snippet, so the snippet an
 * operator copies is the one that was tested. Nothing outside the temporary directory is touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './services.ts';

export interface Proxy {
	/** `http://127.0.0.1:<port>`: where the browser goes. */
	url: string;
	stop(): Promise<void>;
}

/** The first fenced block of `language` in the README (e.g. `nginx`, `caddy`). */
export function readmeSnippet(language: string, readme = 'README.md'): string {
	const text = readFileSync(readme, 'utf8');
	const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text);
	if (!match) throw new Error(`README.md has no \`\`\`${language} block`);
	return match[1];
}

/** `snippet` with the README's two node addresses replaced by `upstreams` (in that order). */
function pointAt(snippet: string, upstreams: readonly string[]): string {
	const placeholders = ['127.0.0.1:3001', '127.0.0.1:3002'];
	for (const placeholder of placeholders)
		if (!snippet.includes(placeholder)) throw new Error(`the snippet names no ${placeholder}`);
	return placeholders.reduce(
		(text, placeholder, i) => text.replaceAll(placeholder, upstreams[i]),
		snippet
	);
}

/** Resolves once `url` answers anything over HTTP, or rejects when `child` exits first. */
async function ready(url: string, child: ChildProcess, what: string) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
		if (
			await fetch(url).then(
				() => true,
				() => false
			)
		)
			return;
		if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function stopper(child: ChildProcess, dir: string) {
	return async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		rmSync(dir, { recursive: true, force: true });
	};
}

/**
 * nginx with the README's snippet in front of `upstreams` (two `host:port`): its `listen 443 ssl`
 * becomes a plain listener on a free port (certificates are the operator's part), everything
 * else is used as written. `port`: where it listens (default a free one).
 */
export async function startNginx(upstreams: readonly string[], port?: number): Promise<Proxy> {
	port ??= await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'kompas-nginx-'));
	const snippet = pointAt(readmeSnippet('nginx'), upstreams);
	if (!/listen 443 ssl;/.test(snippet))
		throw new Error('the nginx snippet has no `listen 443 ssl;`');
	const server = snippet.replace('listen 443 ssl;', `listen 127.0.0.1:${port};`);
	const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
	writeFileSync(
		join(dir, 'nginx.conf'),
		[
			// As root nginx would hand its workers to `nobody`, who may not write in this directory.
			process.getuid?.() === 0 ? 'user root;' : '',
			`pid ${join(dir, 'nginx.pid')};`,
			'error_log stderr crit;',
			'events {}',
			'http {',
			'access_log off;',
			['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n'),
			server,
			'}'
		].join('\n')
	);
	const child = spawn(
		'nginx',
		['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
		{
			stdio: ['ignore', 'inherit', 'inherit']
		}
	);
	const url = `http://127.0.0.1:${port}`;
	await ready(url, child, 'nginx');
	return { url, stop: stopper(child, dir) };
}

/**
 * Caddy with the README's snippet in front of `upstreams`: its site address becomes
 * `http://127.0.0.1:<free port>` (no certificates), and the global options keep Caddy inside the
 * temporary directory (no admin endpoint, no automatic HTTPS). `port` as for nginx.
 */
export async function startCaddy(upstreams: readonly string[], port?: number): Promise<Proxy> {
	port ??= await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'kompas-caddy-'));
	const url = `http://127.0.0.1:${port}`;
	const snippet = pointAt(readmeSnippet('caddy'), upstreams);
	if (!snippet.startsWith('kompas.gemeente.nl {'))
		throw new Error('the Caddy snippet does not start with the site `kompas.gemeente.nl {`');
	const site = snippet.replace('kompas.gemeente.nl {', `${url} {`);
	writeFileSync(
		join(dir, 'Caddyfile'),
		`{\n\tadmin off\n\tauto_https off\n\tlog {\n\t\tlevel WARN\n\t}\n}\n\n${site}`
	);
	const child = spawn(
		'caddy',
		['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
		{
			env: {
				...process.env,
				HOME: dir,
				XDG_DATA_HOME: join(dir, 'data'),
				XDG_CONFIG_HOME: join(dir, 'config')
			},
			stdio: ['ignore', 'ignore', 'inherit']
		}
	);
	await ready(url, child, 'caddy');
	return { url, stop: stopper(child, dir) };
}
