import type { PageServerLoad } from './$types';
import { joinInfo, requireSession } from '../session.server';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { session, trajectory } = await requireSession(locals, url, params, 'trajectory.view');
	return {
		trajectoryId: trajectory.id,
		session: {
			id: session.id,
			title: session.title,
			status: session.status,
			joiningOpen: session.joiningOpen
		},
		join: await joinInfo(locals.app, url, session.joinCode),
		participantCount: (await locals.app.participants.list(session.id)).filter((p) => !p.revokedAt)
			.length
	};
};
