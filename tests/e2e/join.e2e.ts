import { expect, test, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { choosePerspective, hydrated, newFacilitator } from './helpers';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** A participant's phone: a browser context of its own, 360 px wide. */
async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext(PHONE);
	return context.newPage();
}

/**
 * Logs in. Waits for the login form to hydrate first: its fields (lead's Field component, `value=`)
 * are reset by hydration, which loses what was typed before.
 */
async function login(page: Page, account: { email: string; password: string }) {
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('E-mailadres').fill(account.email);
	await page.getByLabel('Wachtwoord').fill(account.password);
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(/\/trajectories/);
}

/** The participant token this phone holds (its identity). */
async function deviceToken(page: Page): Promise<string | undefined> {
	return (await page.context().cookies()).find((c) => c.name === 'kompas_participant')?.value;
}

/** Nothing sticks out sideways on a 360 px phone. */
async function expectNoSidewaysScroll(page: Page) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(360);
}

async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
		.analyze();
	expect(
		results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)
	).toEqual([]);
}

/** Facilitator: a trajectory with one theme and one partner, then a session on that theme. */
async function planSession(page: Page) {
	// The trajectory form (not part of this feature) sets its fields when it hydrates: wait for that.
	await page.goto('/trajectories/new', { waitUntil: 'networkidle' });
	await page.getByLabel('Gemeente', { exact: true }).fill('Gemeente Kampen');
	await page.getByLabel('Titel').fill('Sociaal domein Kampen');
	await page.getByLabel("Thema's").fill('werk');
	await page.getByLabel('Naam organisatie 1').fill('De Kern');
	await page.getByLabel('Perspectief organisatie 1').selectOption('aanbieder');
	await page.getByRole('button', { name: 'Traject maken' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Sociaal domein Kampen' })
	).toBeVisible();
	const trajectoryId = new URL(page.url()).pathname.split('/')[2];

	await page.locator('a[href*="/themes/"]').first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Thema: werk' })).toBeVisible();
	const themeId = new URL(page.url()).pathname.split('/')[4];
	await expectNoAxeViolations(page);

	// The agenda starts with every open step ticked, each with its own time.
	await expect(page.getByRole('checkbox', { name: '1. Ambitie' })).toBeChecked();
	await expect(page.getByLabel('Minuten voor 1. Ambitie')).toHaveValue('30');
	for (const step of [
		'1. Ambitie',
		'2. Maatschappelijke resultaten',
		'3. Prioriteren',
		'4. Activiteiten',
		'5. Meten',
		'6. Reflectie'
	])
		await page.getByRole('checkbox', { name: step }).uncheck();

	// A mistake is shown inline and what was typed stays.
	await page.getByLabel('Titel').fill('');
	await page.getByLabel('Datum').fill('2026-12-01');
	await page.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(page.getByText('Dit veld is verplicht.').first()).toBeVisible();
	await expect(page.getByText('Kies minstens één stap.').first()).toBeVisible();
	await expect(page.getByLabel('Datum')).toHaveValue('2026-12-01');
	await expect(page.getByLabel('Minuten voor 1. Ambitie')).toHaveValue('30');

	await page.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await page.getByLabel('Minuten voor 1. Ambitie').fill('20');
	await page.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(page.getByText('Dit veld is verplicht.').first()).toBeVisible();
	await expect(page.getByRole('checkbox', { name: '1. Ambitie' })).toBeChecked();
	await expect(page.getByLabel('Minuten voor 1. Ambitie')).toHaveValue('20');

	await page.getByLabel('Titel').fill('Werk, tweede bijeenkomst');
	await page.getByRole('checkbox', { name: '2. Maatschappelijke resultaten' }).check();
	await page.getByLabel('Minuten voor 2. Maatschappelijke resultaten').fill('45');
	await page.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Werk, tweede bijeenkomst' })
	).toBeVisible();
	await expect(page.getByText('Totaal 65 minuten')).toBeVisible();

	const code = ((await page.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
	// The QR code is drawn here, as SVG, from the join link.
	await expect(page.getByRole('img', { name: /QR-code/ }).locator('svg')).toBeVisible();
	await expect(page.getByTestId('join-link')).toHaveAttribute('href', new RegExp(`/join/${code}$`));
	await expectNoAxeViolations(page);
	return { trajectoryId, themeId, boardId: `${themeId}.1`, code, sessionUrl: page.url() };
}

test('a participant joins by code on a phone, rejoins as themselves, and is shut out when closed or removed', async ({
	browser,
	page
}) => {
	await login(page, newFacilitator('sessie'));
	const { boardId, code, sessionUrl } = await planSession(page);
	const onBoard = new RegExp(`/b/${boardId.replace('.', '\\.')}$`);

	// The projection view shows the code large.
	await page.getByRole('link', { name: 'Toon groot voor de zaal' }).click();
	await expect(page.getByRole('heading', { name: 'Doe mee met je telefoon' })).toBeVisible();
	await expect(page.getByTestId('join-code')).toHaveText(`${code.slice(0, 3)} ${code.slice(3)}`);
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Terug naar de bijeenkomst' }).click();
	await page.getByRole('button', { name: 'Bijeenkomst starten' }).click();
	await expect(page.getByTestId('session-status')).toHaveText('Bezig');

	// A participant on a 360 px phone: code, then name + organisation + perspective, then the board.
	const fatima = await phone(browser);
	const started = Date.now();
	await fatima.goto('/join');
	await expectNoAxeViolations(fatima);
	await fatima.getByLabel('Code').fill('ZZZZZZ');
	await fatima.getByRole('button', { name: 'Verder' }).click();
	await expect(fatima.getByText('Er is geen bijeenkomst met deze code.')).toBeVisible();
	await expect(fatima.getByLabel('Code')).toHaveValue('ZZZZZZ');
	await expect(fatima.getByLabel('Code')).toBeFocused();

	// Case and spaces do not matter.
	await fatima.getByLabel('Code').fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`);
	await fatima.getByRole('button', { name: 'Verder' }).click();
	await expect(fatima).toHaveURL(new RegExp(`/join/${code}$`));
	await expect(
		fatima.getByRole('heading', { name: 'Meedoen met Werk, tweede bijeenkomst' })
	).toBeVisible();
	await expectNoAxeViolations(fatima);
	await expectNoSidewaysScroll(fatima);

	// Forgetting the name keeps the choices made.
	await hydrated(fatima);
	await fatima.getByLabel('Je organisatie', { exact: true }).selectOption({ label: 'De Kern' });
	// Choosing a partner pre-selects its perspective.
	await expect(fatima.getByLabel('Vanuit welke rol doe je mee?')).toHaveValue('aanbieder');
	await fatima.getByRole('button', { name: 'Meedoen' }).click();
	await expect(fatima.getByText('Dit veld is verplicht.').first()).toBeVisible();
	await expect(fatima.getByLabel('Je organisatie', { exact: true })).toHaveValue(/.+/);
	await expect(
		fatima.getByLabel('Je organisatie', { exact: true }).locator('option:checked')
	).toHaveText('De Kern');

	await fatima.getByLabel('Je naam').fill('Fatima');
	await fatima.getByRole('button', { name: 'Meedoen' }).click();
	await expect(fatima).toHaveURL(onBoard);
	expect(Date.now() - started).toBeLessThan(20_000);
	expect((await fatima.request.get(`/b/${boardId}`, { maxRedirects: 0 })).status()).toBe(200);
	// The device remembers her with an HttpOnly, SameSite=Lax cookie.
	const fatimaToken = await deviceToken(fatima);
	expect(
		(await fatima.context().cookies()).find((c) => c.name === 'kompas_participant')
	).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

	// The facilitator sees her arrive (the list refreshes by itself).
	await expect(page.getByTestId('participants')).toContainText('Fatima');
	await expect(page.getByTestId('participants')).toContainText('De Kern');

	// Rejoining from the same device restores the same identity.
	await fatima.goto(`/join/${code.toLowerCase()}`);
	await expect(fatima.getByRole('heading', { name: 'Welkom terug, Fatima!' })).toBeVisible();
	await fatima.getByRole('link', { name: 'Ga verder' }).click();
	await expect(fatima).toHaveURL(onBoard);
	expect(await deviceToken(fatima)).toBe(fatimaToken);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Deelnemers (1)' })).toBeVisible();

	// Closing joining refuses newcomers, but Fatima may come back.
	await page.getByRole('button', { name: 'Meedoen sluiten' }).click();
	await expect(page.getByTestId('joining-state')).toHaveText(/Meedoen is gesloten/);
	const jan = await phone(browser);
	await jan.goto(`/join/${code}`);
	await expect(jan.getByTestId('join-refused')).toHaveText(/Meedoen is nu gesloten/);
	await fatima.goto(`/join/${code}`);
	await expect(fatima.getByRole('heading', { name: 'Welkom terug, Fatima!' })).toBeVisible();

	// Opened again, Jan gets in with a new identity.
	await page.getByRole('button', { name: 'Meedoen weer openen' }).click();
	await expect(page.getByTestId('joining-state')).toHaveText(/Meedoen is open/);
	await jan.goto(`/join/${code}`);
	await jan.getByLabel('Je naam').fill('Jan');
	await jan
		.getByLabel('Je organisatie', { exact: true })
		.selectOption({ label: 'Geen organisatie' });
	await choosePerspective(jan, /^Inwoner of ervaringsdeskundige/);
	await jan.getByRole('button', { name: 'Meedoen' }).click();
	await expect(jan).toHaveURL(onBoard);
	const janToken = await deviceToken(jan);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Deelnemers (2)' })).toBeVisible();

	// Someone else on Jan's phone can join as themselves.
	await jan.goto(`/join/${code}`);
	await expect(jan.getByRole('heading', { name: 'Welkom terug, Jan!' })).toBeVisible();
	await jan.getByRole('button', { name: 'Ik ben iemand anders' }).click();
	await jan.getByLabel('Je naam').fill('Piet');
	await jan
		.getByLabel('Je organisatie', { exact: true })
		.selectOption({ label: 'Een andere organisatie' });
	await jan.getByLabel('Naam van je organisatie').fill('Buurtteam Noord');
	await choosePerspective(jan, /^Professional/);
	await jan.getByRole('button', { name: 'Meedoen' }).click();
	await expect(jan).toHaveURL(onBoard);
	expect(await deviceToken(jan)).not.toBe(janToken);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Deelnemers (3)' })).toBeVisible();
	await expect(page.getByTestId('participants')).toContainText('Buurtteam Noord');

	// Removing Fatima shuts her out at once: the board no longer knows her, rejoining is refused.
	await page.goto(sessionUrl);
	await page.getByLabel('Verwijder Fatima').click();
	await expect(
		page.getByText('Fatima kan dan niet meer meedoen in deze bijeenkomst.')
	).toBeVisible();
	await page.getByRole('button', { name: 'Ja, verwijder Fatima' }).click();
	await expect(page.getByText('Fatima is verwijderd en kan niet meer meedoen.')).toBeVisible();
	const shutOut = await fatima.request.get(`/b/${boardId}`, { maxRedirects: 0 });
	expect(shutOut.status()).toBe(303);
	// (/join also deletes what is left of this board on her device.)
	expect(shutOut.headers()['location']).toBe(`/join?vergeten=${boardId}`);
	await fatima.goto(`/b/${boardId}`);
	await expect(fatima).toHaveURL(/\/join\?vergeten=/);
	await fatima.goto(`/join/${code}`);
	await expect(fatima.getByTestId('join-refused')).toHaveText(/uit deze bijeenkomst gehaald/);
	expect((await jan.request.get(`/b/${boardId}`, { maxRedirects: 0 })).status()).toBe(200);

	// Ending the session refuses everyone.
	await page.getByText('Bijeenkomst beëindigen…').click();
	await page.getByRole('button', { name: 'Ja, beëindig de bijeenkomst' }).click();
	await expect(page.getByTestId('session-status')).toHaveText('Afgelopen');
	const late = await phone(browser);
	await late.goto(`/join/${code}`);
	await expect(late.getByTestId('join-refused')).toHaveText(/Deze bijeenkomst is afgelopen/);
});

test('someone without access cannot see or run a session', async ({ browser, page }) => {
	await login(page, newFacilitator('eigenaar'));
	const { sessionUrl, trajectoryId, themeId } = await planSession(page);
	const stranger = await browser.newContext();
	const other = await stranger.newPage();
	await login(other, newFacilitator('vreemde'));
	for (const path of [new URL(sessionUrl).pathname, `/t/${trajectoryId}/themes/${themeId}`]) {
		const response = await other.goto(path);
		expect(response?.status()).toBe(404);
	}
	const response = await other.request.post(`${new URL(sessionUrl).pathname}?/end`, {
		form: {},
		headers: { origin: new URL(sessionUrl).origin },
		maxRedirects: 0
	});
	expect(response.status()).toBe(404);
	await page.reload();
	await expect(page.getByTestId('session-status')).toHaveText('Gepland');
});
