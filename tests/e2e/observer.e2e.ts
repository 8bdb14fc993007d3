/**
 * Policy makers follow a live session read-only; the server refuses their writes. After the
 * session, the facilitator starts the next cycle and the earlier board stays readable.
 */
import { expect, test } from '@playwright/test';
import {
	card,
	createTrajectory,
	expectSaved,
	inviteObserver,
	join,
	newFacilitator,
	personPage,
	PHONE,
	postAction
} from './helpers';

test('an observer follows a live session read-only, then a new cycle starts', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const fac = await personPage(browser, newFacilitator('volgen'));
	const trajectoryId = await createTrajectory(fac, {
		municipality: 'Gemeente Kampen',
		title: 'Kampen vitaal',
		themes: ['vitaal']
	});
	const observer = await inviteObserver(fac, browser, 'Bea Beleid');

	// Plan and start a session on the theme.
	await fac.goto(`/t/${trajectoryId}`);
	await fac.locator('a[href*="/themes/"]').first().click();
	await expect(fac.getByRole('heading', { level: 1, name: 'Thema: vitaal' })).toBeVisible();
	const themeId = new URL(fac.url()).pathname.split('/')[4];
	await fac.getByLabel('Titel').fill('Vitaal, eerste bijeenkomst');
	await fac.getByLabel('Datum').fill('2026-12-02');
	await fac.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await fac.getByLabel('Minuten voor 1. Ambitie').fill('30');
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	const sessionUrl = fac.url();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();

	const participant = await (await browser.newContext(PHONE)).newPage();
	await join(participant, code, { name: 'Ilse', organisation: null, perspective: /^Inwoner/ });

	// The observer opens the live board: it syncs, shows no way to write, and follows live.
	await observer.goto(`/b/${themeId}.1`);
	await expectSaved(observer);
	await expect(observer.getByTestId('console')).toHaveCount(0);
	await expect(observer.locator('[data-testid^="new-"]')).toHaveCount(0);

	const text = 'Inwoners van Kampen bewegen genoeg en voelen zich fit';
	const form = participant.getByTestId('new-situation');
	await form.getByLabel(/^Nieuwe kaart/).fill(text);
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(observer, text)).toBeVisible();

	// HTTP writes by the observer are refused by the server.
	const sessionPath = new URL(sessionUrl).pathname;
	for (const action of ['end', 'joining', 'start', 'remove'])
		expect((await postAction(observer, `${sessionPath}?/${action}`, {})).status(), action).toBe(
			403
		);

	// While the session runs, a new cycle cannot start.
	await fac.goto(`/t/${trajectoryId}/themes/${themeId}`);
	await fac.getByRole('button', { name: 'Cyclus 2 starten' }).click();
	await expect(fac.getByRole('alert')).toContainText('Er loopt nog een bijeenkomst');

	// End the session, then start cycle 2; cycle 1 stays readable with its card.
	await fac.goto(sessionUrl);
	await fac.getByText('Bijeenkomst beëindigen…').click();
	await fac.getByRole('button', { name: 'Ja, beëindig de bijeenkomst' }).click();
	await expect(fac.getByText(/Deze bijeenkomst is afgelopen/)).toBeVisible();
	await fac.goto(`/t/${trajectoryId}/themes/${themeId}`);
	await fac.getByRole('button', { name: 'Cyclus 2 starten' }).click();
	await expect(fac.getByRole('status')).toContainText('Cyclus 2 is gestart');
	await expect(fac.locator(`a[href="/b/${themeId}.2"]`)).toBeVisible();
	await observer.goto(`/b/${themeId}.1`);
	await expect(card(observer, text)).toBeVisible();
});
