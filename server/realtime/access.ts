/**
 * Who may open which room: the identity checks of the upgrade, before any Yjs message. Uses the same
 * auth functions as the SvelteKit hooks (src/lib/server/auth), the participant cookie (cookies.ts)
 * and the app's repositories for themes, membership and participants; no SQL of its own.
 *
 * - shared board `/ws/board/<boardId>`: members of the theme's trajectory (facilitator, observer),
 *   and participants whose live session runs on this board;
 * - private room `/ws/private/<boardId>/<participantId>`: that participant, and facilitators of the
 *   trajectory (only for a participant of this board); never observers.
 */
import type { AppContext } from '../../src/lib/server/context.ts';
import { authenticateCookieHeader, readCookie } from '../../src/lib/server/auth/index.ts';
import { PARTICIPANT_COOKIE } from '../../src/lib/server/cookies.ts';
import { parseBoardId } from '../../src/lib/domain/ids.ts';
import type { Identity, RoomAddress } from './types.ts';

export type Access =
	{ ok: true; identity: Identity } | { ok: false; status: 401 | 403 | 404; reason: string };

const ID = '[A-Za-z0-9_-]{1,64}';
const BOARD_PATH = new RegExp(`^/ws/board/(${ID}\\.[1-9][0-9]{0,3})$`);
const PRIVATE_PATH = new RegExp(`^/ws/private/(${ID}\\.[1-9][0-9]{0,3})/(${ID})$`);

/** Parses a websocket path into a room address; null when it names no room. */
export function parseRoomPath(pathname: string): RoomAddress | null {
	const board = BOARD_PATH.exec(pathname);
	const priv = board ? null : PRIVATE_PATH.exec(pathname);
	const boardId = board?.[1] ?? priv?.[1];
	const parsed = boardId ? parseBoardId(boardId) : null;
	if (!boardId || !parsed) return null;
	return priv
		? { kind: 'private', boardId, ...parsed, participantId: priv[2] }
		: { kind: 'board', boardId, ...parsed };
}

/**
 * Checks the `Origin` header: it must equal the configured public origin, or, when none is
 * configured, the origin of the `Host` the request came to. A missing Origin is refused.
 */
export function originAllowed(
	app: AppContext,
	origin: string | undefined,
	host: string | undefined
): boolean {
	if (!origin) return false;
	if (app.config.origin) return origin === app.config.origin;
	try {
		return host !== undefined && new URL(origin).host === host;
	} catch {
		return false;
	}
}

/** A cookie that cannot be decoded (bad percent-encoding) counts as no cookie. */
async function orNull<T>(read: () => T | null | Promise<T | null>): Promise<T | null> {
	try {
		return await read();
	} catch (error) {
		if (error instanceof URIError) return null;
		throw error;
	}
}

/**
 * Decides who is behind the request's cookies and whether they may open `address`. Every read is
 * awaited (the repositories are synchronous on SQLite today and async on Kysely/PostgreSQL).
 */
export async function resolveAccess(
	app: AppContext,
	cookieHeader: string | undefined,
	address: RoomAddress
): Promise<Access> {
	const theme = await app.trajectories.themes.get(address.themeId);
	if (!theme) return { ok: false, status: 404, reason: 'unknown board' };
	const { trajectoryId } = theme;

	let identity: Identity | null = null;
	let foreign = false;
	const account = await orNull(() => authenticateCookieHeader(app, cookieHeader));
	if (account) {
		const role = await app.trajectories.roleOf(trajectoryId, account.user.id);
		if (role)
			identity = {
				kind: 'account',
				userId: account.user.id,
				name: account.user.name,
				role,
				trajectoryId
			};
		else foreign = true;
	}
	if (!identity) {
		const token = await orNull(() => readCookie(cookieHeader, PARTICIPANT_COOKIE));
		const participant = token ? await app.participants.authenticate(token) : null;
		if (participant && participant.boardId === address.boardId)
			identity = {
				kind: 'participant',
				participantId: participant.id,
				liveSessionId: participant.liveSessionId,
				name: participant.name,
				perspective: participant.perspective,
				role: 'participant',
				trajectoryId
			};
		else if (participant) foreign = true;
	}
	if (!identity)
		return foreign
			? { ok: false, status: 403, reason: 'not on this board' }
			: { ok: false, status: 401, reason: 'not signed in' };

	if (address.kind === 'private') {
		if (identity.kind === 'participant') {
			if (identity.participantId !== address.participantId)
				return { ok: false, status: 403, reason: 'not your private room' };
		} else {
			if (identity.role !== 'facilitator')
				return { ok: false, status: 403, reason: 'observers see no private input' };
			if (!(await app.participants.onBoard(address.participantId, address.boardId)))
				return { ok: false, status: 404, reason: 'unknown participant' };
		}
	}
	return { ok: true, identity };
}
