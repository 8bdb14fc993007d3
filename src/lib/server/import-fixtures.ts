/**
 * Test setup shared by the JSON round-trip specs (import.spec.ts, import-history.spec.ts): an
 * in-memory app with one facilitator, and "export as JSON, read it back" of a trajectory. Closes
 * every app it made after each test. Only specs import this module.
 */
import { afterEach } from 'vitest';
import { createAppContext, type AppContext } from './context.ts';
import { exportJson, parseImport } from './export/json.ts';
import { buildReport } from './reports.ts';
import type { TrajectoryReport } from './export/report.ts';

/** Registers the clean-up and returns `setup` (a new app and its facilitator) and `exportOf`. */
export function roundTrip() {
	const apps: AppContext[] = [];
	afterEach(async () => {
		for (const app of apps.splice(0)) await app.close();
	});

	async function setup() {
		const app = await createAppContext({ dataDir: ':memory:', secureCookies: false, origin: null });
		apps.push(app);
		const user = await app.users.create({
			email: 'k@kampen.nl',
			name: 'K',
			passwordHash: 'x',
			kind: 'facilitator'
		});
		return { app, userId: user.id };
	}

	/** The trajectory's JSON export, parsed back as an import would read it. */
	async function exportOf(app: AppContext, trajectoryId: string): Promise<TrajectoryReport> {
		const trajectory = await app.trajectories.get(trajectoryId);
		if (!trajectory) throw new Error('trajectory missing');
		const report = await buildReport(app, trajectory, { locale: 'nl' });
		if (!report) throw new Error('report missing');
		const parsed = parseImport(exportJson(report));
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
		return parsed.report;
	}

	return { setup, exportOf };
}
