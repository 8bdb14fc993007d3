/**
 * The production server as `KOMPAS_PROCESSES=2` runs it (server/processes.ts, issue 10 item 3):
 * one port, two child processes on one data directory, no Redis. The browser only talks to that
 * port; which child serves a page or a socket is the primary's choice (a board's sockets by the
 * board id, pages in turn), so logins, joins, cards and a removal have to work whichever child
 * each request lands on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
	addCard,
	joinAt,
	loginAt,
	removeParticipant,
	seed,
	startNode,
	stopNode,
	type KompasNode
} from './cluster.ts';
import { card, expectSaved } from './helpers';

let dataDir: string;
let server: KompasNode;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	dataDir = mkdtempSync(join(tmpdir(), 'kompas-e2e-processes-'));
	server = await startNode('processen', { dataDir, redisUrl: null, processes: 2 });
});

test.afterAll(async () => {
	await stopNode(server);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('two processes behind one port run a whole session: login, phones, cards and a removal', async ({
	browser
}) => {
	const { boardId, code, facilitator } = await seed(dataDir);
	const health = await fetch(`${server.url}/healthz`);
	expect(await health.json()).toEqual({
		status: 'ok',
		database: 'ok',
		redis: 'not configured'
	});

	const fac = await (await browser.newContext()).newPage();
	await fac.setViewportSize({ width: 1280, height: 720 });
	await loginAt(fac, server.url, facilitator);
	await expect(fac).toHaveURL(new RegExp(`^${server.url}/trajectories`));
	await fac.goto(`${server.url}/b/${boardId}`);
	await expectSaved(fac);

	const jan = await joinAt(browser, server.url, code, 'Jan');
	const petra = await joinAt(browser, server.url, code, 'Petra');
	await addCard(jan, 'Buurthuis ook op zondag open');
	await expect(card(petra, 'Buurthuis ook op zondag open')).toBeVisible();
	await expect(card(fac, 'Buurthuis ook op zondag open')).toBeVisible();
	await addCard(petra, 'Meer inwoners aan tafel');
	await expect(card(jan, 'Meer inwoners aan tafel')).toBeVisible();

	// The removal is a form action on whichever child serves it; Jan's socket is on the board's.
	await removeParticipant(fac, jan, 'Jan');
	await expectSaved(petra);
	await expect(petra.getByTestId('shut-out')).toHaveCount(0);

	// A reload (new connections, perhaps to the other child) shows everything that was stored.
	await petra.reload();
	await expect(card(petra, 'Buurthuis ook op zondag open')).toBeVisible();
	await expect(card(petra, 'Meer inwoners aan tafel')).toBeVisible();
	for (const page of [fac, jan, petra]) await page.context().close();
});
