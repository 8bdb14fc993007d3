import AxeBuilder from '@axe-core/playwright';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { exportJson } from '../../src/lib/server/export/json.ts';
import type { TrajectoryReport } from '../../src/lib/server/export/report.ts';

/** The data folder of the e2e server (set by playwright.config.ts). */
const dataDir = () => {
	const dir = process.env.E2E_DATA_DIR;
	if (!dir) throw new Error('E2E_DATA_DIR is not set: run through playwright.config.ts');
	return dir;
};

/** Runs the admin command line against the e2e server's database and returns its JSON. */
export function kompasCli(...args: string[]): Record<string, unknown> {
	const out = execFileSync('npx', ['tsx', 'server/cli.ts', ...args, '--json'], {
		env: { ...process.env, KOMPAS_DATA_DIR: dataDir() },
		encoding: 'utf8'
	});
	return JSON.parse(out.trim().split('\n').at(-1) as string);
}

let counter = 0;
/** A fresh facilitator account, made with the CLI as a self-hoster would. */
export function newFacilitator(label = 'begeleider') {
	const email = `${label}-${Date.now()}-${counter++}@e2e.example`;
	const password = 'een lang e2e wachtwoord';
	kompasCli(
		'create-facilitator',
		'--email',
		email,
		'--name',
		`Test ${label}`,
		'--password',
		password
	);
	return { email, password, name: `Test ${label}` };
}

export async function login(page: Page, account: { email: string; password: string }) {
	await page.goto('/login');
	await page.getByLabel('E-mailadres').fill(account.email);
	await page.getByLabel('Wachtwoord').fill(account.password);
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(/\/trajectories/);
}

/** A browser context of its own (one per person), logged in. */
export async function personPage(browser: Browser, account: { email: string; password: string }) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, account);
	return page;
}

/** Creates a trajectory through the form and returns its id. */
export async function createTrajectory(
	page: Page,
	input: { municipality: string; title: string; themes: string[] }
): Promise<string> {
	await page.goto('/trajectories/new');
	await page.getByLabel('Gemeente', { exact: true }).fill(input.municipality);
	await page.getByLabel('Titel').fill(input.title);
	await page.getByLabel("Thema's").fill(input.themes.join('\n'));
	await page.getByRole('button', { name: 'Traject maken' }).click();
	await expect(page.getByRole('heading', { level: 1, name: input.title })).toBeVisible();
	const id = new URL(page.url()).pathname.split('/')[2];
	expect(id).toMatch(/^[a-z0-9]+$/);
	return id;
}

/** Posts a form action the way a crafted client would (same-origin, with the page's cookies). */
export function postAction(page: Page, path: string, form: Record<string, string>) {
	const origin = new URL(page.url()).origin;
	return page.request.post(path, {
		form,
		headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' },
		maxRedirects: 0
	});
}

/** Runs axe with the WCAG 2.1 A and AA rules and expects no violations. */
export async function expectNoViolations(page: Page, label: string) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `axe violations on ${label}`).toEqual([]);
}

/** Waits until the page's scripts run (for controls that only work with JavaScript). */
export async function hydrated(page: Page) {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/** A participant's phone. */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** Picks the perspective (role) on the join form whose label matches. */
export async function choosePerspective(page: Page, perspective: RegExp) {
	const select = page.getByLabel('Vanuit welke rol doe je mee?');
	const value = await select
		.locator('option')
		.filter({ hasText: perspective })
		.getAttribute('value');
	await select.selectOption(value ?? '');
}

/** Joins a live session by code as a participant and waits until the board is saved. */
export async function join(
	page: Page,
	code: string,
	person: { name: string; organisation: string | null; perspective: RegExp }
) {
	await page.goto(`/join/${code}`);
	await page.getByLabel('Je naam').fill(person.name);
	await page
		.getByLabel('Je organisatie', { exact: true })
		.selectOption({ label: person.organisation ?? 'Geen organisatie' });
	await choosePerspective(page, person.perspective);
	await page.getByRole('button', { name: 'Meedoen' }).click();
	await expect(page.getByTestId('you-are-in')).toContainText(person.name);
	await expectSaved(page);
}

export const expectSaved = (page: Page) =>
	expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'saved');

/** A card on the board by its text. */
export const card = (page: Page, text: string) =>
	page.getByTestId('card').filter({ hasText: text });

/**
 * The facilitator (on the trajectory page) invites an observer, who accepts the link in a browser
 * context of their own. Returns the observer's page, on the trajectory.
 */
export async function inviteObserver(facilitator: Page, browser: Browser, name: string) {
	await facilitator.getByLabel('Rol').selectOption('observer');
	await facilitator.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
	const link = await facilitator.getByLabel('Uitnodigingslink').inputValue();
	const observer = await (await browser.newContext()).newPage();
	await observer.goto(link);
	await observer.getByLabel('Naam').fill(name);
	await observer.getByLabel('E-mailadres').fill(`observer-${Date.now()}-${counter++}@e2e.example`);
	await observer.getByLabel('Wachtwoord').fill('alleen lezen graag');
	await observer.getByRole('button', { name: 'Account maken en uitnodiging aannemen' }).click();
	await expect(observer.getByTestId('readonly-notice')).toBeVisible();
	return observer;
}

/**
 * A started session with one participant, made straight in the database in `dir` (as the
 * admin CLI works): trajectory "Sociaal domein Kampen" with partner De Kern (aanbieder), theme
 * "werk". Returns the board, the join code, the participant's cookie value and the facilitator.
 * Asynchronous on purpose: a synchronous child process blocks this event loop for seconds, during
 * which fetch cannot see a server close its idle keep-alive connection and then sends the next
 * request on it ("other side closed"). `env` adds to the environment (a PostgreSQL URL, say).
 */
export async function pageSeed(
	dir: string,
	env: NodeJS.ProcessEnv = {}
): Promise<{
	boardId: string;
	code: string;
	token: string;
	facilitator: { email: string; password: string };
}> {
	const { stdout } = await promisify(execFile)('npx', ['tsx', 'bench/page-seed.ts'], {
		env: { ...process.env, KOMPAS_DATA_DIR: dir, ...env },
		encoding: 'utf8'
	});
	return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

/** pageSeed on the e2e server's own database. */
export const seedSession = () => pageSeed(dataDir());

/** A phone that is the seeded participant (their device cookie), at `viewport`. */
export async function participantPhone(
	browser: Browser,
	token: string,
	baseURL: string,
	viewport = { width: 360, height: 640 }
): Promise<Page> {
	const context = await browser.newContext({ viewport, isMobile: true, hasTouch: true });
	await context.addCookies([
		{ name: 'kompas_participant', value: token, domain: new URL(baseURL).hostname, path: '/' }
	]);
	return context.newPage();
}

/**
 * Imports a report (e.g. the finished Kampen "werk" example) through the import page, in Dutch.
 * Returns the new trajectory's id, its first theme's id and that theme's board.
 */
export async function importReport(page: Page, report: TrajectoryReport) {
	await page.goto('/trajectories/import');
	await page.getByLabel('JSON-bestand').setInputFiles({
		name: 'kompas.json',
		mimeType: 'application/json',
		buffer: Buffer.from(exportJson(report))
	});
	await page.getByRole('button', { name: 'Importeren' }).click();
	await expect(page).toHaveURL(/\/t\/[a-z0-9]+$/);
	const trajectoryId = new URL(page.url()).pathname.split('/')[2]!;
	const themeHref = await page.locator('a[href*="/themes/"]').first().getAttribute('href');
	const themeId = themeHref!.split('/themes/')[1]!.split(/[/?#]/)[0]!;
	return { trajectoryId, themeId, boardId: `${themeId}.1` };
}

/**
 * Playwright's offline mode does not close open websockets (microsoft/playwright#4910): this test
 * shim lets a page's sockets drop and fail like a real network loss, and announces "online" again.
 */
export async function installNetworkSwitch(context: BrowserContext) {
	await context.addInitScript(() => {
		const Native = window.WebSocket;
		const open = new Set<WebSocket>();
		let offline = false;
		class Switchable extends Native {
			constructor(url: string | URL, protocols?: string | string[]) {
				// Offline: a handshake that fails (no such room), like an unreachable server.
				super(offline ? String(url).replace(/\/ws\/.*/, '/ws/offline') : url, protocols);
				open.add(this);
				this.addEventListener('close', () => open.delete(this));
			}
		}
		window.WebSocket = Switchable;
		(window as unknown as { __network: { set(offline: boolean): void } }).__network = {
			set(value: boolean) {
				offline = value;
				if (value) for (const socket of open) socket.close();
				else window.dispatchEvent(new Event('online'));
			}
		};
	});
}

export async function setNetwork(page: Page, online: boolean) {
	await page.context().setOffline(!online);
	await page.evaluate(
		(value) => (window as unknown as { __network: { set(o: boolean): void } }).__network.set(value),
		!online
	);
}

/** The three sizes every changed screen is looked at in: phone, laptop, projector. */
export const SCREENS = [
	{ width: 360, height: 640 },
	{ width: 1280, height: 720 },
	{ width: 1920, height: 1080 }
] as const;
/** Where the screenshots of a run go (KOMPAS_OUT per engineer). */
export const SCREENS_DIR = `${process.env.KOMPAS_OUT ?? '.out/default'}/screens`;

/** A phone of its own (a separate browser context: its own cookies, its own person). */
export async function phone(browser: Browser): Promise<Page> {
	return (await browser.newContext(PHONE)).newPage();
}

/** The element is fully inside the page's width (nothing essential clipped). */
export async function expectInViewport(page: Page, testid: string) {
	const box = await page.getByTestId(testid).first().boundingBox();
	const width = page.viewportSize()!.width;
	expect(box, testid).not.toBeNull();
	expect(box!.x).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width).toBeLessThanOrEqual(width + 0.5);
	expect(box!.width).toBeGreaterThan(0);
}

/**
 * A new trajectory with one theme through the forms, and that theme's page opened: returns the
 * trajectory's and the theme's ids.
 */
export async function trajectoryWithTheme(
	page: Page,
	input: { municipality: string; title: string; theme: string }
): Promise<{ trajectoryId: string; themeId: string }> {
	const trajectoryId = await createTrajectory(page, { ...input, themes: [input.theme] });
	await page.locator('a[href*="/themes/"]').first().click();
	await expect(
		page.getByRole('heading', { level: 1, name: `Thema: ${input.theme}` })
	).toBeVisible();
	return { trajectoryId, themeId: new URL(page.url()).pathname.split('/')[4]! };
}
