/**
 * The participant repository: the people who join a live session by code (table `participants`,
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
import type { Db } from './db/open.ts';
import type { Events } from './events.ts';
import type { LiveSessions } from './live-sessions.ts';
import { generateToken, hashToken, newId } from './auth/tokens.ts';
import { isPerspective, type Perspective } from '../domain/roles.ts';
import { SESSION_LIMITS } from '../domain/agenda.ts';
import { maybeDate, millis } from './db/tables.ts';

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

/**
 * The participant repository. Callers authorise first (requireTrajectory with 'session.manage'
 * for a removal, and check that the session belongs to that trajectory).
 *
 * @param events when given, removals and leaving are emitted for the realtime server.
 */
export function createParticipants(
	db: Db,
	sessions: Pick<LiveSessions, 'get' | 'idsOnBoard'>,
	now: () => Date = () => new Date(),
	events?: Pick<Events, 'emit'>
) {
	/** The participant rows of a session, in join order. */
	const rowsOf = (liveSessionId: string) =>
		db
			.prepare('SELECT * FROM participants WHERE live_session_id = ? ORDER BY joined_at, id')
			.all(liveSessionId) as ParticipantRow[];

	/**
	 * Who a cookie token belongs to, with whether they were removed; null when the token is unknown.
	 * `authenticate` and `byToken` both read through this.
	 */
	function identityByToken(token: string): (ParticipantIdentity & { revoked: boolean }) | null {
		if (!token) return null;
		const row = db
			.prepare('SELECT * FROM participants WHERE token_hash = ?')
			.get(hashToken(token)) as ParticipantRow | undefined;
		const session = row ? sessions.get(row.live_session_id) : null;
		if (!row || !session) return null;
		return {
			id: row.id,
			liveSessionId: row.live_session_id,
			boardId: session.boardId,
			trajectoryId: session.trajectoryId,
			name: row.name,
			organisation: row.organisation,
			perspective: row.perspective,
			revoked: row.revoked_at !== null
		};
	}

	return {
		/**
		 * Joins a session, or restores the identity of `deviceToken` when it belongs to this session
		 * (then name, organisation and perspective stay as they were, and joining may be closed).
		 * @returns the token for the cookie (the same one on a rejoin) and the participant.
		 * @throws JoinError when the session is unknown or ended, joining is closed, or this device's
		 *   participant was removed; RangeError on an empty or too long name or organisation.
		 */
		join(input: JoinInput): { token: string; participant: Participant } {
			const session = sessions.get(input.liveSessionId);
			if (!session) throw new JoinError('not-found');
			if (session.status === 'ended') throw new JoinError('ended');
			if (input.deviceToken) {
				const existing = db
					.prepare('SELECT * FROM participants WHERE token_hash = ? AND live_session_id = ?')
					.get(hashToken(input.deviceToken), session.id) as ParticipantRow | undefined;
				if (existing?.revoked_at != null) throw new JoinError('removed');
				if (existing) return { token: input.deviceToken, participant: toParticipant(existing) };
			}
			if (!session.joiningOpen) throw new JoinError('closed');
			const person = checkedPerson(input);
			const token = generateToken();
			const participant: ParticipantRow = {
				id: newId(),
				live_session_id: session.id,
				token_hash: hashToken(token),
				...person,
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
			return rowsOf(liveSessionId).map(toParticipant);
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
			const session = sessions.get(row.live_session_id);
			if (session)
				events?.emit('participantLeft', { participantId: row.id, boardId: session.boardId });
			return toParticipant({ ...row, left_at: at });
		},

		/**
		 * Removes a participant: their cookie stops working and `participantRevoked` is emitted so that
		 * their sockets close at once. @returns false when no such active participant is in the session.
		 */
		remove(liveSessionId: string, participantId: string): boolean {
			const session = sessions.get(liveSessionId);
			if (!session) return false;
			const changed = db
				.prepare(
					'UPDATE participants SET revoked_at = ? WHERE id = ? AND live_session_id = ? AND revoked_at IS NULL'
				)
				.run(now().getTime(), participantId, liveSessionId).changes;
			if (!changed) return false;
			events?.emit('participantRevoked', { participantId, boardId: session.boardId });
			return true;
		},

		/** Whether a participant (removed ones included) joined a live session on this board. */
		onBoard(participantId: string, boardId: string): boolean {
			const row = db
				.prepare('SELECT live_session_id FROM participants WHERE id = ?')
				.get(participantId) as { live_session_id: string } | undefined;
			return row !== undefined && sessions.get(row.live_session_id)?.boardId === boardId;
		},

		/** Perspective of every participant who joined a live session on this board (for tallies). */
		perspectivesOnBoard(boardId: string): Map<string, Perspective> {
			return new Map(
				sessions
					.idsOnBoard(boardId)
					.flatMap((id) => rowsOf(id))
					.map((row) => [row.id, row.perspective])
			);
		},

		/** The participants of these sessions whose names are still kept (retention.ts). */
		notAnonymised(
			liveSessionIds: readonly string[]
		): { id: string; name: string; perspective: Perspective }[] {
			const select = db.prepare(
				'SELECT id, name, perspective FROM participants WHERE live_session_id = ? AND anonymised_at IS NULL'
			);
			return liveSessionIds.flatMap(
				(id) => select.all(id) as { id: string; name: string; perspective: Perspective }[]
			);
		},

		/**
		 * Gives each listed participant the anonymous byline `name`, empties their organisation and
		 * marks them anonymised at `at`, all in one transaction (retention.ts).
		 */
		anonymise(people: readonly { id: string; name: string }[], at: Date): void {
			const update = db.prepare(
				`UPDATE participants SET name = ?, organisation = '', anonymised_at = ? WHERE id = ?`
			);
			db.transaction(() => {
				for (const p of people) update.run(p.name, at.getTime(), p.id);
			})();
		}
	};
}

export type Participants = ReturnType<typeof createParticipants>;
