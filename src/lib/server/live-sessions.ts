/**
 * Live sessions (bijeenkomsten) on a theme board and the participants who join them by code.
 *
 * A participant has no account: joining creates a participant row bound to the device by the
 * `kompas_participant` cookie, which holds a random token; only its SHA-256 is stored. The realtime
 * server and the board page call `participants.authenticate(token)` to learn who is behind a cookie.
 *
 * Facilitator changes that the realtime server must act on at once (a participant removed, joining
 * opened or closed, the session ended) are emitted on the process's events (events.ts).
 */
import type { Cookies } from '@sveltejs/kit';
import type { Db } from './db/open.ts';
import type { AppContext } from './context.ts';
import type { Events } from './events.ts';
import type { Limiter } from './auth/rate-limit.ts';
import { generateToken, hashToken, newId } from './auth/tokens.ts';
import { isJoinCode, normaliseJoinCode, uniqueJoinCode } from './join-codes.ts';
import { isPerspective, type Perspective } from '../domain/roles.ts';
import { boardIdOf, parseBoardId } from '../domain/ids.ts';
import { STEP_IDS, type StepId } from '../domain/steps.ts';

/** The participant's device cookie (HttpOnly, SameSite=Lax, Path=/). */
export const PARTICIPANT_COOKIE = 'kompas_participant';
/** How long a device remembers its participant identity. */
export const PARTICIPANT_COOKIE_DAYS = 14;

/** The steps an agenda can plan, in compass order (domain/steps.ts). */
export const AGENDA_STEPS = STEP_IDS;
export type AgendaStep = StepId;

export const isAgendaStep = (value: unknown): value is AgendaStep =>
	typeof value === 'string' && (AGENDA_STEPS as readonly string[]).includes(value);

/** One agenda line: a step and the minutes planned for it. */
export interface AgendaItem {
	step: AgendaStep;
	minutes: number;
}

/** Field limits, shared by the forms and the repository. */
export const LIMITS = {
	title: 120,
	name: 60,
	organisation: 100,
	minutes: 480
} as const;

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

export interface Participant {
	id: string;
	liveSessionId: string;
	name: string;
	organisation: string;
	perspective: Perspective;
	joinedAt: Date;
	revokedAt: Date | null;
	/** The participant chose "Verlaten": their device no longer holds this identity. */
	leftAt: Date | null;
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

/** Who is behind a participant cookie (what the realtime server and the board page need). */
export interface ParticipantIdentity {
	id: string;
	liveSessionId: string;
	boardId: string;
	trajectoryId: string;
	name: string;
	organisation: string;
	perspective: Perspective;
}

/** Where a board belongs. */
export interface BoardInfo {
	boardId: string;
	themeId: string;
	themeName: string;
	trajectoryId: string;
	cycle: number;
}

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

export interface JoinInput {
	liveSessionId: string;
	name: string;
	organisation: string;
	perspective: Perspective;
	/** The token from the device's cookie, if any: restores that identity in the same session. */
	deviceToken?: string | null;
}

/** Why joining was refused. */
export type JoinRefusal = 'not-found' | 'closed' | 'ended' | 'removed';

/** Thrown by `participants.join` when the session does not accept this person. */
export class JoinError extends Error {
	constructor(readonly reason: JoinRefusal) {
		super(`join refused: ${reason}`);
		this.name = 'JoinError';
	}
}

interface LiveSessionRow {
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
	created_at: number;
	started_at: number | null;
	ended_at: number | null;
}

interface ParticipantRow {
	id: string;
	live_session_id: string;
	token_hash: string;
	name: string;
	organisation: string;
	perspective: Perspective;
	joined_at: number;
	revoked_at: number | null;
	left_at?: number | null;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
	if (!DATE_PATTERN.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Parses the stored agenda, dropping anything that is not a known step with sane minutes. */
function parseAgenda(json: string): AgendaItem[] {
	let raw: unknown;
	try {
		raw = JSON.parse(json);
	} catch {
		return [];
	}
	if (!Array.isArray(raw)) return [];
	return raw.flatMap((item: unknown) => {
		if (typeof item !== 'object' || item === null) return [];
		const { step, minutes } = item as { step?: unknown; minutes?: unknown };
		return isAgendaStep(step) && typeof minutes === 'number' && Number.isInteger(minutes)
			? [{ step, minutes }]
			: [];
	});
}

const statusOf = (row: LiveSessionRow): LiveSessionStatus =>
	row.ended_at !== null ? 'ended' : row.started_at !== null ? 'live' : 'planned';

const toLiveSession = (row: LiveSessionRow): LiveSession => ({
	id: row.id,
	trajectoryId: row.trajectory_id,
	themeId: row.theme_id,
	cycle: row.cycle,
	boardId: row.board_id,
	title: row.title,
	date: row.date,
	agenda: parseAgenda(row.agenda),
	joinCode: row.join_code,
	joiningOpen: row.joining_open === 1 && row.ended_at === null,
	status: statusOf(row),
	createdBy: row.created_by,
	createdAt: new Date(row.created_at),
	startedAt: row.started_at === null ? null : new Date(row.started_at),
	endedAt: row.ended_at === null ? null : new Date(row.ended_at)
});

const toParticipant = (row: ParticipantRow): Participant => ({
	id: row.id,
	liveSessionId: row.live_session_id,
	name: row.name,
	organisation: row.organisation,
	perspective: row.perspective,
	joinedAt: new Date(row.joined_at),
	revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
	leftAt: row.left_at == null ? null : new Date(row.left_at)
});

function checkText(label: string, value: string, max: number): string {
	const trimmed = value.trim();
	if (!trimmed || trimmed.length > max) throw new RangeError(`${label} must be 1..${max} chars`);
	return trimmed;
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

	/**
	 * Who a cookie token belongs to, with whether they were removed; null when the token is unknown.
	 * `participants.authenticate` and `participants.byToken` both read through this.
	 */
	function identityByToken(token: string): (ParticipantIdentity & { revoked: boolean }) | null {
		if (!token) return null;
		const row = db
			.prepare(
				`SELECT p.*, s.board_id, s.trajectory_id FROM participants p
				 JOIN live_sessions s ON s.id = p.live_session_id WHERE p.token_hash = ?`
			)
			.get(hashToken(token)) as
			(ParticipantRow & { board_id: string; trajectory_id: string }) | undefined;
		if (!row) return null;
		return {
			id: row.id,
			liveSessionId: row.live_session_id,
			boardId: row.board_id,
			trajectoryId: row.trajectory_id,
			name: row.name,
			organisation: row.organisation,
			perspective: row.perspective,
			revoked: row.revoked_at !== null
		};
	}

	const api = {
		/**
		 * Plans a session on the theme's board (cycle 1 unless given), with a fresh unique join code.
		 * @throws RangeError on an empty or too long title, a malformed date or agenda.
		 */
		create(input: CreateLiveSessionInput): LiveSession {
			const title = checkText('title', input.title, LIMITS.title);
			if (!isIsoDate(input.date)) throw new RangeError('date must be YYYY-MM-DD');
			for (const item of input.agenda)
				if (
					!isAgendaStep(item.step) ||
					!Number.isInteger(item.minutes) ||
					item.minutes < 0 ||
					item.minutes > LIMITS.minutes
				)
					throw new RangeError('invalid agenda item');
			const cycle = input.cycle ?? 1;
			const id = newId();
			const codeTaken = (code: string) =>
				db.prepare('SELECT 1 FROM live_sessions WHERE join_code = ?').get(code) !== undefined;
			db.prepare(
				`INSERT INTO live_sessions (id, trajectory_id, theme_id, cycle, board_id, title, date, agenda,
				   join_code, joining_open, created_by, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`
			).run(
				id,
				input.trajectoryId,
				input.themeId,
				cycle,
				boardIdOf(input.themeId, cycle),
				title,
				input.date,
				JSON.stringify(input.agenda.map(({ step, minutes }) => ({ step, minutes }))),
				uniqueJoinCode(codeTaken),
				input.createdBy ?? null,
				now().getTime()
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

		/**
		 * The theme, trajectory and cycle behind a board id, or null when the board id is malformed or
		 * its theme does not exist.
		 */
		board(boardId: string): BoardInfo | null {
			const parsed = parseBoardId(boardId);
			if (!parsed) return null;
			const row = db
				.prepare('SELECT id, name, trajectory_id FROM themes WHERE id = ?')
				.get(parsed.themeId) as { id: string; name: string; trajectory_id: string } | undefined;
			return row
				? {
						boardId,
						themeId: row.id,
						themeName: row.name,
						trajectoryId: row.trajectory_id,
						cycle: parsed.cycle
					}
				: null;
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
			const running = db
				.prepare(
					'SELECT 1 FROM live_sessions WHERE board_id = ? AND id != ? AND started_at IS NOT NULL AND ended_at IS NULL'
				)
				.get(row.board_id, id);
			if (running) return { ok: false, reason: 'other-running' };
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

		participants: {
			/**
			 * Joins a session, or restores the identity of `deviceToken` when it belongs to this session
			 * (then name, organisation and perspective stay as they were, and joining may be closed).
			 * @returns the token for the cookie (the same one on a rejoin) and the participant.
			 * @throws JoinError when the session is unknown or ended, joining is closed, or this device's
			 *   participant was removed; RangeError on an empty or too long name or organisation.
			 */
			join(input: JoinInput): { token: string; participant: Participant } {
				const row = getRow(input.liveSessionId);
				if (!row) throw new JoinError('not-found');
				if (row.ended_at !== null) throw new JoinError('ended');
				if (input.deviceToken) {
					const existing = db
						.prepare('SELECT * FROM participants WHERE token_hash = ? AND live_session_id = ?')
						.get(hashToken(input.deviceToken), row.id) as ParticipantRow | undefined;
					if (existing?.revoked_at != null) throw new JoinError('removed');
					if (existing) return { token: input.deviceToken, participant: toParticipant(existing) };
				}
				if (row.joining_open !== 1) throw new JoinError('closed');
				const name = checkText('name', input.name, LIMITS.name);
				// Residents often come without an organisation: empty is allowed.
				const organisation = input.organisation.trim();
				if (organisation.length > LIMITS.organisation)
					throw new RangeError('organisation too long');
				if (!isPerspective(input.perspective)) throw new RangeError('invalid perspective');
				const token = generateToken();
				const participant: ParticipantRow = {
					id: newId(),
					live_session_id: row.id,
					token_hash: hashToken(token),
					name,
					organisation,
					perspective: input.perspective,
					joined_at: now().getTime(),
					revoked_at: null
				};
				db.prepare(
					`INSERT INTO participants (id, live_session_id, token_hash, name, organisation, perspective, joined_at)
					 VALUES (@id, @live_session_id, @token_hash, @name, @organisation, @perspective, @joined_at)`
				).run(participant);
				return { token, participant: toParticipant(participant) };
			},

			/** This device's participant in the session, removed ones included, or null. */
			byDevice(liveSessionId: string, token: string | null | undefined): Participant | null {
				if (!token) return null;
				const row = db
					.prepare('SELECT * FROM participants WHERE token_hash = ? AND live_session_id = ?')
					.get(hashToken(token), liveSessionId) as ParticipantRow | undefined;
				return row ? toParticipant(row) : null;
			},

			/** Who is behind a cookie token, or null when unknown or removed. */
			authenticate(token: string): ParticipantIdentity | null {
				const found = identityByToken(token);
				if (!found || found.revoked) return null;
				const { id, liveSessionId, boardId, trajectoryId, name, organisation, perspective } = found;
				return { id, liveSessionId, boardId, trajectoryId, name, organisation, perspective };
			},

			/**
			 * Who a cookie token belonged to, removed participants included (they are told so, not
			 * "logged out"), or null when the token is unknown (never issued, or given up by leaving).
			 */
			byToken: identityByToken,

			/** Everyone who joined the session, removed ones included (see `revokedAt`), in join order. */
			list(liveSessionId: string): Participant[] {
				return (
					db
						.prepare('SELECT * FROM participants WHERE live_session_id = ? ORDER BY joined_at, id')
						.all(liveSessionId) as ParticipantRow[]
				).map(toParticipant);
			},

			/**
			 * "Verlaten": the participant behind `token` leaves. The token stops working at once (it is
			 * replaced, so rejoining from this device starts a new identity), their sockets close
			 * (`participantLeft`), and what they shared stays on the board. @returns who left, or null.
			 */
			leave(token: string): Participant | null {
				if (!token) return null;
				const row = db
					.prepare('SELECT * FROM participants WHERE token_hash = ? AND revoked_at IS NULL')
					.get(hashToken(token)) as ParticipantRow | undefined;
				if (!row) return null;
				const at = now().getTime();
				db.prepare('UPDATE participants SET left_at = ?, token_hash = ? WHERE id = ?').run(
					at,
					`left:${newId()}`,
					row.id
				);
				const session = getRow(row.live_session_id);
				if (session)
					events?.emit('participantLeft', { participantId: row.id, boardId: session.board_id });
				return toParticipant({ ...row, left_at: at });
			},

			/**
			 * Removes a participant: their cookie stops working and `participantRevoked` is emitted so that
			 * their sockets close at once. @returns false when no such active participant is in the session.
			 */
			remove(liveSessionId: string, participantId: string): boolean {
				const row = getRow(liveSessionId);
				if (!row) return false;
				const changed = db
					.prepare(
						'UPDATE participants SET revoked_at = ? WHERE id = ? AND live_session_id = ? AND revoked_at IS NULL'
					)
					.run(now().getTime(), participantId, liveSessionId).changes;
				if (!changed) return false;
				events?.emit('participantRevoked', { participantId, boardId: row.board_id });
				return true;
			}
		}
	};
	return api;
}

export type LiveSessions = ReturnType<typeof createLiveSessions>;

const perContext = new WeakMap<AppContext, LiveSessions>();

/** The live-session repository of a process context, wired to its clock and events (one per context). */
export function liveSessionsOf(app: AppContext): LiveSessions {
	let sessions = perContext.get(app);
	if (!sessions) {
		sessions = createLiveSessions(app.db, app.now, app.events);
		perContext.set(app, sessions);
	}
	return sessions;
}

export type CodeLookup =
	| { ok: true; session: LiveSession }
	| { ok: false; reason: 'invalid' | 'not-found' }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Looks a typed code up, rate-limited per `key` (request.ts `joinAttemptKey`: the account, or the
 * address for everyone else): only misses count (a room full of people behind one Wi-Fi address
 * must be able to join), and a blocked key gets no answer, not even for a right code, until its
 * wait is over (else the answers would still tell a guesser which code exists).
 */
export async function lookupJoinCode(
	deps: { liveSessions: Pick<LiveSessions, 'byJoinCode'>; limiter: Limiter },
	input: string,
	key: string
): Promise<CodeLookup> {
	const blocked = await deps.limiter.blocked(key);
	if (!blocked.allowed)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: blocked.retryAfterSeconds };
	const code = normaliseJoinCode(input);
	const session = isJoinCode(code) ? deps.liveSessions.byJoinCode(code) : null;
	if (session) return { ok: true, session };
	const attempt = await deps.limiter.consume(key);
	if (!attempt.allowed)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: attempt.retryAfterSeconds };
	return { ok: false, reason: isJoinCode(code) ? 'not-found' : 'invalid' };
}

/** Stores the participant token on the device: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function setParticipantCookie(cookies: Cookies, app: AppContext, token: string): void {
	cookies.set(PARTICIPANT_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: app.config.secureCookies,
		maxAge: PARTICIPANT_COOKIE_DAYS * 24 * 60 * 60
	});
}
