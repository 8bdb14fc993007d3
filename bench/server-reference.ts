/**
 * The reference server: y-websocket@2.1.0's `bin/utils.cjs` (`setupWSConnection`) on a plain `ws`
 * server, memory only (as `npx y-websocket` runs without YPERSISTENCE). Same yjs, ws and Node as
 * Kompas. Start: `node --expose-gc --import tsx bench/server-reference.ts`.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';
import { serverStats, statsPath, type ServerReady } from './shared.ts';

const require = createRequire(import.meta.url);
const utils = require('y-websocket-v2/bin/utils') as {
	setupWSConnection(conn: unknown, req: unknown, options?: { docName?: string }): void;
	docs: Map<string, unknown>;
};

const wss = new WebSocketServer({ noServer: true });
const server = createServer((req, res) => {
	const stats = statsPath(req.url);
	if (stats) {
		res
			.writeHead(200, { 'content-type': 'application/json' })
			.end(JSON.stringify(serverStats(utils.docs.size, stats.gc, stats.resetLoop)));
		return;
	}
	res.writeHead(404).end();
});
server.on('upgrade', (req, socket, head) => {
	wss.handleUpgrade(req, socket, head, (ws) => utils.setupWSConnection(ws, req));
});
server.listen(0, '127.0.0.1', () => {
	const address = server.address() as { port: number };
	const ready: ServerReady = {
		port: address.port,
		cookie: '',
		boards: Array.from({ length: 100 }, (_, i) => `refboard${i}.1`),
		churnBoards: Array.from({ length: 1000 }, (_, i) => `churn${i}.1`)
	};
	process.stdout.write(`${JSON.stringify(ready)}\n`);
});
