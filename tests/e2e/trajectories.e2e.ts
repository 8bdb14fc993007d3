import { expect, test } from '@playwright/test';
import { createTrajectory, login, newFacilitator, personPage, postAction } from './helpers';

test('create, edit, manage themes and delete a trajectory', async ({ page }) => {
	await login(page, newFacilitator('traject'));
	const id = await createTrajectory(page, {
		municipality: 'Gemeente Huizen',
		title: 'Meedoen in Huizen',
		themes: ['jong', 'werk']
	});

	// Edit the details.
	await page.getByRole('link', { name: 'Bewerken' }).click();
	await page.getByLabel('Titel').fill('');
	await page.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page.getByText('Dit veld is verplicht.').first()).toBeVisible();
	await page.getByLabel('Titel').fill('Meedoen en werk in Huizen');
	await page.getByLabel('Naam organisatie 1').fill('Welzijn Huizen');
	await page.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page).toHaveURL(new RegExp(`/t/${id}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meedoen en werk in Huizen');
	await expect(page.getByText('Welzijn Huizen')).toBeVisible();

	// Themes: add, rename, reorder, remove.
	await page.getByLabel('Nieuw thema').fill('meedoen');
	await page.getByRole('button', { name: 'Thema toevoegen' }).click();
	const themes = page.locator('.theme-name');
	await expect(themes).toHaveText([/jong/, /werk/, /meedoen/]);
	await page.getByRole('button', { name: 'meedoen omhoog' }).click();
	await expect(themes).toHaveText([/jong/, /meedoen/, /werk/]);
	await page.getByText('Bewerken: jong').click();
	await page.getByLabel('Naam van thema jong').fill('jeugd');
	await page.getByRole('button', { name: 'Naam wijzigen' }).first().click();
	await expect(themes).toHaveText([/jeugd/, /meedoen/, /werk/]);
	// Removing a theme asks first.
	await page.getByLabel('werk verwijderen', { exact: true }).click();
	await expect(themes).toHaveText([/jeugd/, /meedoen/, /werk/]);
	await page.getByRole('button', { name: 'Ja, verwijder werk' }).click();
	await expect(themes).toHaveText([/jeugd/, /meedoen/]);

	// The glossary: the agreed meaning of a word.
	await page.getByRole('button', { name: 'Begrip toevoegen' }).click();
	await expect(page.getByText('Dit veld is verplicht.').first()).toBeVisible();
	await page.getByLabel('Begrip', { exact: true }).fill('preventie');
	await page
		.getByLabel('Wat we ermee bedoelen')
		.fill('Voorkomen dat inwoners eenzaam worden, niet alleen dure zorg voorkomen.');
	await page.getByRole('button', { name: 'Begrip toevoegen' }).click();
	await expect(page.getByTestId('glossary')).toContainText('preventie');
	await expect(page.getByTestId('glossary')).toContainText('niet alleen dure zorg voorkomen');

	// Delete needs the exact title typed.
	await page.getByRole('link', { name: 'Verwijderen' }).click();
	await page.getByLabel('Typ de titel van het traject om te bevestigen').fill('Meedoen');
	await page.getByRole('button', { name: 'Definitief verwijderen' }).click();
	await expect(page.getByText('De tekst komt niet overeen.')).toBeVisible();
	await expect(page.getByLabel('Typ de titel van het traject om te bevestigen')).toHaveValue(
		'Meedoen'
	);
	await page
		.getByLabel('Typ de titel van het traject om te bevestigen')
		.fill('Meedoen en werk in Huizen');
	await page.getByRole('button', { name: 'Definitief verwijderen' }).click();
	await expect(page).toHaveURL(/\/trajectories\?verwijderd/);
	await expect(page.getByText('Meedoen en werk in Huizen')).toHaveCount(0);
	const gone = await page.goto(`/t/${id}`);
	expect(gone?.status()).toBe(404);
});

test('an invited observer sees the trajectory read-only and cannot change it', async ({
	browser
}) => {
	const facilitator = await personPage(browser, newFacilitator('host'));
	const id = await createTrajectory(facilitator, {
		municipality: 'Gemeente Kampen',
		title: 'Kampen werk',
		themes: ['jong', 'werk', 'meedoen', 'vitaal']
	});
	await facilitator.getByLabel('Rol').selectOption('observer');
	await facilitator.getByRole('button', { name: 'Uitnodigingslink maken' }).click();
	const link = await facilitator.getByLabel('Uitnodigingslink').inputValue();
	expect(link).toMatch(/\/invite\/[a-z0-9]+$/);

	const observer = await (await browser.newContext()).newPage();
	await observer.goto(link);
	await expect(observer.getByText('als meelezer (beleidsmedewerker)')).toBeVisible();
	await observer.getByLabel('Naam').fill('Bea Beleid');
	await observer.getByLabel('E-mailadres').fill(`bea-${Date.now()}@kampen.example`);
	await observer.getByLabel('Wachtwoord').fill('beleid lezen en volgen');
	await observer.getByRole('button', { name: 'Account maken en uitnodiging aannemen' }).click();
	await expect(observer).toHaveURL(new RegExp(`/t/${id}$`));
	await expect(observer.getByTestId('readonly-notice')).toBeVisible();
	await expect(observer.locator('.theme-name')).toHaveCount(4);
	await expect(observer.getByRole('link', { name: 'Bewerken' })).toHaveCount(0);
	await expect(observer.getByRole('button', { name: 'Thema toevoegen' })).toHaveCount(0);

	// The server refuses, whatever the UI shows.
	for (const [action, form] of [
		['addTheme', { name: 'stiekem' }],
		['addTerm', { term: 'stiekem', definition: 'mag niet' }],
		['archive', {}],
		['invite', { role: 'facilitator' }]
	] as const) {
		const response = await postAction(observer, `/t/${id}?/${action}`, form);
		expect(response.status(), action).toBe(403);
	}
	expect((await observer.goto(`/t/${id}/edit`))?.status()).toBe(403);
	expect((await observer.goto(`/t/${id}/delete`))?.status()).toBe(403);
	expect((await observer.goto('/trajectories/new'))?.status()).toBe(403);

	// The link was single-use.
	const again = await (await browser.newContext()).newPage();
	await again.goto(link);
	await expect(again.getByText('Deze uitnodiging is al gebruikt.')).toBeVisible();

	await facilitator.reload();
	await expect(facilitator.getByTestId('members')).toContainText('Bea Beleid');
	await facilitator.goto(`/t/${id}`);
	await expect(facilitator.locator('.theme-name')).toHaveCount(4);
});

test('a facilitator of trajectory A gets 404 for trajectory B, pages and actions alike', async ({
	browser
}) => {
	const a = await personPage(browser, newFacilitator('a'));
	const b = await personPage(browser, newFacilitator('b'));
	const idB = await createTrajectory(b, {
		municipality: 'Gemeente Neder-Betuwe',
		title: 'Proeftuin B',
		themes: ['vitaal']
	});
	await createTrajectory(a, { municipality: 'Gemeente Kampen', title: 'Traject A', themes: [] });

	expect((await a.goto(`/t/${idB}`))?.status()).toBe(404);
	expect((await a.goto(`/t/${idB}/edit`))?.status()).toBe(404);
	const post = await postAction(a, `/t/${idB}?/addTheme`, { name: 'inbraak' });
	expect(post.status()).toBe(404);
	await b.reload();
	await expect(b.locator('.theme-name')).toHaveText([/vitaal/]);
});
