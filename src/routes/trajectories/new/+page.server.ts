import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireFacilitatorAccount } from '$lib/server/guard';
import { readTrajectoryForm } from '$lib/server/trajectory-form';

export const load: PageServerLoad = ({ locals, url }) => {
	requireFacilitatorAccount(locals, url);
	return {};
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const user = requireFacilitatorAccount(locals, url);
		const { input, values, problems } = readTrajectoryForm(await request.formData());
		if (Object.keys(problems).length) return fail(400, { values, problems });
		const trajectory = await locals.app.trajectories.create(user.id, input);
		redirect(303, `/t/${trajectory.id}`);
	}
};
