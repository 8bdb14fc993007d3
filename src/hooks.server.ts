import type { Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { getTextDirection } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getAppContext } from '$lib/server/context';
import { SESSION_COOKIE } from '$lib/server/auth';
import { setSessionCookie } from '$lib/server/cookies';

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
	const app = getAppContext();
	event.locals.app = app;
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = app.sessions.validate(token);
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

/** Security headers that the CSP in svelte.config.js does not cover. */
const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (!dev && event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle: Handle = sequence(handleLocale, handleAuth, handleHeaders);
