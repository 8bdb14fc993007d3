/**
 * The participant owner's records and helpers (its repository is participants.kysely.ts): the people who join a live session by code (table `participants`,
 * nobody else's SQL names it). Their session comes from the live-session repository, never from a
 * join on its table.
 *
 * A participant has no account: joining creates a participant row bound to the device by the
 * `kompas_participant` cookie (cookies.ts), which holds a random token; only its SHA-256 is stored.
 * The realtime server and the board page call `participants.authenticate(token)` to learn who is
 * behind a cookie.
 *
 * Removals and leaving are emitted on the process's events (events.ts) so that the realtime server
 * closes the person's sockets at once.
 */
import { isPerspective, type Perspective } from '../domain/roles.ts';
import { SESSION_LIMITS } from '../domain/agenda.ts';
import { maybeDate, millis } from './db/tables.ts';
import type { KyselyParticipants } from './participants.kysely.ts';

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

/** Thrown by `join` when the session does not accept this person. */
export class JoinError extends Error {
	constructor(readonly reason: JoinRefusal) {
		super(`join refused: ${reason}`);
		this.name = 'JoinError';
	}
}

/** A `participants` row; times are numbers on SQLite, strings on PostgreSQL (`bigint`). */
export interface ParticipantRow {
	id: string;
	live_session_id: string;
	token_hash: string;
	name: string;
	organisation: string;
	perspective: Perspective;
	joined_at: number | string;
	revoked_at: number | string | null;
	left_at?: number | string | null;
}

/** A row as the domain's participant (both forms of the repository). */
export const toParticipant = (row: ParticipantRow): Participant => ({
	id: row.id,
	liveSessionId: row.live_session_id,
	name: row.name,
	organisation: row.organisation,
	perspective: row.perspective,
	joinedAt: new Date(millis(row.joined_at)),
	revokedAt: maybeDate(row.revoked_at),
	leftAt: maybeDate(row.left_at ?? null)
});

function checkText(label: string, value: string, max: number): string {
	const trimmed = value.trim();
	if (!trimmed || trimmed.length > max) throw new RangeError(`${label} must be 1..${max} chars`);
	return trimmed;
}

/**
 * A new participant's name, organisation and perspective, checked (both forms of the repository).
 * @throws RangeError on an empty or too long name, a too long organisation, an unknown perspective.
 */
export function checkedPerson(
	input: JoinInput
): Pick<Participant, 'name' | 'organisation' | 'perspective'> {
	const name = checkText('name', input.name, SESSION_LIMITS.name);
	// Residents often come without an organisation: empty is allowed.
	const organisation = input.organisation.trim();
	if (organisation.length > SESSION_LIMITS.organisation)
		throw new RangeError('organisation too long');
	if (!isPerspective(input.perspective)) throw new RangeError('invalid perspective');
	return { name, organisation, perspective: input.perspective };
}

/** The participants repository as `AppContext` holds it: its Kysely form (participants.kysely.ts), SQLite or PostgreSQL. */
export type Participants = KyselyParticipants;
