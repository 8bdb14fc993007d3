import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { card, createTrajectory, expectSaved, join, login, newFacilitator, PHONE } from './helpers';

/**
 * The facilitator's way in and cockpit (issue 8, items 1–3): three clicks from the trajectory to
 * a running board with the join code; board and console side by side with every control in view;
 * the compass wheel; columns of cards; confirmation before removing a participant or a theme.
 */

/** Counts the clicks a person makes on a page (real mouse clicks, not synthetic events). */
async function countClicks(page: Page) {
	await page.addInitScript(() => {
		const key = '__kompasClicks';
		const w = window as unknown as Record<string, number>;
		w[key] = Number(sessionStorage.getItem(key) ?? 0);
		addEventListener(
			'click',
			(e) => {
				if (!e.isTrusted) return;
				w[key] += 1;
				sessionStorage.setItem(key, String(w[key]));
			},
			true
		);
	});
	return () => page.evaluate(() => Number(sessionStorage.getItem('__kompasClicks') ?? 0));
}

/** Every visible control of `scope` lies inside the viewport, and the page was not scrolled. */
async function expectAllInView(page: Page, scope: Locator, label: string) {
	const viewport = page.viewportSize()!;
	expect(await page.evaluate(() => window.scrollY), `${label}: page scrolled`).toBe(0);
	const controls = scope.locator('button, input, select, textarea, a[href], summary');
	const count = await controls.count();
	expect(count, `${label}: controls found`).toBeGreaterThan(5);
	for (let i = 0; i < count; i++) {
		const control = controls.nth(i);
		if (!(await control.isVisible())) continue;
		const box = (await control.boundingBox())!;
		const name = (await control.getAttribute('aria-label')) ?? (await control.textContent());
		expect(
			box.x >= 0 &&
				box.y >= 0 &&
				box.x + box.width <= viewport.width + 0.5 &&
				box.y + box.height <= viewport.height + 0.5,
			`${label}: "${name?.trim()}" at ${JSON.stringify(box)} outside ${viewport.width}×${viewport.height}`
		).toBe(true);
	}
}

async function phone(browser: Browser) {
	return (await browser.newContext(PHONE)).newPage();
}

const shot = (page: Page, name: string) =>
	page.screenshot({ path: test.info().outputPath(`${name}.png`) });

/** Logged in with a trajectory with themes "werk" and "jong"; on the trajectory page. */
async function trajectory(page: Page, label: string) {
	await login(page, newFacilitator(label));
	const id = await createTrajectory(page, {
		municipality: 'Gemeente Kampen',
		title: 'Meedoen in Kampen',
		themes: ['werk', 'jong']
	});
	return id;
}

test('from the trajectory page to a running board with the join code in three clicks', async ({
	page
}) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	const clicks = await countClicks(page);
	const id = await trajectory(page, 'drieklik');
	await page.goto(`/t/${id}`);
	const before = await clicks();

	// The trajectory page says what to do next, per theme.
	const werk = page
		.locator('.theme')
		.filter({ has: page.getByRole('link', { name: 'Open thema werk: werk' }) });
	await expect(werk.getByTestId('theme-next')).toHaveText(/Bijeenkomst voorbereiden/);
	await shot(page, 'trajectory-1280x720');
	await werk.getByRole('link', { name: 'Bijeenkomst voorbereiden: werk' }).click();

	// The agenda is filled in: every step still open, each with its own duration.
	for (const step of ['1. Ambitie', '3. Prioriteren', '6. Reflectie'])
		await expect(page.getByRole('checkbox', { name: step })).toBeChecked();
	await expect(page.getByLabel('Minuten voor 2. Maatschappelijke resultaten')).toHaveValue('45');
	await expect(page.getByLabel('Minuten voor 3. Prioriteren')).toHaveValue('20');
	await expect(page.getByLabel('Titel')).toHaveValue('werk: bijeenkomst 1');
	await page.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();

	await expect(page).toHaveURL(/\/b\/[^/]+\.1$/);
	await expect(page.getByTestId('board-join').getByTestId('join-code')).toHaveText(
		/^Meedoen met code [A-HJKMNP-Z2-9]{3} [A-HJKMNP-Z2-9]{3}$/
	);
	await expect(page.getByTestId('console')).toBeVisible();
	expect((await clicks()) - before).toBeLessThanOrEqual(3);

	// Board, session, overview and export reach each other in one click.
	const tabs = page.getByTestId('workshop-tabs');
	await expect(tabs.getByRole('link', { name: 'Bord' })).toHaveAttribute('aria-current', 'page');
	await tabs.getByRole('link', { name: 'Bijeenkomst' }).click();
	await expect(page.getByTestId('session-status')).toHaveText('Bezig');
	await page.getByTestId('workshop-tabs').getByRole('link', { name: 'Overzicht' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Overzicht' })).toBeVisible();
	await page.getByTestId('workshop-tabs').getByRole('link', { name: 'Exporteren' }).click();
	await expect(page.getByRole('heading', { name: 'Exporteren' })).toBeInViewport();
	await page.getByRole('link', { name: 'Open het bord: werk' }).click();
	await expect(page.getByTestId('console')).toBeVisible();

	// Back on the trajectory page, the theme now continues on the running board.
	await page.getByTestId('workshop-tabs').getByRole('link', { name: 'Meedoen in Kampen' }).click();
	await expect(werk.getByTestId('theme-next')).toHaveText(/Verder met stap 1: Ambitie/);
	await werk.getByRole('link', { name: /Verder met stap 1/ }).click();
	await expect(page.getByTestId('console')).toBeVisible();
});

test('the cockpit: board and console side by side, every control in view, by keyboard too', async ({
	page,
	browser
}) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	const id = await trajectory(page, 'cockpit');
	await page.goto(`/t/${id}`);
	await page.getByRole('link', { name: 'Bijeenkomst voorbereiden: werk' }).click();
	await page.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();
	await expectSaved(page);
	const code = ((await page.getByTestId('board-join').getByTestId('join-code').textContent()) ?? '')
		.replace('Meedoen met code', '')
		.replace(/\s/g, '');
	const anouk = await phone(browser);
	await join(anouk, code, { name: 'Anouk', organisation: null, perspective: /^Gemeente/ });
	await page.reload();
	await expectSaved(page);

	const console_ = page.getByTestId('console');
	const board = page.getByTestId('board');
	// Side by side: the console to the right of the cards, both starting near the top.
	const consoleBox = (await console_.boundingBox())!;
	const cardsBox = (await page.getByTestId('column-ambition').boundingBox())!;
	expect(consoleBox.x).toBeGreaterThan(cardsBox.x + cardsBox.width - 1);
	expect(consoleBox.y).toBeLessThan(200);

	// Every console control is in view without scrolling, in each step; the groups keep their place.
	const places: Record<string, number> = {};
	for (const step of ['ambition', 'outcomes', 'priorities', 'activities', 'measurement']) {
		await expect(board).toHaveAttribute('data-step', step);
		await expectAllInView(page, console_, `1280×720, ${step}`);
		for (const group of ['console-next', 'timer-start', 'lock', 'open-console-people']) {
			const y = (await page.getByTestId(group).boundingBox())!.y;
			places[group] ??= y;
			expect(Math.abs(y - places[group]), `${group} moved in ${step}`).toBeLessThan(1);
		}
		if (step === 'priorities') {
			// Every state of the voting round fits too.
			await page.getByTestId('round-open').click();
			await expectAllInView(page, console_, '1280×720, round open');
			await page.getByTestId('round-close').click();
			await expect(page.getByTestId('round-reveal')).toBeVisible();
			await shot(page, 'cockpit-round-closed-1280x720');
			await expectAllInView(page, console_, '1280×720, round closed');
			await shot(page, 'cockpit-priorities-1280x720');
		}
		await page.getByTestId('console-next').click();
	}
	await page.getByTestId('step-ambition').click();
	await shot(page, 'cockpit-1280x720');

	// A 1024 px tablet: still side by side and in view.
	await page.setViewportSize({ width: 1024, height: 768 });
	await expectAllInView(page, console_, '1024×768');
	await shot(page, 'cockpit-1024x768');
	await page.setViewportSize({ width: 1920, height: 1080 });
	await expectAllInView(page, console_, '1920×1080');
	await shot(page, 'cockpit-1920x1080');
	await page.setViewportSize({ width: 1280, height: 720 });

	// By keyboard: the participants panel opens, Escape closes it and focus returns.
	const people = page.getByTestId('open-console-people');
	await people.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('console-people')).toBeVisible();
	await expect(page.getByTestId('console-people').getByTestId('participants')).toContainText(
		'Anouk'
	);
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('console-people')).toBeHidden();
	await expect(people).toBeFocused();
	// The group moves by keyboard (it is at the last step: back one).
	await expect(anouk.getByTestId('board')).toHaveAttribute('data-step', 'reflection');
	await page.getByRole('button', { name: 'Vorige stap' }).focus();
	await page.keyboard.press('Enter');
	await expect(anouk.getByTestId('board')).toHaveAttribute('data-step', 'measurement');
	await shot(anouk, 'phone-360x740');
});

test('the compass wheel navigates, marks the group and checks finished steps; cards stand in columns', async ({
	page,
	browser
}) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	const id = await trajectory(page, 'wiel');
	await page.goto(`/t/${id}`);
	await page.getByRole('link', { name: 'Bijeenkomst voorbereiden: werk' }).click();
	await page.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();
	await expectSaved(page);

	const wheel = page.getByTestId('compass-wheel');
	await expect(wheel).toBeVisible();
	await expect(wheel.getByRole('button')).toHaveCount(6);
	const ambition = wheel.getByRole('button', { name: /^1\. Ambitie/ });
	await expect(ambition).toHaveAccessibleName('1. Ambitie (groep is hier)');
	await expect(ambition).toHaveAttribute('aria-current', 'step');

	// Columns: the kinds of the step side by side.
	const situation = (await page.getByTestId('column-situation').boundingBox())!;
	const ambitions = (await page.getByTestId('column-ambition').boundingBox())!;
	expect(Math.abs(situation.y - ambitions.y)).toBeLessThan(1);
	expect(ambitions.x).toBeGreaterThan(situation.x + situation.width - 1);

	// An agreed ambition checks step 1 on the wheel.
	const form = page.getByTestId('new-ambition');
	await form.getByLabel('Nieuwe kaart: Ambitie').fill('Iedereen doet mee');
	await form.getByRole('button', { name: 'Toevoegen' }).click();
	await page.getByRole('button', { name: 'Vaststellen: Iedereen doet mee' }).click();
	await expect(ambition).toHaveAccessibleName('1. Ambitie (afgerond, groep is hier)');
	await expect(ambition).toHaveText(/✓/);

	// By keyboard: the facilitator looks at step 2 while the group stays at step 1.
	const outcomes = wheel.getByRole('button', { name: /^2\. Maatschappelijke resultaten/ });
	await outcomes.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('board')).toHaveAttribute('data-step', 'outcomes');
	await expect(outcomes).toHaveAttribute('aria-current', 'step');
	await expect(ambition).toHaveAccessibleName(/groep is hier/);

	// A phone keeps the compact list, and its columns stack.
	const anouk = await phone(browser);
	const code = ((await page.getByTestId('board-join').getByTestId('join-code').textContent()) ?? '')
		.replace('Meedoen met code', '')
		.replace(/\s/g, '');
	await join(anouk, code, { name: 'Anouk', organisation: null, perspective: /^Gemeente/ });
	await expect(anouk.getByTestId('compass-wheel')).toHaveCount(0);
	await expect(anouk.getByTestId('step-ambition')).toBeVisible();
	const a = (await anouk.getByTestId('column-situation').boundingBox())!;
	const b = (await anouk.getByTestId('column-ambition').boundingBox())!;
	expect(b.y).toBeGreaterThan(a.y + a.height - 1);
	await expect(card(anouk, 'Iedereen doet mee')).toBeVisible();
});

test('removing a participant and deleting a theme ask first', async ({ page, browser }) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	const id = await trajectory(page, 'bevestig');
	await page.goto(`/t/${id}`);
	await page.getByRole('link', { name: 'Bijeenkomst voorbereiden: werk' }).click();
	await page.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();
	await expectSaved(page);
	const code = ((await page.getByTestId('board-join').getByTestId('join-code').textContent()) ?? '')
		.replace('Meedoen met code', '')
		.replace(/\s/g, '');
	const anouk = await phone(browser);
	await join(anouk, code, { name: 'Anouk', organisation: null, perspective: /^Gemeente/ });
	await page.reload();
	await expectSaved(page);

	await page.getByTestId('open-console-people').click();
	const drawer = page.getByTestId('console-people');
	await drawer.getByText('Verwijder', { exact: true }).click();
	await expect(
		drawer.getByText('Anouk kan dan niet meer meedoen in deze bijeenkomst.')
	).toBeVisible();
	// Opening the question removed nobody.
	await expect(drawer.getByTestId('participants').getByRole('listitem')).toHaveCount(1);
	await expect(anouk.getByTestId('shut-out')).toHaveCount(0);
	await drawer.getByRole('button', { name: 'Ja, verwijder Anouk' }).click();
	await expect(drawer.getByTestId('session-message')).toHaveText(
		'Anouk is verwijderd en kan niet meer meedoen.'
	);
	await expect(drawer.getByTestId('participants')).toHaveCount(0);
	await expect(drawer.getByRole('heading', { name: 'Deelnemers (0)' })).toBeFocused();
	await expect(anouk.getByTestId('shut-out')).toBeVisible();

	await page.goto(`/t/${id}`);
	const themes = page.locator('.theme-name');
	await expect(themes).toHaveText([/werk/, /jong/]);
	await page.getByLabel('jong verwijderen', { exact: true }).click();
	await expect(page.getByText('Het thema jong en alles wat erbij hoort verdwijnt')).toBeVisible();
	await expect(themes).toHaveText([/werk/, /jong/]);
	await page.getByRole('button', { name: 'Ja, verwijder jong' }).click();
	await expect(themes).toHaveText([/werk/]);
});

test('screenshots of the trajectory page and the board on a phone and wide screens', async ({
	page
}) => {
	const id = await trajectory(page, 'schermen');
	for (const [width, height] of [
		[360, 640],
		[1280, 720],
		[1920, 1080]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.goto(`/t/${id}`);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow, `sideways scroll at ${width}`).toBeLessThanOrEqual(0);
		await shot(page, `trajectory-${width}x${height}`);
	}
	await page.getByRole('link', { name: 'Bijeenkomst voorbereiden: werk' }).click();
	await page.getByRole('button', { name: 'Nu beginnen en het bord openen' }).click();
	await expectSaved(page);
	for (const [width, height] of [
		[360, 640],
		[1280, 720],
		[1920, 1080]
	] as const) {
		await page.setViewportSize({ width, height });
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow, `sideways scroll on the board at ${width}`).toBeLessThanOrEqual(0);
		await shot(page, `board-${width}x${height}`);
		// Every console button shows its whole label (none cut off or running out of its box).
		const console_ = page.getByTestId('console');
		await console_.scrollIntoViewIfNeeded();
		const clipped = await console_.evaluate((root) =>
			[...root.querySelectorAll('button')]
				.filter((b) => b.offsetParent !== null)
				.filter((b) => b.scrollWidth > b.clientWidth + 1)
				.map((b) => b.textContent?.trim())
		);
		expect(clipped, `console labels cut off at ${width}`).toEqual([]);
		await console_.screenshot({
			path: test.info().outputPath(`console-${width}x${height}.png`)
		});
	}
});
