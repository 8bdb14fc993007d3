/**
 * `GET /healthz` for a load balancer (issue 12 item 7): does this node reach its database, and Redis
 * when several nodes share one? No login, no private data, two cheap questions. Served by
 * server/http.ts (production, server tests) and server/vite-plugin.ts (development).
 *
 * 200 `{"status":"ok","database":"ok","redis":"ok"}` (`"redis":"not configured"` on a single node);
 * 503 with `"status":"unavailable"` and `"unavailable"` at what failed. Nothing about the failure
 * itself is said (a Redis URL may hold a password); the node's log has it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../src/lib/server/context.ts';
import type { Bus } from '../src/lib/server/bus/bus.ts';

export const HEALTH_PATH = '/healthz';

type Part = 'ok' | 'unavailable';

export interface HealthReport {
	status: Part;
	database: Part;
	redis: Part | 'not configured';
}

export interface HealthDeps {
	app: Pick<AppContext, 'pingDatabase'>;
	/** The bus when it runs over Redis (`KOMPAS_REDIS_URL`); null on a single node. */
	redis: Pick<Bus, 'ping'> | null;
	/** A check that takes longer counts as failed (ms, default 2000). */
	timeoutMs?: number;
}

/** Resolves true when `check` resolves within `timeoutMs`, false when it fails or takes longer. */
function answers(check: () => Promise<void>, timeoutMs: number): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		timer.unref();
		check().then(
			() => {
				clearTimeout(timer);
				resolve(true);
			},
			() => {
				clearTimeout(timer);
				resolve(false);
			}
		);
	});
}

export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
	const timeoutMs = deps.timeoutMs ?? 2000;
	const bus = deps.redis;
	const [database, redis] = await Promise.all([
		answers(() => deps.app.pingDatabase(), timeoutMs),
		bus ? answers(() => bus.ping(), timeoutMs) : Promise.resolve(null)
	]);
	const report: HealthReport = {
		status: database && redis !== false ? 'ok' : 'unavailable',
		database: database ? 'ok' : 'unavailable',
		redis: redis === null ? 'not configured' : redis ? 'ok' : 'unavailable'
	};
	return report;
}

/** Answers a `/healthz` request (any method; HEAD gets no body). */
export async function serveHealth(
	deps: HealthDeps,
	req: IncomingMessage,
	res: ServerResponse
): Promise<void> {
	const report = await checkHealth(deps);
	res.writeHead(report.status === 'ok' ? 200 : 503, {
		'content-type': 'application/json',
		'cache-control': 'no-store'
	});
	res.end(req.method === 'HEAD' ? undefined : JSON.stringify(report));
}
