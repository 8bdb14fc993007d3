import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin } from 'vite';
import { getAppContext } from '../src/lib/server/context.ts';
import { createRealtimeServer, type RealtimeServer } from './realtime/index.ts';

/*
 * Vite loads this file in the config's module graph and SvelteKit's server code in another: the
 * realtime server lives on globalThis under a registered symbol (like the app context, which
 * `getAppContext` creates once and shares with SvelteKit), so a config reload or a second graph
 * never makes a second one.
 */
const SLOT = Symbol.for('kompas.realtime');
type Slot = { [SLOT]?: RealtimeServer };

function realtime(): RealtimeServer {
	const slot = globalThis as Slot;
	// Created on the first websocket, not at startup: vitest also runs configureServer.
	slot[SLOT] ??= createRealtimeServer({ app: getAppContext() });
	return slot[SLOT];
}

/** Vite's own sockets (HMR and its ping) are left to Vite. */
const isViteSocket = (req: IncomingMessage) => {
	const protocol = req.headers['sec-websocket-protocol'];
	return protocol === 'vite-hmr' || protocol === 'vite-ping';
};

function attach(httpServer: import('node:http').Server | null | undefined): void {
	if (!httpServer) return; // middleware mode (vitest): no sockets to serve
	httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		if (isViteSocket(req) || !req.url?.startsWith('/ws/')) return;
		realtime().upgrade(req, socket, head);
	});
	// Store what is pending when the dev server stops (Ctrl+C, restart).
	httpServer.once('close', () => void (globalThis as Slot)[SLOT]?.flush());
}

/**
 * Development: gives `vite dev` and `vite preview` the same process context and the same websocket
 * upgrade handler as the production server (server/index.ts), on Vite's own httpServer. Upgrades for
 * Vite's HMR (`vite-hmr`, `vite-ping`) and paths outside `/ws/` are left alone.
 */
export function kompasDevServer(): Plugin {
	return {
		name: 'kompas-dev-server',
		configureServer(server) {
			attach(server.httpServer as import('node:http').Server | null);
		},
		configurePreviewServer(server) {
			attach(server.httpServer as import('node:http').Server);
		}
	};
}
