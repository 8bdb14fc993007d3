import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { lookupJoinCode } from '$lib/server/join-codes';
import { joinAttemptKey } from '$lib/server/request';

export const load: PageServerLoad = ({ url }) => ({
	code: (url.searchParams.get('code') ?? '').slice(0, 20),
	/** Just left a board ("Verlaten"): say that nothing stayed on this device. */
	left: url.searchParams.has('verlaten'),
	/** A board whose copy this device should delete (its participant identity is gone). */
	forget: /^[A-Za-z0-9_-]{1,64}\.[0-9]{1,4}$/.test(url.searchParams.get('vergeten') ?? '')
		? url.searchParams.get('vergeten')
		: null
});

export const actions: Actions = {
	default: async (event) => {
		const raw = (await event.request.formData()).get('code');
		const code = typeof raw === 'string' ? raw.trim().slice(0, 20) : '';
		const result = await lookupJoinCode(
			{
				liveSessions: event.locals.app.liveSessions,
				limiter: event.locals.app.limits.joinPerIp
			},
			code,
			joinAttemptKey(event)
		);
		if (!result.ok)
			return fail(result.reason === 'rate-limited' ? 429 : 400, {
				code,
				error: result.reason,
				retryAfterSeconds: result.reason === 'rate-limited' ? result.retryAfterSeconds : 0
			});
		redirect(303, `/join/${result.session.joinCode}`);
	}
};
