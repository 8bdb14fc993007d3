import prettier from 'eslint-config-prettier';
import path from 'node:path';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import { defineConfig, includeIgnoreFile } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';

const gitignorePath = path.resolve(import.meta.dirname, '.gitignore');

export default defineConfig(
	includeIgnoreFile(gitignorePath),
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	prettier,
	svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// typescript-eslint strongly recommend that you do not use the no-undef lint rule on TypeScript projects.
			// see: https://typescript-eslint.io/troubleshooting/faqs/eslint/#i-get-errors-from-the-no-undef-rule-about-global-variables-not-being-defined-even-though-there-are-no-typescript-errors
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser
			}
		}
	},
	{
		ignores: ['.out/', 'build/', 'src/lib/paraglide/', 'bench/results/']
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// Kompas is always served from the root (no kit.paths.base), so resolve() on every href adds
			// nothing but noise; plain paths are correct here.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	// The import rules of ARCHITECTURE.md ("Who may import what").
	{
		files: ['src/lib/domain/**'],
		// Tests may read the message files to prove every key they name exists.
		ignores: ['**/*.spec.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['../*', '$lib/*', '$app/*', '$env/*'],
							message: 'domain/ imports nothing outside itself.'
						},
						{ group: ['svelte', 'svelte/*', 'yjs', 'y-*'], message: 'domain/ is pure TypeScript.' }
					]
				}
			]
		}
	},
	{
		files: ['src/lib/board/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['../server/*', '$lib/server/*', '$app/*', '$env/*', '../components/*'],
							message: 'board/ imports only domain/ and the Yjs packages.'
						}
					]
				}
			]
		}
	},
	{
		files: ['src/lib/server/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['$app/*', '$env/*', '$lib/*'],
							message:
								'src/lib/server uses relative imports and no $app/$env, so server/ and the CLI can load it.'
						},
						{
							group: ['../../../server/*', '../../server/*'],
							message: 'src/lib/server never imports server/.'
						}
					]
				}
			]
		}
	},
	{
		files: ['src/routes/**', 'src/lib/components/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/server/realtime/*', '../../server/*'],
							message: 'Routes never import server/.'
						},
						{
							group: ['$lib/server/db/*', '**/server/db/*'],
							message:
								'Routes ask the repositories in locals.app (one owner per table), never the database.'
						}
					]
				}
			]
		}
	},
	{
		files: ['server/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/src/lib/server/db/*'],
							message:
								'server/ asks the repositories and ports of the app context (one owner per table), never the database.'
						}
					]
				}
			]
		}
	}
);
