import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { checkNewAccount, hashPassword } from '$lib/server/auth';
import { setSessionCookie } from '$lib/server/cookies';
import { FormReader } from '$lib/server/forms';

/** First run: while there is no account at all, the first visitor creates the first facilitator. */
export const load: PageServerLoad = ({ locals }) => {
	if (locals.app.users.count() > 0) redirect(303, locals.user ? '/trajectories' : '/login');
	return {};
};

export const actions: Actions = {
	default: async ({ request, locals, cookies }) => {
		const { app } = locals;
		if (app.users.count() > 0) redirect(303, '/login');
		const form = new FormReader(await request.formData());
		const values = { name: form.text('name'), email: form.text('email', { max: 254 }) };
		const password = form.password('password');
		const problems = { ...form.problems, ...checkNewAccount(app, { ...values, password }) };
		if (Object.keys(problems).length) return fail(400, { values, problems });
		const passwordHash = await hashPassword(password);
		// Check again inside the write: of two simultaneous first visitors only one becomes admin.
		const user = app.db.transaction(() =>
			app.users.count() === 0
				? app.users.create({ ...values, passwordHash, kind: 'facilitator' })
				: null
		)();
		if (!user) redirect(303, '/login');
		const { token, session } = app.sessions.create(
			user.id,
			request.headers.get('user-agent') ?? ''
		);
		setSessionCookie(cookies, app, token, session.expiresAt);
		redirect(303, '/trajectories/new');
	}
};
