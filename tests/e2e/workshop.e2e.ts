/**
 * The workshop end to end: a facilitator and three participants (each in a browser context of their
 * own, participants on 360 px phones) walk the six steps with the Kampen "werk" example of the Kwaliteitskompas.
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

// Kampen "werk", paraphrased.
const SITUATION =
	'Een leerwerkplaats nam 8 jongeren aan: 2 vonden betaald werk en 2 gingen verder leren.';
const AMBITION =
	'De werkende bevolking van Kampen doet mee naar vermogen en voorziet duurzaam in het eigen inkomen.';
const OUTCOME_SECRET = 'Over 3 jaar vallen minder inwoners terug in de uitkering';
const OUTCOME_JAN = 'Over 3 jaar hebben meer jongeren een leerwerkplek';
const OUTCOME_DUPLICATE = 'Minder terugval in de uitkering';
const ACTIVITY =
	'Een maatje van De Kern helpt wie gaat werken met thuis: opvang, rooster, boodschappen en post.';
const OFFLINE_START = 'Re-integratie door de gemeente';
const OFFLINE_MORE = ' met begeleiding in het eerste jaar';
const INDICATOR = 'Aandeel inwoners dat binnen een jaar terugvalt in de uitkering';
const WELL = 'We spreken nu dezelfde taal over resultaten';
const ACTION = 'Elk half jaar samen de cijfers bespreken';

/** Everything the page received over its websockets, decoded (Yjs strings are UTF-8). */
function recordFrames(page: Page): string[] {
	const frames: string[] = [];
	page.on('websocket', (ws) => {
		ws.on('framereceived', ({ payload }) => {
			const buffer = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
			frames.push(buffer.toString('utf8'), buffer.toString('latin1'));
		});
	});
	return frames;
}

async function phone(browser: Browser, withSwitch = false): Promise<Page> {
	const context = await browser.newContext(PHONE);
	if (withSwitch) await installNetworkSwitch(context);
	return context.newPage();
}

/** "Serves: <text>" on a linked card. */
const linkedTo = (text: string) =>
	new RegExp(`Hoort bij:\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

async function addCard(page: Page, kind: string, label: string, text: string) {
	const form = page.getByTestId(`new-${kind}`);
	await form.getByLabel(`Nieuwe kaart: ${label}`).fill(text);
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(page, text)).toBeVisible();
}

async function expectStep(pages: Page[], title: string) {
	for (const p of pages) await expect(p.getByTestId('step-title')).toHaveText(title);
}

test('a facilitator and three participants walk the six steps of Kampen "werk"', async ({
	browser,
	page: fac
}) => {
	test.setTimeout(240_000);
	await login(fac, newFacilitator('werk'));

	// Plan the session: trajectory Kampen with theme werk and partner De Kern, all six steps.
	await fac.goto('/trajectories/new');
	await fac.getByLabel('Gemeente', { exact: true }).fill('Gemeente Kampen');
	await fac.getByLabel('Titel').fill('Sociaal domein Kampen');
	await fac.getByLabel("Thema's").fill('werk');
	await fac.getByLabel('Naam organisatie 1').fill('De Kern');
	await fac.getByLabel('Perspectief organisatie 1').selectOption('aanbieder');
	await fac.getByRole('button', { name: 'Traject maken' }).click();
	await expect(fac.getByRole('heading', { level: 1, name: 'Sociaal domein Kampen' })).toBeVisible();
	await fac.locator('a[href*="/themes/"]').first().click();
	await expect(fac.getByRole('heading', { level: 1, name: 'Thema: werk' })).toBeVisible();
	const themeId = new URL(fac.url()).pathname.split('/')[4];
	const boardId = `${themeId}.1`;
	await fac.getByLabel('Titel').fill('Werk, tweede bijeenkomst');
	await fac.getByLabel('Datum').fill('2026-12-01');
	for (const step of [
		'1. Ambitie',
		'2. Maatschappelijke resultaten',
		'3. Prioriteren',
		'4. Activiteiten',
		'5. Meten',
		'6. Reflectie'
	]) {
		await fac.getByRole('checkbox', { name: step }).check();
		await fac.getByLabel(`Minuten voor ${step}`).fill('20');
	}
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	await expect(
		fac.getByRole('heading', { level: 1, name: 'Werk, tweede bijeenkomst' })
	).toBeVisible();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();

	// Three participants join from their phones.
	const fatima = await phone(browser);
	const jan = await phone(browser);
	const petra = await phone(browser, true);
	const janFrames = recordFrames(jan);
	const petraFrames = recordFrames(petra);
	await join(fatima, code, { name: 'Fatima', organisation: 'De Kern', perspective: /^Aanbieder/ });
	await join(jan, code, { name: 'Jan', organisation: null, perspective: /^Inwoner/ });
	await join(petra, code, { name: 'Petra', organisation: null, perspective: /^Gemeente/ });
	const people = [fatima, jan, petra];

	// The facilitator opens the board with the console.
	const facBoardSockets: string[] = [];
	fac.on('websocket', (ws) => {
		if (ws.url().includes('/ws/board/')) facBoardSockets.push(ws.url());
	});
	await fac.goto(`/b/${boardId}`);
	await expect(fac.getByTestId('console')).toBeVisible();
	await expectSaved(fac);
	await expectStep([fac, ...people], '1. Ambitie');
	await expect(jan.getByText('Welke cijfers en signalen kennen we?')).toBeVisible();

	// Step 1: a situation note and an ambition arrive on every screen; the facilitator agrees one.
	await addCard(fatima, 'situation', 'Stand van zaken', SITUATION);
	await addCard(petra, 'ambition', 'Ambitie', AMBITION);
	for (const p of [fac, jan, petra]) await expect(card(p, SITUATION)).toBeVisible();
	for (const p of [fac, fatima, jan]) await expect(card(p, AMBITION)).toBeVisible();
	await expect(fac.getByTestId('checks')).toContainText('Er is nog geen ambitie vastgesteld.');
	await fac.getByRole('button', { name: `Vaststellen: ${AMBITION}` }).click();
	for (const p of [fac, ...people])
		await expect(card(p, AMBITION).getByTestId('agreed-mark')).toHaveText(
			'Vastgesteld in bijeenkomst 1'
		);
	await expect(fac.getByTestId('checks')).not.toContainText('Er is nog geen ambitie vastgesteld.');
	// By keyboard: a card with Ctrl+Enter, a reaction with Enter.
	const janSituation = jan.getByTestId('new-situation').getByLabel('Nieuwe kaart: Stand van zaken');
	await janSituation.fill('Werkgevers zoeken mensen');
	await janSituation.press('Control+Enter');
	await expect(card(fatima, 'Werkgevers zoeken mensen')).toBeVisible();
	const comments = card(fatima, AMBITION).getByText('Reacties (0)');
	await comments.focus();
	await comments.press('Enter');
	await card(fatima, AMBITION).getByLabel('Jouw reactie').fill('Ook voor mensen met een beperking');
	await card(fatima, AMBITION).getByLabel('Jouw reactie').press('Enter');
	await expect(card(jan, AMBITION).getByText('Reacties (1)')).toBeVisible();
	await card(jan, AMBITION).getByText('Reacties (1)').click();
	await expect(card(jan, AMBITION)).toContainText('Fatima: Ook voor mensen met een beperking');
	await expectNoViolations(jan, 'participant view (ambition)');
	await expectNoViolations(fac, 'facilitator view (ambition)');
	expect(await jan.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	// The projector shows the join code, the step and cards as they arrive.
	const projector = await fac.context().newPage();
	await projector.goto(`/b/${boardId}/projector`);
	await expect(projector.getByTestId('projector-step')).toHaveText('Stap 1: Ambitie');
	await expect(projector.getByTestId('join-code')).toHaveText(
		`${code.slice(0, 3)} ${code.slice(3)}`
	);
	await expect(projector.getByTestId('projector-card').filter({ hasText: AMBITION })).toContainText(
		'Vastgesteld'
	);
	await addCard(jan, 'situation', 'Stand van zaken', 'Veel mensen met een uitkering willen werken');
	await expect(
		projector.getByTestId('projector-card').filter({ hasText: 'Veel mensen met een uitkering' })
	).toBeVisible();
	await expectNoViolations(projector, 'projector view');

	// Step 2, private: what Fatima writes reaches only the facilitator until the reveal.
	await fac.getByTestId('console-next').click();
	await expectStep([fac, ...people], '2. Maatschappelijke resultaten');
	await expect(projector.getByTestId('projector-step')).toHaveText(
		'Stap 2: Maatschappelijke resultaten'
	);
	await fac.getByTestId('private-on').click();
	await fac.getByLabel('Minuten').fill('5');
	await fac.getByTestId('timer-start').click();
	for (const p of [jan, projector]) await expect(p.getByTestId('timer')).toContainText(/[45]:\d\d/);
	await expect(fatima.getByText('Alleen jij en de begeleider zien dit').first()).toBeVisible();
	await addCard(fatima, 'outcome', 'Resultaat', OUTCOME_SECRET);
	await addCard(jan, 'outcome', 'Resultaat', OUTCOME_JAN);
	await addCard(petra, 'outcome', 'Resultaat', OUTCOME_DUPLICATE);
	// The facilitator sees the drafts come in: they did reach the server.
	await expect(card(fac, OUTCOME_SECRET)).toBeVisible();
	await expect(card(fac, OUTCOME_JAN)).toBeVisible();
	await expect(fac.getByTestId('reveal')).toHaveText('Laat alles zien (3 kaarten)');
	for (const [p, frames] of [
		[jan, janFrames],
		[petra, petraFrames]
	] as const) {
		await expect(card(p, OUTCOME_SECRET)).toHaveCount(0);
		await expect(p.locator('body')).not.toContainText(OUTCOME_SECRET);
		expect(frames.some((f) => f.includes(OUTCOME_SECRET))).toBe(false);
	}
	await expect(card(fatima, OUTCOME_JAN)).toHaveCount(0);
	await expect(projector.locator('body')).not.toContainText(OUTCOME_SECRET);
	await fac.getByTestId('reveal').click();
	for (const p of people) await expect(card(p, OUTCOME_SECRET)).toBeVisible();
	await expect(
		projector.getByTestId('projector-card').filter({ hasText: OUTCOME_SECRET })
	).toBeVisible();
	for (const p of people) await expect(card(p, OUTCOME_JAN)).toBeVisible();
	// The same decoding finds the text once it is revealed: the check above could fail.
	await expect.poll(() => janFrames.some((f) => f.includes(OUTCOME_SECRET))).toBe(true);

	// Merging the duplicate keeps both authors (in the console's merge panel).
	await fac.getByTestId('open-console-merge').click();
	const merge = fac.getByTestId('console-merge');
	await merge
		.getByLabel('Deze kaart blijft')
		.selectOption({ label: `Resultaat: ${OUTCOME_SECRET}` });
	await merge.getByRole('checkbox', { name: `${OUTCOME_DUPLICATE} (Petra)` }).check();
	await merge.getByRole('button', { name: 'Samenvoegen' }).click();
	await merge.getByRole('button', { name: 'Sluiten' }).click();
	for (const p of [fac, petra]) {
		await expect(card(p, OUTCOME_DUPLICATE)).toHaveCount(0);
		await expect(card(p, OUTCOME_SECRET)).toContainText('Fatima, Petra');
	}

	// Step 3: a voting round with 3 votes each; the tally per perspective is shown after the reveal.
	await fac.getByTestId('console-next').click();
	await expectStep([fac, ...people], '3. Prioriteren');
	await fac.getByLabel('Stemmen per persoon').fill('3');
	await fac.getByTestId('round-open').click();
	const vote = async (p: Page, text: string, times: number) => {
		for (let i = 0; i < times; i++)
			await p.getByRole('button', { name: `Stem erbij voor: ${text}` }).click();
	};
	await expect(fatima.getByTestId('votes-left')).toHaveText('Je hebt nog 3 stemmen.');
	await vote(fatima, OUTCOME_SECRET, 2);
	await vote(fatima, OUTCOME_JAN, 1);
	await expect(fatima.getByTestId('votes-left')).toHaveText('Je hebt nog 0 stemmen.');
	await expect(
		fatima.getByRole('button', { name: `Stem erbij voor: ${OUTCOME_SECRET}` })
	).toBeDisabled();
	await vote(jan, OUTCOME_JAN, 3);
	await vote(petra, OUTCOME_SECRET, 1);
	await expect(petra.getByTestId('votes-left')).toHaveText('Je hebt nog 2 stemmen.');
	await expectSaved(petra);
	await expectSaved(jan);
	await expectSaved(fatima);
	await fac.getByTestId('round-close').click();
	await fac.getByTestId('round-reveal').click();
	for (const p of [fac, jan]) {
		const secret = p.getByTestId('result-row').filter({ hasText: OUTCOME_SECRET });
		await expect(secret.getByTestId('result-total')).toHaveText('3');
		await expect(secret.locator('[data-perspective="aanbieder"]')).toHaveText('2');
		await expect(secret.locator('[data-perspective="gemeente"]')).toHaveText('1');
		await expect(secret.locator('[data-perspective="inwoner"]')).toHaveText('0');
		const janRow = p.getByTestId('result-row').filter({ hasText: OUTCOME_JAN });
		await expect(janRow.getByTestId('result-total')).toHaveText('4');
		await expect(janRow.locator('[data-perspective="inwoner"]')).toHaveText('3');
		await expect(janRow.locator('[data-perspective="aanbieder"]')).toHaveText('1');
	}
	await expectNoViolations(jan, 'participant view (results)');
	// The facilitator fixes the order from the votes, swaps it by keyboard-usable buttons, agrees.
	await fac.getByTestId('open-console-order').click();
	await fac.getByTestId('order-from-votes').click();
	await expect(jan.getByTestId('priority-order').getByTestId('card').first()).toContainText(
		OUTCOME_JAN
	);
	await fac.getByRole('button', { name: `Hoger: ${OUTCOME_SECRET}` }).click();
	await expect(jan.getByTestId('priority-order').getByTestId('card').first()).toContainText(
		OUTCOME_SECRET
	);
	await fac
		.getByTestId('console-order')
		.getByRole('button', { name: `Vaststellen: ${OUTCOME_SECRET}` })
		.click();
	for (const p of people)
		await expect(
			p.getByTestId('priority-order').getByTestId('card').first().getByTestId('agreed-mark')
		).toBeVisible();
	await expectNoViolations(fac, 'facilitator view (priorities, order panel)');
	await fac.getByTestId('console-order').getByRole('button', { name: 'Sluiten' }).click();
	await expectNoViolations(fac, 'facilitator view (priorities)');

	// Step 4: an activity linked to the outcome it serves (by checkbox, no dragging).
	await fac.getByTestId('console-next').click();
	await expectStep([fac, ...people], '4. Activiteiten');
	await addCard(jan, 'activity', 'Activiteit', ACTIVITY);
	await expect(fac.getByTestId('checks')).toContainText('Doel of middel?');
	const janActivity = card(jan, ACTIVITY);
	await janActivity.getByText('Koppelen (0)').click();
	await janActivity.getByRole('checkbox', { name: OUTCOME_SECRET }).check();
	for (const p of [fac, fatima])
		await expect(card(p, ACTIVITY)).toContainText(linkedTo(OUTCOME_SECRET));
	await expect(fac.getByTestId('checks')).not.toContainText('Doel of middel?');

	// Jan looks back while typing; what he typed is still there when he returns.
	const janNew = jan.getByTestId('new-activity').getByLabel('Nieuwe kaart: Activiteit');
	await janNew.fill('Half getypt');
	await jan.getByTestId('step-ambition').click();
	await expect(jan.getByTestId('step-title')).toHaveText('1. Ambitie');
	await expect(jan.getByTestId('looking-away')).toContainText('De groep is bij: Activiteiten');
	await jan.getByRole('button', { name: 'Terug naar de groep' }).click();
	await expect(janNew).toHaveValue('Half getypt');
	await janNew.fill('');

	// Petra loses the connection, keeps typing; it arrives when she is back.
	await setNetwork(petra, false);
	await expect(petra.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
	await addCard(petra, 'activity', 'Activiteit', OFFLINE_START);
	await card(petra, OFFLINE_START)
		.getByRole('button', { name: /^Bewerken/ })
		.click();
	await petra.getByTestId('edit-text').press('End');
	await petra.getByTestId('edit-text').pressSequentially(OFFLINE_MORE);
	await petra.getByRole('button', { name: 'Klaar' }).click();
	await expect(card(petra, OFFLINE_START + OFFLINE_MORE)).toBeVisible();
	await expect(petra.getByTestId('connection')).toHaveAttribute('data-status', 'offline');
	await expect(card(fatima, OFFLINE_START)).toHaveCount(0);
	await setNetwork(petra, true);
	await expectSaved(petra);
	for (const p of [fac, fatima, jan])
		await expect(card(p, OFFLINE_START + OFFLINE_MORE)).toBeVisible();

	// Step 5: an indicator with baseline and target, linked to the outcome.
	await fac.getByTestId('console-next').click();
	await expectStep([fac, ...people], '5. Meten');
	const form = fatima.getByTestId('new-indicator');
	await form.getByLabel('Nieuwe kaart: Indicator').fill(INDICATOR);
	await form.getByText('Meer invullen').click();
	await form.getByLabel('Tellen of vertellen?').selectOption('tellen');
	await form.getByLabel('Beginwaarde (nu)').fill('12%');
	await form.getByLabel('Streefwaarde').fill('8%');
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	const indicator = card(fatima, INDICATOR);
	await indicator.getByText('Koppelen (0)').click();
	await indicator.getByRole('checkbox', { name: OUTCOME_SECRET }).check();
	await expect(card(jan, INDICATOR)).toContainText('12%');
	await expect(card(jan, INDICATOR)).toContainText(linkedTo(OUTCOME_SECRET));

	// Step 6: reflection. Not following, participants stay where they were until they go to the group.
	await fac.getByLabel('Schermen van deelnemers volgen mijn stap').uncheck();
	await fac.getByTestId('console-next').click();
	await expectStep([fac], '6. Reflectie');
	for (const p of people) {
		await expect(p.getByTestId('looking-away')).toContainText('De groep is bij: Reflectie');
		await expect(p.getByTestId('step-title')).toHaveText('5. Meten');
		await p.getByRole('button', { name: 'Terug naar de groep' }).click();
	}
	await expectStep(people, '6. Reflectie');
	await fac.getByLabel('Schermen van deelnemers volgen mijn stap').check();
	await addCard(jan, 'well', 'Gaat goed', WELL);
	await addCard(fatima, 'action', 'Actie', ACTION);
	await fac.getByRole('button', { name: `In de schijnwerper: ${ACTION}` }).click();
	for (const p of [...people, projector])
		await expect(p.getByTestId('spotlight')).toContainText(ACTION);
	await expect(card(jan, WELL)).toBeVisible();

	// Undo and redo of one's own card reach everyone.
	await addCard(jan, 'better', 'Kan beter', 'Vaker bij elkaar komen');
	await expect(card(fatima, 'Vaker bij elkaar komen')).toBeVisible();
	await jan.getByRole('button', { name: 'Ongedaan maken' }).click();
	await expect(card(fatima, 'Vaker bij elkaar komen')).toHaveCount(0);
	await jan.getByRole('button', { name: 'Opnieuw doen' }).click();
	await expect(card(fatima, 'Vaker bij elkaar komen')).toBeVisible();

	// A locked step takes no new cards.
	await fac.getByTestId('lock').click();
	await expect(jan.getByText('Deze stap is op slot.')).toBeVisible();
	await expect(jan.getByTestId('new-well')).toHaveCount(0);
	await fac.getByTestId('lock').click();
	await expect(jan.getByTestId('new-well')).toBeVisible();

	// A removed participant is shut out at once, and cannot come back to the board.
	await fac.getByTestId('open-console-people').click();
	const inSession = fac.getByTestId('console-people').getByTestId('participants');
	await expect(inSession.getByRole('listitem')).toHaveCount(3);
	await inSession.getByLabel('Verwijder Jan').click();
	await inSession.getByRole('button', { name: 'Ja, verwijder Jan' }).click();
	await expect(fac.getByTestId('session-message')).toHaveText(
		'Jan is verwijderd en kan niet meer meedoen.'
	);
	await expect(inSession.getByRole('listitem')).toHaveCount(2);
	// Reloading the console's data (every 10 s, and after each action) never reconnected the board.
	expect(facBoardSockets).toHaveLength(1);
	await expect(jan.getByTestId('shut-out')).toBeVisible();
	await jan.reload();
	await expect(jan).toHaveURL(/\/join(\?vergeten=[^&]+)?$/);
	// The others carry on.
	await addCard(petra, 'better', 'Kan beter', 'Meer inwoners aan tafel');
	await expect(card(fatima, 'Meer inwoners aan tafel')).toBeVisible();

	// In English too, and still without axe violations.
	await petra.getByRole('button', { name: /English/ }).click();
	await expect(petra.getByTestId('step-title')).toHaveText('6. Reflection');
	await expect(petra.getByLabel('New card: Goes well')).toBeVisible();
	// Nothing to undo after the reload: no Undo button (it shows only when there is something).
	await expect(petra.getByRole('button', { name: 'Undo' })).toHaveCount(0);
	await expectSaved(petra);
	await expectNoViolations(petra, 'participant view in English');
});
