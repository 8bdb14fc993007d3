/**
 * The browser's language modules leave out the messages only the server's documents use, and no
 * browser code asks for one of them (it would get `undefined`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_ONLY_MESSAGES, withoutServerOnly } from './vite-locale-split.ts';

const root = join(import.meta.dirname, '..');
const compiled = (locale: string) =>
	readFileSync(join(root, 'src/lib/paraglide/messages', `${locale}.js`), 'utf8');
const names = (code: string) =>
	[...code.matchAll(/^export const ([a-z0-9_]+)/gm)].map((m) => m[1]!);

/** Every file below `dir` whose name passes `keep`. */
function files(dir: string, keep: (name: string) => boolean): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return name === 'paraglide' ? [] : files(path, keep);
		return keep(name) ? [path] : [];
	});
}

describe('server-only messages', () => {
	it('are left out of the browser language modules, and nothing else is', () => {
		for (const locale of ['nl', 'en']) {
			const all = names(compiled(locale));
			const kept = names(withoutServerOnly(compiled(locale)));
			const left = all.filter((n) => !kept.includes(n));
			expect(left.length).toBeGreaterThan(50);
			expect(left.every((n) => SERVER_ONLY_MESSAGES.test(n))).toBe(true);
			expect(kept.some((n) => SERVER_ONLY_MESSAGES.test(n))).toBe(false);
			// What stays is the code as Paraglide wrote it.
			expect(withoutServerOnly(compiled(locale))).toContain('export const board_votes_left');
		}
	});

	it('are never asked for by code that runs in the browser', () => {
		const browser = [
			...files(
				join(root, 'src/routes'),
				(n) => /\.(svelte|ts)$/.test(n) && !n.includes('.server.')
			),
			...['components', 'board', 'i18n', 'domain'].flatMap((dir) =>
				files(
					join(root, 'src/lib', dir),
					(n) => /\.(svelte|ts)$/.test(n) && !n.endsWith('.spec.ts')
				)
			)
		];
		expect(browser.length).toBeGreaterThan(50);
		const used = browser.flatMap((path) =>
			[...readFileSync(path, 'utf8').matchAll(/\bm\.([a-z][a-z0-9_]+)/g)]
				.map((m) => m[1]!)
				.filter((name) => SERVER_ONLY_MESSAGES.test(name))
				.map((name) => `${path}: ${name}`)
		);
		expect(used).toEqual([]);
	});
});
