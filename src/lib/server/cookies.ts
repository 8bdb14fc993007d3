import type { Cookies } from '@sveltejs/kit';
import type { AppContext } from './context.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';

/** The participant's device cookie (HttpOnly, SameSite=Lax, Path=/): participants.ts. */
export const PARTICIPANT_COOKIE = 'kompas_participant';
/** How long a device remembers its participant identity. */
export const PARTICIPANT_COOKIE_DAYS = 14;

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

/** Stores the participant token on the device: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function setParticipantCookie(cookies: Cookies, app: AppContext, token: string): void {
	cookies.set(PARTICIPANT_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: app.config.secureCookies,
		maxAge: PARTICIPANT_COOKIE_DAYS * 24 * 60 * 60
	});
}
