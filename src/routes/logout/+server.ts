import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { clearSessionCookie } from '$lib/server/cookies';

/** Ends this session. POST only (a link must not log anyone out). */
export const POST: RequestHandler = async ({ locals, cookies }) => {
	if (locals.session) await locals.app.sessions.invalidate(locals.session.id);
	clearSessionCookie(cookies);
	redirect(303, '/login?uitgelogd');
};
