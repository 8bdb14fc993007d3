import { expect, test, type Page } from '@playwright/test';
import { kampenWerkReport } from '../../src/lib/server/export/fixtures.ts';
import {
	card,
	expectInViewport,
	expectNoViolations,
	expectSaved,
	join,
	login,
	newFacilitator,
	importReport,
	phone,
	SCREENS,
	SCREENS_DIR as OUT,
	trajectoryWithTheme
} from './helpers';

const SECRET = 'Iedereen in Kampen kan meedoen, ook zonder diploma';
const OTHER = 'Werk moet lonen voor wie uit de bijstand komt';

/** Every websocket frame the page receives, kept as bytes (the first byte is the message type). */
function recordFrames(page: Page): Buffer[] {
	const frames: Buffer[] = [];
	page.on('websocket', (ws) => {
		ws.on('framereceived', ({ payload }) => {
			frames.push(typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload));
		});
	});
	return frames;
}
const SYNC = 0;
const AWARENESS = 1;
const texts = (frames: Buffer[], type: number) =>
	frames.filter((f) => f[0] === type).map((f) => f.toString('utf8'));

test('an anonymous round whose frames to another participant contain no author of the revealed cards', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(240_000);
	await login(fac, newFacilitator('anoniem'));
	const { trajectoryId, themeId } = await trajectoryWithTheme(fac, {
		municipality: 'Gemeente Kampen',
		title: 'Anoniem in Kampen',
		theme: 'werk'
	});
	await fac.getByLabel('Titel').fill('Werk, eerste bijeenkomst');
	await fac.getByLabel('Datum').fill('2026-12-01');
	await fac.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(
		fac.getByRole('heading', { level: 1, name: 'Werk, eerste bijeenkomst' })
	).toBeVisible();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();

	const fatima = await phone(browser);
	const jan = await phone(browser);
	const petra = await phone(browser);
	const janFrames = recordFrames(jan);
	const petraFrames = recordFrames(petra);
	await join(fatima, code, { name: 'Fatima', organisation: null, perspective: /^Aanbieder/ });
	await join(jan, code, { name: 'Jan', organisation: null, perspective: /^Inwoner/ });
	await join(petra, code, { name: 'Petra', organisation: null, perspective: /^Gemeente/ });
	const fatimaId = await fatima.getByTestId('you-are-in').getAttribute('data-participant-id');
	const petraId = await petra.getByTestId('you-are-in').getAttribute('data-participant-id');
	expect(fatimaId).toBeTruthy();

	await fac.goto(`/b/${themeId}.1`);
	await expect(fac.getByTestId('console')).toBeVisible();
	await expectSaved(fac);

	// The facilitator makes step 1 anonymous (only facilitators see authors), then private.
	await fac.getByTestId('anonymous').selectOption('facilitator');
	await expect(fac.getByTestId('anonymous-hint')).toContainText('Alleen u ziet de namen');
	await fac.getByTestId('private-on').click();
	await expect(fac.getByTestId('anonymous')).toBeDisabled();
	for (const p of [fatima, jan, petra])
		await expect(p.getByTestId('anonymous-note')).toContainText(
			'De anderen zien niet wie wat schreef'
		);
	// From here on, every presence frame Jan receives says nothing about who is on this step.
	const fromHere = janFrames.length;

	await fatima.getByTestId('new-ambition').getByLabel('Nieuwe kaart: Ambitie').fill(SECRET);
	await fatima.getByTestId('new-ambition').getByRole('button', { name: 'Toevoegen' }).click();
	await petra.getByTestId('new-situation').getByLabel('Nieuwe kaart: Stand van zaken').fill(OTHER);
	await petra.getByTestId('new-situation').getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(fac, SECRET)).toBeVisible();
	await expect(card(fac, OTHER)).toBeVisible();
	await expect(card(jan, SECRET)).toHaveCount(0);

	// Reveal: everyone sees the cards, nobody but the facilitator (and the author) knows whose.
	await fac.getByTestId('reveal').click();
	for (const p of [jan, petra]) await expect(card(p, SECRET)).toBeVisible();
	await expect(card(jan, SECRET).getByTestId('card-author')).toHaveText('anoniem');
	await expect(card(jan, OTHER).getByTestId('card-author')).toHaveText('anoniem');
	await expect(card(fatima, SECRET).getByTestId('card-author')).toHaveText(
		'anoniem · jij schreef dit'
	);
	await expect(card(fac, SECRET).getByTestId('card-author')).toHaveText(
		'anoniem · alleen u ziet: Fatima'
	);
	// Nobody may change an anonymous card but the facilitator: no edit button on the phones.
	await expect(card(fatima, SECRET).getByRole('button', { name: /^Bewerken/ })).toHaveCount(0);
	await expect(jan.getByTestId('anonymous-note')).toContainText('gesloten');

	// The frames: the documents Jan and Petra received carry the cards, never their authors.
	const janSync = texts(janFrames, SYNC).join('\n');
	expect(janSync).toContain(SECRET);
	for (const secret of ['Fatima', fatimaId!]) expect(janSync).not.toContain(secret);
	const petraSync = texts(petraFrames, SYNC).join('\n');
	expect(petraSync).toContain(SECRET);
	for (const secret of ['Fatima', fatimaId!]) expect(petraSync).not.toContain(secret);
	const janOwnOther = texts(janFrames, SYNC).join('\n');
	for (const secret of ['Petra', petraId!]) expect(janOwnOther).not.toContain(secret);
	// Presence on the anonymous step: who is there, never which step they are on.
	const presence = texts(janFrames.slice(fromHere), AWARENESS);
	for (const frame of presence) expect(frame).not.toContain('"step":"ambition"');

	// The projector shows no names either.
	const projector = await fac.context().newPage();
	await projector.goto(`/b/${themeId}.1/projector`);
	await expect(projector.getByTestId('projector-card').filter({ hasText: SECRET })).toContainText(
		'anoniem'
	);
	await expect(projector.locator('body')).not.toContainText('Fatima');
	await projector.close();

	// The exports say "anoniem" and never the name.
	const md = await (await fac.request.get(`/api/export/${trajectoryId}/md`)).text();
	expect(md).toContain('Anonieme inbreng');
	expect(md).toContain(`| ${SECRET} | Ambitie | anoniem |`);
	expect(md).not.toContain('Fatima');

	await expectNoViolations(fac, 'facilitator, anonymous round');
	await expectNoViolations(jan, 'participant, anonymous round');

	// Look at it: the console's setting, a phone's card and note, at three sizes.
	for (const size of SCREENS) {
		for (const [who, page] of [
			['facilitator', fac],
			['participant', jan]
		] as const) {
			await page.setViewportSize(size);
			await card(page, SECRET).scrollIntoViewIfNeeded();
			await page.screenshot({
				path: `${OUT}/anonymous-${who}-${size.width}x${size.height}.png`,
				fullPage: false
			});
			await expectInViewport(page, 'card-author');
			if (who === 'facilitator') await expectInViewport(page, 'anonymous');
			else await expectInViewport(page, 'anonymous-note');
		}
	}
});

test('an anonymous vote with two voters: the facilitator is warned, and the room sees only totals', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(240_000);
	await login(fac, newFacilitator('anoniem-stemmen'));
	const { trajectoryId, themeId, boardId } = await importReport(fac, kampenWerkReport());
	const outcome = kampenWerkReport().themes[0]!.outcomes[3]!.text;
	await fac.goto(`/t/${trajectoryId}/themes/${themeId}`);
	await fac.getByLabel('Titel').fill('Werk, stemmen');
	await fac.getByLabel('Datum').fill('2026-12-03');
	await fac.getByRole('checkbox', { name: '3. Prioriteren' }).check();
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);
	await fac.getByTestId('console-step').selectOption('priorities');
	await expect(fac.getByTestId('board')).toHaveAttribute('data-step', 'priorities');

	const ilse = await phone(browser);
	const petra = await phone(browser);
	const jan = await phone(browser);
	const janFrames = recordFrames(jan);
	await join(ilse, code, { name: 'Ilse', organisation: null, perspective: /^Inwoner/ });
	await join(petra, code, { name: 'Petra', organisation: null, perspective: /^Gemeente/ });
	await join(jan, code, { name: 'Jan', organisation: null, perspective: /^Professional/ });

	await fac.getByTestId('round-anonymous-setting').selectOption('hidden');
	await fac.getByLabel('Stemmen per persoon').fill('3');
	await fac.getByTestId('round-open').click();
	for (const voter of [ilse, petra]) {
		await voter.getByRole('button', { name: `Stem erbij voor: ${outcome}` }).click();
		await expectSaved(voter);
	}
	await fac.getByTestId('round-close').click();
	// Before the reveal: two people voted, so the facilitator is told it cannot be anonymous.
	const warning = fac.getByTestId('round-few-voters');
	await expect(warning).toBeVisible();
	await expect(warning).toContainText('minder dan 3 mensen stemden');
	await expect(warning).toContainText('niet anoniem');
	await expectNoViolations(fac, 'facilitator, warning before an anonymous reveal');
	for (const size of SCREENS) {
		await fac.setViewportSize(size);
		await warning.scrollIntoViewIfNeeded();
		await fac.screenshot({
			path: `${OUT}/anonymous-vote-warning-${size.width}x${size.height}.png`
		});
		await expectInViewport(fac, 'round-few-voters');
		await expectInViewport(fac, 'round-reveal');
	}

	const fromHere = janFrames.length;
	await fac.getByTestId('round-reveal').click();
	// Everyone sees the total only: no perspective of one of two voters.
	const chart = jan.getByTestId('vote-chart');
	await expect(chart.getByTestId('chart-round')).toHaveText('Ronde 2 van 2');
	const row = chart.getByTestId('chart-row').filter({ hasText: outcome });
	await expect(row.getByTestId('chart-total')).toHaveText('2');
	await expect(row.locator('.segment[data-perspective="samen"]')).toHaveText('2');
	await expect(row.locator('.segment[data-perspective="inwoner"]')).toHaveCount(0);
	await expect(row.locator('.segment[data-perspective="gemeente"]')).toHaveCount(0);
	await expect(chart).toContainText('Alle perspectieven samen');
	// Nothing finer reached Jan's phone.
	await expect
		.poll(() => texts(janFrames.slice(fromHere), SYNC).join('').includes('samen'))
		.toBe(true);
	const after = texts(janFrames.slice(fromHere), SYNC).join('\n');
	expect(after).not.toContain('inwoner');
	expect(after).not.toContain('gemeente');
	await expectNoViolations(jan, 'participant, anonymous vote result');
	for (const size of SCREENS) {
		await jan.setViewportSize(size);
		await chart.scrollIntoViewIfNeeded();
		await jan.screenshot({ path: `${OUT}/anonymous-vote-chart-${size.width}x${size.height}.png` });
		await expectInViewport(jan, 'vote-chart');
		for (const total of await chart.getByTestId('chart-total').all()) {
			const box = (await total.boundingBox())!;
			expect(box.x + box.width).toBeLessThanOrEqual(size.width);
		}
	}
});
