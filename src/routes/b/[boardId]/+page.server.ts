import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { liveSessionsOf, PARTICIPANT_COOKIE } from '$lib/server/live-sessions';
import { requireTrajectory } from '$lib/server/guard';

/**
 * A minimal board page so that joining ends somewhere real: it tells who you are on this board.
 * The live board itself replaces this page.
 */
export const load: PageServerLoad = ({ locals, url, params, cookies }) => {
	const liveSessions = liveSessionsOf(locals.app);
	const board = liveSessions.board(params.boardId);
	if (!board) error(404, { message: 'not-found' });
	const onBoard = liveSessions
		.listForTheme(board.themeId)
		.filter((s) => s.boardId === board.boardId);

	const token = cookies.get(PARTICIPANT_COOKIE);
	const participant = token ? liveSessions.participants.authenticate(token) : null;
	if (participant && participant.boardId === board.boardId) {
		const session = liveSessions.get(participant.liveSessionId);
		return {
			viewer: 'participant' as const,
			participant: {
				id: participant.id,
				name: participant.name,
				organisation: participant.organisation,
				perspective: participant.perspective
			},
			session: session ? { title: session.title, status: session.status } : null,
			board: { themeName: board.themeName, cycle: board.cycle }
		};
	}
	if (!locals.user) redirect(303, '/join');
	const { role } = requireTrajectory(locals, url, board.trajectoryId, 'board.view');
	const session = onBoard.find((s) => s.status === 'live') ?? onBoard[0] ?? null;
	return {
		viewer: 'member' as const,
		role,
		session: session ? { title: session.title, status: session.status } : null,
		board: { themeName: board.themeName, cycle: board.cycle }
	};
};
