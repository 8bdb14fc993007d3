import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { FormReader } from '$lib/server/forms';
import { deleteTrajectory } from '$lib/server/boards';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { trajectory } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'trajectory.delete'
	);
	return { id: trajectory.id, title: trajectory.title };
};

export const actions: Actions = {
	/** Deletes only when the exact title was typed: a deliberate, typed confirmation. */
	default: async ({ request, locals, url, params }) => {
		const { trajectory } = await requireTrajectory(
			locals,
			url,
			params.trajectoryId,
			'trajectory.delete'
		);
		const form = new FormReader(await request.formData());
		const typed = form.text('confirm', { max: 200, required: false });
		if (typed !== trajectory.title)
			return fail(400, {
				typed,
				problem: { code: 'confirm-mismatch' as const, expected: trajectory.title }
			});
		// Close the boards' sockets first, so that no update arrives after the data is gone.
		locals.app.events.emit('trajectoryDeleted', { trajectoryId: trajectory.id });
		await deleteTrajectory(locals.app, trajectory);
		redirect(303, '/trajectories?verwijderd');
	}
};
