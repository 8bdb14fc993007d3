/**
 * Two browsers and a plain Node y-websocket client (the stock provider, as an integration would use
 * it) edit the same board and converge.
 */
import { expect, test } from '@playwright/test';
import { addCard, readCards } from '../../src/lib/board/schema/index.ts';
import { client } from '../server/helpers/clients.ts';
import {
	card,
	createTrajectory,
	expectSaved,
	join,
	newFacilitator,
	personPage,
	PHONE
} from './helpers';

test('two browsers and a Node y-websocket client edit one board and converge', async ({
	browser,
	baseURL
}) => {
	const fac = await personPage(browser, newFacilitator('mix'));
	const trajectoryId = await createTrajectory(fac, {
		municipality: 'Gemeente Kampen',
		title: 'Kampen jong',
		themes: ['jong']
	});
	await fac.goto(`/t/${trajectoryId}`);
	await fac.locator('a[href*="/themes/"]').first().click();
	await expect(fac.getByRole('heading', { level: 1, name: 'Thema: jong' })).toBeVisible();
	const themeId = new URL(fac.url()).pathname.split('/')[4];
	await fac.getByLabel('Titel').fill('Jong, eerste bijeenkomst');
	await fac.getByLabel('Datum').fill('2026-12-03');
	await fac.getByRole('checkbox', { name: '1. Ambitie' }).check();
	await fac.getByLabel('Minuten voor 1. Ambitie').fill('30');
	await fac.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
	const code = ((await fac.getByTestId('join-code').textContent()) ?? '').replace(/\s/g, '');
	await fac.getByRole('button', { name: 'Bijeenkomst starten' }).click();

	const boardId = `${themeId}.1`;
	const phone = await (await browser.newContext(PHONE)).newPage();
	await join(phone, code, { name: 'Noor', organisation: null, perspective: /^Inwoner/ });
	await fac.goto(`/b/${boardId}`);
	await expectSaved(fac);

	// The Node client signs in with the facilitator's session cookie, as a browser would.
	const session = (await fac.context().cookies()).find((c) => c.name === 'kompas_session');
	expect(session).toBeDefined();
	const origin = new URL(baseURL!).origin;
	const node = client(
		{ wsUrl: `${origin.replace(/^http/, 'ws')}/ws`, origin },
		`board/${boardId}`,
		`kompas_session=${session!.value}`
	);
	try {
		await node.synced();
		addCard(node.doc, {
			kind: 'situation',
			text: 'Uit Node: 1 op de 8 jongeren heeft geen startkwalificatie',
			author: { id: 'node-script', name: 'Script', perspective: 'gemeente' }
		});
		await expect(card(fac, 'Uit Node')).toBeVisible();
		await expect(card(phone, 'Uit Node')).toBeVisible();

		const form = phone.getByTestId('new-situation');
		await form
			.getByLabel(/^Nieuwe kaart/)
			.fill('Van de telefoon: jongeren zoeken een plek om te leren');
		await form.getByRole('button', { name: 'Toevoegen' }).click();
		await expect(card(fac, 'Van de telefoon')).toBeVisible();
		await expect
			.poll(() => readCards(node.doc).map((c) => c.text))
			.toContain('Van de telefoon: jongeren zoeken een plek om te leren');
		expect(node.closes).toEqual([]);
	} finally {
		node.destroy();
	}
});
