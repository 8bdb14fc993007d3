/**
 * The consent round end to end (issue 11 item 2): a facilitator and three participants on 360×640
 * phones. Round 1 on the ambition gets a bezwaar (the form insists on a reason), nobody else's
 * phone receives it before the result is shown; the facilitator amends the proposal, round 2 is
 * adopted, and the ambition carries "Vastgesteld bij consent, ronde 2, 0 bezwaren" on the board,
 * on the overview and in the export.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
	card,
	createTrajectory,
	expectNoViolations,
	expectSaved,
	join,
	login,
	newFacilitator
} from './helpers';

const AMBITION = 'Iedereen in Kampen doet mee.';
const AMENDED = 'Alle werkzoekende inwoners van Kampen doen mee naar vermogen.';
const REASON = 'Wie bedoelen we met iedereen? Ook wie niet kan werken?';
const NOTE = 'Eerst de cijfers van het UWV erbij.';
const PROVENANCE = 'Vastgesteld bij consent, ronde 2, 0 bezwaren';
const PHONE_640 = {
	viewport: { width: 360, height: 640 },
	isMobile: true,
	hasTouch: true
};

/** Everything the page received over its websockets, decoded (Yjs strings are UTF-8). */
function recordFrames(page: Page): string[] {
	const frames: string[] = [];
	page.on('websocket', (ws) => {
		ws.on('framereceived', ({ payload }) => {
			frames.push(Buffer.from(payload).toString('utf8'));
		});
	});
	return frames;
}

async function phone(browser: Browser): Promise<Page> {
	return (await browser.newContext(PHONE_640)).newPage();
}

const shot = (page: Page, name: string) =>
	page.screenshot({ path: test.info().outputPath(`${name}.png`) });

/** The element lies inside the viewport horizontally, and fully in view once scrolled to. */
async function expectInView(page: Page, locator: Locator, label: string) {
	await locator.evaluate((element) => element.scrollIntoView({ block: 'center' }));
	const viewport = page.viewportSize()!;
	const box = (await locator.boundingBox())!;
	expect(
		box.x >= 0 &&
			box.x + box.width <= viewport.width + 0.5 &&
			box.y >= 0 &&
			box.y + box.height <= viewport.height + 0.5,
		`${label}: ${JSON.stringify(box)} outside ${viewport.width}×${viewport.height}`
	).toBe(true);
}

/** Nothing on the page scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, label: string) {
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow, `${label}: horizontal overflow`).toBeLessThanOrEqual(0);
}

async function answer(page: Page, choice: RegExp, text = '') {
	const form = page.getByTestId('consent-form');
	await form.getByRole('radio', { name: choice }).check();
	if (text) await form.getByRole('textbox').fill(text);
	await form.getByTestId('consent-send').click();
	await expect(page.getByTestId('consent-sent')).toBeVisible();
}

test('a consent round with a bezwaar, an amendment and a second round that adopts it', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(240_000);
	await fac.setViewportSize({ width: 1280, height: 720 });
	await login(fac, newFacilitator('consent'));
	const trajectoryId = await createTrajectory(fac, {
		municipality: 'Gemeente Kampen',
		title: 'Consent in Kampen',
		themes: ['werk']
	});
	await fac.goto(`/t/${trajectoryId}`);
	await fac.getByRole('link', { name: 'Bijeenkomst voorbereiden: werk' }).click();
	await fac.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();
	await expectSaved(fac);
	const code = ((await fac.getByTestId('board-join').getByTestId('join-code').textContent()) ?? '')
		.replace('Meedoen met code', '')
		.replace(/\s/g, '');

	const [anouk, bram, chris] = await Promise.all([phone(browser), phone(browser), phone(browser)]);
	const anoukFrames = recordFrames(anouk);
	const chrisFrames = recordFrames(chris);
	await join(anouk, code, { name: 'Anouk', organisation: null, perspective: /^Gemeente/ });
	await join(bram, code, { name: 'Bram', organisation: null, perspective: /^Inwoner/ });
	await join(chris, code, { name: 'Chris', organisation: null, perspective: /^Professional/ });
	const phones = [anouk, bram, chris];

	// The facilitator writes the ambition and puts it to the group.
	const form = fac.getByTestId('new-ambition');
	await form.getByLabel('Nieuwe kaart: Ambitie').fill(AMBITION);
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(fac, AMBITION)).toBeVisible();
	await fac.getByTestId('open-console-consent').click();
	const drawer = fac.getByTestId('console-consent');
	await expect(drawer.getByTestId('consent-subject')).toHaveValue('ambition');
	await expect(drawer.getByTestId('consent-text')).toHaveValue(AMBITION);
	await drawer.getByTestId('consent-propose').click();
	await expect(drawer.getByTestId('consent-reveal')).toBeFocused();

	for (const p of phones) {
		await expect(p.getByTestId('consent-proposal')).toHaveText(AMBITION);
		await expect(p.getByTestId('consent-panel')).toHaveAttribute('data-round', '1');
	}
	await expectNoViolations(anouk, 'consent form on a phone');
	await shot(anouk, 'consent-form-360x640');
	for (const [what, locator] of [
		['akkoord', anouk.getByRole('radio', { name: /Akkoord/ })],
		['send', anouk.getByTestId('consent-send')]
	] as const)
		await expectInView(anouk, locator, `phone ${what}`);
	await expectNoSidewaysScroll(anouk, 'phone with the consent form');

	// Round 1. A bezwaar needs a reason: the form says so in Dutch and keeps the answer unsent.
	await answer(anouk, /Akkoord/);
	const bramForm = bram.getByTestId('consent-form');
	await bramForm.getByRole('radio', { name: /Bezwaar/ }).check();
	await bramForm.getByTestId('consent-send').click();
	await expect(bram.getByTestId('consent-problem')).toHaveText(
		'Schrijf waarom je bezwaar hebt. Dan kan de groep er iets mee.'
	);
	await expect(bramForm.getByLabel('Waarom heb je bezwaar? (verplicht)')).toBeFocused();
	await expect(bram.getByTestId('consent-sent')).toHaveCount(0);
	await shot(bram, 'consent-reason-required-360x640');
	await bramForm.getByLabel('Waarom heb je bezwaar? (verplicht)').fill(REASON);
	await bramForm.getByTestId('consent-send').click();
	await expect(bram.getByTestId('consent-sent')).toContainText('Bezwaar');
	await answer(chris, /Parkeren/, NOTE);

	// The facilitator sees how many answered; nobody else has received anyone's answer.
	await expect(drawer.getByTestId('consent-status')).toContainText('3 van 3 deelnemers');
	for (const frames of [anoukFrames, chrisFrames]) {
		expect(frames.length).toBeGreaterThan(0);
		expect(frames.join('')).not.toContain(REASON);
	}
	expect(anoukFrames.join('')).not.toContain(NOTE);
	await expect(anouk.getByText(REASON)).toHaveCount(0);

	// The result per perspective, on every phone and in the console.
	await drawer.getByTestId('consent-reveal').click();
	for (const p of [...phones, fac]) {
		const result = p.getByTestId('consent-result').first();
		await expect(result.getByTestId('consent-totals')).toHaveText(
			'1 akkoord, 1 bezwaar, 1 parkeren'
		);
		await expect(result.getByTestId('consent-notes')).toContainText(REASON);
		await expect(result.getByTestId('consent-notes')).toContainText(
			'(Inwoner of ervaringsdeskundige)'
		);
	}
	// The reason reaches the group with its perspective, never with the name of who gave it.
	await expect(anouk.getByTestId('consent-notes')).not.toContainText('Bram');
	expect(anoukFrames.join('')).toContain(REASON);
	// A phone lists the numbers per perspective; the wide board shows them as a table.
	await expect(chris.getByTestId('consent-per-perspective')).toContainText(
		'Inwoner of ervaringsdeskundige: 1 bezwaar'
	);
	await expect(chris.getByTestId('consent-table')).toBeHidden();
	const table = fac.getByTestId('consent-panel').getByTestId('consent-table');
	await expect(
		table.getByRole('row', { name: /Inwoner of ervaringsdeskundige/ }).getByRole('cell')
	).toHaveText(['0', '1', '0']);
	await expectNoViolations(chris, 'consent result on a phone');
	await shot(chris, 'consent-result-360x640');
	await expectInView(
		chris,
		chris.getByTestId('consent-per-perspective'),
		'numbers per perspective on a phone'
	);
	await expectNoSidewaysScroll(chris, 'phone with the consent result');

	// With a bezwaar there is no adopting: the facilitator amends and starts round 2.
	await expect(drawer.getByTestId('consent-adopt')).toHaveCount(0);
	await expect(drawer.getByTestId('consent-adopt-blocked')).toBeVisible();
	await expectNoViolations(fac, 'consent console with a result');
	await shot(fac, 'consent-console-1280x720');
	for (const id of ['consent-amend-text', 'consent-amend', 'consent-park']) {
		const locator = drawer.getByTestId(id);
		await expectInView(fac, locator, `console ${id} at 1280×720`);
	}
	await drawer.getByTestId('consent-amend-text').fill(AMENDED);
	await drawer.getByTestId('consent-amend').click();
	await expect(drawer.getByTestId('consent-status')).toContainText('Ronde 2 loopt');

	for (const p of phones) {
		await expect(p.getByTestId('consent-panel')).toHaveAttribute('data-round', '2');
		await expect(p.getByTestId('consent-proposal')).toHaveText(AMENDED);
		await answer(p, /Akkoord/);
	}
	await expect(drawer.getByTestId('consent-status')).toContainText('3 van 3 deelnemers');
	await drawer.getByTestId('consent-reveal').click();
	await expect(drawer.getByTestId('consent-totals')).toHaveText('3 akkoord, 0 bezwaar, 0 parkeren');
	await drawer.getByTestId('consent-adopt').click();
	await expect(drawer.getByTestId('consent-history')).toContainText(PROVENANCE);
	await fac.keyboard.press('Escape');

	// The ambition took the adopted wording and carries its provenance on every board.
	for (const p of [...phones, fac]) {
		const ambition = card(p, AMENDED);
		await expect(ambition.getByTestId('agreed-mark')).toBeVisible();
		await expect(ambition.getByTestId('agreed-provenance')).toHaveText(PROVENANCE);
	}
	await expectInView(
		anouk,
		card(anouk, AMENDED).getByTestId('agreed-provenance'),
		'provenance on a phone'
	);
	await shot(anouk, 'consent-provenance-360x640');
	await shot(fac, 'consent-board-1280x720');
	await fac.setViewportSize({ width: 1920, height: 1080 });
	await expectInView(
		fac,
		card(fac, AMENDED).getByTestId('agreed-provenance'),
		'provenance at 1920×1080'
	);
	await fac.getByTestId('open-console-consent').click();
	await expectInView(fac, drawer.getByTestId('consent-history'), 'history at 1920×1080');
	await shot(fac, 'consent-board-1920x1080');
	await fac.keyboard.press('Escape');

	// The overview and the export say how it was agreed.
	await fac.goto(`/t/${trajectoryId}/overview`);
	await expect(fac.getByTestId('overview-consent')).toContainText(PROVENANCE);
	await expect(fac.getByTestId('overview-ambition')).toHaveText(AMENDED);
	await expectNoViolations(fac, 'overview with consent');
	const md = await (await fac.request.get(`/api/export/${trajectoryId}/md`)).text();
	expect(md).toContain(PROVENANCE);
	expect(md).toContain(REASON);
	expect(md).not.toContain('Bram');
	const csv = await (await fac.request.get(`/api/export/${trajectoryId}/csv?table=consent`)).text();
	expect(csv).toContain('Aangepast, daarna ronde 2');
	expect(csv).toContain('Vastgesteld bij consent in ronde 2, 0 bezwaren');
});
