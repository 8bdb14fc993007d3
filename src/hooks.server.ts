import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { getTextDirection } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getAppContext } from '$lib/server/context';
import { SESSION_COOKIE } from '$lib/server/auth';
import { setSessionCookie } from '$lib/server/cookies';
import { m } from '$lib/paraglide/messages.js';

/** Resolves the language (cookie, else Dutch) and writes it into <html lang>. */
const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html
					.replace('%paraglide.lang%', locale)
					.replace('%paraglide.dir%', getTextDirection(locale))
		});
	});

/** Fills `locals.user` and `locals.session` from the session cookie, renewing it when it slid. */
const handleAuth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	let app, result;
	try {
		// A context that could not open its database (PostgreSQL away at startup) is tried again.
		app = await getAppContext();
		event.locals.app = app;
		result = token ? await app.sessions.validate(token) : null;
	} catch (error) {
		// Before any page runs, so no error page either: the maintenance message as plain text.
		if (!storageUnavailable(error)) throw error;
		console.error('Kompas: storage unavailable:', (error as Error).message);
		return new Response(m.error_maintenance_text(), {
			status: 503,
			headers: {
				'content-type': 'text/plain; charset=utf-8',
				'retry-after': String(MAINTENANCE_RETRY_SECONDS)
			}
		});
	}
	if (token) {
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event.cookies, app, token, result.session.expiresAt);
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

/**
 * The database (or update store) cannot be reached: `StorageUnavailableError`, thrown by the
 * SQLite driver and the PostgreSQL adapters. Recognised by name, because the SvelteKit bundle and
 * `server/` load separate copies of the class.
 */
function storageUnavailable(error: unknown): boolean {
	for (let at = error, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++)
		if (at.name === 'StorageUnavailableError') return true;
	return false;
}

/**
 * Unexpected errors: logged, shown as "something went wrong". When the storage cannot be reached the
 * page says so in plain words (+error.svelte: "Kompas is even niet bereikbaar door onderhoud…") and
 * `handleHeaders` answers 503 with Retry-After, so nobody thinks their work is lost.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (storageUnavailable(error)) {
		event.locals.storageUnavailable = true;
		console.error(`Kompas: ${event.url.pathname}: storage unavailable:`, (error as Error).message);
		return { message: 'storage unavailable', maintenance: true };
	}
	if (status >= 500) console.error(error);
	return { message };
};

/** Seconds a client is asked to wait before trying again while the storage is away. */
const MAINTENANCE_RETRY_SECONDS = 60;

/** Security headers that the CSP in svelte.config.js does not cover; 503 while the storage is away. */
const handleHeaders: Handle = async ({ event, resolve }) => {
	let response = await resolve(event);
	if (event.locals.storageUnavailable && response.status === 500) {
		response = new Response(response.body, {
			status: 503,
			statusText: 'Service Unavailable',
			headers: response.headers
		});
		response.headers.set('Retry-After', String(MAINTENANCE_RETRY_SECONDS));
	}
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (!dev && event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle: Handle = sequence(handleLocale, handleAuth, handleHeaders);
