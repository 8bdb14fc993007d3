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
 * `value` when it is a path on this site, else `fallback`: never an open redirect. Refuses
 * protocol-relative (`//evil`) and backslash (`/\evil`, which browsers read as `//evil`) forms.
 */
export function localPath(value: unknown, fallback: string): string {
	return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value)
		? value
		: fallback;
}
