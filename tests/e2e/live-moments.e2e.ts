import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import {
	card,
	expectNoViolations,
	expectSaved,
	hydrated,
	login,
	participantPhone,
	seedSession
} from './helpers';

/**
 * A participant's phone in the live moments of a session (issue 8, items 7 and 9): joining on a
 * 360×640 screen, then keyboard focus and screen-reader announcements while the facilitator
 * steers. Screenshots go to <KOMPAS_OUT>/screenshots (docs/screenshots holds the committed ones).
 */
const shots = `${process.env.KOMPAS_OUT ?? '.out/default'}/screenshots`;
mkdirSync(shots, { recursive: true });

const PHONE_360 = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

/** The box of a locator lies inside the viewport (nothing clipped, no scrolling needed). */
async function expectInViewport(page: Page, selector: ReturnType<Page['locator']>) {
	const box = await selector.boundingBox();
	const viewport = page.viewportSize()!;
	expect(box).not.toBeNull();
	expect(box!.x).toBeGreaterThanOrEqual(0);
	expect(box!.y).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
	expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
}

/**
 * Where a word wraps inside an element: the letter indexes inside the word (soft hyphens not
 * counted) that start a new line. Measured by growing a range from the start of the text and
 * counting the lines its boxes cover (single-letter boxes are unreliable next to a soft hyphen).
 */
function wrapPoints(page: Page, selector: string, word: string): Promise<number[]> {
	return page.locator(selector).evaluate((element, word) => {
		const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const text = node.textContent ?? '';
			const letters = [...text].flatMap((c, i) => (c === '\u00ad' ? [] : [{ c, i }]));
			const start = letters
				.map((l) => l.c)
				.join('')
				.indexOf(word);
			if (start < 0) continue;
			const linesUpTo = (end: number) => {
				const range = document.createRange();
				range.setStart(node, 0);
				range.setEnd(node, end);
				return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
			};
			const breaks: number[] = [];
			for (let k = start + 1; k < start + word.length; k++)
				if (linesUpTo(letters[k].i + 1) > linesUpTo(letters[k - 1].i + 1)) breaks.push(k - start);
			return breaks;
		}
		throw new Error(`"${word}" not found`);
	}, word);
}

test('joining on a 360×640 phone: one screen with the button in view, no login link', async ({
	browser
}) => {
	const seed = await seedSession();
	const phone = await (await browser.newContext(PHONE_360)).newPage();
	const started = Date.now();
	await phone.goto('/join');
	await expect(phone.getByRole('link', { name: 'Inloggen' })).toHaveCount(0);
	await phone.getByLabel('Code').fill(seed.code);
	await phone.getByRole('button', { name: 'Verder' }).click();
	await expect(phone.getByRole('heading', { name: 'Meedoen met Werk' })).toBeVisible();
	await hydrated(phone);
	await expect(phone.getByRole('link', { name: 'Inloggen' })).toHaveCount(0);

	// One screen: name, organisation (the trajectory's partners, or another), role, and the button.
	const submit = phone.getByRole('button', { name: 'Meedoen' });
	await expectInViewport(phone, submit);
	await expect(phone.getByLabel('Je organisatie', { exact: true }).locator('option')).toHaveText([
		'Kies…',
		'De Kern',
		'Een andere organisatie',
		'Geen organisatie'
	]);
	await phone.getByLabel('Je naam').fill('Fatima');
	await phone.getByLabel('Je organisatie', { exact: true }).selectOption({ label: 'De Kern' });
	// The partner's perspective is pre-selected.
	await expect(phone.getByLabel('Vanuit welke rol doe je mee?')).toHaveValue('aanbieder');
	await expectInViewport(phone, submit);
	await expectNoViolations(phone, 'join form at 360×640');
	await phone.screenshot({ path: `${shots}/join-360x640.png` });
	for (const viewport of [
		{ width: 1280, height: 720 },
		{ width: 1920, height: 1080 }
	]) {
		await phone.setViewportSize(viewport);
		await expectInViewport(phone, submit);
		await phone.screenshot({ path: `${shots}/join-${viewport.width}x${viewport.height}.png` });
	}
	await phone.setViewportSize(PHONE_360.viewport);

	// "Another organisation" asks for its name; the button stays reachable.
	await phone
		.getByLabel('Je organisatie', { exact: true })
		.selectOption({ label: 'Een andere organisatie' });
	await expect(phone.getByLabel('Naam van je organisatie')).toBeVisible();
	await phone.getByLabel('Je organisatie', { exact: true }).selectOption({ label: 'De Kern' });
	await expect(phone.getByLabel('Naam van je organisatie')).toBeHidden();

	await submit.click();
	await expect(phone).toHaveURL(new RegExp(`/b/${seed.boardId.replace('.', '\\.')}$`));
	await expect(phone.getByTestId('you-are-in')).toContainText('Fatima');
	expect(Date.now() - started).toBeLessThan(20_000);
	await expect(phone.getByRole('link', { name: 'Inloggen' })).toHaveCount(0);
	await expectSaved(phone);

	// "Maatschappelijke" on the step buttons breaks only between syllables, never "Maatschapp|elijke".
	const step = '[data-testid="step-outcomes"]';
	for (const at of await wrapPoints(phone, step, 'Maatschappelijke'))
		expect([4, 9, 11, 14]).toContain(at);
	// Even in a box far too narrow for the word (where it must break).
	await phone.locator(step).evaluate((el) => (el.style.width = '4.5rem'));
	const narrow = await wrapPoints(phone, step, 'Maatschappelijke');
	expect(narrow.length).toBeGreaterThan(0);
	for (const at of narrow) expect([4, 9, 11, 14]).toContain(at);
	await phone.locator(step).evaluate((el) => (el.style.width = ''));
	await expect(phone.locator('html')).toHaveAttribute('lang', 'nl');

	// Undo and redo show only when there is something to undo or redo.
	await expect(phone.getByRole('button', { name: 'Ongedaan maken' })).toHaveCount(0);
	await expect(phone.getByRole('button', { name: 'Opnieuw' })).toHaveCount(0);
	const box = phone.getByLabel('Nieuwe kaart: Stand van zaken');
	await box.fill('Veel jongeren zonder werk');
	await box.press('Control+Enter');
	await expect(card(phone, 'Veel jongeren zonder werk')).toBeVisible();
	const undo = phone.getByRole('button', { name: 'Ongedaan maken' });
	await expect(undo).toBeVisible();
	await expect(phone.getByRole('button', { name: 'Opnieuw' })).toHaveCount(0);
	// Undoing the only change removes the undo button: focus moves to redo, not to <body>.
	await undo.focus();
	await undo.press('Enter');
	await expect(card(phone, 'Veel jongeren zonder werk')).toHaveCount(0);
	await expect(phone.getByRole('button', { name: 'Opnieuw' })).toBeFocused();
	await phone.getByRole('button', { name: 'Opnieuw' }).press('Enter');
	await expect(card(phone, 'Veel jongeren zonder werk')).toBeVisible();
	await expect(undo).toBeFocused();
});

/** What the board's live region for live moments says now. */
const announced = (page: Page) => page.getByTestId('live-announcer');

test('focus never drops to <body> and the live moments are announced', async ({
	browser,
	page: fac,
	baseURL
}) => {
	test.setTimeout(120_000);
	const seed = await seedSession();
	await fac.setViewportSize({ width: 1280, height: 720 });
	await login(fac, seed.facilitator);
	await fac.goto(`/b/${seed.boardId}`);
	await expect(fac.getByTestId('console')).toBeVisible();
	await expectSaved(fac);

	const phone = await participantPhone(browser, seed.token, baseURL!);
	// The phone's clock is Playwright's, so the timer can run out without waiting a minute.
	await phone.clock.install();
	await phone.goto(`/b/${seed.boardId}`);
	await expectSaved(phone);

	// Closing the welcome box moves focus on to the group's step.
	const understood = phone.getByRole('button', { name: 'Begrepen' });
	await understood.focus();
	await understood.press('Enter');
	await expect(understood).toHaveCount(0);
	await expect(phone.getByTestId('step-ambition')).toBeFocused();

	// A private round: the button is replaced by "Laat alles zien", which gets the focus.
	const privateOn = fac.getByTestId('private-on');
	await privateOn.focus();
	await privateOn.press('Enter');
	await expect(fac.getByTestId('reveal')).toBeFocused();
	await expect(announced(phone)).toHaveText(
		'Eerst alleen nadenken: wat je nu schrijft, ziet alleen de begeleider.'
	);
	const box = phone.getByLabel('Nieuwe kaart: Ambitie');
	await box.fill('Iedereen doet mee');
	await box.press('Control+Enter');
	await expect(fac.getByTestId('reveal')).toHaveText('Laat alles zien (1 kaart)');
	// Revealing brings the private-round button back, with the focus on it.
	await fac.getByTestId('reveal').press('Enter');
	await expect(fac.getByTestId('private-on')).toBeFocused();
	await expect(announced(phone)).toHaveText(
		'Alle kaarten van stap 1: Ambitie zijn nu voor iedereen te zien.'
	);

	// Being spotlighted.
	await fac.getByRole('button', { name: 'In de schijnwerper: Iedereen doet mee' }).click();
	await expect(announced(phone)).toHaveText(
		'Jouw kaart staat in de schijnwerper: Iedereen doet mee'
	);

	// Step changes.
	await fac.getByTestId('console-step').selectOption('outcomes');
	await expect(announced(phone)).toHaveText(
		'De groep is nu bij stap 2: Maatschappelijke resultaten'
	);
	// "Vorige stap" at step 2 leads to step 1, where it switches off: focus goes to "Naar …".
	await fac.getByRole('button', { name: 'Vorige stap' }).focus();
	await fac.getByRole('button', { name: 'Vorige stap' }).press('Enter');
	await expect(fac.getByTestId('console-next')).toBeFocused();
	await expect(announced(phone)).toHaveText('De groep is nu bij stap 1: Ambitie');
	await fac.getByTestId('console-next').press('Enter');
	await expect(announced(phone)).toHaveText(
		'De groep is nu bij stap 2: Maatschappelijke resultaten'
	);
	for (const text of ['Minder jongeren zonder werk', 'Meer mensen aan het werk']) {
		const outcome = phone.getByLabel('Nieuwe kaart: Resultaat');
		await outcome.fill(text);
		await outcome.press('Control+Enter');
		await expect(card(fac, text)).toBeVisible();
	}
	await fac.getByTestId('console-step').selectOption('priorities');
	await expect(announced(phone)).toHaveText('De groep is nu bij stap 3: Prioriteren');

	// "Start een stemronde" is replaced by "Stemronde sluiten", which gets the focus.
	await fac.getByLabel('Stemmen per persoon').fill('2');
	await fac.getByTestId('round-open').focus();
	await fac.getByTestId('round-open').press('Enter');
	await expect(fac.getByTestId('round-close')).toBeFocused();
	await expect(announced(phone)).toHaveText('Er is een stemronde begonnen. Je hebt 2 stemmen.');
	await expect(phone.getByTestId('votes-left')).toHaveText('Je hebt nog 2 stemmen.');

	// Casting the last vote disables every +: focus goes to the − of the same outcome.
	const add = phone.getByRole('button', { name: /Stem erbij voor: Minder jongeren zonder werk/ });
	await add.focus();
	await add.press('Enter');
	await expect(phone.getByTestId('votes-left')).toHaveText('Je hebt nog 1 stem.');
	await expect(add).toBeFocused();
	await add.press('Enter');
	await expect(phone.getByTestId('votes-left')).toHaveText('Je hebt nog 0 stemmen.');
	await expect(
		phone.getByRole('button', { name: /Stem eraf voor: Minder jongeren zonder werk/ })
	).toBeFocused();
	await expectNoViolations(phone, 'phone in the priorities step');
	await phone.screenshot({ path: `${shots}/phone-priorities-360x640.png` });

	// Closing: focus to "Uitslag laten zien"; revealing: focus back to "Start een stemronde".
	await fac.getByTestId('round-close').press('Enter');
	await expect(fac.getByTestId('round-reveal')).toBeFocused();
	await expect(announced(phone)).toHaveText('De stemronde is gesloten.');
	await fac.getByTestId('round-reveal').press('Enter');
	await expect(fac.getByTestId('round-open')).toBeFocused();
	await expect(announced(phone)).toHaveText('De uitslag van de stemronde is te zien.');

	// The timer running out.
	await fac.getByLabel('Minuten').fill('1');
	await fac.getByRole('button', { name: 'Start de tijd' }).click();
	await expect(phone.getByTestId('timer')).toBeVisible();
	await phone.clock.fastForward('01:05');
	await expect(announced(phone)).toHaveText('De tijd is om.');
});
