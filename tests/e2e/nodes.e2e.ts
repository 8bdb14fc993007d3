/**
 * Two production Kompas nodes on one data directory and one real Redis (issue 12): a browser may be
 * served by either node for every request, as behind a load balancer without sticky sessions. Both
 * nodes and Redis are started here (free ports, a temporary data directory) and stopped afterwards;
 * the configured e2e server is not used.
 *
 * Both nodes listen on 127.0.0.1, so the browser keeps one set of cookies for both (cookies are per
 * host, not per port): a login on node A is sent to node B, like two nodes behind one address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startRedis, type RedisServer } from '../services/services.ts';
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
import { openSqlite } from '../../src/lib/server/db/driver.ts';
import { card, expectNoViolations, expectSaved } from './helpers';

test.describe.configure({ mode: 'serial' });

type Node = KompasNode;

let redis: RedisServer;
let dataDir: string;
let nodeA: Node;
let nodeB: Node;

const startNodeHere = (id: string) => startNode(id, { dataDir, redisUrl: redis.url });

test.beforeAll(async () => {
	test.setTimeout(120_000);
	redis = await startRedis();
	dataDir = mkdtempSync(join(tmpdir(), 'kompas-e2e-nodes-'));
	nodeA = await startNodeHere('node-a');
	nodeB = await startNodeHere('node-b');
});

test.afterAll(async () => {
	await stopNode(nodeA);
	await stopNode(nodeB);
	await redis?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const seedHere = () => seed(dataDir);
const login = (page: Page, node: Node, account: { email: string; password: string }) =>
	loginAt(page, node.url, account);

/** The answer to the login form's POST on `node`. */
const loginAnswer = (page: Page, node: Node) =>
	page.waitForResponse(
		(response) =>
			response.url().startsWith(`${node.url}/login`) && response.request().method() === 'POST'
	);

const MAINTENANCE = {
	nl: {
		title: 'Even onderhoud',
		text: 'Kompas is even niet bereikbaar door onderhoud. Probeer het over een paar minuten opnieuw. Er is niets verloren gegaan.'
	},
	en: {
		title: 'Maintenance',
		text: 'Kompas is briefly unavailable for maintenance. Please try again in a few minutes. Nothing has been lost.'
	}
} as const;

const joinOn = (browser: Browser, node: Node, code: string, name: string) =>
	joinAt(browser, node.url, code, name);

test('a facilitator logs in on node A and runs the board on node B; phones join on both', async ({
	browser
}) => {
	const { boardId, code, facilitator } = await seedHere();

	const fac = await (await browser.newContext()).newPage();
	await fac.setViewportSize({ width: 1280, height: 720 });
	await login(fac, nodeA, facilitator);
	await expect(fac).toHaveURL(new RegExp(`^${nodeA.url}/trajectories`));
	// The session made on node A is valid on node B: its pages and its websocket.
	const boardSockets: string[] = [];
	fac.on('websocket', (socket) => boardSockets.push(socket.url()));
	await fac.goto(`${nodeB.url}/b/${boardId}`);
	await expectSaved(fac);
	expect(boardSockets.some((url) => url.startsWith(nodeB.url.replace('http', 'ws')))).toBe(true);

	const jan = await joinOn(browser, nodeA, code, 'Jan');
	const petra = await joinOn(browser, nodeB, code, 'Petra');

	// Phones on different nodes see each other's cards, and so does the facilitator (rooms on the bus).
	await addCard(jan, 'Buurthuis ook op zondag open');
	await expect(card(petra, 'Buurthuis ook op zondag open')).toBeVisible();
	await expect(card(fac, 'Buurthuis ook op zondag open')).toBeVisible();
	await addCard(petra, 'Meer inwoners aan tafel');
	await expect(card(jan, 'Meer inwoners aan tafel')).toBeVisible();
	await expect(card(fac, 'Meer inwoners aan tafel')).toBeVisible();

	// The facilitator, served by node B, removes Jan, whose phone is on node A: the event crosses
	// the bus and node A shuts Jan out at once.
	await removeParticipant(fac, jan, 'Jan');
	// Petra on node B carries on.
	await expectSaved(petra);
	await expect(petra.getByTestId('shut-out')).toHaveCount(0);
	for (const page of [fac, jan, petra]) await page.context().close();
});

test('/healthz answers for the load balancer, and a locked database shows the maintenance page', async ({
	browser
}) => {
	for (const node of [nodeA, nodeB]) {
		const response = await fetch(`${node.url}/healthz`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
	}

	const { facilitator } = await seedHere();
	const pages = {
		nl: await (await browser.newContext()).newPage(),
		en: await (await browser.newContext()).newPage()
	};
	await pages.en.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: nodeB.url }]);
	// Someone logged in on node A whose session is due to be extended on their next request.
	const member = await (await browser.newContext()).newPage();
	await login(member, nodeA, facilitator);
	await expect(member).toHaveURL(new RegExp(`^${nodeA.url}/trajectories`));
	const lock = openSqlite(join(dataDir, 'kompas.sqlite'));
	lock.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() + 60 * 60 * 1000);
	// Another process holds the database's write lock (as a long maintenance job would): a node
	// waits its busy timeout (5 s), then what it has to write cannot be written.
	lock.exec('BEGIN IMMEDIATE');
	try {
		for (const locale of ['nl', 'en'] as const) {
			const page = pages[locale];
			const answer = loginAnswer(page, nodeB);
			await login(page, nodeB, facilitator);
			expect((await answer).status()).toBe(503);
			expect((await answer).headers()['retry-after']).toBe('60');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(MAINTENANCE[locale].title);
			await expect(page.getByText(MAINTENANCE[locale].text)).toBeVisible();
		}
		// Extending the session fails before any page runs: the message comes as plain text.
		const plain = await member.goto(`${nodeA.url}/trajectories`);
		expect(plain?.status()).toBe(503);
		expect(await member.locator('body').innerText()).toBe(MAINTENANCE.nl.text);
	} finally {
		lock.exec('ROLLBACK');
		lock.close();
	}

	// The maintenance page at a phone, a laptop and a large screen: nothing essential clipped.
	for (const locale of ['nl', 'en'] as const) {
		const page = pages[locale];
		for (const size of [
			{ width: 360, height: 640 },
			{ width: 1280, height: 720 },
			{ width: 1920, height: 1080 }
		]) {
			await page.setViewportSize(size);
			await page.screenshot({
				path: test.info().outputPath(`maintenance-${locale}-${size.width}.png`)
			});
			for (const essential of [
				page.getByRole('heading', { level: 1 }),
				page.getByText(MAINTENANCE[locale].text)
			]) {
				const box = await essential.boundingBox();
				expect(box).not.toBeNull();
				expect(box!.x).toBeGreaterThanOrEqual(0);
				expect(box!.y).toBeGreaterThanOrEqual(0);
				expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
				expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
			}
		}
		await expectNoViolations(page, `maintenance page (${locale})`);
	}

	// Once the lock is gone the same login works, on either node.
	await login(pages.nl, nodeB, facilitator);
	await expect(pages.nl).toHaveURL(new RegExp(`^${nodeB.url}/trajectories`));
	await login(pages.en, nodeA, facilitator);
	await expect(pages.en).toHaveURL(new RegExp(`^${nodeA.url}/trajectories`));
	await member.goto(`${nodeA.url}/trajectories`);
	await expect(member.getByRole('heading', { level: 1 })).toHaveText('Trajecten');
});
