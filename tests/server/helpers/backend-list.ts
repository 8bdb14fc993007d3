/**
 * The backends of the realtime rules, durability and nodes specs (helpers/backends.ts). Kept apart,
 * without imports, because the global setup (tests/services/global-setup.ts) reads it outside the
 * test workers.
 */
export type Backend = 'sqlite' | 'postgres';

/**
 * PostgreSQL joins when the app context takes `databaseUrl` (the switch to the async repositories,
 * h-app's part of issue 12): until then it is left out of the run here, not skipped, and the global
 * setup does not start PostgreSQL for it.
 */
export const SERVER_BACKENDS: readonly Backend[] = ['sqlite'];
