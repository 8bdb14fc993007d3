// Which Chromium the browser tests run in. Debian's `chromium-headless-shell` first: the same
// Blink as `chromium`, built without the browser's window and user interface, as Playwright
// itself runs headless tests. On this project's 2-core machines it ran the same e2e tests in
// 40 % less time. Debian's full `chromium` when only that is installed; CHROMIUM_PATH overrides.
import { existsSync } from 'node:fs';

/** Debian's headless shell, and the Debian package that installs it. */
export const HEADLESS_SHELL = {
	path: '/usr/bin/chromium-headless-shell',
	apt: 'chromium-headless-shell'
};
/** Debian's whole browser. */
export const CHROMIUM = { path: '/usr/bin/chromium', apt: 'chromium' };

/** @returns {string | null} the browser to run: CHROMIUM_PATH, else the first Debian one present */
export function chromiumPath(env = process.env) {
	if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
	return [HEADLESS_SHELL, CHROMIUM].find((browser) => existsSync(browser.path))?.path ?? null;
}
