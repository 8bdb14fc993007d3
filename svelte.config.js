import adapter from '@sveltejs/adapter-node';

/**
 * KOMPAS_OUT lets parallel builds (e.g. two test runs) use their own output folders;
 * everyone else gets the defaults `.svelte-kit` and `build`.
 */
const out = process.env.KOMPAS_OUT;

/** @type {import('@sveltejs/kit').Config} */
const config = {
	compilerOptions: {
		// Force runes mode for the project, except for libraries. Can be removed in svelte 6.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		adapter: adapter({ out: out ? `${out}/build` : 'build' }),
		outDir: out ? `${out}/.svelte-kit` : '.svelte-kit',
		typescript: {
			// The production server, its tests' helpers and the benchmarks are TypeScript too: check them.
			config: (config) => {
				config.include.push('../server/**/*.ts', '../bench/**/*.ts');
				return config;
			}
		},
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
