/**
 * The README's load balancers in front of two Kompas nodes (issue 12 item 7): nginx and Caddy run
 * with the snippets from README.md as written (only addresses and ports changed), each in front of
 * two production nodes on one data directory and one real Redis. The browser only ever talks to
 * the proxy, which spreads its requests and websockets over both nodes without sticky sessions.
 * Both nodes have the proxy's address as ORIGIN, as the README says an operator sets it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { freePort, startRedis, type RedisServer } from '../services/services.ts';
import { startCaddy, startNginx, type Proxy } from '../services/proxies.ts';
import { addCard, joinAt, loginAt, seed, startNode, stopNode, type KompasNode } from './cluster.ts';
import { card, expectSaved } from './helpers';

test.describe.configure({ mode: 'serial' });

let redis: RedisServer;
test.beforeAll(async () => {
	redis = await startRedis();
});
test.afterAll(async () => {
	await redis?.stop();
});

/** Four answers of `/healthz` through `proxy` (round robin: each node at least once). */
async function health(proxy: Proxy): Promise<number[]> {
	const answers: number[] = [];
	for (let i = 0; i < 4; i++)
		answers.push(await fetch(`${proxy.url}/healthz`).then((response) => response.status));
	return answers;
}

const proxies = { nginx: startNginx, caddy: startCaddy } as const;

for (const [name, startProxy] of Object.entries(proxies)) {
	test.describe(`${name} with the README's snippet`, () => {
		let dataDir: string;
		let nodes: KompasNode[] = [];
		let proxy: Proxy;

		test.beforeAll(async () => {
			test.setTimeout(180_000);
			dataDir = mkdtempSync(join(tmpdir(), `kompas-e2e-${name}-`));
			const port = await freePort();
			const origin = `http://127.0.0.1:${port}`;
			const options = { dataDir, redisUrl: redis.url, origin };
			nodes = [await startNode('node-a', options), await startNode('node-b', options)];
			proxy = await startProxy(
				nodes.map((node) => new URL(node.url).host),
				port
			);
		});

		test.afterAll(async () => {
			await proxy?.stop();
			for (const node of nodes) await stopNode(node);
			if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		});

		/** A facilitator logged in through the proxy, on the board, and a phone that joined. */
		async function workshop(browser: Browser) {
			const { boardId, code, facilitator } = await seed(dataDir);
			const fac = await (await browser.newContext()).newPage();
			await fac.setViewportSize({ width: 1280, height: 720 });
			await loginAt(fac, proxy.url, facilitator);
			await expect(fac).toHaveURL(new RegExp(`^${proxy.url}/trajectories`));
			const sockets: string[] = [];
			fac.on('websocket', (socket) => sockets.push(socket.url()));
			await fac.goto(`${proxy.url}/b/${boardId}`);
			await expectSaved(fac);
			// The board's websocket goes through the proxy too, upgraded on /ws/.
			expect(sockets.some((url) => url.startsWith(`${proxy.url.replace('http', 'ws')}/ws/`))).toBe(
				true
			);
			const phone = await joinAt(browser, proxy.url, code, 'Sanne');
			return { fac, phone };
		}

		test('passes pages, /healthz and websockets to both nodes', async ({ browser }) => {
			expect(await health(proxy)).toEqual([200, 200, 200, 200]);
			const response = await fetch(`${proxy.url}/healthz`);
			expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
			const { fac, phone } = await workshop(browser);
			await addCard(phone, `Via ${name}: meer bankjes in het park`);
			await expect(card(fac, `Via ${name}: meer bankjes in het park`)).toBeVisible();
			await addCard(fac, `${name}: de begeleider schrijft terug`);
			await expect(card(phone, `${name}: de begeleider schrijft terug`)).toBeVisible();
			for (const page of [fac, phone]) await page.context().close();
		});

		test('a node killed: pages, sockets and edits carry on through the other', async ({
			browser
		}) => {
			test.setTimeout(120_000);
			const { fac, phone } = await workshop(browser);
			await addCard(phone, 'Voor de crash');
			await expect(card(fac, 'Voor de crash')).toBeVisible();
			await stopNode(nodes[0], 'SIGKILL');
			// Every request reaches the living node: nginx tries the next server on a refused
			// connection; Caddy retries for `lb_try_duration` and its health check takes the dead one out.
			await expect
				.poll(() => health(proxy), { timeout: 30_000, message: `${name} sends to the dead node` })
				.toEqual([200, 200, 200, 200]);
			// Both pages reconnect through the proxy, and an edit made after the crash reaches the other.
			await expectSaved(phone);
			await expectSaved(fac);
			await addCard(phone, 'Na de crash');
			await expect(card(fac, 'Na de crash')).toBeVisible({ timeout: 30_000 });
			await fac.reload();
			await expect(card(fac, 'Voor de crash')).toBeVisible();
			await expect(card(fac, 'Na de crash')).toBeVisible();
			for (const page of [fac, phone]) await page.context().close();
		});
	});
}
