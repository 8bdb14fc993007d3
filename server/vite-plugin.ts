import type { Plugin } from 'vite';

/**
 * Development: gives `vite dev` and `vite preview` the same process context and (from the realtime
 * issue on) the same websocket upgrade handler as the production server, on Vite's own httpServer.
 * Upgrades for Vite's HMR (`vite-hmr`, `vite-ping`) are left alone.
 */
export function kompasDevServer(): Plugin {
	return {
		name: 'kompas-dev-server',
		configureServer() {
			// The SvelteKit side creates the context lazily from the environment (getAppContext).
		}
	};
}
