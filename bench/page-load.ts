/**
 * One cold load of the participant board, as a participant's phone does it, shared by
 * `npm run bench:page` (throttled, timed) and the byte-budget test in tests/e2e (bytes only).
 * Works with @playwright/test's and playwright-core's Browser alike (same API).
 */
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { PageSeed } from './page-seed.ts';

/** The slow-phone profile of issue 8: 1.6 Mbps down, 750 kbps up, 150 ms RTT, 4× CPU slowdown. */
export const SLOW_PHONE = {
	downloadBitsPerSecond: 1.6e6,
	uploadBitsPerSecond: 750e3,
	latencyMs: 150,
	cpuSlowdown: 4
} as const;

export interface ScriptLoad {
	url: string;
	/** Decoded size (what the browser parses). */
	bytes: number;
	/** gzip -9 of the decoded body: the budget's unit, independent of what the server negotiated. */
	gzipBytes: number;
	body: string;
}

export interface BoardLoad {
	scripts: ScriptLoad[];
	/** Sum of `gzipBytes` over every script the page loaded. */
	jsGzipBytes: number;
	/** Milliseconds from navigation start until the card input was on screen and enabled. */
	cardInputMs: number;
}

// Runs in the page: notes when the first "new card" text box is there and enabled.
const WATCH_CARD_INPUT = `(() => {
	const find = () => document.querySelector('form[data-testid^="new-"] textarea:not([disabled])');
	const done = () => { window.__cardInputMs = performance.now(); observer.disconnect(); };
	const observer = new MutationObserver(() => { if (find()) done(); });
	observer.observe(document, { childList: true, subtree: true });
})();`;

/**
 * Loads `/b/<board>` in a fresh browser context (empty cache) holding the participant's cookie,
 * waits until the card input is usable and the network is idle, and returns what was loaded.
 */
export async function loadParticipantBoard(
	browser: Browser,
	options: { baseURL: string; seed: PageSeed; locale?: 'nl' | 'en'; slowPhone?: boolean }
): Promise<BoardLoad> {
	const { hostname } = new URL(options.baseURL);
	const context = await browser.newContext({
		baseURL: options.baseURL,
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true
	});
	try {
		await context.addCookies([
			{ name: 'kompas_participant', value: options.seed.token, domain: hostname, path: '/' },
			{ name: 'PARAGLIDE_LOCALE', value: options.locale ?? 'nl', domain: hostname, path: '/' }
		]);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
		if (options.slowPhone) {
			await cdp.send('Network.emulateNetworkConditions', {
				offline: false,
				latency: SLOW_PHONE.latencyMs,
				downloadThroughput: SLOW_PHONE.downloadBitsPerSecond / 8,
				uploadThroughput: SLOW_PHONE.uploadBitsPerSecond / 8
			});
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_PHONE.cpuSlowdown });
		}
		await page.addInitScript(WATCH_CARD_INPUT);
		const pending: Promise<ScriptLoad | null>[] = [];
		page.on('response', (response) => {
			const url = response.url();
			if (!new URL(url).pathname.endsWith('.js')) return;
			pending.push(
				response
					.body()
					.then((buffer) => ({
						url,
						bytes: buffer.length,
						gzipBytes: gzipSync(buffer, { level: 9 }).length,
						body: buffer.toString('utf8')
					}))
					.catch(() => null)
			);
		});
		await page.goto(`/b/${options.seed.boardId}`);
		await page.waitForFunction(() => '__cardInputMs' in window, null, { timeout: 60_000 });
		await page.waitForLoadState('networkidle');
		const cardInputMs = await page.evaluate(
			() => (window as unknown as { __cardInputMs: number }).__cardInputMs
		);
		const scripts = (await Promise.all(pending)).filter((s): s is ScriptLoad => s !== null);
		return {
			scripts,
			jsGzipBytes: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
			cardInputMs
		};
	} finally {
		await context.close();
	}
}
