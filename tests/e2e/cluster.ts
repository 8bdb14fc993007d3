/**
 * Kompas nodes as an operator runs them (issue 12): `server/index.ts`, the production entry on the
 * build in KOMPAS_OUT, one process per node, sharing one data directory and one real Redis. For the
 * tests of several nodes (nodes.e2e.ts) and of the load balancers in front of them (proxies.e2e.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, type Browser, type Page } from '@playwright/test';
import { card, choosePerspective, expectSaved, PHONE } from './helpers';
import { freePort } from '../services/services.ts';

/** A facilitator, a trajectory and a started session in the database in a node's data directory. */
export { pageSeed as seed } from './helpers';

export interface KompasNode {
	url: string;
	child: ChildProcess;
}

export interface NodeOptions {
	dataDir: string;
	/** The nodes' Redis; null for one node (or the processes of one, below) without Redis. */
	redisUrl: string | null;
	/** `KOMPAS_PROCESSES`: this node as a primary with that many child processes. */
	processes?: number;
	/**
	 * The public origin (`ORIGIN`). Default: the node's own address. `null`: none, so the node
	 * takes it from each request's Host header, as behind a proxy that passes it on.
	 */
	origin?: string | null;
}

/** Starts one node and resolves once its `/healthz` answers 200. */
export async function startNode(id: string, options: NodeOptions): Promise<KompasNode> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const origin = options.origin === undefined ? url : options.origin;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		KOMPAS_DATA_DIR: options.dataDir,
		KOMPAS_NODE_ID: id
	};
	if (options.redisUrl) env.KOMPAS_REDIS_URL = options.redisUrl;
	else delete env.KOMPAS_REDIS_URL;
	if (options.processes) env.KOMPAS_PROCESSES = String(options.processes);
	else delete env.KOMPAS_PROCESSES;
	// http here, so cookies are not Secure (ORIGIN, or NODE_ENV=production without one, sets that).
	delete env.NODE_ENV;
	if (origin) env.ORIGIN = origin;
	else delete env.ORIGIN;
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env,
		stdio: ['ignore', 'inherit', 'inherit']
	});
	await expect
		.poll(
			async () => {
				if (child.exitCode !== null) throw new Error(`node ${id} exited with ${child.exitCode}`);
				return fetch(`${url}/healthz`).then(
					(response) => response.status,
					() => 0
				);
			},
			{ timeout: 60_000 }
		)
		.toBe(200);
	return { url, child };
}

/** Stops `node` with `signal` (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits for it. */
export async function stopNode(node: KompasNode | undefined, signal: NodeJS.Signals = 'SIGTERM') {
	if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
	const exited = new Promise((resolve) => node.child.once('exit', resolve));
	node.child.kill(signal);
	await exited;
}

/** Fills and sends the login form at `baseUrl` (in Dutch or English). */
export async function loginAt(
	page: Page,
	baseUrl: string,
	account: { email: string; password: string }
) {
	await page.goto(`${baseUrl}/login`, { waitUntil: 'networkidle' });
	await page.locator('input[name="email"]').fill(account.email);
	await page.locator('input[name="password"]').fill(account.password);
	await page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click();
}

/** Writes a card on the current step (the seeded session's first step) and waits until it shows. */
export async function addCard(page: Page, text: string) {
	const form = page.getByTestId('new-situation');
	await form.locator('textarea').first().fill(text);
	await form.locator('button[type="submit"]').click();
	await expect(card(page, text)).toBeVisible();
}

/** A phone that joins the session by `code` at `baseUrl` (a node or the proxy in front of it). */
export async function joinAt(browser: Browser, baseUrl: string, code: string, name: string) {
	const phone = await (await browser.newContext(PHONE)).newPage();
	await phone.goto(`${baseUrl}/join/${code}`);
	await phone.getByLabel('Je naam').fill(name);
	await phone
		.getByLabel('Je organisatie', { exact: true })
		.selectOption({ label: 'Geen organisatie' });
	await choosePerspective(phone, /Inwoner/);
	await phone.getByRole('button', { name: 'Meedoen' }).click();
	await expect(phone.getByTestId('you-are-in')).toContainText(name);
	await expectSaved(phone);
	expect(new URL(phone.url()).origin).toBe(baseUrl);
	return phone;
}

/**
 * The facilitator removes `name` from the session in the people console, and `name`'s phone is
 * shut out at once (on whichever node or process its socket is).
 */
export async function removeParticipant(fac: Page, phone: Page, name: string) {
	await fac.getByTestId('open-console-people').click();
	const inSession = fac.getByTestId('console-people').getByTestId('participants');
	await inSession.getByLabel(`Verwijder ${name}`).click();
	await inSession.getByRole('button', { name: `Ja, verwijder ${name}` }).click();
	await expect(fac.getByTestId('session-message')).toHaveText(
		`${name} is verwijderd en kan niet meer meedoen.`
	);
	await expect(phone.getByTestId('shut-out')).toBeVisible();
}
