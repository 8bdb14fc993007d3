import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Connect, Plugin } from 'vite';
import { getAppContext } from '../src/lib/server/context.ts';
import { linkEvents } from '../src/lib/server/bus/events-link.ts';
import { createRealtimeServer, type RealtimeServer } from './realtime/index.ts';
import { createNodeBus, nodeConfigFromEnv } from './node.ts';
import { HEALTH_PATH, serveHealth } from './health.ts';

/*
 * Vite loads this file in the config's module graph and SvelteKit's server code in another: the
 * realtime server lives on globalThis under a registered symbol (like the app context, which
 * `getAppContext` creates once and shares with SvelteKit), so a config reload or a second graph
 * never makes a second one.
 */
const SLOT = Symbol.for('kompas.realtime');
type DevNode = {
	realtime: RealtimeServer;
	redis: Awaited<ReturnType<typeof createNodeBus>> | null;
};
type Slot = { [SLOT]?: Promise<DevNode> };

/** This dev process as a node: its bus (KOMPAS_REDIS_URL, as in production), events, realtime. */
function node(): Promise<DevNode> {
	const slot = globalThis as Slot;
	// Created on the first websocket or health check, not at startup: vitest also runs configureServer.
	slot[SLOT] ??= (async () => {
		const app = await getAppContext();
		const config = nodeConfigFromEnv();
		const bus = await createNodeBus(config);
		await linkEvents(app.events, bus);
		return { realtime: createRealtimeServer({ app, bus }), redis: config.redisUrl ? bus : null };
	})();
	return slot[SLOT];
}

/** `/healthz` as in production (server/http.ts). */
const health: Connect.NextHandleFunction = (req, res: ServerResponse, next) => {
	if (req.url !== HEALTH_PATH) return next();
	node()
		.then(async ({ redis }) => serveHealth({ app: await getAppContext(), redis }, req, res))
		.catch(next);
};

/** Vite's own sockets (HMR and its ping) are left to Vite. */
const isViteSocket = (req: IncomingMessage) => {
	const protocol = req.headers['sec-websocket-protocol'];
	return protocol === 'vite-hmr' || protocol === 'vite-ping';
};

function attach(httpServer: import('node:http').Server | null | undefined): void {
	if (!httpServer) return; // middleware mode (vitest): no sockets to serve
	httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		if (isViteSocket(req) || !req.url?.startsWith('/ws/')) return;
		node().then(
			({ realtime }) => realtime.upgrade(req, socket, head),
			(error: unknown) => {
				console.error('Kompas: the realtime server could not start', error);
				socket.destroy();
			}
		);
	});
	// Store what is pending when the dev server stops (Ctrl+C, restart).
	httpServer.once(
		'close',
		() => void (globalThis as Slot)[SLOT]?.then(({ realtime }) => realtime.flush())
	);
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
			server.middlewares.use(health);
			attach(server.httpServer as import('node:http').Server | null);
		},
		configurePreviewServer(server) {
			server.middlewares.use(health);
			attach(server.httpServer as import('node:http').Server);
		}
	};
}
