import { expect, test, type Page } from '@playwright/test';
import { kampenWerkReport } from '../../src/lib/server/export/fixtures.ts';
import {
	createTrajectory,
	expectNoViolations,
	expectSaved,
	importReport,
	login,
	newFacilitator,
	participantPhone,
	seedSession
} from './helpers';

async function setLanguage(page: Page, locale: 'nl' | 'en') {
	const origin = new URL(page.url().startsWith('http') ? page.url() : 'http://localhost').origin;
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: origin }]);
}

for (const locale of ['nl', 'en'] as const) {
	test(`every page passes axe (WCAG 2.1 A+AA) in ${locale}`, async ({ page, baseURL }) => {
		// Many pages, the cockpit and its panels: more than the default minute on a loaded machine.
		test.setTimeout(180_000);
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
		const anonymous = ['/', '/login', '/join', '/invite/ongeldig', '/bestaat-niet'];
		for (const path of anonymous) {
			await page.goto(path);
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expectNoViolations(page, `${path} (${locale})`);
		}

		await setLanguage(page, 'nl');
		await login(page, newFacilitator('a11y'));
		await setLanguage(page, locale);
		const id = await createTrajectoryInLocale(page, locale);
		// A page with a fresh invitation link and an error on it.
		await page.goto(`/t/${id}`);
		await page
			.getByRole('button', {
				name: locale === 'nl' ? 'Uitnodigingslink maken' : 'Create invitation link'
			})
			.click();
		const link = await page.locator('#invite-link').inputValue();

		const pages = [
			'/trajectories',
			'/trajectories/new',
			`/t/${id}`,
			`/t/${id}/edit`,
			`/t/${id}/delete`,
			'/account'
		];
		for (const path of pages) {
			await page.goto(path);
			await expectNoViolations(page, `${path} (${locale})`);
		}

		// Usable on a 360 px phone (and so at 200 % zoom on a 720 px window): nothing scrolls sideways.
		await page.setViewportSize({ width: 360, height: 740 });
		for (const path of [...anonymous, ...pages]) {
			await page.goto(path);
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `horizontal overflow on ${path} at 360 px`).toBeLessThanOrEqual(0);
		}

		// The facilitator's cockpit: the theme page with its prepared agenda, then the running board,
		// its panels, and the session page and overview it links to.
		await page.setViewportSize({ width: 1280, height: 720 });
		await page.goto(`/t/${id}`);
		await page.locator('.theme-name').first().click();
		await expectNoViolations(page, `theme page (${locale})`);
		await page.getByTestId('start-now').click();
		await expect(page.getByTestId('console')).toBeVisible();
		await expectSaved(page);
		await expectNoViolations(page, `cockpit (${locale})`);
		for (const panel of [
			'console-people',
			'console-merge',
			'console-order',
			'console-consent',
			'console-glossary'
		]) {
			await page.getByTestId(`open-${panel}`).click();
			await expect(page.getByTestId(panel)).toBeVisible();
			await expectNoViolations(page, `cockpit, ${panel} (${locale})`);
			await page.keyboard.press('Escape');
		}
		await page.getByTestId('step-priorities').click();
		await expectNoViolations(page, `cockpit, priorities (${locale})`);
		for (const tab of [1, 2]) {
			await page
				.getByTestId('workshop-tabs')
				.getByRole('listitem')
				.nth(tab)
				.getByRole('link')
				.click();
			await expect(page.getByTestId('workshop-tabs')).toBeVisible();
			await expectNoViolations(page, `workshop tab ${tab} (${locale})`);
			await page.goBack();
		}
		await page.setViewportSize({ width: 360, height: 740 });

		// A form with errors shown.
		await page.goto('/trajectories/new');
		await page
			.getByRole('button', { name: locale === 'nl' ? 'Traject maken' : 'Create trajectory' })
			.click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoViolations(page, `/trajectories/new with errors (${locale})`);

		// The invitation page as the invited person sees it.
		const invited = await (await page.context().browser()!.newContext()).newPage();
		await invited
			.context()
			.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
		await invited.goto(link);
		await expectNoViolations(invited, `invitation (${locale})`);

		// The live board with the vote chart and the results chain, and the projector showing each.
		await page.setViewportSize({ width: 1280, height: 720 });
		await setLanguage(page, 'nl');
		const imported = await importReport(page, kampenWerkReport());
		const { boardId } = imported;
		await setLanguage(page, locale);
		await page.goto(`/b/${boardId}`);
		await expectSaved(page);
		await page.getByTestId('console-step').selectOption('priorities');
		const chart = page.getByTestId('vote-chart');
		await expect(chart.getByTestId('chart-row')).toHaveCount(4);
		await expect(page.getByTestId('chain-table')).toBeVisible();
		await chart.locator('summary').click();
		await expect(chart.getByTestId('results')).toBeVisible();
		await expectNoViolations(page, `board with the vote chart and the results chain (${locale})`);
		// A consent round on the priority order, its result shown in the panel and on the board.
		await page.getByTestId('open-console-consent').click();
		const consent = page.getByTestId('console-consent');
		await consent.getByTestId('consent-propose').click();
		await expect(page.getByTestId('consent-panel')).toHaveAttribute('data-status', 'open');
		await expectNoViolations(page, `consent round open (${locale})`);
		await consent.getByTestId('consent-reveal').click();
		await expect(consent.getByTestId('consent-result')).toBeVisible();
		await expectNoViolations(page, `consent result in the console (${locale})`);
		await page.keyboard.press('Escape');
		await expect(page.getByTestId('consent-panel').getByTestId('consent-result')).toBeVisible();
		await expectNoViolations(page, `consent result on the board (${locale})`);
		const projector = await page.context().newPage();
		await projector.setViewportSize({ width: 1280, height: 720 });
		await projector.goto(`/b/${boardId}/projector`);
		await expect(projector.getByTestId('vote-chart').getByTestId('chart-row')).toHaveCount(4);
		await expectNoViolations(projector, `projector with the vote chart (${locale})`);
		await page.getByTestId('console-step').selectOption('activities');
		await expect(projector.getByTestId('chain-figure')).toBeVisible();
		await projector.getByTestId('results-chain').locator('summary').click();
		await expect(projector.getByTestId('chain-table')).toBeVisible();
		await expectNoViolations(projector, `projector with the results chain (${locale})`);
		// The overview with "wat is er veranderd sinds …" filled (every imported card is new since 2020).
		await page.goto(`/t/${imported.trajectoryId}/overview?since=2020-01-01`);
		await expect(page.getByTestId('theme-changes').first()).toBeVisible();
		await expectNoViolations(page, `overview with what changed (${locale})`);
	});
}

for (const locale of ['nl', 'en'] as const) {
	test(`the live glossary passes axe in ${locale}: console panel, phone panel, a marked term`, async ({
		browser,
		baseURL
	}) => {
		const seed = await seedSession();
		const fac = await (await browser.newContext()).newPage();
		await login(fac, seed.facilitator);
		await fac.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
		await fac.setViewportSize({ width: 1280, height: 720 });
		await fac.goto(`/b/${seed.boardId}`);
		await expectSaved(fac);

		// The facilitator's glossary panel with a term and a reading written down.
		await fac.getByTestId('open-console-glossary').click();
		const drawer = fac.getByTestId('console-glossary');
		await drawer.getByTestId('glossary-new-term').fill('preventie');
		await drawer.getByTestId('glossary-add-term').click();
		const term = drawer.getByTestId('glossary-control-term');
		await expect(term).toHaveCount(1);
		await term.locator('textarea').first().fill('Een besparing op de kosten.');
		await term.locator('fieldset button[type="submit"]').click();
		await expect(term.getByTestId('glossary-reading')).toHaveCount(1);
		await expectNoViolations(fac, `console glossary panel (${locale})`);
		await fac.keyboard.press('Escape');

		// The participant's phone: a card using the term, its tip, and the open glossary panel.
		const phone = await participantPhone(browser, seed.token, baseURL!);
		await phone.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
		await phone.goto(`/b/${seed.boardId}`);
		await expectSaved(phone);
		const form = phone.getByTestId('new-situation');
		await form.locator('textarea').first().fill('Inzetten op preventie in de wijk');
		await form.locator('button[type="submit"]').click();
		const mark = phone.getByTestId('term-mark').first();
		await mark.focus();
		await expect(phone.getByTestId('term-tip').first()).toBeVisible();
		await expectNoViolations(phone, `a marked term with its tip (${locale})`);
		await phone.getByTestId('glossary-panel').locator('summary').click();
		await expect(phone.getByTestId('glossary-propose-text')).toBeVisible();
		await expectNoViolations(phone, `phone glossary panel (${locale})`);
	});
}

async function createTrajectoryInLocale(page: Page, locale: 'nl' | 'en') {
	if (locale === 'nl')
		return createTrajectory(page, {
			municipality: 'Gemeente Kampen',
			title: 'Toegankelijk',
			themes: ['jong', 'werk']
		});
	await page.goto('/trajectories/new');
	await page.getByLabel('Municipality').fill('Gemeente Kampen');
	await page.getByLabel('Title').fill('Accessible');
	await page.getByLabel('Themes').fill('jong\nwerk');
	await page.getByRole('button', { name: 'Create trajectory' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Accessible' })).toBeVisible();
	return new URL(page.url()).pathname.split('/')[2];
}
