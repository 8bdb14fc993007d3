import { availableParallelism } from 'node:os';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { sveltekit } from '@sveltejs/kit/vite';
import { kompasDevServer } from './server/vite-plugin.ts';
import { localeSplit } from './server/vite-locale-split.ts';

export default defineConfig({
	plugins: [
		sveltekit(),
		// Vitest uses the messages compiled by `npm run i18n` (run by prepare, check and build): the
		// plugin's compiler keeps handles open that stop Vitest's workers from exiting.
		...(process.env.VITEST
			? []
			: [
					paraglideVitePlugin({
						project: './project.inlang',
						outdir: './src/lib/paraglide',
						strategy: ['cookie', 'baseLocale'],
						emitTsDeclarations: true,
						// One module per language, so the browser loads only its own (localeSplit).
						outputStructure: 'locale-modules'
					}),
					localeSplit({ locales: ['nl', 'en'], baseLocale: 'nl' })
				]),
		kompasDevServer()
	],
	server: {
		// Build outputs of parallel runs and the database are not sources.
		watch: { ignored: ['**/.out/**', '**/data/**', '**/bench/results/**'] }
	},
	test: {
		expect: { requireAssertions: true },
		// Vitest's default is one worker fewer than cores: one on a 2-core CI machine, which then
		// waits on every server test's sockets and databases with a core idle. With two the whole
		// run took 195 s, against 282 s with one in the CI run before; three were no faster.
		maxWorkers: Math.max(availableParallelism() - 1, 2),
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					// A hang guard, not a speed check: exports start a WebAssembly renderer for figures,
					// which takes seconds on a busy two-core CI machine.
					testTimeout: 20_000,
					include: ['src/**/*.spec.ts', 'server/**/*.spec.ts', 'bench/**/*.spec.ts'],
					exclude: ['src/**/*.svelte.spec.ts']
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'server',
					environment: 'node',
					include: ['tests/server/**/*.spec.ts'],
					// One PostgreSQL per run for the specs that run on it too (helpers/backends.ts).
					globalSetup: ['tests/services/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 30_000
				}
			}
		]
	}
});
