/**
 * The backends of the realtime rules, durability and nodes specs (helpers/backends.ts). Kept apart,
 * without imports, because the global setup (tests/services/global-setup.ts) reads it outside the
 * test workers.
 */
export type Backend = 'sqlite' | 'postgres';

/**
 * Every backend the app context runs on. The global setup starts PostgreSQL only when this names
 * it (a run without it, e.g. to look at one SQLite failure, is a change here, never a skip).
 */
export const SERVER_BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];
