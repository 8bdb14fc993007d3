/**
 * What the room sees: the projector at five screen sizes, the vote chart on a 360 px phone with two
 * rounds compared, and the results chain live with its flags and its table, on screen and in the
 * documents. Starts from the finished Kampen "werk" example, imported, plus a loose activity.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { kampenWerkReport } from '../../src/lib/server/export/fixtures.ts';
import {
	card,
	expectNoViolations,
	expectSaved,
	importReport,
	inviteObserver,
	join,
	login,
	newFacilitator,
	PHONE
} from './helpers';

const LOOSE = 'Bingomiddag in het buurthuis';
const report = () => {
	const r = kampenWerkReport();
	r.themes[0]!.activities.push({
		text: LOOSE,
		owners: ['Welzijn Kampen'],
		servesOutcomes: [],
		isNew: false,
		quality: []
	});
	return r;
};
const [RELAPSE, YOUTH, , KNOW_WHERE] = report().themes[0]!.outcomes.map((o) => o.text);

/** Plans a session on the theme (joining open) and returns its join code. */
async function planSession(page: Page, trajectoryId: string, themeId: string) {
	await page.goto(`/t/${trajectoryId}/themes/${themeId}`);
	await page.getByLabel('Titel').fill('Werk, terugblik');
	await page.getByLabel('Datum').fill('2026-12-03');
	await page.getByRole('checkbox', { name: '3. Prioriteren' }).check();
	await page.getByLabel('Minuten voor 3. Prioriteren').fill('30');
	await page.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(page.getByTestId('join-code')).toBeVisible();
	return ((await page.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
}

async function setStep(page: Page, step: string) {
	await page.getByTestId('console-step').selectOption(step);
	await expect(page.getByTestId('board')).toHaveAttribute('data-step', step);
}

/** The element's box lies wholly inside the viewport (nothing of it clipped or scrolled away). */
async function expectInView(page: Page, locator: Locator, what: string) {
	const box = await locator.boundingBox();
	const { width, height } = page.viewportSize()!;
	expect(box, `${what} is rendered`).not.toBeNull();
	expect(box!.x, `${what} left edge`).toBeGreaterThanOrEqual(0);
	expect(box!.y, `${what} top edge`).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width, `${what} right edge at ${width}×${height}`).toBeLessThanOrEqual(
		width + 0.5
	);
	expect(box!.y + box!.height, `${what} bottom edge at ${width}×${height}`).toBeLessThanOrEqual(
		height + 0.5
	);
}

const SCREENS = [
	[1280, 720],
	[1366, 768],
	[1600, 900],
	[1920, 1080],
	[3840, 2160]
] as const;

test('the projector fits every room screen, with join code, step, timer and content', async ({
	page: fac
}) => {
	test.setTimeout(180_000);
	await login(fac, newFacilitator('beamer'));
	const { trajectoryId, themeId, boardId } = await importReport(fac, report());
	const code = await planSession(fac, trajectoryId, themeId);

	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);
	await setStep(fac, 'priorities');
	await fac.getByLabel('Minuten').fill('10');
	await fac.getByTestId('timer-start').click();

	const projector = await fac.context().newPage();
	await projector.goto(`/b/${boardId}/projector`);
	await expect(projector.getByTestId('projector-step')).toHaveText('Stap 3: Prioriteren');
	await expect(projector.getByTestId('join-code')).toHaveText(
		`${code.slice(0, 3)} ${code.slice(3)}`
	);
	const chart = projector.getByTestId('vote-chart');
	await expect(chart.getByTestId('chart-row').first()).toContainText(RELAPSE!);

	const essentials: [string, Locator][] = [
		['QR code', projector.getByTestId('projector-qr')],
		['join code', projector.getByTestId('join-code')],
		['join link', projector.getByTestId('join-link')],
		['step', projector.getByTestId('projector-step')],
		['timer', projector.getByTestId('timer')]
	];
	const noScroll = () =>
		projector.evaluate(() => {
			const root = document.querySelector('.projector')!;
			return {
				x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
				y: root.scrollHeight - root.clientHeight
			};
		});

	for (const [width, height] of SCREENS) {
		await projector.setViewportSize({ width, height });
		for (const [what, locator] of essentials) await expectInView(projector, locator, what);
		// The chart's title, round and first bars are on screen; nothing scrolls sideways or down.
		await expectInView(projector, chart.locator('figcaption'), 'chart title');
		await expectInView(projector, chart.getByTestId('chart-row').first(), 'first bar');
		expect(await noScroll()).toEqual({ x: 0, y: 0 });
		// Type grows with the screen: readable from the back of the room.
		const size = await projector
			.getByTestId('projector-step')
			.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
		expect(size).toBeGreaterThanOrEqual(height / 30);
		if (width === 1920)
			await projector.screenshot({ path: 'docs/screenshots/projector-1920x1080.png' });
		if (width === 1280)
			await projector.screenshot({ path: `${testInfoDir()}/projector-1280x720-chart.png` });
	}

	// Opened on a phone, everything stacks and only the page scrolls, downwards.
	await projector.setViewportSize({ width: 360, height: 640 });
	await expectInView(projector, projector.getByTestId('projector-step'), 'step on a phone');
	expect((await noScroll()).x).toBe(0);
	await projector.screenshot({ path: `${testInfoDir()}/projector-360x640.png` });

	// The projector follows the facilitator to the activities: now it shows the results chain.
	await setStep(fac, 'activities');
	await expect(projector.getByTestId('projector-step')).toHaveText('Stap 4: Activiteiten');
	const figure = projector.getByTestId('chain-figure');
	await expect(figure.locator('g[data-flags~="activity_without_outcome"]')).toContainText('Bingo');
	for (const [width, height] of SCREENS) {
		await projector.setViewportSize({ width, height });
		for (const [what, locator] of essentials) await expectInView(projector, locator, what);
		await expectInView(projector, figure.locator('svg'), 'results chain');
		expect(await noScroll()).toEqual({ x: 0, y: 0 });
		if (width === 1280 || width === 1920)
			await projector.screenshot({
				path: `${testInfoDir()}/projector-${width}x${height}-chain.png`
			});
	}
	await expectNoViolations(projector, 'projector with the results chain');
	await projector.setViewportSize({ width: 360, height: 640 });
	expect((await noScroll()).x).toBe(0);
	await expect
		.poll(async () => (await figure.locator('svg').boundingBox())?.height)
		.toBeGreaterThan(100);
	await projector.screenshot({
		path: `${testInfoDir()}/projector-360x640-chain.png`,
		fullPage: true
	});

	// The spotlight follows too.
	await setStep(fac, 'reflection');
	const action = 'Nieuwe maatjes werven onder oud-deelnemers';
	await fac.getByRole('button', { name: `In de schijnwerper: ${action}` }).click();
	await expect(projector.getByTestId('spotlight')).toContainText(action);
	await projector.setViewportSize({ width: 1280, height: 720 });
	await expectInView(projector, projector.getByTestId('spotlight'), 'spotlight');
});

test('the vote chart compares rounds and fits a 360 px phone; the table stays', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(120_000);
	await login(fac, newFacilitator('grafiek'));
	const { trajectoryId, themeId, boardId } = await importReport(fac, report());
	const code = await planSession(fac, trajectoryId, themeId);
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);
	await setStep(fac, 'priorities');

	// A second round: one participant gives all three votes to the fourth outcome.
	const phone = await (await browser.newContext(PHONE)).newPage();
	await join(phone, code, { name: 'Ilse', organisation: null, perspective: /^Inwoner/ });
	await fac.getByLabel('Stemmen per persoon').fill('3');
	await fac.getByTestId('round-open').click();
	for (let i = 0; i < 3; i++)
		await phone.getByRole('button', { name: `Stem erbij voor: ${KNOW_WHERE}` }).click();
	await expectSaved(phone);
	await fac.getByTestId('round-close').click();
	await fac.getByTestId('round-reveal').click();

	const chart = phone.getByTestId('vote-chart');
	await expect(chart.getByTestId('chart-round')).toHaveText('Ronde 2 van 2');
	const first = chart.getByTestId('chart-row').first();
	await expect(first).toContainText(KNOW_WHERE!);
	await expect(first.getByTestId('chart-total')).toHaveText('3');
	await expect(first.locator('[data-perspective="inwoner"]')).toHaveText('3');
	// The bar is written out for screen readers.
	await expect(first).toContainText(
		'Ronde 2 van 2: 3 stemmen, van Inwoner of ervaringsdeskundige 3'
	);

	// Round 1 on its own, then both side by side on one scale.
	await chart.getByRole('button', { name: 'Ronde 1' }).click();
	await expect(chart.getByTestId('chart-round')).toHaveText('Ronde 1 van 2');
	const relapse = chart.getByTestId('chart-row').first();
	await expect(relapse).toContainText(RELAPSE!);
	await expect(relapse.getByTestId('chart-total')).toHaveText('18');
	await expect(relapse.locator('[data-perspective="professional"]')).toHaveText('6');
	await chart.getByTestId('chart-compare').click();
	await expect(chart.getByTestId('chart-compare')).toHaveAttribute('aria-pressed', 'true');
	await expect(chart.getByTestId('chart-round')).toHaveText('Rondes naast elkaar');
	const compared = chart.getByTestId('chart-row').filter({ hasText: KNOW_WHERE! });
	await expect(compared.getByTestId('chart-total')).toHaveText(['4', '3']);

	// 360 px: nothing scrolls sideways, and every bar with its total is on the screen's width.
	const overflow = await phone.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	for (const total of await chart.getByTestId('chart-total').all()) {
		const box = (await total.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(360);
	}
	await chart.screenshot({ path: `${testInfoDir()}/chart-360.png` });

	// The tables stay, one click away, for each round shown.
	await chart.getByText('Bekijk de uitslag als tabel').click();
	const tables = chart.getByTestId('results');
	await expect(tables).toHaveCount(2);
	await expect(
		tables
			.nth(1)
			.getByTestId('result-row')
			.filter({ hasText: KNOW_WHERE! })
			.getByTestId('result-total')
	).toHaveText('3');
	await expectNoViolations(phone, 'vote chart on a phone');

	// The facilitator sees the same chart.
	await expect(fac.getByTestId('vote-chart').getByTestId('chart-round')).toHaveText(
		'Ronde 2 van 2'
	);
});

test('the results chain: flags in place, a table beside it, live for observers, and in the documents', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(120_000);
	await login(fac, newFacilitator('keten'));
	const { trajectoryId, boardId } = await importReport(fac, report());
	await fac.goto(`/t/${trajectoryId}`);
	const observer = await inviteObserver(fac, browser, 'Bea Beleid');

	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);
	await setStep(fac, 'activities');
	await observer.goto(`/b/${boardId}`);
	await expectSaved(observer);

	for (const p of [fac, observer]) {
		const chain = p.getByTestId('results-chain');
		const figure = chain.getByTestId('chain-figure');
		// The drawing: the loose activity asks "doel of middel?", the second priority has no indicator.
		await expect(figure.locator('g[data-flags~="activity_without_outcome"]')).toContainText(
			'Bingomiddag in het'
		);
		await expect(
			figure.locator('g[data-kind="outcome"]').filter({ hasText: '2. Over 3 jaar hebben meer' })
		).toContainText('Geen indicator');
		await expect(figure.locator('path[data-edge="serves"]')).toHaveCount(5);
		// The table says the same in words.
		const table = chain.getByTestId('chain-table');
		await expect(table.getByTestId('chain-table-ambition')).toContainText('Ambitie: De beroeps');
		const youth = table.getByTestId('chain-row').filter({ hasText: YOUTH! });
		await expect(youth.getByTestId('chain-row-flags')).toHaveText('Geen indicator');
		const loose = table.getByTestId('chain-row').filter({ hasText: 'Hoort nog nergens bij' });
		await expect(loose).toContainText(`${LOOSE} Doel of middel?`);
	}
	await fac.setViewportSize({ width: 1280, height: 720 });
	await fac.getByTestId('chain-figure').scrollIntoViewIfNeeded();
	await fac.getByTestId('chain-figure').screenshot({ path: 'docs/screenshots/results-chain.png' });
	await expectNoViolations(observer, 'results chain (observer)');

	// The facilitator links the loose activity: the observer's chain draws the line, the flag goes.
	const bingo = card(fac, LOOSE);
	await bingo.getByText('Koppelen (0)').click();
	await bingo.getByRole('checkbox', { name: KNOW_WHERE! }).check();
	const observed = observer.getByTestId('chain-figure');
	await expect(observed.locator('g[data-flags~="activity_without_outcome"]')).toHaveCount(0);
	await expect(observed.locator('path[data-edge="serves"]')).toHaveCount(6);
	await expect(
		observed.locator('g[data-kind="outcome"]').filter({ hasText: 'Inwoners weten waar' })
	).not.toContainText('Geen activiteit');

	// On a phone the drawing scrolls in its own box, never the page.
	await observer.setViewportSize({ width: 360, height: 640 });
	await observer.getByTestId('results-chain').scrollIntoViewIfNeeded();
	await observer.screenshot({ path: `${testInfoDir()}/chain-360x640.png` });
	expect(
		await observer.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		)
	).toBeLessThanOrEqual(0);

	// The print page and the documents carry the chain too: drawing and table.
	await fac.goto(`/t/${trajectoryId}/report`);
	const printed = fac.getByTestId('report-figure');
	await expect(printed.locator('svg g[data-kind="outcome"]')).toHaveCount(4);
	await expect(fac.getByRole('columnheader', { name: 'Let op' })).toBeVisible();
	await expectNoViolations(fac, 'print page with the results chain');
	const docx = await fac.request.get(`/api/export/${trajectoryId}/docx`);
	const files = unzipSync(new Uint8Array(await docx.body()));
	const svg = Object.keys(files).find((f) => f.startsWith('word/media/') && f.endsWith('.svg'));
	expect(strFromU8(files[svg!]!)).toContain('Resultatenketen');
	expect(strFromU8(files['word/document.xml']!)).toContain('>Let op<');
	const pdf = await fac.request.get(`/api/export/${trajectoryId}/pdf`);
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
});

/** Where screenshots for looking (not for committing) go. */
function testInfoDir() {
	return test.info().outputDir;
}
