import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AppContext } from '../src/lib/server/context.ts';
import { HEALTH_PATH, serveHealth, type HealthDeps } from './health.ts';

/** A Node/Connect-style request handler, like adapter-node's `build/handler.js`. */
export type RequestHandler = (
	req: IncomingMessage,
	res: ServerResponse,
	next?: (error?: unknown) => void
) => void;

/** Takes over an HTTP upgrade (the realtime websocket). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface KompasServerOptions {
	app: AppContext;
	/** Serves pages; absent in server tests, which only need health and websockets. */
	handler?: RequestHandler;
	/** Handles websocket upgrades; without one every upgrade is refused with 404. */
	upgrade?: UpgradeHandler;
	/** Runs on shutdown before the database closes (flush boards). */
	beforeClose?: () => Promise<void>;
	/** What `/healthz` checks besides the database: Redis (the bus) on several nodes. */
	health?: Omit<HealthDeps, 'app'>;
}

export interface KompasServer {
	server: Server;
	listen(port: number, host?: string): Promise<AddressInfo>;
	/** Stops accepting, runs `beforeClose`, closes the database. Safe to call twice. */
	close(): Promise<void>;
}

/**
 * One HTTP server for pages, `/health` (the process runs), `/healthz` (it reaches its database and
 * Redis: for a load balancer, health.ts) and websocket upgrades on the same port. Used by the
 * production entry (server/index.ts) and by the server tests (port 0).
 */
export function createKompasServer(options: KompasServerOptions): KompasServer {
	const { app, handler, upgrade } = options;
	const server = createServer((req, res) => {
		if (req.url === '/health') {
			res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify({ ok: true }));
			return;
		}
		if (req.url === HEALTH_PATH || req.url?.startsWith(`${HEALTH_PATH}?`)) {
			serveHealth({ app, redis: null, ...options.health }, req, res).catch(() => {
				if (!res.headersSent) res.writeHead(500);
				res.end();
			});
			return;
		}
		if (!handler) {
			res.writeHead(404).end();
			return;
		}
		handler(req, res, (error) => {
			res.writeHead(error ? 500 : 404).end();
		});
	});
	server.on('upgrade', (req, socket, head) => {
		if (upgrade) return upgrade(req, socket, head);
		socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
	});

	let closing: Promise<void> | null = null;
	return {
		server,
		listen(port, host) {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					resolve(server.address() as AddressInfo);
				});
			});
		},
		close() {
			closing ??= (async () => {
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				server.closeIdleConnections();
				await options.beforeClose?.();
				server.closeAllConnections();
				await stopped;
				await app.close();
			})();
			return closing;
		}
	};
}
