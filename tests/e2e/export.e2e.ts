import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { exportJson } from '../../src/lib/server/export/json.ts';
import { kampenWerkReport } from '../../src/lib/server/export/fixtures.ts';
import { expectNoViolations, inviteObserver, login, newFacilitator, personPage } from './helpers';

/** Imports the finished Kampen "werk" example through the import page; returns the trajectory id. */
async function importFinishedBoard(page: Page): Promise<string> {
	await page.goto('/trajectories/import');
	await page.getByLabel('JSON-bestand').setInputFiles({
		name: 'kampen-werk.json',
		mimeType: 'application/json',
		buffer: Buffer.from(exportJson(kampenWerkReport()))
	});
	await page.getByRole('button', { name: 'Importeren' }).click();
	await expect(page).toHaveURL(/\/t\/[a-z0-9]+$/);
	return new URL(page.url()).pathname.split('/')[2];
}

test('a finished board shows on the overview and downloads in every format', async ({ page }) => {
	await login(page, newFacilitator('export'));
	const id = await importFinishedBoard(page);
	const report = kampenWerkReport();
	const ambition = report.themes[0].ambition as string;

	await page.getByRole('link', { name: 'Overzicht en export' }).click();
	const theme = page.getByTestId('overview-theme');
	await expect(theme.getByTestId('overview-ambition')).toHaveText(ambition);
	await expect(theme.getByRole('list', { name: /Stappen rond het kompas/ })).toContainText(
		'vastgesteld'
	);
	await expectNoViolations(page, 'overview');

	const get = (path: string) => page.request.get(path);
	const docx = await get(`/api/export/${id}/docx`);
	expect(docx.status()).toBe(200);
	expect(docx.headers()['content-type']).toContain('wordprocessingml');
	expect((await docx.body()).subarray(0, 2).toString()).toBe('PK');

	// The OpenDocument text, downloaded through the overview's link like a person would.
	const download = page.waitForEvent('download');
	await page
		.getByRole('link', { name: 'OpenDocument (.odt) downloaden: Hele traject', exact: true })
		.click();
	const odtFile = await download;
	expect(odtFile.suggestedFilename()).toMatch(/^kampen-.*\.odt$/);
	const odtPath = await odtFile.path();
	const odt = readFileSync(odtPath);
	expect(odt.subarray(0, 2).toString()).toBe('PK');
	expect(odt.toString('latin1', 30, 38)).toBe('mimetype');
	const odtParts = unzipSync(new Uint8Array(odt));
	expect(strFromU8(odtParts['mimetype']!)).toBe('application/vnd.oasis.opendocument.text');
	expect(strFromU8(odtParts['content.xml']!)).toContain(
		'text:outline-level="3">Wat willen we bereiken?</text:h>'
	);
	expect(strFromU8(odtParts['content.xml']!)).toContain(ambition);
	expect(strFromU8(odtParts['meta.xml']!)).toContain('<dc:language>nl-NL</dc:language>');
	const odtResponse = await get(`/api/export/${id}/odt`);
	expect(odtResponse.headers()['content-type']).toBe('application/vnd.oasis.opendocument.text');
	expect(odtResponse.headers()['content-disposition']).toMatch(/filename=".*\.odt"/);

	const pdf = await get(`/api/export/${id}/pdf`);
	const pdfBody = await pdf.body();
	expect(pdfBody.subarray(0, 5).toString()).toBe('%PDF-');
	// Tagged: a structure tree and the PDF/UA identifier (the content is checked in pdf.spec.ts).
	expect(pdfBody.toString('latin1')).toContain('/StructTreeRoot');

	const md = await (await get(`/api/export/${id}/md`)).text();
	expect(md).toContain('Wat willen we bereiken');
	expect(md).toContain(ambition);

	const csv = await (await get(`/api/export/${id}/csv`)).body();
	expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(csv.toString('utf8')).toContain(report.themes[0].indicators[0].name);

	const json = await (await get(`/api/export/${id}/json`)).json();
	expect(json.format).toBe('kompas-export');
	expect(json.report.themes[0].outcomes.map((o: { text: string }) => o.text)).toEqual(
		report.themes[0].outcomes.map((o) => o.text)
	);

	const annex = await get(`/api/export/${id}/md?organisation=${encodeURIComponent('De Kern')}`);
	expect(annex.status()).toBe(200);
	expect(await annex.text()).toContain('De Kern');
	const annexOdt = await get(`/api/export/${id}/odt?organisation=${encodeURIComponent('De Kern')}`);
	expect(annexOdt.status()).toBe(200);
	expect(annexOdt.headers()['content-disposition']).toMatch(/-bijlage-de-kern\.odt"/);
	expect(strFromU8(unzipSync(new Uint8Array(await annexOdt.body()))['content.xml']!)).toContain(
		'De Kern'
	);
	// CSV and JSON have no annex.
	expect(
		(await get(`/api/export/${id}/csv?organisation=${encodeURIComponent('De Kern')}`)).status()
	).toBe(400);

	await page.goto(`/t/${id}/report`);
	await expect(
		page.getByRole('heading', { name: 'Wat willen we bereiken?' }).first()
	).toBeVisible();
	await expect(page.getByText(ambition).first()).toBeVisible();
	await expectNoViolations(page, 'print report');
});

test('every download button fits the screen at phone, laptop and projector sizes', async ({
	page
}) => {
	await login(page, newFacilitator('overview-sizes'));
	const id = await importFinishedBoard(page);
	for (const [width, height] of [
		[360, 640],
		[1280, 720],
		[1920, 1080]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.goto(`/t/${id}/overview`);
		const links = page.getByRole('link', { name: /downloaden:/ });
		// Six formats for the theme and the whole trajectory, four for each of three annexes.
		await expect(links).toHaveCount(6 + 6 + 3 * 4);
		for (const link of await links.all()) {
			await link.scrollIntoViewIfNeeded();
			const box = (await link.boundingBox())!;
			const label = `${await link.getAttribute('aria-label')} at ${width}×${height}`;
			expect(box.x, label).toBeGreaterThanOrEqual(0);
			expect(box.x + box.width, label).toBeLessThanOrEqual(width + 0.5);
			expect(box.y, label).toBeGreaterThanOrEqual(-0.5); // scrolling lands on subpixels
			expect(box.y + box.height, label).toBeLessThanOrEqual(height + 0.5);
		}
		await page.screenshot({
			path: `${test.info().outputDir}/overview-${width}x${height}.png`,
			fullPage: true
		});
	}
});

test('a bad import file is refused with what is wrong, and nothing is created', async ({
	page
}) => {
	await login(page, newFacilitator('import'));
	const bad = JSON.parse(exportJson(kampenWerkReport()));
	bad.report.themes[0].outcomes[0].votesTotal = 999;
	await page.goto('/trajectories/import');
	await page.getByLabel('JSON-bestand').setInputFiles({
		name: 'kapot.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(bad))
	});
	await page.getByRole('button', { name: 'Importeren' }).click();
	await expect(page.getByRole('alert')).toContainText('Er is niets veranderd');
	await expect(page.getByTestId('import-errors')).toContainText('votesTotal');
	await page.goto('/trajectories');
	await expect(page.getByText('U heeft nog geen trajecten.')).toBeVisible();
});

test('observers download; outsiders get 404 on every export URL', async ({ browser }) => {
	const facilitator = await personPage(browser, newFacilitator('owner'));
	const id = await importFinishedBoard(facilitator);

	const observer = await inviteObserver(facilitator, browser, 'Olga Observer');
	await expect(observer).toHaveURL(new RegExp(`/t/${id}$`));

	const outsider = await personPage(browser, newFacilitator('outsider'));
	for (const format of ['docx', 'odt', 'pdf', 'md', 'csv', 'json']) {
		expect((await observer.request.get(`/api/export/${id}/${format}`)).status(), format).toBe(200);
		expect((await outsider.request.get(`/api/export/${id}/${format}`)).status(), format).toBe(404);
	}
	expect((await outsider.goto(`/t/${id}/overview`))?.status()).toBe(404);
	expect((await outsider.goto(`/t/${id}/report`))?.status()).toBe(404);
	// Names of people only at a facilitator's request: the observer's people=1 is ignored.
	const json = await (await observer.request.get(`/api/export/${id}/json?people=1`)).json();
	expect(json.report.people).toBeUndefined();
});
