import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { formatJoinCode } from '$lib/server/join-codes';

/**
 * The room's screen: members of the trajectory only (it is opened on the facilitator's laptop).
 * It reads the shared board only: private input never appears here before the reveal.
 */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { liveSessions } = locals.app;
	const board = await locals.app.boards.info(params.boardId);
	if (!board) error(404, { message: 'not-found' });
	const { user, role } = await requireTrajectory(locals, url, board.trajectoryId, 'board.view');
	const onBoard = (await liveSessions.listForTheme(board.themeId)).filter(
		(s) => s.boardId === board.boardId
	);
	const session = onBoard.find((s) => s.status === 'live') ?? onBoard[0] ?? null;
	let join = null;
	if (session && session.status !== 'ended' && session.joiningOpen) {
		const origin = locals.app.config.origin ?? url.origin;
		const joinUrl = `${origin}/join/${session.joinCode}`;
		const qrSvg = await QRCode.toString(joinUrl, {
			type: 'svg',
			errorCorrectionLevel: 'M',
			margin: 2,
			color: { dark: '#000000', light: '#ffffff' }
		});
		join = { joinUrl, code: formatJoinCode(session.joinCode), qrSvg };
	}
	return {
		user: { id: user.id, name: user.name, role },
		board: { boardId: board.boardId, themeName: board.themeName },
		session: session ? { title: session.title, status: session.status } : null,
		join
	};
};
