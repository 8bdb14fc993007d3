/**
 * Real PostgreSQL and Redis servers for tests: each on a free loopback port, with its data in a
 * temporary directory that `stop()` removes. Nothing is mocked and nothing outside the temporary
 * directory is touched, so tests can run beside a system-wide PostgreSQL or Redis.
 *
 * The binaries come from Debian's `postgresql` and `redis-server` packages
 * (`scripts/ensure-tools.mjs` installs them). PostgreSQL refuses to run as root, so when the tests
 * run as root its processes run as the `postgres` user the package creates.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	realpathSync,
	readlinkSync,
	rmSync
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A free TCP port on 127.0.0.1 (free when asked; the server binds it right after). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Calls `probe` until it resolves true, or rejects after `timeoutMs` with `what` in the message. */
async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await probe()) return;
		if (Date.now() > deadline) throw new Error(`${what} did not become ready in ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Resolves once `child` has exited (at once when it already has). */
function exitOf(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** The directory with `initdb` and `postgres`: on PATH, else Debian's newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string | null {
	const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
	if (onPath.status === 0 && onPath.stdout.trim()) {
		// Debian links /usr/local/bin/initdb and friends into /usr/lib/postgresql/N/bin, which also
		// holds createdb and psql.
		return dirname(realpathSync(onPath.stdout.trim()));
	}
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

export interface PostgresServer {
	/** `postgres://kompas@127.0.0.1:<port>/kompas`, trust authentication on loopback only. */
	url: string;
	port: number;
	/** Stops the server (SIGKILL when `crash`), keeping the data directory. */
	halt(options?: { crash?: boolean }): Promise<void>;
	/** Starts it again on the same port and data (after `halt`). */
	resume(): Promise<void>;
	/** Stops the server and removes its directory. */
	stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** uid and gid of the `postgres` user when we are root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | null {
	if (!isRoot()) return null;
	const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error(
			'PostgreSQL cannot run as root and there is no `postgres` user: reinstall the postgresql package.'
		);
	}
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Starts a fresh cluster with a `kompas` superuser and database. */
export async function startPostgres(): Promise<PostgresServer> {
	const bin = postgresBinDir();
	if (!bin) {
		throw new Error(
			'PostgreSQL is not installed: run `apt-get install -y postgresql` (or `npm test`, which does it as root).'
		);
	}
	const dir = mkdtempSync(join(tmpdir(), 'kompas-pg-'));
	const data = join(dir, 'data');
	const user = postgresUser();
	if (user) chownSync(dir, user.uid, user.gid);
	chmodSync(dir, 0o700);
	const initResult = spawnSync(
		join(bin, 'initdb'),
		['-D', data, '-U', 'kompas', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
		{ encoding: 'utf8', ...user }
	);
	if (initResult.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`initdb failed: ${initResult.stderr || initResult.stdout}`);
	}
	const port = await freePort();
	let child: ChildProcess | null = null;
	let log = '';

	const resume = async () => {
		log = '';
		const started = spawn(
			join(bin, 'postgres'),
			[
				'-D',
				data,
				'-p',
				String(port),
				'-k',
				dir,
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'max_connections=200'
			],
			{ stdio: ['ignore', 'ignore', 'pipe'], ...user }
		);
		child = started;
		started.stderr
			?.setEncoding('utf8')
			.on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
		await waitFor(`PostgreSQL on port ${port}`, async () => {
			if (started.exitCode !== null) throw new Error(`postgres exited: ${log}`);
			return log.includes('ready to accept connections');
		});
	};

	const halt = async ({ crash = false } = {}) => {
		const running = child;
		if (!running) return;
		child = null;
		const done = exitOf(running);
		// SIGINT: PostgreSQL's fast shutdown; SIGKILL: a crash, recovered from the WAL at the next start.
		running.kill(crash ? 'SIGKILL' : 'SIGINT');
		await done;
		if (crash) {
			// Children of a killed postmaster leave by themselves once they notice; wait until the
			// data directory is free again, as a restarted machine would find it.
			await waitFor('PostgreSQL backends to exit', async () => !backendsAlive(data));
		}
	};

	await resume();
	const created = spawnSync(
		join(bin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', 'kompas', 'kompas'],
		{ encoding: 'utf8', ...user }
	);
	if (created.status !== 0) {
		await halt();
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`createdb failed: ${created.stderr}`);
	}
	return {
		url: `postgres://kompas@127.0.0.1:${port}/kompas`,
		port,
		halt,
		resume,
		stop: async () => {
			await halt();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Whether any process still works in `data` (PostgreSQL's processes chdir into it; Linux /proc). */
function backendsAlive(data: string): boolean {
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			if (readlinkSync(`/proc/${pid}/cwd`) === data) return true;
		} catch {
			// the process left while we looked
		}
	}
	return false;
}

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisServer {
	/** `redis://127.0.0.1:<port>` */
	url: string;
	port: number;
	halt(options?: { crash?: boolean }): Promise<void>;
	resume(): Promise<void>;
	stop(): Promise<void>;
}

/** Sends one inline command and resolves with the first reply line (e.g. `+PONG`). */
export function redisCommand(port: number, command: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let reply = '';
		socket.setEncoding('utf8');
		socket.once('error', reject);
		socket.on('data', (chunk: string) => {
			reply += chunk;
			if (reply.includes('\r\n')) {
				socket.end();
				resolve(reply.slice(0, reply.indexOf('\r\n')));
			}
		});
		socket.write(`${command}\r\n`);
	});
}

/** Starts `redis-server` without persistence (Postgres is the truth; Redis only carries messages). */
export async function startRedis(): Promise<RedisServer> {
	if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
		throw new Error(
			'Redis is not installed: run `apt-get install -y redis-server` (or `npm test`, which does it as root).'
		);
	}
	const dir = mkdtempSync(join(tmpdir(), 'kompas-redis-'));
	const port = await freePort();
	let child: ChildProcess | null = null;

	const resume = async () => {
		const started = spawn(
			'redis-server',
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir
			],
			{ stdio: 'ignore' }
		);
		child = started;
		await waitFor(`Redis on port ${port}`, async () => {
			if (started.exitCode !== null)
				throw new Error(`redis-server exited with ${started.exitCode}`);
			return redisCommand(port, 'PING').then(
				(reply) => reply === '+PONG',
				() => false
			);
		});
	};
	const halt = async ({ crash = false } = {}) => {
		const running = child;
		if (!running) return;
		child = null;
		const done = exitOf(running);
		running.kill(crash ? 'SIGKILL' : 'SIGTERM');
		await done;
	};
	await resume();
	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		halt,
		resume,
		stop: async () => {
			await halt();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
