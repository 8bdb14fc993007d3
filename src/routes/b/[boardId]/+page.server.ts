import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import type { LiveSession } from '$lib/server/live-sessions';
import { PARTICIPANT_COOKIE } from '$lib/server/cookies';
import { requireTrajectory } from '$lib/server/guard';
import type { Perspective } from '$lib/domain/roles';
import { formatJoinCode } from '$lib/server/join-codes';

/**
 * The live board. Who you are decides what you get: a participant (device cookie of a session on
 * this board) or a member of the board's trajectory (facilitator or observer). Everything else is
 * checked again by the realtime server at the websocket upgrade and on every update.
 */
/** What the board page shows of a live session. */
const sessionView = (session: LiveSession | null) =>
	session
		? {
				id: session.id,
				title: session.title,
				status: session.status,
				joiningOpen: session.joiningOpen
			}
		: null;

export const load: PageServerLoad = async ({ locals, url, params, cookies }) => {
	const { liveSessions } = locals.app;
	const board = await locals.app.boards.info(params.boardId);
	if (!board) error(404, { message: 'not-found' });
	const onBoard = (await liveSessions.listForTheme(board.themeId)).filter(
		(s) => s.boardId === board.boardId
	);
	const boardInfo = {
		boardId: board.boardId,
		themeName: board.themeName,
		cycle: board.cycle,
		trajectoryId: board.trajectoryId
	};

	const token = cookies.get(PARTICIPANT_COOKIE);
	const participant = token ? await locals.app.participants.authenticate(token) : null;
	if (participant && participant.boardId === board.boardId) {
		const session = await liveSessions.get(participant.liveSessionId);
		return {
			viewer: 'participant' as const,
			trajectoryTitle: '',
			join: null,
			user: {
				id: participant.id,
				name: participant.name,
				organisation: participant.organisation,
				perspective: participant.perspective,
				role: 'participant' as const
			},
			session: sessionView(session),
			board: boardInfo,
			participantIds: [] as string[],
			participants: [] as {
				id: string;
				name: string;
				organisation: string;
				perspective: Perspective;
			}[]
		};
	}
	// A device whose participant is gone (removed, left, or of another board) is sent to /join, which
	// deletes this board's copy on the device (a removal while it was offline left one behind).
	if (!locals.user) redirect(303, token ? `/join?vergeten=${board.boardId}` : '/join');
	const { role, user, trajectory } = await requireTrajectory(
		locals,
		url,
		board.trajectoryId,
		'board.view'
	);
	const session = onBoard.find((s) => s.status === 'live') ?? onBoard[0] ?? null;
	// Facilitators watch the private drafts of everyone who joined a session on this board, and may
	// remove the people of the current session.
	const active = async (id: string) =>
		(await locals.app.participants.list(id)).filter(
			(p) => p.revokedAt === null && p.leftAt === null
		);
	const participantIds =
		role === 'facilitator'
			? (await Promise.all(onBoard.map((s) => active(s.id)))).flat().map((p) => p.id)
			: [];
	const participants =
		role === 'facilitator' && session
			? (await active(session.id)).map((p) => ({
					id: p.id,
					name: p.name,
					organisation: p.organisation,
					perspective: p.perspective
				}))
			: [];
	// The facilitator sees how to join on the board itself, while joining is open.
	const join =
		role === 'facilitator' && session && session.status !== 'ended' && session.joiningOpen
			? {
					code: formatJoinCode(session.joinCode),
					joinUrl: `${locals.app.config.origin ?? url.origin}/join/${session.joinCode}`
				}
			: null;
	return {
		viewer: 'member' as const,
		trajectoryTitle: trajectory.title,
		join,
		user: {
			id: user.id,
			name: user.name,
			organisation: '',
			perspective: null,
			role
		},
		session: sessionView(session),
		board: boardInfo,
		participantIds,
		participants
	};
};

export const actions: Actions = {
	/**
	 * "Verlaten": the participant leaves. Their cookie stops working here and on the server (their
	 * sockets close); the browser has already deleted its copy of the board (IndexedDB).
	 */
	leave: async ({ locals, cookies }) => {
		const token = cookies.get(PARTICIPANT_COOKIE);
		if (token) await locals.app.participants.leave(token);
		cookies.delete(PARTICIPANT_COOKIE, { path: '/' });
		redirect(303, '/join?verlaten=1');
	}
};
