import { defineConfig, devices } from '@playwright/test';
import { chromiumPath } from './scripts/chromium.mjs';

const port = Number(process.env.E2E_PORT ?? 4173);
const out = process.env.KOMPAS_OUT;
// Outside test-results/, which Playwright empties at the start of a run.
const e2eDataDir = `${out ?? '.out/default'}/e2e-data`;
process.env.E2E_DATA_DIR = e2eDataDir;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: out ? `${out}/test-results` : 'test-results',
	testMatch: '**/*.e2e.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	forbidOnly: true,
	reporter: process.env.CI ? [['list']] : [['list']],
	timeout: 60_000,
	expect: { timeout: 10_000 },
	projects: [
		// The first-run test needs an empty database, so it runs before everything else.
		{ name: 'first-run', testMatch: 'first-run.e2e.ts' },
		{ name: 'app', testIgnore: 'first-run.e2e.ts', dependencies: ['first-run'] }
	],
	use: {
		baseURL: `http://localhost:${port}`,
		...devices['Desktop Chrome'],
		launchOptions: {
			// scripts/ensure-chromium.mjs (run before Playwright by test:e2e) installs one when none is.
			executablePath: chromiumPath() ?? undefined,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-sync',
				'--disable-quic'
			]
		},
		// A trace records every action's page and a screencast: 10–17 % of the e2e time. CI keeps
		// only the log, so it records none; a local run keeps the trace of a failed test.
		trace: process.env.CI ? 'off' : 'retain-on-failure'
	},
	webServer: {
		// The built production server: the real upgrade path, a fresh data folder per run.
		command: `node scripts/e2e-server.mjs`,
		url: `http://localhost:${port}/health`,
		reuseExistingServer: false,
		// Its first line names the Node version and SQLite driver that ran the tests.
		stdout: 'pipe',
		timeout: 120_000,
		env: {
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			KOMPAS_DATA_DIR: e2eDataDir,
			...(out ? { KOMPAS_OUT: out } : {})
		}
	}
});
