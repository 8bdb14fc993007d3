/**
 * The participants owner (issue 12 item 2), what `AppContext` holds: every method async, the records and events of
 * participants.ts, written once with Kysely for SQLite and PostgreSQL; the
 * session comes from the live sessions' async form, never from a join on its table.
 * participants.spec.ts holds it to its contract on both.
 */
import type { Events } from './events.ts';
import { generateToken, hashToken, newId } from './auth/tokens.ts';
import { guarded, type Executor } from './db/repository.ts';
import type { LiveSessions } from './live-sessions.ts';
import {
	checkedPerson,
	JoinError,
	toParticipant,
	type JoinInput,
	type Participant,
	type ParticipantIdentity
} from './participants.ts';
import type { Perspective } from '../domain/roles.ts';

export function createKyselyParticipants(
	db: Executor,
	sessions: Pick<LiveSessions, 'get' | 'idsOnBoard'>,
	now: () => Date = () => new Date(),
	events?: Pick<Events, 'emit'>
) {
	const participants = () => db.selectFrom('participants').selectAll();
	/** The participant rows of these sessions, in join order per session. */
	const rowsOf = async (liveSessionIds: readonly string[]) =>
		liveSessionIds.length
			? (
					await participants()
						.where('live_session_id', 'in', liveSessionIds)
						.orderBy('joined_at')
						.orderBy('id')
						.execute()
				).map((row) => ({ ...row, perspective: row.perspective as Perspective }))
			: [];
	const byTokenIn = async (token: string, liveSessionId: string) => {
		const row = await participants()
			.where('token_hash', '=', hashToken(token))
			.where('live_session_id', '=', liveSessionId)
			.executeTakeFirst();
		return row ? { ...row, perspective: row.perspective as Perspective } : undefined;
	};

	/** Who a cookie token belongs to, with whether they were removed; null when unknown. */
	async function identityByToken(
		token: string
	): Promise<(ParticipantIdentity & { revoked: boolean }) | null> {
		if (!token) return null;
		const row = await participants().where('token_hash', '=', hashToken(token)).executeTakeFirst();
		const session = row ? await sessions.get(row.live_session_id) : null;
		if (!row || !session) return null;
		return {
			id: row.id,
			liveSessionId: row.live_session_id,
			boardId: session.boardId,
			trajectoryId: session.trajectoryId,
			name: row.name,
			organisation: row.organisation,
			perspective: row.perspective as Perspective,
			revoked: row.revoked_at !== null
		};
	}

	const api = {
		/** As `Participants.join`. @throws JoinError, RangeError. */
		async join(input: JoinInput): Promise<{ token: string; participant: Participant }> {
			const session = await sessions.get(input.liveSessionId);
			if (!session) throw new JoinError('not-found');
			if (session.status === 'ended') throw new JoinError('ended');
			if (input.deviceToken) {
				const existing = await byTokenIn(input.deviceToken, session.id);
				if (existing?.revoked_at != null) throw new JoinError('removed');
				if (existing) return { token: input.deviceToken, participant: toParticipant(existing) };
			}
			if (!session.joiningOpen) throw new JoinError('closed');
			const person = checkedPerson(input);
			const token = generateToken();
			const row = {
				id: newId(),
				live_session_id: session.id,
				token_hash: hashToken(token),
				...person,
				joined_at: now().getTime(),
				revoked_at: null
			};
			await db.insertInto('participants').values(row).execute();
			return { token, participant: toParticipant(row) };
		},

		/** This device's participant in the session, removed ones included, or null. */
		async byDevice(
			liveSessionId: string,
			token: string | null | undefined
		): Promise<Participant | null> {
			if (!token) return null;
			const row = await byTokenIn(token, liveSessionId);
			return row ? toParticipant(row) : null;
		},

		/** Who is behind a cookie token, or null when unknown or removed. */
		async authenticate(token: string): Promise<ParticipantIdentity | null> {
			const found = await identityByToken(token);
			if (!found || found.revoked) return null;
			const { id, liveSessionId, boardId, trajectoryId, name, organisation, perspective } = found;
			return { id, liveSessionId, boardId, trajectoryId, name, organisation, perspective };
		},

		/** Who a cookie token belonged to, removed participants included, or null when unknown. */
		byToken: identityByToken,

		/** Everyone who joined the session, removed ones included (see `revokedAt`), in join order. */
		async list(liveSessionId: string): Promise<Participant[]> {
			return (await rowsOf([liveSessionId])).map(toParticipant);
		},

		/**
		 * "Verlaten" (as `Participants.leave`): the token is replaced by the same update that finds
		 * it, so of two leaves with one token only one succeeds. @returns who left, or null.
		 */
		async leave(token: string): Promise<Participant | null> {
			if (!token) return null;
			const at = now().getTime();
			const row = await db
				.updateTable('participants')
				.set({ left_at: at, token_hash: `left:${newId()}` })
				.where('token_hash', '=', hashToken(token))
				.where('revoked_at', 'is', null)
				.returningAll()
				.executeTakeFirst();
			if (!row) return null;
			const session = await sessions.get(row.live_session_id);
			if (session)
				events?.emit('participantLeft', { participantId: row.id, boardId: session.boardId });
			return toParticipant({ ...row, perspective: row.perspective as Perspective });
		},

		/**
		 * Removes a participant (as `Participants.remove`), emitting `participantRevoked`.
		 * @returns false when no such active participant is in the session.
		 */
		async remove(liveSessionId: string, participantId: string): Promise<boolean> {
			const session = await sessions.get(liveSessionId);
			if (!session) return false;
			const { numUpdatedRows } = await db
				.updateTable('participants')
				.set({ revoked_at: now().getTime() })
				.where('id', '=', participantId)
				.where('live_session_id', '=', liveSessionId)
				.where('revoked_at', 'is', null)
				.executeTakeFirst();
			if (!numUpdatedRows) return false;
			events?.emit('participantRevoked', { participantId, boardId: session.boardId });
			return true;
		},

		/** Whether a participant (removed ones included) joined a live session on this board. */
		async onBoard(participantId: string, boardId: string): Promise<boolean> {
			const row = await db
				.selectFrom('participants')
				.select('live_session_id')
				.where('id', '=', participantId)
				.executeTakeFirst();
			return row !== undefined && (await sessions.get(row.live_session_id))?.boardId === boardId;
		},

		/** Perspective of every participant who joined a live session on this board (for tallies). */
		async perspectivesOnBoard(boardId: string): Promise<Map<string, Perspective>> {
			const ids = await sessions.idsOnBoard(boardId);
			// One query for all sessions; session by session.
			const rows = await rowsOf(ids);
			const order = new Map(ids.map((id, i) => [id, i]));
			rows.sort(
				(a, b) => (order.get(a.live_session_id) ?? 0) - (order.get(b.live_session_id) ?? 0)
			);
			return new Map(rows.map((row) => [row.id, row.perspective]));
		},

		/** The participants of these sessions whose names are still kept (retention.ts). */
		async notAnonymised(
			liveSessionIds: readonly string[]
		): Promise<{ id: string; name: string; perspective: Perspective }[]> {
			if (!liveSessionIds.length) return [];
			const rows = await db
				.selectFrom('participants')
				.select(['id', 'name', 'perspective', 'live_session_id'])
				.where('live_session_id', 'in', liveSessionIds)
				.where('anonymised_at', 'is', null)
				.orderBy('joined_at')
				.orderBy('id')
				.execute();
			const order = new Map(liveSessionIds.map((id, i) => [id, i]));
			return rows
				.sort((a, b) => (order.get(a.live_session_id) ?? 0) - (order.get(b.live_session_id) ?? 0))
				.map((row) => ({
					id: row.id,
					name: row.name,
					perspective: row.perspective as Perspective
				}));
		},

		/** As `Participants.anonymise`: every listed participant in one transaction (retention.ts). */
		anonymise: (people: readonly { id: string; name: string }[], at: Date): Promise<void> =>
			db.transaction().execute(async (trx) => {
				for (const p of people)
					await trx
						.updateTable('participants')
						.set({ name: p.name, organisation: '', anonymised_at: at.getTime() })
						.where('id', '=', p.id)
						.execute();
			})
	};
	return guarded('participants', api);
}

export type KyselyParticipants = ReturnType<typeof createKyselyParticipants>;
