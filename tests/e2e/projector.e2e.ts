/**
 * The room's screen during the method's heart: glossary terms marked on the cards, and a consent
 * round (the proposal while the group answers, then its result without names), at the projector's
 * sizes with nothing clipped. Starts from the finished Kampen "werk" example, imported.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { kampenWerkReport } from '../../src/lib/server/export/fixtures.ts';
import {
	expectNoViolations,
	expectSaved,
	importReport,
	join,
	login,
	newFacilitator,
	phone,
	SCREENS_DIR as OUT
} from './helpers';

const PROPOSAL = 'Iedereen in Kampen doet naar vermogen mee, ook wie net aan het werk gaat';

/** The element lies wholly inside the viewport. */
async function expectInside(page: Page, locator: Locator, what: string) {
	const box = await locator.boundingBox();
	const { width, height } = page.viewportSize()!;
	expect(box, `${what} is rendered`).not.toBeNull();
	expect(box!.x, `${what} left`).toBeGreaterThanOrEqual(0);
	expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width, `${what} right at ${width}×${height}`).toBeLessThanOrEqual(
		width + 0.5
	);
	expect(box!.y + box!.height, `${what} bottom at ${width}×${height}`).toBeLessThanOrEqual(
		height + 0.5
	);
}

test('the projector marks glossary terms and shows a consent round, at 1920×1080 and 1280×720', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(240_000);
	await fac.setViewportSize({ width: 1280, height: 720 });
	await login(fac, newFacilitator('beamer'));
	const { trajectoryId, themeId, boardId } = await importReport(fac, kampenWerkReport());
	await fac.goto(`/t/${trajectoryId}/themes/${themeId}`);
	await fac.getByLabel('Titel').fill('Werk, ambitie');
	await fac.getByLabel('Datum').fill('2026-12-04');
	await fac.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);

	const projector = await fac.context().newPage();
	await projector.setViewportSize({ width: 1920, height: 1080 });
	await projector.goto(`/b/${boardId}/projector`);
	// The glossary's term is marked on the cards, as on every phone ("terugval" in reflection).
	await fac.getByTestId('console-step').selectOption('reflection');
	await expect(projector.getByTestId('projector-step')).toContainText('Reflectie');
	const marks = projector.getByTestId('projector-card').getByTestId('term-mark');
	await expect(marks.first()).toHaveAttribute('data-term', /terugval/i);
	for (const size of [
		{ width: 1920, height: 1080 },
		{ width: 1280, height: 720 }
	]) {
		await projector.setViewportSize(size);
		await projector.screenshot({ path: `${OUT}/projector-terms-${size.width}x${size.height}.png` });
		await expectInside(projector, marks.first(), 'marked term');
	}
	await projector.setViewportSize({ width: 1920, height: 1080 });

	// A consent round: the proposal on the wall while the group answers...
	const anouk = await phone(browser);
	await join(anouk, code, { name: 'Anouk', organisation: null, perspective: /^Gemeente/ });
	await fac.getByTestId('open-console-consent').click();
	const drawer = fac.getByTestId('console-consent');
	await drawer.getByTestId('consent-text').fill(PROPOSAL);
	await drawer.getByTestId('consent-propose').click();
	const shown = projector.getByTestId('projector-consent');
	await expect(shown).toHaveAttribute('data-status', 'open');
	await expect(projector.getByTestId('projector-consent-proposal')).toHaveText(PROPOSAL);
	for (const size of [
		{ width: 1920, height: 1080 },
		{ width: 1280, height: 720 }
	]) {
		await projector.setViewportSize(size);
		await projector.screenshot({
			path: `${OUT}/projector-consent-open-${size.width}x${size.height}.png`
		});
		await expectInside(projector, shown.getByRole('heading'), 'consent heading');
		await expectInside(projector, projector.getByTestId('projector-consent-proposal'), 'proposal');
	}

	// ...and its result once shown: counts per perspective, no names.
	const form = anouk.getByTestId('consent-form');
	await form.getByRole('radio', { name: /^Akkoord/ }).check();
	await form.getByTestId('consent-send').click();
	await expect(anouk.getByTestId('consent-sent')).toBeVisible();
	await expect(drawer.getByTestId('consent-status')).toContainText('1 van 1');
	await drawer.getByTestId('consent-reveal').click();
	await expect(shown).toHaveAttribute('data-status', 'revealed');
	await expect(shown.getByTestId('consent-totals')).toContainText('1');
	await expect(shown).not.toContainText('Anouk');
	await expectNoViolations(projector, 'projector, consent result');
	for (const size of [
		{ width: 1920, height: 1080 },
		{ width: 1280, height: 720 }
	]) {
		await projector.setViewportSize(size);
		await projector.screenshot({
			path: `${OUT}/projector-consent-result-${size.width}x${size.height}.png`
		});
		await expectInside(projector, projector.getByTestId('projector-consent-proposal'), 'proposal');
		await expectInside(projector, shown.getByTestId('consent-totals'), 'totals');
	}
});
