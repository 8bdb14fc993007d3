import type { Plugin } from 'vite';

/**
 * Messages per language in the browser. Paraglide compiles with `outputStructure:
 * 'locale-modules'`: `messages/nl.js` and `messages/en.js` hold the texts, and `messages.js`
 * re-exports `messages/_index.js`, a dispatcher per message that imports both languages. For the
 * client build this plugin rewrites `messages.js` into one top-level `await import()` of the
 * language the page is shown in (Paraglide's `getLocale()`, which reads the language cookie the
 * server set), exported as `m`. A participant downloads one language's texts, never both, and no
 * dispatchers. Switching language reloads the page (POST /language), so the language never changes
 * during a page's life; `{ locale }` options are not honoured in the browser (only the server's
 * exports use them, and the server build is left as Paraglide made it). The plugin fails the build
 * when the file does not look as expected, so a Paraglide upgrade cannot silently ship every
 * language again; a client import of anything but `m` fails the build too (no such export).
 */
export function localeSplit(options: { locales: readonly string[]; baseLocale: string }): Plugin {
	const expected = `export * as m from './messages/_index.js'`;
	const languageModule = new RegExp(
		`[/\\\\]paraglide[/\\\\]messages[/\\\\](${options.locales.join('|')})\\.js$`
	);
	return {
		name: 'kompas:paraglide-locale-split',
		apply: 'build',
		enforce: 'pre',
		transform(code, id) {
			if (this.environment.config.consumer !== 'client') return null;
			if (languageModule.test(id)) return { code: withoutServerOnly(code), map: null };
			if (!/[/\\]paraglide[/\\]messages\.js$/.test(id)) return null;
			if (!code.includes(expected))
				throw new Error(`localeSplit: ${id} no longer contains "${expected}"`);
			const others = options.locales.filter((l) => l !== options.baseLocale);
			const pick = others
				.map((l) => `locale === ${JSON.stringify(l)} ? await import("./messages/${l}.js") : `)
				.join('');
			return {
				code: [
					`import { getLocale } from "./runtime.js";`,
					`const locale = getLocale();`,
					`export const m = ${pick}await import("./messages/${options.baseLocale}.js");`
				].join('\n'),
				map: null
			};
		}
	};
}

/**
 * Messages only the server's documents use (DOCX, ODT, PDF, Markdown, CSV, JSON import errors):
 * every name with one of these prefixes. The browser never needs them, and because a language's
 * messages reach the page as one module, each would cost every phone bytes.
 * `server-only-messages.spec.ts` fails when browser code uses one.
 */
export const SERVER_ONLY_MESSAGES =
	/^(export|consent_export|glossary_export|anon_export|sessions_csv)_/;

/**
 * A compiled language module (`messages/<locale>.js`: a preamble, then one `export const name = …`
 * per message) without the server-only messages.
 */
export function withoutServerOnly(code: string): string {
	const parts = code.split(/\n(?=export const )/);
	const kept = parts.filter((part, i) => {
		if (i === 0) return true;
		const name = /^export const ([A-Za-z0-9_]+)/.exec(part)?.[1];
		return !name || !SERVER_ONLY_MESSAGES.test(name);
	});
	return kept.join('\n');
}
