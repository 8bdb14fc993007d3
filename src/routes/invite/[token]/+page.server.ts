import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUp } from '$lib/server/sign-up';
import type { AppContext, Tx } from '$lib/server/context';
import type { Invitation } from '$lib/server/invitations';

/** Gives the invited person what the invitation promises: membership, and facilitator rights. */
async function grant(
	app: AppContext,
	invitation: Invitation,
	userId: string,
	tx: Tx
): Promise<void> {
	if (invitation.role === 'facilitator') await app.users.promoteToFacilitator(userId, tx);
	if (invitation.trajectoryId)
		await app.trajectories.members.add(invitation.trajectoryId, userId, invitation.role, tx);
}

const destination = (invitation: Invitation) =>
	invitation.trajectoryId ? `/t/${invitation.trajectoryId}` : '/trajectories';

export const load: PageServerLoad = async ({ params, locals }) => {
	const { state, invitation } = await locals.app.invitations.check(params.token);
	if (state !== 'valid' || !invitation) return { state };
	const trajectory = invitation.trajectoryId
		? await locals.app.trajectories.get(invitation.trajectoryId)
		: null;
	return {
		state,
		role: invitation.role,
		trajectory: trajectory
			? { title: trajectory.title, municipality: trajectory.municipality }
			: null,
		signedInAs: locals.user?.name ?? null
	};
};

export const actions: Actions = {
	/** A new person: create the account and use the invitation in one go. */
	create: async ({ params, request, locals, cookies }) => {
		const { app } = locals;
		const { state, invitation } = await app.invitations.check(params.token);
		if (state !== 'valid' || !invitation) error(410, { message: state });
		// The account and the use of the invitation are one write: a used invitation creates nobody.
		const result = await signUp(app, request, cookies, async (create, tx) => {
			if ((await app.invitations.check(params.token, tx)).state !== 'valid') return null;
			const created = await create(invitation.role);
			if (!(await app.invitations.consume(params.token, created.id, tx)))
				throw new Error('invitation-used');
			await grant(app, invitation, created.id, tx);
			return created;
		}).catch((e: unknown) => {
			if (e instanceof Error && e.message === 'invitation-used') error(410, { message: 'used' });
			throw e;
		});
		if (result.ok) redirect(303, destination(invitation));
		if ('refused' in result) error(410, { message: 'used' });
		return fail(400, { values: result.values, problems: result.problems });
	},

	/** Someone already signed in takes the invitation with their account. */
	accept: async ({ params, locals, url }) => {
		const { app } = locals;
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const { state, invitation } = await app.invitations.check(params.token);
		if (state !== 'valid' || !invitation) error(410, { message: state });
		const userId = locals.user.id;
		const used = await app.atomically(async (tx) => {
			if (!(await app.invitations.consume(params.token, userId, tx))) return false;
			await grant(app, invitation, userId, tx);
			return true;
		});
		if (!used) error(410, { message: 'used' });
		redirect(303, destination(invitation));
	}
};
