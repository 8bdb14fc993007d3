/**
 * The live-sessions owner (issue 12 item 2), what `AppContext` holds: every method async, the records and events of
 * live-sessions.ts (tables `live_sessions`, `session_reopenings`), written
 * once with Kysely for SQLite and PostgreSQL. live-sessions.contract.spec.ts holds it to its contract on both.
 *
 * A join code is taken by inserting it: on a collision (the unique index, also across nodes) the
 * insert is retried with a fresh code, instead of looking first and inserting after.
 */
import { sql } from 'kysely';
import type { Events } from './events.ts';
import { newId } from './auth/tokens.ts';
import { guarded, isUniqueViolation, type Executor } from './db/repository.ts';
import { millis } from './db/tables.ts';
import { generateJoinCode, isJoinCode, normaliseJoinCode } from './join-codes.ts';
import {
	newSessionRow,
	toLiveSession,
	type CreateLiveSessionInput,
	type LiveSession,
	type ReopenRefusal,
	type Reopening
} from './live-sessions.ts';

/** Tries before giving up on a free join code (as `uniqueJoinCode`). */
const CODE_ATTEMPTS = 20;

export function createKyselyLiveSessions(
	db: Executor,
	now: () => Date = () => new Date(),
	events?: Pick<Events, 'emit'>,
	/** Fresh join codes (a test passes taken ones). */
	generateCode: () => string = generateJoinCode
) {
	const getRow = (id: string, tx: Executor = db) =>
		tx.selectFrom('live_sessions').selectAll().where('id', '=', id).executeTakeFirst();
	const get = async (id: string): Promise<LiveSession | null> => {
		const row = await getRow(id);
		return row ? toLiveSession(row) : null;
	};
	const running = (boardId: string, except = '', on: Executor = db) =>
		on
			.selectFrom('live_sessions')
			.select('id')
			.where('board_id', '=', boardId)
			.where('id', '!=', except)
			.where('started_at', 'is not', null)
			.where('ended_at', 'is', null);
	const runningOnBoard = async (boardId: string, except?: string): Promise<boolean> =>
		(await running(boardId, except).executeTakeFirst()) !== undefined;
	const ids = async (column: 'board_id' | 'trajectory_id', value: string) =>
		(
			await db
				.selectFrom('live_sessions')
				.select('id')
				.where(column, '=', value)
				.orderBy('created_at')
				.orderBy('id')
				.execute()
		).map((row) => row.id);

	const api = {
		/**
		 * Plans a session on the theme's board (cycle 1 unless given), with a fresh unique join code.
		 * @throws RangeError on an empty or too long title, a malformed date or agenda.
		 */
		async create(input: CreateLiveSessionInput): Promise<LiveSession> {
			const row = newSessionRow(input, now().getTime());
			const id = newId();
			for (let attempt = 1; ; attempt++) {
				try {
					await db
						.insertInto('live_sessions')
						.values({ id, ...row, join_code: generateCode() })
						.execute();
					break;
				} catch (error) {
					if (!isUniqueViolation(error) || attempt === CODE_ATTEMPTS) throw error;
				}
			}
			return (await get(id)) as LiveSession;
		},

		get,

		/** The session with this join code (any case, spaces allowed), or null. */
		async byJoinCode(code: string): Promise<LiveSession | null> {
			const normalised = normaliseJoinCode(code);
			if (!isJoinCode(normalised)) return null;
			const row = await db
				.selectFrom('live_sessions')
				.selectAll()
				.where('join_code', '=', normalised)
				.executeTakeFirst();
			return row ? toLiveSession(row) : null;
		},

		/** The theme's sessions, newest date first. */
		async listForTheme(themeId: string): Promise<LiveSession[]> {
			const rows = await db
				.selectFrom('live_sessions')
				.selectAll()
				.where('theme_id', '=', themeId)
				.orderBy('date', 'desc')
				.orderBy('created_at', 'desc')
				.execute();
			return rows.map(toLiveSession);
		},

		/** Marks the session as running. @returns the session, or null when unknown or already ended. */
		async start(id: string): Promise<LiveSession | null> {
			const { numUpdatedRows } = await db
				.updateTable('live_sessions')
				.set({ started_at: sql<number>`coalesce(started_at, ${now().getTime()})` })
				.where('id', '=', id)
				.where('ended_at', 'is', null)
				.executeTakeFirst();
			const session = numUpdatedRows ? await get(id) : null;
			if (session)
				events?.emit('liveSessionStarted', { liveSessionId: id, boardId: session.boardId });
			return session;
		},

		/**
		 * Ends the session: joining closes and the board becomes read-only history. Emits
		 * `liveSessionEnded`. @returns the session, or null when unknown or already ended.
		 */
		async end(id: string): Promise<LiveSession | null> {
			const at = now().getTime();
			const { numUpdatedRows } = await db
				.updateTable('live_sessions')
				.set({
					ended_at: at,
					started_at: sql<number>`coalesce(started_at, ${at})`,
					joining_open: 0
				})
				.where('id', '=', id)
				.where('ended_at', 'is', null)
				.executeTakeFirst();
			if (!numUpdatedRows) return null;
			const session = (await get(id)) as LiveSession;
			events?.emit('liveSessionEnded', { liveSessionId: id, boardId: session.boardId });
			return session;
		},

		/**
		 * Reopens an ended session on purpose (as `LiveSessions.reopen`): recorded with who and when,
		 * joining stays closed, `liveSessionReopened` is emitted; refused while another session on
		 * the same board runs. The record and the reopening are one transaction, which reopens only
		 * a session that is still ended (of two simultaneous reopenings one is recorded).
		 */
		async reopen(
			id: string,
			by: { id: string; name: string }
		): Promise<{ ok: true; session: LiveSession } | { ok: false; reason: ReopenRefusal }> {
			const row = await getRow(id);
			if (!row) return { ok: false, reason: 'not-found' };
			if (row.ended_at === null) return { ok: false, reason: 'not-ended' };
			if (await runningOnBoard(row.board_id, id)) return { ok: false, reason: 'other-running' };
			const endedAt = millis(row.ended_at);
			const reopened = await db.transaction().execute(async (trx) => {
				// The board's sessions are locked first and the check is made again inside: two nodes
				// reopening two sessions of one board at once go one after the other (PostgreSQL).
				await trx
					.updateTable('live_sessions')
					.set({ board_id: row.board_id })
					.where('board_id', '=', row.board_id)
					.execute();
				if ((await running(row.board_id, id, trx).executeTakeFirst()) !== undefined)
					return 'other-running' as const;
				const { numUpdatedRows } = await trx
					.updateTable('live_sessions')
					.set({ ended_at: null })
					.where('id', '=', id)
					.where('ended_at', 'is not', null)
					.executeTakeFirst();
				if (!numUpdatedRows) return false;
				await trx
					.insertInto('session_reopenings')
					.values({
						id: newId(),
						live_session_id: id,
						reopened_by: by.id,
						reopened_by_name: by.name,
						reopened_at: now().getTime(),
						ended_at: endedAt
					})
					.execute();
				return true;
			});
			if (reopened === 'other-running') return { ok: false, reason: 'other-running' };
			if (!reopened) return { ok: false, reason: 'not-ended' };
			events?.emit('liveSessionReopened', {
				liveSessionId: id,
				boardId: row.board_id,
				userId: by.id
			});
			return { ok: true, session: (await get(id)) as LiveSession };
		},

		/** The session's reopenings, oldest first. */
		async reopenings(id: string): Promise<Reopening[]> {
			const rows = await db
				.selectFrom('session_reopenings')
				.selectAll()
				.where('live_session_id', '=', id)
				.orderBy('reopened_at')
				.orderBy('id')
				.execute();
			return rows.map((r) => ({
				id: r.id,
				liveSessionId: r.live_session_id,
				userId: r.reopened_by,
				userName: r.reopened_by_name,
				at: new Date(millis(r.reopened_at)),
				endedAt: new Date(millis(r.ended_at))
			}));
		},

		/**
		 * Whether the board is closed: a session on it has ended and none runs now (as
		 * `LiveSessions.boardClosed`).
		 */
		async boardClosed(boardId: string): Promise<boolean> {
			const ended = await db
				.selectFrom('live_sessions')
				.select('id')
				.where('board_id', '=', boardId)
				.where('ended_at', 'is not', null)
				.executeTakeFirst();
			return ended !== undefined && !(await runningOnBoard(boardId));
		},

		/**
		 * Opens or closes joining (people already in stay in). Emits `joiningChanged`.
		 * @returns the session, or null when unknown or ended.
		 */
		async setJoiningOpen(id: string, open: boolean): Promise<LiveSession | null> {
			const { numUpdatedRows } = await db
				.updateTable('live_sessions')
				.set({ joining_open: open ? 1 : 0 })
				.where('id', '=', id)
				.where('ended_at', 'is', null)
				.executeTakeFirst();
			if (!numUpdatedRows) return null;
			const session = (await get(id)) as LiveSession;
			events?.emit('joiningChanged', { liveSessionId: id, boardId: session.boardId, open });
			return session;
		},

		/** Whether a session on the board runs now (started, not ended), leaving out `except`. */
		runningOnBoard,

		/** Whether the session has ended (its participants then only read); false when unknown. */
		async hasEnded(id: string): Promise<boolean> {
			const row = await db
				.selectFrom('live_sessions')
				.select('ended_at')
				.where('id', '=', id)
				.executeTakeFirst();
			return row?.ended_at != null;
		},

		/** The highest cycle that has a planned session on the theme, or null when there is none. */
		async maxCycle(themeId: string): Promise<number | null> {
			const { cycle } = await db
				.selectFrom('live_sessions')
				.select((eb) => eb.fn.max('cycle').as('cycle'))
				.where('theme_id', '=', themeId)
				.executeTakeFirstOrThrow();
			return cycle === null ? null : Number(cycle);
		},

		/** The ids of the sessions held on a board, oldest first (their participants are on the board). */
		idsOnBoard: (boardId: string): Promise<string[]> => ids('board_id', boardId),

		/** The ids of a trajectory's sessions, oldest first. */
		idsOfTrajectory: (trajectoryId: string): Promise<string[]> =>
			ids('trajectory_id', trajectoryId),

		/**
		 * Trajectories whose last session (ended, else started, else planned) is before `cutoff` (ms)
		 * and none of whose sessions runs now, in id order (retention.ts).
		 */
		async idleTrajectories(cutoff: number): Promise<string[]> {
			const rows = await db
				.selectFrom('live_sessions')
				.select('trajectory_id')
				.groupBy('trajectory_id')
				.having(sql<number>`max(coalesce(ended_at, started_at, created_at))`, '<', cutoff)
				.having(
					sql<number>`sum(case when started_at is not null and ended_at is null then 1 else 0 end)`,
					'=',
					0
				)
				.orderBy('trajectory_id')
				.execute();
			return rows.map((row) => row.trajectory_id);
		}
	};
	return guarded('live sessions', api);
}

export type KyselyLiveSessions = ReturnType<typeof createKyselyLiveSessions>;
