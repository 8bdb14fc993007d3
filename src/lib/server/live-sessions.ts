/**
 * The live-session owner's records and helpers (its repository is live-sessions.kysely.ts): sessions (bijeenkomsten) on a theme board and their reopenings
 * (tables `live_sessions` and `session_reopenings`, nobody else's SQL names them).
 *
 * The participants who join a session are participants.ts; the agenda rules are domain/agenda.ts;
 * looking a typed code up is join-codes.ts; the device cookie is cookies.ts. All of them live in
 * `AppContext` (context.ts).
 *
 * Facilitator changes that the realtime server must act on at once (joining opened or closed, the
 * session started, ended or reopened) are emitted on the process's events (events.ts).
 */
import { boardIdOf } from '../domain/ids.ts';
import { maybeDate, millis } from './db/tables.ts';
import {
	isIsoDate,
	isValidAgendaItem,
	readAgenda,
	SESSION_LIMITS,
	type AgendaItem
} from '../domain/agenda.ts';
import type { KyselyLiveSessions } from './live-sessions.kysely.ts';

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

/** The live-sessions repository as `AppContext` holds it: its Kysely form (live-sessions.kysely.ts), SQLite or PostgreSQL. */
export type LiveSessions = KyselyLiveSessions;
