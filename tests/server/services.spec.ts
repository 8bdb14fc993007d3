/**
 * The test harness's own services (tests/services/services.ts): a real PostgreSQL and a real Redis
 * on free ports, that survive a crash and a restart the way the several-nodes tests need.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	postgresBinDir,
	redisCommand,
	startPostgres,
	startRedis,
	type PostgresServer,
	type RedisServer
} from '../services/services.ts';

/** Runs SQL with Debian's psql against `server`; returns psql's unaligned output. */
function psql(server: PostgresServer, sql: string): string {
	const bin = postgresBinDir();
	const result = spawnSync(bin ? `${bin}/psql` : 'psql', [server.url, '-XAtc', sql], {
		encoding: 'utf8'
	});
	if (result.status !== 0) throw new Error(result.stderr);
	return result.stdout.trim();
}

describe('PostgreSQL for tests', () => {
	let pg: PostgresServer;
	beforeAll(async () => {
		pg = await startPostgres();
	}, 60_000);
	afterAll(() => pg?.stop());

	it('keeps committed rows through a crash (SIGKILL) and a restart on the same port', async () => {
		psql(pg, 'CREATE TABLE notes (id int primary key, text text)');
		psql(pg, "INSERT INTO notes VALUES (1, 'preventie')");
		await pg.halt({ crash: true });
		expect(() => psql(pg, 'SELECT 1')).toThrow();
		await pg.resume();
		expect(psql(pg, 'SELECT text FROM notes WHERE id = 1')).toBe('preventie');
	}, 60_000);
});

describe('Redis for tests', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedis();
	}, 60_000);
	afterAll(() => redis?.stop());

	it('answers, goes away when halted and comes back empty on the same port', async () => {
		expect(await redisCommand(redis.port, 'SET kompas 1')).toBe('+OK');
		await redis.halt({ crash: true });
		await expect(redisCommand(redis.port, 'PING')).rejects.toThrow();
		await redis.resume();
		expect(await redisCommand(redis.port, 'GET kompas')).toBe('$-1');
	}, 60_000);
});
