/**
 * Kompas on PostgreSQL (issue 12): the production server (`server/index.ts` on the build in
 * KOMPAS_OUT) with `KOMPAS_DATABASE_URL` pointing at a real PostgreSQL started here (free port,
 * temporary cluster), and an empty data folder beside it that must stay unused. The configured e2e
 * server is not used.
 *
 * The first visitor sets Kompas up, makes a trajectory, logs out and in again; every row lands in
 * PostgreSQL. PostgreSQL stopped while pages are requested gives the maintenance page (503), and
 * the same server recovers by itself when PostgreSQL is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, test, type Page } from '@playwright/test';
import { freePort, startPostgres, type PostgresServer } from '../services/services.ts';
import { connectPostgres } from '../../src/lib/server/db/postgres.ts';
import {
	card,
	choosePerspective,
	expectNoViolations,
	expectSaved,
	pageSeed,
	PHONE
} from './helpers';

test.describe.configure({ mode: 'serial' });

let postgres: PostgresServer;
let dataDir: string;
let server: { url: string; child: ChildProcess; output: () => string };

const account = {
	name: 'Karin Sok',
	email: 'karin@kampen.example',
	password: 'samen aan tafel 2026'
};

test.beforeAll(async () => {
	test.setTimeout(120_000);
	postgres = await startPostgres();
	dataDir = mkdtempSync(join(tmpdir(), 'kompas-e2e-pg-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		KOMPAS_DATA_DIR: dataDir,
		KOMPAS_DATABASE_URL: postgres.url
	};
	delete env.NODE_ENV;
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
		process.stdout.write(chunk);
	});
	server = { url, child, output: () => output };
	await expect
		.poll(
			async () => {
				if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
				return fetch(`${url}/healthz`).then(
					(response) => response.status,
					() => 0
				);
			},
			{ timeout: 60_000 }
		)
		.toBe(200);
});

test.afterAll(async () => {
	if (server?.child.exitCode === null) {
		const exited = new Promise((resolve) => server.child.once('exit', resolve));
		server.child.kill('SIGTERM');
		await exited;
	}
	await postgres?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Rows of `table` in the test's PostgreSQL. */
async function countRows(
	table: 'users' | 'trajectories' | 'sessions' | 'participants' | 'realtime_updates'
): Promise<number> {
	const pg = connectPostgres(postgres.url, { logError: () => {} });
	try {
		const { rows } = await sql<{
			n: string;
		}>`select count(*) as n from ${sql.table(table)}`.execute(pg.db);
		return Number(rows[0].n);
	} finally {
		await pg.close();
	}
}

async function login(page: Page) {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('E-mailadres').fill(account.email);
	await page.getByLabel('Wachtwoord').fill(account.password);
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(`${server.url}/trajectories`);
}

test('the server says it runs on PostgreSQL and writes nothing into the data folder', async () => {
	const { hostname, port, pathname } = new URL(postgres.url);
	expect(server.output()).toContain(`PostgreSQL op ${hostname}:${port}${pathname}`);
	expect(server.output()).not.toContain('SQLite');
	expect(existsSync(join(dataDir, 'kompas.sqlite'))).toBe(false);
	const health = await fetch(`${server.url}/healthz`);
	expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
});

test('on PostgreSQL the first visitor sets Kompas up, makes a trajectory, logs out and in again', async ({
	page
}) => {
	await page.goto(server.url);
	await expect(page).toHaveURL(`${server.url}/setup`);
	await expectNoViolations(page, '/setup on PostgreSQL');
	await page.getByLabel('Naam').fill(account.name);
	await page.getByLabel('E-mailadres').fill(account.email);
	await page.getByLabel('Wachtwoord').fill(account.password);
	await page.getByRole('button', { name: 'Account maken en beginnen' }).click();
	await expect(page).toHaveURL(`${server.url}/trajectories/new`);
	expect(await countRows('users')).toBe(1);

	await page.getByLabel('Gemeente', { exact: true }).fill('Gemeente Kampen');
	await page.getByLabel('Titel').fill('Sociaal domein Kampen');
	await page.getByLabel("Thema's").fill('werk\nwonen');
	await page.getByRole('button', { name: 'Traject maken' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Sociaal domein Kampen' })
	).toBeVisible();
	await expect(page.locator('.theme-name')).toHaveText([/werk/, /wonen/]);
	expect(await countRows('trajectories')).toBe(1);

	// Setup is closed once an account exists; logging out ends the session in PostgreSQL.
	await page.goto(`${server.url}/setup`);
	await expect(page).not.toHaveURL(/\/setup$/);
	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page).toHaveURL(/\/login\?uitgelogd/);
	expect(await countRows('sessions')).toBe(0);

	await login(page);
	await expect(page.getByRole('link', { name: /Sociaal domein Kampen/ })).toBeVisible();
	expect(await countRows('sessions')).toBe(1);
});

test('on PostgreSQL a phone joins a session by code and its card reaches the facilitator, stored there', async ({
	browser
}) => {
	// A facilitator, a trajectory and a started session, made through the repositories on PostgreSQL.
	const { boardId, code, facilitator } = await pageSeed(dataDir, {
		KOMPAS_DATABASE_URL: postgres.url
	});
	const participants = await countRows('participants');

	const fac = await (await browser.newContext()).newPage();
	await fac.goto(`${server.url}/login`);
	await fac.getByLabel('E-mailadres').fill(facilitator.email);
	await fac.getByLabel('Wachtwoord').fill(facilitator.password);
	await fac.getByRole('button', { name: 'Inloggen' }).click();
	await expect(fac).toHaveURL(`${server.url}/trajectories`);
	await fac.goto(`${server.url}/b/${boardId}`);
	await expectSaved(fac);

	const phone = await (await browser.newContext(PHONE)).newPage();
	await phone.goto(`${server.url}/join/${code}`);
	await phone.getByLabel('Je naam').fill('Jan');
	await phone
		.getByLabel('Je organisatie', { exact: true })
		.selectOption({ label: 'Geen organisatie' });
	await choosePerspective(phone, /Inwoner/);
	await phone.getByRole('button', { name: 'Meedoen' }).click();
	await expect(phone.getByTestId('you-are-in')).toContainText('Jan');
	await expectSaved(phone);
	expect(await countRows('participants')).toBe(participants + 1);

	const updates = await countRows('realtime_updates');
	const form = phone.getByTestId('new-situation');
	await form.locator('textarea').first().fill('Buurthuis ook op zondag open');
	await form.locator('button[type="submit"]').click();
	await expect(card(phone, 'Buurthuis ook op zondag open')).toBeVisible();
	await expect(card(fac, 'Buurthuis ook op zondag open')).toBeVisible();
	await expectSaved(phone);
	// The board's update log is in PostgreSQL.
	await expect.poll(() => countRows('realtime_updates')).toBeGreaterThan(updates);
	for (const page of [fac, phone]) await page.context().close();
});

test('PostgreSQL stopped: pages show the maintenance message (503); back: the same server carries on', async ({
	browser
}) => {
	const member = await (await browser.newContext()).newPage();
	await login(member);
	const visitor = await (await browser.newContext()).newPage();

	await postgres.halt();
	try {
		// A visitor without a session: the page's own query fails, the error page says maintenance.
		const page = await visitor.goto(`${server.url}/login`);
		expect(page?.status()).toBe(503);
		expect(page?.headers()['retry-after']).toBe('60');
		await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Even onderhoud');
		await expect(
			visitor.getByText('Kompas is even niet bereikbaar door onderhoud.', { exact: false })
		).toBeVisible();
		// Someone signed in: checking the session fails before any page runs (plain text).
		const plain = await member.goto(`${server.url}/trajectories`);
		expect(plain?.status()).toBe(503);
		expect(await member.locator('body').innerText()).toContain('niets verloren gegaan');
		// The health check tells the load balancer.
		expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
	} finally {
		await postgres.resume();
	}

	// No restart: the pool connects again on the next request.
	await expect
		.poll(async () => (await member.goto(`${server.url}/trajectories`))?.status(), {
			timeout: 30_000
		})
		.toBe(200);
	await expect(member.getByRole('link', { name: /Sociaal domein Kampen/ })).toBeVisible();
	const page = await visitor.goto(`${server.url}/login`);
	expect(page?.status()).toBe(200);
	await expect(visitor.getByRole('button', { name: 'Inloggen' })).toBeVisible();
	for (const p of [member, visitor]) await p.context().close();
});
