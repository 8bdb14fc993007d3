import { expect, test, type Page } from '@playwright/test';
import {
	card,
	expectInViewport,
	expectNoViolations,
	expectSaved,
	join,
	login,
	newFacilitator,
	phone,
	SCREENS,
	SCREENS_DIR as OUT,
	trajectoryWithTheme
} from './helpers';

const AMBITION = 'De werkende bevolking van Kampen doet mee naar vermogen.';
const SITUATION = 'Een leerwerkplaats nam 8 jongeren aan.';
const SITUATION_SHARPER = 'Een leerwerkplaats nam 8 jongeren aan; 2 vonden betaald werk.';
const OUTCOME = 'Over 3 jaar vallen minder inwoners terug in de uitkering';

/** Plans a session on the theme page with the first two steps, starts it, returns its join code. */
async function planAndStart(fac: Page, trajectoryId: string, themeId: string, title: string) {
	await fac.goto(`/t/${trajectoryId}/themes/${themeId}`);
	await fac.getByLabel('Titel').fill(title);
	await fac.getByLabel('Datum').fill('2026-12-01');
	for (const step of ['1. Ambitie', '2. Maatschappelijke resultaten'])
		await fac.getByRole('checkbox', { name: step }).check();
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(fac.getByRole('heading', { level: 1, name: title })).toBeVisible();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	const url = fac.url();
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();
	return { code, url };
}

test("Kampen's two sessions: the second opens with what the first agreed, and the overview says what changed", async ({
	browser,
	page: fac
}) => {
	test.setTimeout(240_000);
	await login(fac, newFacilitator('sessies'));
	const { trajectoryId, themeId } = await trajectoryWithTheme(fac, {
		municipality: 'Gemeente Kampen',
		title: 'Twee bijeenkomsten',
		theme: 'werk'
	});
	const boardId = `${themeId}.1`;

	// Session 1: the municipality and a provider agree the ambition.
	const { code: code1, url: sessionOne } = await planAndStart(
		fac,
		trajectoryId,
		themeId,
		'Werk, bijeenkomst 1'
	);
	const petra = await phone(browser);
	const fatima = await phone(browser);
	await join(petra, code1, { name: 'Petra', organisation: null, perspective: /^Gemeente/ });
	await join(fatima, code1, { name: 'Fatima', organisation: null, perspective: /^Aanbieder/ });
	const form = (p: Page, kind: string) => p.getByTestId(`new-${kind}`);
	await form(petra, 'ambition').getByLabel('Nieuwe kaart: Ambitie').fill(AMBITION);
	await form(petra, 'ambition').getByRole('button', { name: 'Toevoegen' }).click();
	await form(fatima, 'situation').getByLabel('Nieuwe kaart: Stand van zaken').fill(SITUATION);
	await form(fatima, 'situation').getByRole('button', { name: 'Toevoegen' }).click();
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);
	await fac.getByRole('button', { name: `Vaststellen: ${AMBITION}` }).click();
	for (const p of [fac, petra, fatima])
		await expect(card(p, AMBITION).getByTestId('agreed-mark')).toHaveText(
			'Vastgesteld in bijeenkomst 1'
		);
	await fac.goto(sessionOne);
	await fac.getByText('Bijeenkomst beëindigen…').click();
	await fac.getByRole('button', { name: 'Ja, beëindig de bijeenkomst' }).click();
	await expect(fac.getByText('Deze bijeenkomst is afgelopen')).toBeVisible();

	// Session 2, a broader group on the same board: a professional joins and starts from it.
	const { code: code2 } = await planAndStart(fac, trajectoryId, themeId, 'Werk, bijeenkomst 2');
	const jan = await phone(browser);
	await join(jan, code2, { name: 'Jan', organisation: null, perspective: /^Professional/ });
	await expect(card(jan, AMBITION).getByTestId('agreed-mark')).toHaveText(
		'Vastgesteld in bijeenkomst 1'
	);
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);
	// The facilitator sharpens the situation note, then the group moves on to the results.
	const situationId = await card(fac, SITUATION).getAttribute('data-card-id');
	const situation = fac.locator(`[data-card-id="${situationId}"]`);
	await situation.getByRole('button', { name: `Bewerken: ${SITUATION}` }).click();
	await situation.getByLabel('Tekst van de kaart').fill(SITUATION_SHARPER);
	await situation.getByRole('button', { name: 'Klaar' }).click();
	await expect(card(jan, SITUATION_SHARPER)).toBeVisible();
	await fac.getByTestId('console-next').click();
	await form(jan, 'outcome').getByLabel('Nieuwe kaart: Resultaat').fill(OUTCOME);
	await form(jan, 'outcome').getByRole('button', { name: 'Toevoegen' }).click();
	await fac.getByRole('button', { name: `Vaststellen: ${OUTCOME}` }).click();
	await expect(card(jan, OUTCOME).getByTestId('agreed-mark')).toHaveText(
		'Vastgesteld in bijeenkomst 2'
	);
	await expectNoViolations(jan, 'participant, agreed in session 2');

	// An observer's view, the overview: what changed since session 2, per theme.
	await fac.goto(`/t/${trajectoryId}/overview`);
	const changes = fac.getByTestId('theme-changes');
	await expect(changes.getByRole('heading', { level: 3 })).toHaveText(
		/^Wat is er veranderd sinds bijeenkomst 2 \(/
	);
	await expect(changes.getByTestId('changes-added')).toContainText('Toegevoegd (1)');
	await expect(changes.getByTestId('changes-added')).toContainText(OUTCOME);
	await expect(changes.getByTestId('changes-changed')).toContainText(SITUATION_SHARPER);
	await expect(changes.getByTestId('changes-changed')).not.toContainText(AMBITION);
	await expect(changes.getByTestId('changes-agreed')).toContainText(OUTCOME);
	const agreements = fac.getByTestId('theme-agreements');
	await expect(agreements.getByRole('listitem').filter({ hasText: AMBITION })).toContainText(
		'Vastgesteld in bijeenkomst 1'
	);
	await expect(agreements.getByRole('listitem').filter({ hasText: OUTCOME })).toContainText(
		'Vastgesteld in bijeenkomst 2'
	);
	await expectNoViolations(fac, 'overview with the two sessions');

	// Since a day long ago: everything counts as added.
	await fac.getByLabel('Veranderd sinds (datum)').fill('2020-01-01');
	await fac.getByRole('button', { name: 'Tonen' }).click();
	await expect(fac).toHaveURL(/since=2020-01-01/);
	await expect(changes.getByRole('heading', { level: 3 })).toHaveText(
		'Wat is er veranderd sinds 1 januari 2020'
	);
	await expect(changes.getByTestId('changes-added')).toContainText('Toegevoegd (3)');

	// The export has the same section.
	const md = await (await fac.request.get(`/api/export/${trajectoryId}/md`)).text();
	expect(md).toMatch(/### Wat is er veranderd sinds bijeenkomst 2/);
	expect(md).toContain(`| ${AMBITION} | Ambitie | bijeenkomst 1 |`);
	const since = await (
		await fac.request.get(`/api/export/${trajectoryId}/md?since=2020-01-01`)
	).text();
	expect(since).toContain('### Wat is er veranderd sinds 1 januari 2020');

	// Look at it: the overview at three sizes, the phone's badge.
	await fac.goto(`/t/${trajectoryId}/overview`);
	for (const size of SCREENS) {
		await fac.setViewportSize(size);
		await fac.getByTestId('theme-changes').scrollIntoViewIfNeeded();
		await fac.screenshot({ path: `${OUT}/sessions-overview-${size.width}x${size.height}.png` });
		for (const id of ['theme-changes', 'theme-agreements', 'agreed-in', 'since-form'])
			await expectInViewport(fac, id);
		const overflow = await fac.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
	}
	await jan.setViewportSize({ width: 360, height: 640 });
	await card(jan, OUTCOME).scrollIntoViewIfNeeded();
	await jan.screenshot({ path: `${OUT}/sessions-phone-360x640.png` });
	await expectInViewport(jan, 'agreed-mark');
});
