import type { RequestEvent } from '@sveltejs/kit';

/** The client's address for rate limits; never throws (tests and proxies may not give one). */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
