import type { Cookies } from '@sveltejs/kit';
import type { AppContext } from './context.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, Path=/. */
export function setSessionCookie(
	cookies: Cookies,
	app: AppContext,
	token: string,
	expiresAt: Date
): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: app.config.secureCookies,
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}
