import { expect, test } from '@playwright/test';
import { expectNoViolations, hydrated } from './helpers';

test('the first visitor sets up Kompas and reaches a trajectory with four themes', async ({
	page,
	baseURL
}) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/setup$/);
	await expect(page.getByRole('heading', { name: 'Kompas instellen' })).toBeVisible();
	await expectNoViolations(page, '/setup (nl)');
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Set up Kompas' })).toBeVisible();
	await expectNoViolations(page, '/setup (en)');
	await page.context().clearCookies();
	await page.reload();

	// A mistake is shown inline and what was typed stays, the password excepted.
	await page.getByLabel('Naam').fill('Karin Sok');
	await page.getByLabel('E-mailadres').fill('karin@');
	await page.getByLabel('Wachtwoord').fill('kort');
	await page.getByRole('button', { name: 'Account maken en beginnen' }).click();
	await expect(page.getByText('Vul een geldig e-mailadres in').first()).toBeVisible();
	await expect(page.getByText('Het wachtwoord is te kort').first()).toBeVisible();
	await expect(page.getByLabel('Naam')).toHaveValue('Karin Sok');
	await expect(page.getByLabel('Wachtwoord')).toHaveValue('');
	await expectNoViolations(page, '/setup with errors');

	await page.getByLabel('E-mailadres').fill('karin@kampen.example');
	await page.getByLabel('Wachtwoord').fill('samen werken aan outcome');
	await page.getByRole('button', { name: 'Account maken en beginnen' }).click();
	await expect(page).toHaveURL(/\/trajectories\/new$/);

	await page.getByLabel('Gemeente', { exact: true }).fill('Gemeente Kampen');
	await page.getByLabel('Titel').fill('Sociaal domein Kampen');
	await page.getByLabel("Thema's").fill('jong\nwerk\nmeedoen\nvitaal');
	await hydrated(page);
	await page.getByLabel('Naam organisatie 1').fill('De Kern');
	await page.getByRole('button', { name: 'Nog een organisatie' }).click();
	await page.getByLabel('Naam organisatie 2').fill('Gemeente Kampen');
	await page.getByLabel('Perspectief organisatie 2').selectOption('gemeente');
	await page.getByRole('button', { name: 'Traject maken' }).click();

	await expect(
		page.getByRole('heading', { level: 1, name: 'Sociaal domein Kampen' })
	).toBeVisible();
	const themes = page.locator('.theme-name');
	await expect(themes).toHaveText([/jong/, /werk/, /meedoen/, /vitaal/]);
	await expect(page.getByText('De Kern')).toBeVisible();
	await expect(page.getByText('(Gemeente)')).toBeVisible();

	// Setup is closed once an account exists.
	await page.goto('/setup');
	await expect(page).not.toHaveURL(/\/setup$/);
});
