import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { readTrajectoryForm } from '$lib/server/trajectory-form';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { trajectory } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'trajectory.edit'
	);
	return {
		id: trajectory.id,
		values: {
			municipality: trajectory.municipality,
			title: trajectory.title,
			description: trajectory.description,
			partners: trajectory.partners.map((p) => ({
				id: p.id,
				name: p.name,
				perspective: p.perspective
			}))
		}
	};
};

export const actions: Actions = {
	default: async ({ request, locals, url, params }) => {
		const { trajectory } = await requireTrajectory(
			locals,
			url,
			params.trajectoryId,
			'trajectory.edit'
		);
		const { input, values, problems } = readTrajectoryForm(await request.formData());
		if (Object.keys(problems).length) return fail(400, { values, problems });
		await locals.app.trajectories.update(trajectory.id, input);
		redirect(303, `/t/${trajectory.id}`);
	}
};
