/**
 * The app context as the realtime server sees it when its repositories are async (Kysely on SQLite
 * or PostgreSQL, issue 12): every method of `sessions`, `trajectories` (with `themes`, `members`,
 * `glossary`), `liveSessions`, `participants`, `boards` and `clientOwners` answers in a later
 * macrotask, as a query over a network does, so that other requests, client messages and timers
 * run while the realtime server waits. The work itself runs when the promise settles (a write
 * "commits" then), so a test can give a call a longer delay and see whether the server keeps
 * order. The realtime server only awaits; the test keeps the synchronous context for its fixtures.
 */
import type { AppContext } from '../../../src/lib/server/context.ts';

/** How long the call number `call` (0, 1, …) of `path` (e.g. `trajectories.glossary.saveTerm`) takes. */
export type Delay = (path: string, call: number) => number;

const DEFERRED = [
	'sessions',
	'trajectories',
	'liveSessions',
	'participants',
	'boards',
	'clientOwners'
];

export function deferRepositories(app: AppContext, delay: Delay = () => 0): AppContext {
	const calls = new Map<string, number>();
	const wrap = (target: object, path: string): object =>
		new Proxy(target, {
			get(object, key, receiver) {
				const value: unknown = Reflect.get(object, key, receiver);
				if (typeof key !== 'string') return value;
				const name = `${path}.${key}`;
				if (typeof value === 'function')
					return (...args: unknown[]) => {
						const call = calls.get(name) ?? 0;
						calls.set(name, call + 1);
						return new Promise((resolve, reject) =>
							setTimeout(
								() => {
									try {
										resolve(value.apply(object, args));
									} catch (error) {
										reject(error);
									}
								},
								delay(name, call)
							)
						);
					};
				return value !== null && typeof value === 'object' ? wrap(value, name) : value;
			}
		});
	const deferred: Record<string, unknown> = { ...app };
	for (const key of DEFERRED) deferred[key] = wrap(app[key as keyof AppContext] as object, key);
	// The async forms' types are not AppContext's yet (h-app's switch makes them so); the realtime
	// server awaits every call, which is what this context checks.
	return deferred as unknown as AppContext;
}
