/**
 * The live-session repository: sessions (bijeenkomsten) on a theme board and their reopenings
 * (tables `live_sessions` and `session_reopenings`, nobody else's SQL names them).
 *
 * The participants who join a session are participants.ts; the agenda rules are domain/agenda.ts;
 * looking a typed code up is join-codes.ts; the device cookie is cookies.ts. All of them live in
 * `AppContext` (context.ts).
 *
 * Facilitator changes that the realtime server must act on at once (joining opened or closed, the
 * session started, ended or reopened) are emitted on the process's events (events.ts).
 */
import type { Db } from './db/open.ts';
import type { Events } from './events.ts';
import { newId } from './auth/tokens.ts';
import { isJoinCode, normaliseJoinCode, uniqueJoinCode } from './join-codes.ts';
import { boardIdOf } from '../domain/ids.ts';
import { maybeDate, millis } from './db/tables.ts';
import {
	isIsoDate,
	isValidAgendaItem,
	readAgenda,
	SESSION_LIMITS,
	type AgendaItem
} from '../domain/agenda.ts';

export type LiveSessionStatus = 'planned' | 'live' | 'ended';

export interface LiveSession {
	id: string;
	trajectoryId: string;
	themeId: string;
	cycle: number;
	/** `<themeId>.<cycle>`: the board this session runs on. */
	boardId: string;
	title: string;
	/** The planned day, `YYYY-MM-DD`. */
	date: string;
	agenda: AgendaItem[];
	/** Normalised (upper case, no spaces). */
	joinCode: string;
	joiningOpen: boolean;
	status: LiveSessionStatus;
	createdBy: string | null;
	createdAt: Date;
	startedAt: Date | null;
	endedAt: Date | null;
}

/** A facilitator reopened an ended session (recorded, shown on the session page). */
export interface Reopening {
	id: string;
	liveSessionId: string;
	/** The account, or null once that account is deleted (the name stays). */
	userId: string | null;
	userName: string;
	at: Date;
	/** When the session had ended before this reopening. */
	endedAt: Date;
}

/** Why a reopening was refused. */
export type ReopenRefusal = 'not-found' | 'not-ended' | 'other-running';

export interface CreateLiveSessionInput {
	trajectoryId: string;
	themeId: string;
	title: string;
	date: string;
	agenda: AgendaItem[];
	/** Defaults to 1. */
	cycle?: number;
	createdBy?: string | null;
}

/** A `live_sessions` row; times are numbers on SQLite, strings on PostgreSQL (`bigint`). */
export interface LiveSessionRow {
	id: string;
	trajectory_id: string;
	theme_id: string;
	cycle: number;
	board_id: string;
	title: string;
	date: string;
	agenda: string;
	join_code: string;
	joining_open: number;
	created_by: string | null;
	created_at: number | string;
	started_at: number | string | null;
	ended_at: number | string | null;
}

/** The stored agenda's JSON; a damaged value reads as no agenda. */
function parseJson(json: string): unknown {
	try {
		return JSON.parse(json);
	} catch {
		return null;
	}
}

const statusOf = (row: LiveSessionRow): LiveSessionStatus =>
	row.ended_at !== null ? 'ended' : row.started_at !== null ? 'live' : 'planned';

/** A row as the domain's session (both forms of the repository). */
export const toLiveSession = (row: LiveSessionRow): LiveSession => ({
	id: row.id,
	trajectoryId: row.trajectory_id,
	themeId: row.theme_id,
	cycle: row.cycle,
	boardId: row.board_id,
	title: row.title,
	date: row.date,
	agenda: readAgenda(parseJson(row.agenda)),
	joinCode: row.join_code,
	joiningOpen: row.joining_open === 1 && row.ended_at === null,
	status: statusOf(row),
	createdBy: row.created_by,
	createdAt: new Date(millis(row.created_at)),
	startedAt: maybeDate(row.started_at),
	endedAt: maybeDate(row.ended_at)
});

function checkText(label: string, value: string, max: number): string {
	const trimmed = value.trim();
	if (!trimmed || trimmed.length > max) throw new RangeError(`${label} must be 1..${max} chars`);
	return trimmed;
}

/**
 * The columns of a new session but its id and join code (both forms of the repository).
 * @throws RangeError on an empty or too long title, a malformed date or agenda.
 */
export function newSessionRow(input: CreateLiveSessionInput, at: number) {
	const title = checkText('title', input.title, SESSION_LIMITS.title);
	if (!isIsoDate(input.date)) throw new RangeError('date must be YYYY-MM-DD');
	for (const item of input.agenda)
		if (!isValidAgendaItem(item)) throw new RangeError('invalid agenda item');
	const cycle = input.cycle ?? 1;
	return {
		trajectory_id: input.trajectoryId,
		theme_id: input.themeId,
		cycle,
		board_id: boardIdOf(input.themeId, cycle),
		title,
		date: input.date,
		agenda: JSON.stringify(input.agenda.map(({ step, minutes }) => ({ step, minutes }))),
		joining_open: 1,
		created_by: input.createdBy ?? null,
		created_at: at
	};
}

/**
 * The live-session repository. Callers authorise first (requireTrajectory with 'session.manage'
 * for every change, and check that the theme or session belongs to that trajectory).
 *
 * @param events when given, removals, joining changes and ends are emitted for the realtime server.
 */
export function createLiveSessions(
	db: Db,
	now: () => Date = () => new Date(),
	events?: Pick<Events, 'emit'>
) {
	const getRow = (id: string) =>
		db.prepare('SELECT * FROM live_sessions WHERE id = ?').get(id) as LiveSessionRow | undefined;

	const api = {
		/**
		 * Plans a session on the theme's board (cycle 1 unless given), with a fresh unique join code.
		 * @throws RangeError on an empty or too long title, a malformed date or agenda.
		 */
		create(input: CreateLiveSessionInput): LiveSession {
			const row = newSessionRow(input, now().getTime());
			const id = newId();
			const codeTaken = (code: string) =>
				db.prepare('SELECT 1 FROM live_sessions WHERE join_code = ?').get(code) !== undefined;
			db.prepare(
				`INSERT INTO live_sessions (id, trajectory_id, theme_id, cycle, board_id, title, date, agenda,
				   join_code, joining_open, created_by, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			).run(
				id,
				row.trajectory_id,
				row.theme_id,
				row.cycle,
				row.board_id,
				row.title,
				row.date,
				row.agenda,
				uniqueJoinCode(codeTaken),
				row.joining_open,
				row.created_by,
				row.created_at
			);
			return api.get(id) as LiveSession;
		},

		get(id: string): LiveSession | null {
			const row = getRow(id);
			return row ? toLiveSession(row) : null;
		},

		/** The session with this join code (any case, spaces allowed), or null. */
		byJoinCode(code: string): LiveSession | null {
			const normalised = normaliseJoinCode(code);
			if (!isJoinCode(normalised)) return null;
			const row = db.prepare('SELECT * FROM live_sessions WHERE join_code = ?').get(normalised) as
				LiveSessionRow | undefined;
			return row ? toLiveSession(row) : null;
		},

		/** The theme's sessions, newest date first. */
		listForTheme(themeId: string): LiveSession[] {
			return (
				db
					.prepare(
						'SELECT * FROM live_sessions WHERE theme_id = ? ORDER BY date DESC, created_at DESC'
					)
					.all(themeId) as LiveSessionRow[]
			).map(toLiveSession);
		},

		/** Marks the session as running. @returns the session, or null when unknown or already ended. */
		start(id: string): LiveSession | null {
			const changed = db
				.prepare(
					'UPDATE live_sessions SET started_at = COALESCE(started_at, ?) WHERE id = ? AND ended_at IS NULL'
				)
				.run(now().getTime(), id).changes;
			const session = changed ? api.get(id) : null;
			if (session)
				events?.emit('liveSessionStarted', { liveSessionId: id, boardId: session.boardId });
			return session;
		},

		/**
		 * Ends the session: joining closes and the board becomes read-only history. Emits
		 * `liveSessionEnded`. @returns the session, or null when unknown or already ended.
		 */
		end(id: string): LiveSession | null {
			const at = now().getTime();
			const changed = db
				.prepare(
					`UPDATE live_sessions SET ended_at = ?, started_at = COALESCE(started_at, ?), joining_open = 0
					 WHERE id = ? AND ended_at IS NULL`
				)
				.run(at, at, id).changes;
			if (!changed) return null;
			const session = api.get(id) as LiveSession;
			events?.emit('liveSessionEnded', { liveSessionId: id, boardId: session.boardId });
			return session;
		},

		/**
		 * Reopens an ended session on purpose: it runs again (its participants may write again; joining
		 * stays closed until opened), and the reopening is recorded with who did it and when. Emits
		 * `liveSessionReopened`. Refused while another session on the same board runs (its people
		 * would share the board with people of an earlier session).
		 */
		reopen(
			id: string,
			by: { id: string; name: string }
		): { ok: true; session: LiveSession } | { ok: false; reason: ReopenRefusal } {
			const row = getRow(id);
			if (!row) return { ok: false, reason: 'not-found' };
			if (row.ended_at === null) return { ok: false, reason: 'not-ended' };
			if (api.runningOnBoard(row.board_id, id)) return { ok: false, reason: 'other-running' };
			const at = now().getTime();
			db.transaction(() => {
				db.prepare(
					`INSERT INTO session_reopenings (id, live_session_id, reopened_by, reopened_by_name, reopened_at, ended_at)
					 VALUES (?, ?, ?, ?, ?, ?)`
				).run(newId(), id, by.id, by.name, at, row.ended_at);
				db.prepare('UPDATE live_sessions SET ended_at = NULL WHERE id = ?').run(id);
			})();
			events?.emit('liveSessionReopened', {
				liveSessionId: id,
				boardId: row.board_id,
				userId: by.id
			});
			return { ok: true, session: api.get(id) as LiveSession };
		},

		/** The session's reopenings, oldest first. */
		reopenings(id: string): Reopening[] {
			const rows = db
				.prepare(
					'SELECT * FROM session_reopenings WHERE live_session_id = ? ORDER BY reopened_at, id'
				)
				.all(id) as {
				id: string;
				live_session_id: string;
				reopened_by: string | null;
				reopened_by_name: string;
				reopened_at: number;
				ended_at: number;
			}[];
			return rows.map((r) => ({
				id: r.id,
				liveSessionId: r.live_session_id,
				userId: r.reopened_by,
				userName: r.reopened_by_name,
				at: new Date(r.reopened_at),
				endedAt: new Date(r.ended_at)
			}));
		},

		/**
		 * Whether the board is closed: a session on it has ended and none runs now. Then it is
		 * read-only for everyone, facilitators too, until a session starts or is reopened.
		 */
		boardClosed(boardId: string): boolean {
			const row = db
				.prepare(
					`SELECT
					   EXISTS (SELECT 1 FROM live_sessions WHERE board_id = @board AND ended_at IS NOT NULL) AS ended,
					   EXISTS (SELECT 1 FROM live_sessions WHERE board_id = @board AND started_at IS NOT NULL AND ended_at IS NULL) AS running`
				)
				.get({ board: boardId }) as { ended: number; running: number };
			return row.ended === 1 && row.running === 0;
		},

		/**
		 * Opens or closes joining (people already in stay in). Emits `joiningChanged`.
		 * @returns the session, or null when unknown or ended.
		 */
		setJoiningOpen(id: string, open: boolean): LiveSession | null {
			const changed = db
				.prepare('UPDATE live_sessions SET joining_open = ? WHERE id = ? AND ended_at IS NULL')
				.run(open ? 1 : 0, id).changes;
			if (!changed) return null;
			const session = api.get(id) as LiveSession;
			events?.emit('joiningChanged', { liveSessionId: id, boardId: session.boardId, open });
			return session;
		},

		/**
		 * Whether a session on the board runs now (started, not ended), leaving out `except`: a
		 * participant of an earlier session may not write into a later one, reopening is refused while
		 * another runs, and no next cycle starts under a running session.
		 */
		runningOnBoard(boardId: string, except?: string): boolean {
			return (
				db
					.prepare(
						'SELECT 1 FROM live_sessions WHERE board_id = ? AND id != ? AND started_at IS NOT NULL AND ended_at IS NULL'
					)
					.get(boardId, except ?? '') !== undefined
			);
		},

		/** Whether the session has ended (its participants then only read); false when unknown. */
		hasEnded(id: string): boolean {
			const row = db.prepare('SELECT ended_at FROM live_sessions WHERE id = ?').get(id) as
				{ ended_at: number | null } | undefined;
			return row?.ended_at != null;
		},

		/** The highest cycle that has a planned session on the theme, or null when there is none. */
		maxCycle(themeId: string): number | null {
			const row = db
				.prepare('SELECT MAX(cycle) AS cycle FROM live_sessions WHERE theme_id = ?')
				.get(themeId) as { cycle: number | null };
			return row.cycle;
		},

		/** The ids of the sessions held on a board, oldest first (their participants are on the board). */
		idsOnBoard(boardId: string): string[] {
			return (
				db
					.prepare('SELECT id FROM live_sessions WHERE board_id = ? ORDER BY created_at, id')
					.all(boardId) as { id: string }[]
			).map((row) => row.id);
		},

		/** The ids of a trajectory's sessions, oldest first. */
		idsOfTrajectory(trajectoryId: string): string[] {
			return (
				db
					.prepare('SELECT id FROM live_sessions WHERE trajectory_id = ? ORDER BY created_at, id')
					.all(trajectoryId) as { id: string }[]
			).map((row) => row.id);
		},

		/**
		 * Trajectories whose last session (ended, else started, else planned) is before `cutoff` (ms)
		 * and none of whose sessions runs now, in id order (retention.ts).
		 */
		idleTrajectories(cutoff: number): string[] {
			return (
				db
					.prepare(
						`SELECT trajectory_id AS id FROM live_sessions
						 GROUP BY trajectory_id
						 HAVING MAX(COALESCE(ended_at, started_at, created_at)) < ?
						    AND SUM(started_at IS NOT NULL AND ended_at IS NULL) = 0
						 ORDER BY trajectory_id`
					)
					.all(cutoff) as { id: string }[]
			).map((row) => row.id);
		}
	};
	return api;
}

export type LiveSessions = ReturnType<typeof createLiveSessions>;
