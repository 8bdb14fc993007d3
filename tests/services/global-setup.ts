/**
 * Vitest global setup of the server project: one PostgreSQL for the whole run (starting a cluster
 * takes seconds; a fresh database per server takes milliseconds, helpers/backends.ts), started only
 * when the server specs run on PostgreSQL (`SERVER_BACKENDS`), and stopped at the end.
 */
import type { TestProject } from 'vitest/node';
import { SERVER_BACKENDS } from '../server/helpers/backend-list.ts';
import { startPostgres } from './services.ts';

export default async function setup(project: TestProject) {
	if (!SERVER_BACKENDS.includes('postgres')) {
		project.provide('postgresUrl', null);
		return;
	}
	const postgres = await startPostgres();
	project.provide('postgresUrl', postgres.url);
	return async () => {
		await postgres.stop();
	};
}
