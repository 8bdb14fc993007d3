import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createDb, pingDb, type Db } from './db/open.ts';
import { createSessions, type Sessions } from './auth/sessions.ts';
import { createRateLimits, type RateLimits } from './auth/rate-limit.ts';
import { createUsers, type Users } from './users.ts';
import { createTrajectories, type Trajectories } from './trajectories.ts';
import { createInvitations, type Invitations } from './invitations.ts';
import { createEvents, type Events } from './events.ts';
import { createBoards, type Boards } from './boards.ts';
import { createLiveSessions, type LiveSessions } from './live-sessions.ts';
import { createParticipants, type Participants } from './participants.ts';
import { createSqliteStore } from './updates/store.sqlite.ts';
import type { UpdateStore } from './updates/store.ts';
import { createSqliteClientOwners, type ClientOwners } from './updates/client-owners.ts';
import { sqliteUnitOfWork, type Atomically } from './db/unit-of-work.ts';
import { DEFAULT_RETENTION_DAYS } from './retention.ts';

export interface AppConfig {
	/** Folder holding `kompas.sqlite` (and its WAL files). */
	dataDir: string;
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

/**
 * Everything server code needs, created once per process and passed in (never imported as a global).
 * Every table is reached through exactly one of these repositories or ports (ARCHITECTURE.md,
 * "Ports and adapters"); nothing outside them writes SQL.
 */
export interface AppContext {
	config: AppConfig;
	/** The database the adapters below run on (for the adapters and the driver's name in logs). */
	db: Db;
	now: () => Date;
	/** Runs repository and update-store writes as one unit: all or nothing (db/unit-of-work.ts). */
	atomically: Atomically;
	sessions: Sessions;
	users: Users;
	trajectories: Trajectories;
	invitations: Invitations;
	limits: RateLimits;
	/** Sessions (bijeenkomsten) on a board and their reopenings. */
	liveSessions: LiveSessions;
	/** The people who joined a session by code. */
	participants: Participants;
	/** The board update log (`realtime_updates`), shared with the realtime server. */
	updates: UpdateStore;
	/** Which identity writes with which Yjs client id (`realtime_client_owners`). */
	clientOwners: ClientOwners;
	/** Whole boards as plain data (overview, exports, imports, next cycle, deletion). */
	boards: Boards;
	/** HTTP-side happenings the realtime server reacts to (events.ts). */
	events: Events;
	/** Resolves when the database answers a query (the health endpoint). @throws when it does not. */
	pingDatabase(): Promise<void>;
	/** Closes the database (and the rate limits' Redis connection); call last on shutdown. */
	close(): void;
}

/** Opens the database under `config.dataDir` (migrating it) and wires the repositories. */
export function createAppContext(
	config: AppConfig,
	now: () => Date = () => new Date()
): AppContext {
	const db = createDb(
		config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'kompas.sqlite')
	);
	const events = createEvents();
	const users = createUsers(db, now);
	const trajectories = createTrajectories(db, users, now);
	const liveSessions = createLiveSessions(db, now, events);
	const updates = createSqliteStore(db, () => now().getTime());
	const clientOwners = createSqliteClientOwners(db);
	const redis = config.redisUrl ? connectLimitsRedis(config.redisUrl) : undefined;
	return {
		config,
		db,
		now,
		atomically: sqliteUnitOfWork(db),
		sessions: createSessions(db, users, now),
		users,
		trajectories,
		invitations: createInvitations(db, now),
		limits: createRateLimits({ redis }),
		events,
		liveSessions,
		participants: createParticipants(db, liveSessions, now, events),
		updates,
		clientOwners,
		boards: createBoards({
			updates,
			owners: clientOwners,
			themes: trajectories.themes,
			sessions: liveSessions
		}),
		pingDatabase: async () => pingDb(db),
		close: () => {
			redis?.disconnect();
			db.close();
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
type Slot = { [SLOT]?: AppContext };

export function installAppContext(context: AppContext): void {
	(globalThis as Slot)[SLOT] = context;
}

/** The process's context; created from the environment on first use when nobody installed one. */
export function getAppContext(): AppContext {
	const slot = globalThis as Slot;
	slot[SLOT] ??= createAppContext(configFromEnv());
	return slot[SLOT];
}
