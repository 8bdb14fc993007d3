import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUp } from '$lib/server/sign-up';
import type { AppContext } from '$lib/server/context';
import type { Invitation } from '$lib/server/invitations';

/** Gives the invited person what the invitation promises: membership, and facilitator rights. */
function grant(app: AppContext, invitation: Invitation, userId: string): void {
	if (invitation.role === 'facilitator') app.users.promoteToFacilitator(userId);
	if (invitation.trajectoryId)
		app.trajectories.members.add(invitation.trajectoryId, userId, invitation.role);
}

const destination = (invitation: Invitation) =>
	invitation.trajectoryId ? `/t/${invitation.trajectoryId}` : '/trajectories';

export const load: PageServerLoad = ({ params, locals }) => {
	const { state, invitation } = locals.app.invitations.check(params.token);
	if (state !== 'valid' || !invitation) return { state };
	const trajectory = invitation.trajectoryId
		? locals.app.trajectories.get(invitation.trajectoryId)
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
		const { state, invitation } = app.invitations.check(params.token);
		if (state !== 'valid' || !invitation) error(410, { message: state });
		// The account and the use of the invitation are one write: a used invitation creates nobody.
		const result = await signUp(app, request, cookies, (create) => {
			if (app.invitations.check(params.token).state !== 'valid') return null;
			const created = create(invitation.role);
			if (!app.invitations.consume(params.token, created.id)) throw new Error('invitation-used');
			grant(app, invitation, created.id);
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
	accept: ({ params, locals, url }) => {
		const { app } = locals;
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
		const { state, invitation } = app.invitations.check(params.token);
		if (state !== 'valid' || !invitation) error(410, { message: state });
		const userId = locals.user.id;
		const used = app.atomically(() => {
			if (!app.invitations.consume(params.token, userId)) return false;
			grant(app, invitation, userId);
			return true;
		});
		if (!used) error(410, { message: 'used' });
		redirect(303, destination(invitation));
	}
};
