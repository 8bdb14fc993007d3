import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/guard';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	return {
		canCreate: user.kind === 'facilitator',
		trajectories: (await locals.app.trajectories.listFor(user.id)).map((t) => ({
			id: t.id,
			title: t.title,
			municipality: t.municipality,
			role: t.role,
			themeCount: t.themeCount,
			archived: t.archivedAt !== null
		}))
	};
};
