/**
 * Why the browser cannot open a board: the answer behind `GET /api/board-access/<boardId>`. A refused
 * websocket upgrade (401, 403, 404) reaches the browser only as close code 1006, which looks like a
 * lost network; before reconnecting, the board asks here and shows the right message.
 *
 * The same cookies and the same rules as the upgrade (server/realtime/access.ts); it tells a
 * stranger no more than the upgrade does (an unknown board is `not-found` there too, 404).
 * tests/server/board-access.spec.ts holds both to the same answers.
 */
import type { AppContext } from './context.ts';
import { authenticateCookieHeader, readCookie } from './auth/index.ts';
import { PARTICIPANT_COOKIE } from './cookies.ts';

export const BOARD_ACCESS = [
	'ok',
	/** A facilitator removed this participant. */
	'removed',
	/** This participant's session ended and a later session now runs on the board. */
	'session-ended',
	'not-found',
	/** No (valid) account session and no participant cookie: sign in, or join again. */
	'logged-out',
	/** Signed in or joined, but not for this board. */
	'no-access'
] as const;
export type BoardAccess = (typeof BOARD_ACCESS)[number];

/** Decides what the cookies in `cookieHeader` may do on `boardId` (see the module comment). */
export async function boardAccess(
	app: AppContext,
	cookieHeader: string | undefined,
	boardId: string
): Promise<BoardAccess> {
	const { liveSessions } = app;
	const board = await app.boards.info(boardId);
	if (!board) return 'not-found';
	const account = await safely(() => authenticateCookieHeader(app, cookieHeader));
	if (account && (await app.trajectories.roleOf(board.trajectoryId, account.user.id))) return 'ok';
	const token = await safely(() => readCookie(cookieHeader, PARTICIPANT_COOKIE));
	const participant = token ? await app.participants.byToken(token) : null;
	if (participant && participant.boardId === boardId) {
		if (participant.revoked) return 'removed';
		const session = await liveSessions.get(participant.liveSessionId);
		const laterRunning = (await liveSessions.listForTheme(board.themeId)).some(
			(s) => s.boardId === boardId && s.id !== session?.id && s.status === 'live'
		);
		if (session?.status === 'ended' && laterRunning) return 'session-ended';
		return 'ok';
	}
	return account || (participant && !participant.revoked) ? 'no-access' : 'logged-out';
}

/** A cookie that cannot be decoded counts as none. */
async function safely<T>(read: () => T | null | Promise<T | null>): Promise<T | null> {
	try {
		return await read();
	} catch (error) {
		if (error instanceof URIError) return null;
		throw error;
	}
}
