import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createDb, pingDb } from './db/open.ts';
import { checkpointOffThread } from './db/checkpoint.ts';
import { sqliteGate, sqliteKysely } from './db/kysely-sqlite.ts';
import { connectPostgres, migratePostgres } from './db/postgres.ts';
import { rethrow } from './updates/store.postgres.ts';
import type { Executor } from './db/repository.ts';
import type { Database } from './db/tables.ts';
import { createKyselySessions, type KyselySessions } from './auth/sessions.kysely.ts';
import { createRateLimits, type RateLimits } from './auth/rate-limit.ts';
import { createKyselyUsers, type KyselyUsers } from './users.kysely.ts';
import { createKyselyTrajectories, type KyselyTrajectories } from './trajectories.kysely.ts';
import { createKyselyInvitations, type KyselyInvitations } from './invitations.kysely.ts';
import { createEvents, type Events } from './events.ts';
import { createBoards, type Boards } from './boards.ts';
import { createKyselyLiveSessions, type KyselyLiveSessions } from './live-sessions.kysely.ts';
import { createKyselyParticipants, type KyselyParticipants } from './participants.kysely.ts';
import { createGatedSqliteStore } from './updates/store.sqlite.ts';
import { createPostgresStore } from './updates/store.postgres.ts';
import type { AsyncUpdateStore } from './updates/store.ts';
import { createGatedSqliteClientOwners, type AsyncClientOwners } from './updates/client-owners.ts';
import { createPostgresClientOwners } from './updates/client-owners.postgres.ts';
import { unitOfWork, type Atomically } from './db/unit-of-work.ts';
import { DEFAULT_RETENTION_DAYS } from './retention.ts';

export interface AppConfig {
	/** Folder holding `kompas.sqlite` (and its WAL files); unused with `databaseUrl`. */
	dataDir: string;
	/**
	 * `KOMPAS_DATABASE_URL`: a PostgreSQL (`postgres://…`) holding every table, shared by several
	 * nodes (issue 12). Unset: the embedded SQLite under `dataDir`, without configuration.
	 */
	databaseUrl?: string | null;
	/** Set the session cookie's Secure flag (true behind HTTPS). */
	secureCookies: boolean;
	/** The public origin, e.g. https://kompas.gemeente.nl; used for links and the websocket Origin check. */
	origin: string | null;
	/**
	 * Days after a trajectory's last session before its participants' names and organisations are
	 * anonymised (`KOMPAS_RETENTION_DAYS`, default 365; retention.ts).
	 */
	retentionDays?: number;
	/**
	 * `KOMPAS_REDIS_URL`: Redis shared by several nodes (issue 12). The rate limits count there, so
	 * attempts on every node add up (auth/rate-limit.ts); the bus between nodes (server/node.ts)
	 * connects to it too. Unset: one node, limits in memory.
	 */
	redisUrl?: string | null;
}

/** The transaction a unit of work (`AppContext.atomically`) hands to the calls inside it. */
export type Tx = Executor;

/** Which database the context runs on (for logs). */
export interface DatabaseInfo {
	dialect: 'sqlite' | 'postgres';
	/** The SQLite driver (`better-sqlite3`, `node:sqlite`) or `pg`. */
	driver: string;
}

/**
 * Everything server code needs, created once per process and passed in (never imported as a global).
 * Every table is reached through exactly one of these repositories or ports (ARCHITECTURE.md,
 * "Ports and adapters"); nothing outside them writes SQL. Every method returns a promise.
 */
export interface AppContext {
	config: AppConfig;
	/** The database the adapters below run on (for logs). */
	database: DatabaseInfo;
	now: () => Date;
	/**
	 * Runs repository and update-store writes as one unit: all or nothing (db/unit-of-work.ts).
	 * Every call inside passes the unit's `tx`.
	 */
	atomically: Atomically;
	sessions: KyselySessions;
	users: KyselyUsers;
	trajectories: KyselyTrajectories;
	invitations: KyselyInvitations;
	limits: RateLimits;
	/** Sessions (bijeenkomsten) on a board and their reopenings. */
	liveSessions: KyselyLiveSessions;
	/** The people who joined a session by code. */
	participants: KyselyParticipants;
	/** The board update log (`realtime_updates`), shared with the realtime server. */
	updates: AsyncUpdateStore<Executor>;
	/** Which identity writes with which Yjs client id (`realtime_client_owners`). */
	clientOwners: AsyncClientOwners<Executor>;
	/** Whole boards as plain data (overview, exports, imports, next cycle, deletion). */
	boards: Boards;
	/** HTTP-side happenings the realtime server reacts to (events.ts). */
	events: Events;
	/** Resolves when the database answers a query (the health endpoint). @throws when it does not. */
	pingDatabase(): Promise<void>;
	/** Closes the database (and the rate limits' Redis connection); call last on shutdown. */
	close(): Promise<void>;
}

/** The database's part of the context: the Kysely all repositories run on and its ports. */
interface Storage {
	database: DatabaseInfo;
	kysely: Executor;
	updates: AsyncUpdateStore<Executor>;
	clientOwners: AsyncClientOwners<Executor>;
	ping(): Promise<void>;
	close(): Promise<void>;
}

/**
 * SQLite under `dataDir` (migrated synchronously by `createDb`). One connection: Kysely's driver
 * serialises it, and the update store and client owners pass the same gate (kysely-sqlite.ts).
 */
function openSqliteStorage(config: AppConfig, now: () => Date): Storage {
	const path = config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'kompas.sqlite');
	const db = createDb(path);
	// Copying the WAL into the database file (two fsyncs) happens beside the event loop.
	const checkpoints = checkpointOffThread(db, path, {
		onFallback: (reason) =>
			console.error(`Kompas: WAL checkpoints run on the event loop again (${reason})`)
	});
	const kysely = sqliteKysely<Database>(db);
	const gate = sqliteGate(kysely);
	return {
		database: { dialect: 'sqlite', driver: db.driver },
		kysely,
		updates: createGatedSqliteStore(db, gate, () => now().getTime()),
		clientOwners: createGatedSqliteClientOwners(db, gate),
		ping: async () => pingDb(db),
		close: async () => {
			await kysely.destroy();
			await checkpoints.stop();
			db.close();
		}
	};
}

/** PostgreSQL at `url`, migrated to the latest entry first (nodes that start together migrate once). */
async function openPostgresStorage(url: string, now: () => Date): Promise<Storage> {
	const pg = connectPostgres(url);
	try {
		await migratePostgres(pg.db);
	} catch (error) {
		await pg.close();
		throw error;
	}
	return {
		database: { dialect: 'postgres', driver: 'pg' },
		kysely: pg.db,
		updates: createPostgresStore(pg, () => now().getTime()),
		clientOwners: createPostgresClientOwners(pg),
		ping: async () => {
			await sql`select 1`.execute(pg.db).catch((error: unknown) => rethrow('ping', error));
		},
		close: () => pg.close()
	};
}

/**
 * Opens the database (PostgreSQL with `config.databaseUrl`, else SQLite under `config.dataDir`),
 * migrates it and wires the repositories.
 * @throws (rejects) when the database cannot be opened or migrated.
 */
export async function createAppContext(
	config: AppConfig,
	now: () => Date = () => new Date()
): Promise<AppContext> {
	const storage = config.databaseUrl
		? await openPostgresStorage(config.databaseUrl, now)
		: openSqliteStorage(config, now);
	const db = storage.kysely;
	const events = createEvents();
	const users = createKyselyUsers(db, now);
	const trajectories = createKyselyTrajectories(db, users, now);
	const liveSessions = createKyselyLiveSessions(db, now, events);
	const { updates, clientOwners } = storage;
	const redis = config.redisUrl ? connectLimitsRedis(config.redisUrl) : undefined;
	return {
		config,
		database: storage.database,
		now,
		atomically: unitOfWork(db),
		sessions: createKyselySessions(db, users, now),
		users,
		trajectories,
		invitations: createKyselyInvitations(db, now),
		limits: createRateLimits({ redis }),
		events,
		liveSessions,
		participants: createKyselyParticipants(db, liveSessions, now, events),
		updates,
		clientOwners,
		boards: createBoards({
			updates,
			owners: clientOwners,
			themes: trajectories.themes,
			sessions: liveSessions
		}),
		pingDatabase: () => storage.ping(),
		close: async () => {
			redis?.disconnect();
			await storage.close();
		}
	};
}

/**
 * The rate limits' own Redis connection. Commands fail at once while it is down (no offline queue),
 * so the limits fall back to memory instead of waiting; it reconnects by itself. An outage is
 * logged once, not on every retry.
 */
function connectLimitsRedis(url: string): Redis {
	const redis = new Redis(url, {
		enableOfflineQueue: false,
		maxRetriesPerRequest: 1,
		retryStrategy: (times) => Math.min(50 * times, 1000)
	});
	let reported = false;
	redis.on('ready', () => (reported = false));
	redis.on('error', (error) => {
		if (reported) return;
		reported = true;
		console.error(
			'Kompas: Redis for the rate limits is unreachable; each node counts in memory until it is back',
			error
		);
	});
	return redis;
}

/** Reads the configuration from the environment (README: Configuration). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
	const origin = env.ORIGIN?.replace(/\/$/, '') || null;
	const retention = Number(env.KOMPAS_RETENTION_DAYS);
	return {
		dataDir: resolve(env.KOMPAS_DATA_DIR ?? './data'),
		databaseUrl: env.KOMPAS_DATABASE_URL?.trim() || null,
		secureCookies: origin ? origin.startsWith('https://') : env.NODE_ENV === 'production',
		origin,
		redisUrl: env.KOMPAS_REDIS_URL?.trim() || null,
		retentionDays:
			env.KOMPAS_RETENTION_DAYS && Number.isFinite(retention) && retention > 0
				? retention
				: DEFAULT_RETENTION_DAYS
	};
}

/*
 * One context per process. The production server (server/index.ts) and the dev plugin create it and
 * install it here; the SvelteKit bundle has its own copy of this module, so the slot lives on
 * globalThis under a registered symbol, which both copies see.
 */
const SLOT = Symbol.for('kompas.app-context');
type Slot = { [SLOT]?: Promise<AppContext> };

export function installAppContext(context: AppContext): void {
	(globalThis as Slot)[SLOT] = Promise.resolve(context);
}

/**
 * The process's context; created from the environment on first use when nobody installed one
 * (once: concurrent first requests share the same promise).
 */
export function getAppContext(): Promise<AppContext> {
	const slot = globalThis as Slot;
	if (!slot[SLOT]) {
		const created = createAppContext(configFromEnv());
		slot[SLOT] = created;
		// A database that cannot be reached now is tried again by the next request.
		created.catch(() => {
			if (slot[SLOT] === created) delete slot[SLOT];
		});
	}
	return slot[SLOT];
}
