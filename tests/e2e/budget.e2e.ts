import { expect, test } from '@playwright/test';
import { loadParticipantBoard } from '../../bench/page-load';
import { seedSession } from './helpers';

/**
 * The participant's page budget (issue 8): what a phone downloads on its first load of the board,
 * taken from the network log of a real page load (cold cache), every script summed as gzip -9.
 * Timings are not tested here (a shared machine is noisy): `npm run bench:page` measures them.
 *
 * 120 KiB until issue 11; raised to 128 KiB when the glossary marking, the consent round's entry
 * point and the anonymous/two-session labels came onto every phone (their panels, writers and
 * results load on demand). Most of that growth is their texts: the page's language loads as one
 * module with every message (vite-locale-split.ts). Splitting that module per page is the next
 * saving; the issue-8 goal this budget guards was 134 kB.
 */
const BUDGET_BYTES = 128 * 1024;

test('the participant board loads at most 128 KiB of gzipped JS, in one language, without facilitator or projector code', async ({
	browser,
	baseURL
}) => {
	const seed = await seedSession();
	const nl = await loadParticipantBoard(browser, { baseURL: baseURL!, seed, locale: 'nl' });
	const summary = nl.scripts.map((s) => `${new URL(s.url).pathname} ${s.gzipBytes}`).join('\n');
	expect(nl.scripts.length, summary).toBeGreaterThan(3);
	expect(nl.jsGzipBytes, `gzipped JS of the participant board:\n${summary}`).toBeLessThanOrEqual(
		BUDGET_BYTES
	);

	const code = (load: typeof nl) => load.scripts.map((s) => s.body).join('\n');
	const dutch = code(nl);
	// The Dutch texts are there, the English ones are not (and the reverse in English).
	expect(dutch).toContain('Je doet mee als');
	expect(dutch).not.toContain('You take part as');
	// Facilitator-only code (the console, with merge and the draft watcher) and the projector.
	expect(dutch).not.toContain('data-testid="console"');
	expect(dutch).not.toContain('data-testid="projector"');

	const en = await loadParticipantBoard(browser, { baseURL: baseURL!, seed, locale: 'en' });
	expect(code(en)).toContain('You take part as');
	expect(code(en)).not.toContain('Je doet mee als');
	expect(en.jsGzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
});
