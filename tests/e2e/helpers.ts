import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { expect, type Browser, type Page } from '@playwright/test';

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
