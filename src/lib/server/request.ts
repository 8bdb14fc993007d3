import type { RequestEvent } from '@sveltejs/kit';

/** The client's address for rate limits; never throws (tests and proxies may not give one). */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

/**
 * What join-code misses are counted on. A signed-in account is counted on its own (accounts come by
 * invitation only, so nobody can make more of them to guess faster); everyone else on the address,
 * because anyone can make participant identities. Hits are never counted (lookupJoinCode), so a
 * venue of 400 people behind one Wi-Fi address can all join.
 */
export function joinAttemptKey(
	event: Pick<RequestEvent, 'getClientAddress'> & { locals: { user: { id: string } | null } }
): string {
	return event.locals.user ? `user:${event.locals.user.id}` : `ip:${clientAddress(event)}`;
}

/**
 * `value` when it is a path on this site, else `fallback`: never an open redirect. Refuses
 * protocol-relative (`//evil`) and backslash (`/\evil`, which browsers read as `//evil`) forms.
 */
export function localPath(value: unknown, fallback: string): string {
	return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value)
		? value
		: fallback;
}
