import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { checkNewPassword, hashPassword, verifyPassword } from '$lib/server/auth';
import { PASSWORD_MAX_LENGTH } from '$lib/server/auth/passwords';
import { clearSessionCookie } from '$lib/server/cookies';
import { FormReader, type Problems } from '$lib/server/forms';
import { requireFacilitatorAccount, requireUser } from '$lib/server/guard';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const current = locals.session?.id;
	return {
		account: { name: user.name, email: user.email, kind: user.kind },
		sessions: (await locals.app.sessions.list(user.id)).map((s) => ({
			id: s.id.slice(0, 8),
			createdAt: s.createdAt,
			userAgent: s.userAgent,
			current: s.id === current
		}))
	};
};

export const actions: Actions = {
	password: async ({ request, locals, url }) => {
		const user = requireUser(locals, url);
		const form = new FormReader(await request.formData());
		const current = form.password('current');
		const next = form.password('password');
		const record = await locals.app.users.byId(user.id);
		if (!record || !(await verifyPassword(record.passwordHash, current)))
			return fail(400, { passwordProblems: { current: { code: 'password-wrong' } } as Problems });
		const problem = checkNewPassword(next);
		if (problem)
			return fail(400, {
				passwordProblems: {
					password:
						problem === 'too-short'
							? { code: 'too-short' }
							: { code: 'too-long', max: PASSWORD_MAX_LENGTH }
				} as Problems
			});
		await locals.app.users.setPassword(user.id, await hashPassword(next));
		// Someone who knew the old password is logged out everywhere else.
		await locals.app.sessions.invalidateAll(user.id, locals.session?.id);
		return { passwordChanged: true };
	},

	logoutEverywhere: async ({ locals, url, cookies }) => {
		const user = requireUser(locals, url);
		await locals.app.sessions.invalidateAll(user.id);
		locals.app.events.emit('accessRevoked', { userId: user.id, trajectoryId: null });
		clearSessionCookie(cookies);
		redirect(303, '/login?uitgelogd');
	},

	inviteFacilitator: async ({ locals, url }) => {
		const user = requireFacilitatorAccount(locals, url);
		const { token } = await locals.app.invitations.create({
			trajectoryId: null,
			role: 'facilitator',
			createdBy: user.id
		});
		return { inviteLink: new URL(`/invite/${token}`, locals.app.config.origin ?? url.origin).href };
	}
};
