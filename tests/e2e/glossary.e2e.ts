import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { card, createTrajectory, expectSaved, join, login, newFacilitator } from './helpers';

/**
 * The glossary per perspective, live (issue 11, item 1): a facilitator and three phones. A term
 * from the trajectory page reaches the board; readings are proposed from phones for each one's
 * own perspective; the term is marked on a card with the readings on focus; the compass asks
 * about it until the facilitator agrees on a meaning; the trajectory page keeps it all.
 * Screenshots at 360×640, 1280×720 and 1920×1080 are attached to the test's output.
 */

const PHONE_360 = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };
const CARD = 'Meer preventieve huisbezoeken bij ouderen';
const GEMEENTE = 'Een dure voorziening later voorkomen: een besparing.';
const AANBIEDER = 'Voorkomen dat mensen eenzaam worden.';
const MEANING = 'Voorkomen dat inwoners zware zorg nodig hebben, ook door minder eenzaamheid.';

const shot = (page: Page, name: string) =>
	page.screenshot({ path: test.info().outputPath(`${name}.png`) });

/** The box of `locator` lies inside the viewport: nothing of it is clipped. */
async function expectInViewport(page: Page, locator: Locator, label: string) {
	const box = await locator.boundingBox();
	const viewport = page.viewportSize()!;
	expect(box, `${label}: no box`).not.toBeNull();
	expect(
		box!.x >= 0 &&
			box!.y >= 0 &&
			box!.x + box!.width <= viewport.width + 0.5 &&
			box!.y + box!.height <= viewport.height + 0.5,
		`${label}: ${JSON.stringify(box)} outside ${viewport.width}×${viewport.height}`
	).toBe(true);
}

async function phone(browser: Browser) {
	return (await browser.newContext(PHONE_360)).newPage();
}

/** The participant's glossary panel, opened, and one term in it. */
async function glossaryTerm(page: Page, term: string) {
	const panel = page.getByTestId('glossary-panel');
	if ((await panel.getAttribute('open')) === null) {
		await panel.locator('summary').scrollIntoViewIfNeeded();
		await panel.locator('summary').click();
	}
	await expect(panel).toHaveAttribute('open', '');
	return panel
		.getByTestId('glossary-term')
		.filter({ has: page.getByRole('heading', { name: term }) });
}

test('a reading from a phone, the term marked on a card, agreed by the facilitator, the check cleared', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(180_000);
	await fac.setViewportSize({ width: 1280, height: 720 });
	await login(fac, newFacilitator('begrippen'));
	const trajectoryId = await createTrajectory(fac, {
		municipality: 'Gemeente Kampen',
		title: 'Begrippen in Kampen',
		themes: ['vitaal']
	});

	// The trajectory's glossary: a term without an agreed meaning yet.
	await fac.getByLabel('Begrip', { exact: true }).fill('preventie');
	await fac.getByRole('button', { name: 'Begrip toevoegen' }).click();
	await expect(fac.getByTestId('glossary')).toContainText('preventie');
	await expect(fac.getByTestId('glossary')).toContainText('Open');

	// A running board with its join code.
	await fac.getByRole('link', { name: 'Bijeenkomst voorbereiden: vitaal' }).click();
	await fac.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();
	await expect(fac.getByTestId('console')).toBeVisible();
	await expectSaved(fac);
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '')
		.replace('Meedoen met code', '')
		.replace(/\s/g, '');

	// Three phones join, each with their own perspective.
	const petra = await phone(browser);
	const fatima = await phone(browser);
	const jan = await phone(browser);
	await join(petra, code, { name: 'Petra', organisation: null, perspective: /^Gemeente/ });
	await join(fatima, code, { name: 'Fatima', organisation: null, perspective: /^Aanbieder/ });
	await join(jan, code, { name: 'Jan', organisation: null, perspective: /^Inwoner/ });
	const phones = [petra, fatima, jan];

	// A card that uses the word (an inflection of it) is marked on every screen.
	const form = jan.getByTestId('new-situation');
	await form.getByLabel('Nieuwe kaart: Stand van zaken').fill(CARD);
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	for (const p of [fac, ...phones])
		await expect(card(p, CARD).getByTestId('term-mark')).toHaveAttribute('data-term', 'preventie');

	// Readings from two phones, each for their own perspective.
	const petraTerm = await glossaryTerm(petra, 'preventie');
	await expect(petraTerm.getByLabel('Wat betekent ‘preventie’ voor jou (Gemeente)?')).toBeVisible();
	await petraTerm.getByLabel(/Wat betekent/).fill(GEMEENTE);
	await petraTerm.getByRole('button', { name: 'Betekenis toevoegen' }).click();
	const fatimaTerm = await glossaryTerm(fatima, 'preventie');
	await fatimaTerm.getByLabel(/Wat betekent/).fill(AANBIEDER);
	await fatimaTerm.getByRole('button', { name: 'Betekenis toevoegen' }).click();
	await expect(fatimaTerm.getByLabel(/Wat betekent/)).toHaveValue('');

	// Jan sees both readings on the card, by keyboard focus, and as the mark's description.
	const mark = card(jan, CARD).getByTestId('term-mark');
	await mark.focus();
	const tip = card(jan, CARD).getByTestId('term-tip');
	await expect(tip).toBeVisible();
	await expect(tip).toContainText(`Gemeente: ${GEMEENTE}`);
	await expect(tip).toContainText(`Aanbieder: ${AANBIEDER}`);
	await expect(mark).toHaveAccessibleDescription(/Status: Open.*Gemeente: .*besparing/);
	await expectInViewport(jan, tip, 'tip on a 360×640 phone');
	await shot(jan, 'glossary-tip-360x640');
	await mark.press('Escape');
	await expect(tip).toBeHidden();
	// Jan's own panel: both readings per perspective, a field for his own.
	const janTerm = await glossaryTerm(jan, 'preventie');
	await expect(janTerm.getByTestId('glossary-reading')).toHaveCount(2);
	await janTerm.scrollIntoViewIfNeeded();
	await shot(jan, 'glossary-panel-360x640');
	await expectInViewport(
		jan,
		janTerm.getByRole('button', { name: 'Betekenis toevoegen' }),
		'propose button on a phone'
	);

	// The compass asks: the readings differ and the term is not agreed.
	const check = fac.getByTestId('checks').locator('[data-check="glossary_term_open"]');
	await expect(check).toContainText('Bedoelen we hetzelfde met ‘preventie’?');

	// The facilitator opens the glossary in the console, writes the meaning and agrees.
	await fac.getByTestId('open-console-glossary').click();
	const drawer = fac.getByTestId('console-glossary');
	await expect(drawer).toBeVisible();
	const control = drawer.getByTestId('glossary-control-term').filter({ hasText: 'preventie' });
	await expect(control.getByTestId('glossary-reading')).toHaveCount(2);
	await control.getByLabel('Afgesproken betekenis van ‘preventie’').fill(MEANING);
	await shot(fac, 'glossary-console-1280x720');
	await expectInViewport(fac, drawer.getByRole('button', { name: 'Sluiten' }), 'drawer close');
	await control.getByRole('button', { name: '‘preventie’ afspreken' }).click();
	await expect(control).toHaveAttribute('data-status', 'agreed');
	await drawer.getByRole('button', { name: 'Sluiten' }).click();

	// The check clears; every screen shows the agreed meaning.
	await expect(check).toHaveCount(0);
	for (const p of [fac, ...phones])
		await expect(card(p, CARD).getByTestId('term-mark')).toHaveAttribute('data-status', 'agreed');
	await card(petra, CARD).getByTestId('term-mark').focus();
	await expect(card(petra, CARD).getByTestId('term-tip')).toContainText(MEANING);
	await expect(await glossaryTerm(fatima, 'preventie')).toHaveAttribute('data-status', 'agreed');

	// The projector-sized board: the mark and its tip fit.
	await fac.setViewportSize({ width: 1920, height: 1080 });
	const facMark = card(fac, CARD).getByTestId('term-mark');
	await facMark.hover();
	await expect(card(fac, CARD).getByTestId('term-tip')).toBeVisible();
	await expectInViewport(fac, card(fac, CARD).getByTestId('term-tip'), 'tip at 1920×1080');
	await shot(fac, 'glossary-tip-1920x1080');

	// The trajectory keeps it: status, agreed meaning and both readings.
	await fac.goto(`/t/${trajectoryId}`);
	const glossary = fac.getByTestId('glossary');
	await expect(glossary).toContainText('Afgesproken');
	await expect(glossary).toContainText(MEANING);
	await expect(glossary).toContainText(GEMEENTE);
	await expect(glossary).toContainText(AANBIEDER);
});
