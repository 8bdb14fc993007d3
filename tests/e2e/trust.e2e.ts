/**
 * Trust on the participant's side (issue 9): a refused change is not the end (the board starts again
 * from the server's state and says why), a removed participant is told so instead of "offline", and
 * "Verlaten" leaves nothing of the board on a shared device.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	card,
	expectNoViolations,
	expectSaved,
	installNetworkSwitch,
	join,
	login,
	newFacilitator,
	PHONE,
	setNetwork
} from './helpers';

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext(PHONE);
	await installNetworkSwitch(context);
	return context.newPage();
}

/** The names of this page's IndexedDB databases. */
const databases = (page: Page) =>
	page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

async function addSituation(page: Page, text: string) {
	const form = page.getByTestId('new-situation');
	await form.getByLabel('Nieuwe kaart: Stand van zaken').fill(text);
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(page, text)).toBeVisible();
}

/** The element lies wholly inside the viewport (nothing clipped), wherever the page is scrolled. */
async function expectInViewport(page: Page, testId: string) {
	const box = await page.getByTestId(testId).boundingBox();
	const size = page.viewportSize()!;
	expect(box).not.toBeNull();
	expect(box!.x).toBeGreaterThanOrEqual(0);
	expect(box!.y).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
	expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
}

test('a refused change is explained and work goes on; removed is not "offline"; Verlaten leaves nothing behind', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(180_000);
	await login(fac, newFacilitator('vertrouwen'));
	await fac.goto('/trajectories/new');
	await fac.getByLabel('Gemeente', { exact: true }).fill('Gemeente Kampen');
	await fac.getByLabel('Titel').fill('Vertrouwen');
	await fac.getByLabel("Thema's").fill('werk');
	await fac.getByRole('button', { name: 'Traject maken' }).click();
	await fac.locator('a[href*="/themes/"]').first().click();
	await expect(fac.getByRole('heading', { level: 1, name: 'Thema: werk' })).toBeVisible();
	const themeId = new URL(fac.url()).pathname.split('/')[4];
	const boardId = `${themeId}.1`;
	await fac.getByLabel('Titel').fill('Werk, eerste bijeenkomst');
	await fac.getByLabel('Datum').fill('2026-12-01');
	await fac.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(fac.getByTestId('join-code')).toBeVisible();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();

	const petra = await phone(browser);
	const jan = await phone(browser);
	const fatima = await phone(browser);
	await join(petra, code, { name: 'Petra', organisation: null, perspective: /^Gemeente/ });
	await join(jan, code, { name: 'Jan', organisation: null, perspective: /^Inwoner/ });
	await join(fatima, code, { name: 'Fatima', organisation: null, perspective: /^Inwoner/ });
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);

	// 1. Petra writes while offline; meanwhile the facilitator locks the step. When she is back,
	// the server refuses her card (4403). She is told why, in Dutch, and carries on.
	await setNetwork(petra, false);
	await expect(petra.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
	await addSituation(petra, 'Offline geschreven');
	await fac.getByTestId('lock').click();
	await expect(fac.getByTestId('lock')).toHaveAttribute('aria-pressed', 'true');
	await setNetwork(petra, true);
	const notice = petra.getByTestId('change-refused');
	await expect(notice).toContainText('De begeleider heeft deze stap op slot gezet.');
	await expect(notice).toContainText('Je kunt gewoon verder.');
	await expect(notice).toHaveAttribute('data-kind', 'locked');
	await expect(card(petra, 'Offline geschreven')).toHaveCount(0);
	await expectSaved(petra);
	await expect(card(fac, 'Offline geschreven')).toHaveCount(0);
	for (const [width, height] of [
		[360, 640],
		[1280, 720],
		[1920, 1080]
	]) {
		await petra.setViewportSize({ width, height });
		await expectInViewport(petra, 'change-refused');
		await petra.screenshot({ path: test.info().outputPath(`refused-${width}.png`) });
	}
	await petra.setViewportSize(PHONE.viewport);
	// The facilitator opens the step again; Petra's next card simply arrives.
	await fac.getByTestId('lock').click();
	await addSituation(petra, 'Daarna gewoon verder');
	await expect(card(fac, 'Daarna gewoon verder')).toBeVisible();
	await petra.getByRole('button', { name: 'Sluiten' }).click();
	await expect(notice).toHaveCount(0);

	// 2. Jan is removed while his phone is offline. Back online, his upgrade is refused (the browser
	// sees only 1006): the board asks why and says he was removed, not that he is offline.
	expect(await databases(jan)).toContain(`kompas:board/${boardId}`);
	await setNetwork(jan, false);
	await expect(jan.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
	await fac.getByTestId('open-console-people').click();
	const inSession = fac.getByTestId('console-people').getByTestId('participants');
	await inSession.getByLabel('Verwijder Jan').click();
	await inSession.getByRole('button', { name: 'Ja, verwijder Jan' }).click();
	await expect(inSession.getByRole('listitem')).toHaveCount(2);
	await fac.keyboard.press('Escape');
	await setNetwork(jan, true);
	await expect(jan.getByTestId('shut-out')).toHaveText(
		'De begeleider heeft je uit deze bijeenkomst gehaald. Je kunt niet meer meedoen op dit bord.'
	);
	await expect(jan.getByTestId('connection')).toHaveAttribute('data-status', 'refused');
	await expect(jan.getByTestId('connection')).not.toContainText('Geen verbinding');
	await expect(jan.getByTestId('leave')).toHaveCount(0);
	// Nothing of the board stays on his phone.
	await expect.poll(() => databases(jan)).not.toContain(`kompas:board/${boardId}`);
	await jan.screenshot({ path: test.info().outputPath('removed-360.png') });

	// 3. Fatima chooses "Verlaten": the board's IndexedDB databases are gone and her cookie is over.
	const before = await databases(fatima);
	expect(before).toContain(`kompas:board/${boardId}`);
	expect(before.some((name) => name.startsWith(`kompas:private/${boardId}/`))).toBe(true);
	await fatima.getByTestId('leave').getByText('Verlaten', { exact: true }).click();
	await fatima.getByRole('button', { name: 'Ja, verlaten' }).click();
	await expect(fatima).toHaveURL(/\/join\?verlaten=1$/);
	await expect(fatima.getByTestId('left')).toContainText('Je hebt het bord verlaten.');
	await expectNoViolations(fatima, 'join page after leaving');
	const after = await databases(fatima);
	expect(after.filter((name) => name.includes(boardId))).toEqual([]);
	await fatima.goto(`/b/${boardId}`);
	await expect(fatima).toHaveURL(/\/join/);
	// (The console reloads its list every 10 s.)
	await fac.getByTestId('open-console-people').click();
	await expect(inSession.getByRole('listitem')).toHaveCount(1, { timeout: 20_000 });
});

test('an ended session stays closed, also for the facilitator, until reopened on purpose; the reopening is on record', async ({
	page: fac
}) => {
	test.setTimeout(120_000);
	const account = newFacilitator('heropenen');
	await login(fac, account);
	await fac.goto('/trajectories/new');
	await fac.getByLabel('Gemeente', { exact: true }).fill('Gemeente Kampen');
	await fac.getByLabel('Titel').fill('Heropenen');
	await fac.getByLabel("Thema's").fill('zorg');
	await fac.getByRole('button', { name: 'Traject maken' }).click();
	await fac.locator('a[href*="/themes/"]').first().click();
	await expect(fac.getByRole('heading', { level: 1, name: 'Thema: zorg' })).toBeVisible();
	await fac.getByLabel('Titel').fill('Zorg, eerste bijeenkomst');
	await fac.getByLabel('Datum').fill('2026-12-01');
	await fac.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(fac.getByTestId('join-code')).toBeVisible();
	const sessionUrl = fac.url();
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();
	await fac.getByText('Bijeenkomst beëindigen…').click();
	await fac.getByRole('button', { name: 'Ja, beëindig de bijeenkomst' }).click();
	await expect(fac.getByTestId('session-status')).toHaveText('Afgelopen');

	// The board is read-only for the facilitator too.
	await fac.getByRole('link', { name: 'Open het bord' }).click();
	await expectSaved(fac);
	await expect(fac.getByTestId('console')).toContainText('De bijeenkomst is afgelopen.');
	await expect(fac.getByTestId('new-situation')).toHaveCount(0);

	// Reopening is a deliberate step on the session page, and it is recorded.
	await fac.goto(sessionUrl);
	await fac.getByTestId('reopen').getByText('Bijeenkomst heropenen').click();
	await expectNoViolations(fac, 'ended session page with the reopen step');
	await fac.getByRole('button', { name: 'Ja, heropen de bijeenkomst' }).click();
	await expect(fac.getByTestId('session-status')).toHaveText('Bezig');
	await expect(fac.getByTestId('reopenings')).toContainText(
		`${account.name} heropende de bijeenkomst op`
	);
	await expectNoViolations(fac, 'session page after reopening');
	for (const [width, height] of [
		[360, 640],
		[1280, 720],
		[1920, 1080]
	]) {
		await fac.setViewportSize({ width, height });
		const box = await fac.getByTestId('reopenings').boundingBox();
		expect(box!.x).toBeGreaterThanOrEqual(0);
		expect(box!.x + box!.width).toBeLessThanOrEqual(width);
		await fac.getByTestId('reopenings').scrollIntoViewIfNeeded();
		await fac.screenshot({ path: test.info().outputPath(`reopened-${width}.png`) });
	}
	await fac.setViewportSize({ width: 1280, height: 720 });

	// The board takes changes again.
	await fac.getByRole('link', { name: 'Open het bord' }).click();
	await expectSaved(fac);
	await addSituation(fac, 'Na het heropenen');
	await expectSaved(fac);
});
