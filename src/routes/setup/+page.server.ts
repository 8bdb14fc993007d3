import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUp } from '$lib/server/sign-up';

/** First run: while there is no account at all, the first visitor creates the first facilitator. */
export const load: PageServerLoad = async ({ locals }) => {
	if ((await locals.app.users.count()) > 0) redirect(303, locals.user ? '/trajectories' : '/login');
	return {};
};

export const actions: Actions = {
	default: async ({ request, locals, cookies }) => {
		const { app } = locals;
		if ((await app.users.count()) > 0) redirect(303, '/login');
		// Checked again inside the write, with new accounts held off until it ends: of two
		// simultaneous first visitors only one becomes admin (also on two nodes).
		const result = await signUp(app, request, cookies, async (create, tx) =>
			(await app.users.count(tx, true)) === 0 ? create('facilitator') : null
		);
		if (result.ok) redirect(303, '/trajectories/new');
		if ('refused' in result) redirect(303, '/login');
		return fail(400, { values: result.values, problems: result.problems });
	}
};
