import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { login } from '$lib/server/auth';
import { setSessionCookie } from '$lib/server/cookies';
import { FormReader } from '$lib/server/forms';
import { clientAddress, localPath } from '$lib/server/request';

/** Where to go after login: only a local path, never another site. */
const safeNext = (next: string | null): string => localPath(next, '/trajectories');

export const load: PageServerLoad = async ({ locals, url }) => {
	if ((await locals.app.users.count()) === 0) redirect(303, '/setup');
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { loggedOut: url.searchParams.has('uitgelogd') };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const form = new FormReader(await request.formData());
		const email = form.text('email', { max: 254 });
		const password = form.password('password');
		if (!email || !password) return fail(400, { email, error: 'invalid' as const });
		const result = await login(locals.app, {
			email,
			password,
			ip: clientAddress(event),
			userAgent: request.headers.get('user-agent') ?? ''
		});
		if (!result.ok)
			return fail(result.reason === 'rate-limited' ? 429 : 400, {
				email,
				error: result.reason,
				retryAfterMinutes:
					result.reason === 'rate-limited'
						? Math.max(1, Math.ceil(result.retryAfterSeconds / 60))
						: 0
			});
		setSessionCookie(cookies, locals.app, result.token, result.expiresAt);
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
