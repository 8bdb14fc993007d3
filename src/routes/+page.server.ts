import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if ((await locals.app.users.count()) === 0) redirect(303, '/setup');
	if (locals.user) redirect(303, '/trajectories');
	return {};
};
