import { expect, test } from '@playwright/test';
import { login, newFacilitator } from './helpers';

test('a wrong password is refused with a clear message and the e-mail stays filled in', async ({
	page
}) => {
	const account = newFacilitator('login');
	await page.goto('/login');
	await page.getByLabel('E-mailadres').fill(account.email);
	await page.getByLabel('Wachtwoord').fill('dit is niet het wachtwoord');
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of wachtwoord klopt niet.');
	await expect(page.getByLabel('E-mailadres')).toHaveValue(account.email);
	await expect(page.getByLabel('Wachtwoord')).toHaveValue('');

	await page.getByLabel('Wachtwoord').fill(account.password);
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(/\/trajectories$/);
	await expect(page.getByRole('heading', { name: 'Trajecten' })).toBeVisible();
});

test('after five failures the account is blocked for a while, with the wait in Dutch', async ({
	page
}) => {
	const account = newFacilitator('ratelimit');
	await page.goto('/login');
	for (let i = 0; i < 5; i++) {
		await page.getByLabel('E-mailadres').fill(account.email);
		await page.getByLabel('Wachtwoord').fill(`fout-${i}-wachtwoord`);
		await page.getByRole('button', { name: 'Inloggen' }).click();
		await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of wachtwoord klopt niet.');
	}
	await page.getByLabel('Wachtwoord').fill(account.password);
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page.getByRole('alert')).toContainText('Te veel pogingen. Probeer het over');
	await expect(page).toHaveURL(/\/login/);
});

test('change password, see sessions, log out everywhere', async ({ browser }) => {
	const account = newFacilitator('account');
	const laptop = await (await browser.newContext()).newPage();
	const phone = await (await browser.newContext()).newPage();
	await login(laptop, account);
	await login(phone, account);

	await laptop.goto('/account');
	await expect(laptop.getByTestId('sessions').locator('li')).toHaveCount(2);

	await laptop.getByLabel('Huidig wachtwoord').fill('niet goed');
	await laptop.getByLabel('Nieuw wachtwoord').fill('een nieuw lang wachtwoord');
	await laptop.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
	await expect(laptop.getByText('Uw huidige wachtwoord klopt niet.')).toBeVisible();

	await laptop.getByLabel('Huidig wachtwoord').fill(account.password);
	await laptop.getByLabel('Nieuw wachtwoord').fill('een nieuw lang wachtwoord');
	await laptop.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
	await expect(laptop.getByRole('status')).toContainText('Uw wachtwoord is gewijzigd');
	await expect(laptop.getByTestId('sessions').locator('li')).toHaveCount(1);

	// The other device was logged out by the password change.
	await phone.goto('/trajectories');
	await expect(phone).toHaveURL(/\/login/);

	await laptop.getByRole('button', { name: 'Overal uitloggen' }).click();
	await expect(laptop).toHaveURL(/\/login/);
	await laptop.goto('/account');
	await expect(laptop).toHaveURL(/\/login\?next=%2Faccount/);

	await login(laptop, { email: account.email, password: 'een nieuw lang wachtwoord' });
});

test('language switches to English and is remembered', async ({ page }) => {
	await page.goto('/login');
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await page.getByRole('button', { name: /Wissel taal/ }).click();
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.reload();
	await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
	await page.getByRole('button', { name: /Switch language/ }).click();
	await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
});
