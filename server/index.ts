/**
 * Production entry (`npm start`): the built SvelteKit app (adapter-node's handler) and the realtime
 * websocket on one port, with graceful shutdown on SIGTERM and SIGINT.
 *
 * Configuration (README): PORT (3000), HOST (0.0.0.0), ORIGIN, KOMPAS_DATA_DIR (./data),
 * KOMPAS_DATABASE_URL (PostgreSQL instead of SQLite), KOMPAS_RETENTION_DAYS (365),
 * KOMPAS_REDIS_URL (several nodes; node.ts), KOMPAS_PROCESSES (one process per core; processes.ts:
 * this process is then the primary that forks the nodes, and each child runs this file again).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configFromEnv, createAppContext, installAppContext } from '../src/lib/server/context.ts';
import { createKompasServer, type RequestHandler } from './http.ts';
import { createRealtimeServer } from './realtime/index.ts';
import { createNodeBus, nodeConfigFromEnv } from './node.ts';
import {
	childIndex,
	processCountFromEnv,
	serveHandedConnections,
	startPrimary
} from './processes.ts';
import { linkEvents } from '../src/lib/server/bus/events-link.ts';
import {
	anonymiseExpired,
	DEFAULT_RETENTION_DAYS,
	startRetentionJob
} from '../src/lib/server/retention.ts';

const buildDir = resolve(process.env.KOMPAS_OUT ? join(process.env.KOMPAS_OUT, 'build') : 'build');
const handlerPath = join(buildDir, 'handler.js');
if (!existsSync(handlerPath)) {
	console.error(
		`Kompas: no build found at ${buildDir}. Run "npm run build" first (npm start does).`
	);
	process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
const processCount = processCountFromEnv();
const index = childIndex();
if (processCount > 1 && index === null) {
	// The primary: it holds the port and hands each connection to a child (processes.ts).
	const primary = await startPrimary({
		count: processCount,
		entry: new URL(import.meta.url).pathname,
		port,
		host
	});
	console.log(
		`Kompas draait op http://${shown}:${primary.address.port} (${processCount} processen, Node ${process.versions.node})`
	);
	stopOnSignal(() => primary.close());
} else await serveNode();

async function serveNode() {
	const config = configFromEnv();
	const app = await createAppContext(config);
	installAppContext(app);

	const { handler } = (await import(pathToFileURL(handlerPath).href)) as {
		handler: RequestHandler;
	};
	const nodeConfig = nodeConfigFromEnv();
	const bus = await createNodeBus(nodeConfig);
	// App events (participant removed, session ended, …) reach every node, and theirs reach this one.
	const unlinkEvents = await linkEvents(app.events, bus);
	const realtime = createRealtimeServer({ app, bus });
	const kompas = createKompasServer({
		app,
		handler,
		upgrade: realtime.upgrade,
		health: { redis: nodeConfig.redisUrl ? bus : null },
		// Close sockets, store and compact every loaded board before the database closes.
		beforeClose: async () => {
			retention.stop();
			await retention.running();
			await realtime.close();
			await unlinkEvents();
			await bus.close();
		}
	});

	// Retention (README: Privacy): anonymise participants of trajectories idle for KOMPAS_RETENTION_DAYS.
	// Idempotent: every node runs it, the children of KOMPAS_PROCESSES too.
	const retention = startRetentionJob({
		run: async () => {
			const done = await anonymiseExpired({
				app,
				docs: { list: realtime.listDocs, edit: realtime.editDoc },
				days: config.retentionDays ?? DEFAULT_RETENTION_DAYS,
				now: app.now
			});
			if (done.participants > 0)
				console.log(
					`Kompas: ${done.participants} deelnemers geanonimiseerd in ${done.trajectories.length} trajecten`
				);
		},
		onError: (error) => console.error('Kompas: bewaartermijn-taak mislukt', error)
	});

	if (index !== null) {
		// A child: the primary listens and hands connections over.
		serveHandedConnections(kompas.server, () => kompas.close());
		console.log(`Kompas: proces ${index} klaar (${databaseLine()})`);
	} else {
		const address = await kompas.listen(port, host);
		console.log(
			`Kompas draait op http://${shown}:${address.port} (${databaseLine()}, Node ${process.versions.node}${nodeConfig.redisUrl ? `, knooppunt ${bus.nodeId} via Redis` : ''})`
		);
	}

	/** Which database this node uses, for the startup line (never the password of the URL). */
	function databaseLine(): string {
		if (app.database.dialect === 'sqlite')
			return `data: ${config.dataDir}, SQLite via ${app.database.driver}`;
		const url = new URL(config.databaseUrl ?? '');
		return `PostgreSQL op ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
	}

	stopOnSignal(() => kompas.close());
}

/** SIGTERM and SIGINT run `close` once, then end the process. */
function stopOnSignal(close: () => Promise<void>) {
	let stopping = false;
	for (const signal of ['SIGTERM', 'SIGINT'] as const)
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			console.log(`Kompas: ${signal} ontvangen, bezig met afsluiten…`);
			close().then(
				() => process.exit(0),
				(error) => {
					console.error('Kompas: afsluiten mislukt', error);
					process.exit(1);
				}
			);
		});
}
