/**
 * The trajectories owner (issue 12 item 2), what `AppContext` holds: every method async, the records of
 * trajectories.ts (trajectories, partners, themes, members), written once
 * with Kysely for SQLite and PostgreSQL, with the glossary's Kysely form (glossary.kysely.ts, its
 * own owner) as `glossary`. trajectories.spec.ts holds it to its contract on both.
 *
 * Inside a unit of work every call passes the unit's `tx`: on SQLite a call on the database itself
 * would wait for the unit's one connection, on PostgreSQL it would run outside the unit.
 */
import { sql } from 'kysely';
import { newId } from './auth/tokens.ts';
import { createKyselyGlossary } from './glossary.kysely.ts';
import { guarded, type Executor } from './db/repository.ts';
import { inTransaction } from './db/postgres.ts';
import { millis } from './db/tables.ts';
import type { MemberRole, Perspective } from '../domain/roles.ts';
import type { Users } from './users.ts';
import type {
	Member,
	Theme,
	Trajectory,
	TrajectoryInput,
	TrajectorySummary
} from './trajectories.ts';
import { toSummary } from './trajectories.ts';

const summaryColumns = [
	't.id',
	't.municipality',
	't.title',
	't.description',
	't.created_at',
	't.updated_at',
	't.archived_at'
] as const;

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rolls back a move that cannot be made (so the lock's touch leaves no trace). */
class NotMoved extends Error {}

export function createKyselyTrajectories(
	db: Executor,
	users: Pick<Users, 'byId'>,
	now: () => Date = () => new Date()
) {
	/** Marks the trajectory changed (the glossary's Kysely form gets it). */
	const touch = async (id: string, tx: Executor = db) => {
		await tx
			.updateTable('trajectories')
			.set({ updated_at: now().getTime() })
			.where('id', '=', id)
			.execute();
	};

	const replacePartners = async (
		tx: Executor,
		trajectoryId: string,
		partners: TrajectoryInput['partners']
	) => {
		const keep = partners.filter((p) => p.id).map((p) => p.id as string);
		const existing = await tx
			.selectFrom('partners')
			.select('id')
			.where('trajectory_id', '=', trajectoryId)
			.execute();
		const gone = existing.map((e) => e.id).filter((id) => !keep.includes(id));
		if (gone.length) await tx.deleteFrom('partners').where('id', 'in', gone).execute();
		for (const [position, partner] of partners.entries()) {
			if (partner.id && existing.some((e) => e.id === partner.id))
				await tx
					.updateTable('partners')
					.set({ name: partner.name, perspective: partner.perspective, position })
					.where('id', '=', partner.id)
					.where('trajectory_id', '=', trajectoryId)
					.execute();
			else
				await tx
					.insertInto('partners')
					.values({
						id: newId(),
						trajectory_id: trajectoryId,
						name: partner.name,
						perspective: partner.perspective,
						position
					})
					.execute();
		}
	};

	const themesOf = async (trajectoryId: string, tx: Executor = db): Promise<Theme[]> =>
		tx
			.selectFrom('themes')
			.select(['id', 'name', 'position'])
			.where('trajectory_id', '=', trajectoryId)
			.orderBy('position')
			.execute();

	const roleOf = async (
		trajectoryId: string,
		userId: string,
		tx: Executor = db
	): Promise<MemberRole | null> => {
		const row = await tx
			.selectFrom('members')
			.select('role')
			.where('trajectory_id', '=', trajectoryId)
			.where('user_id', '=', userId)
			.executeTakeFirst();
		return row?.role ?? null;
	};

	const get = async (id: string, tx: Executor = db): Promise<Trajectory | null> => {
		const row = await tx
			.selectFrom('trajectories as t')
			.select(summaryColumns)
			.where('t.id', '=', id)
			.executeTakeFirst();
		if (!row) return null;
		const partners = await tx
			.selectFrom('partners')
			.select(['id', 'name', 'perspective'])
			.where('trajectory_id', '=', id)
			.orderBy('position')
			.execute();
		return {
			...toSummary(row),
			partners: partners.map((p) => ({ ...p, perspective: p.perspective as Perspective })),
			themes: await themesOf(id, tx)
		};
	};

	const api = {
		/** Creates a trajectory with its partners and themes; `userId` becomes its facilitator. */
		create: (
			userId: string,
			input: TrajectoryInput & { themes?: string[] },
			tx?: Executor
		): Promise<Trajectory> =>
			inTransaction(db, tx, async (trx) => {
				const id = newId();
				const at = now().getTime();
				await trx
					.insertInto('trajectories')
					.values({
						id,
						municipality: input.municipality,
						title: input.title,
						description: input.description,
						created_by: userId,
						created_at: at,
						updated_at: at
					})
					.execute();
				await trx
					.insertInto('members')
					.values({ trajectory_id: id, user_id: userId, role: 'facilitator', added_at: at })
					.execute();
				await replacePartners(trx, id, input.partners);
				const themes = input.themes ?? [];
				if (themes.length)
					await trx
						.insertInto('themes')
						.values(
							themes.map((name, position) => ({ id: newId(), trajectory_id: id, name, position }))
						)
						.execute();
				return (await get(id, trx)) as Trajectory;
			}),

		get,

		/** Every trajectory the user is a member of, with their role, active ones first. */
		async listFor(
			userId: string
		): Promise<(TrajectorySummary & { role: MemberRole; themeCount: number })[]> {
			const rows = await db
				.selectFrom('trajectories as t')
				.innerJoin('members as m', 'm.trajectory_id', 't.id')
				.select(summaryColumns)
				.select('m.role')
				.select((eb) =>
					eb
						.selectFrom('themes as th')
						.select(eb.fn.countAll<number | string>().as('n'))
						.whereRef('th.trajectory_id', '=', 't.id')
						.as('theme_count')
				)
				.where('m.user_id', '=', userId)
				.orderBy((eb) => eb('t.archived_at', 'is not', null))
				.orderBy('t.updated_at', 'desc')
				.execute();
			return rows.map((row) => ({
				...toSummary(row),
				role: row.role,
				themeCount: Number(row.theme_count)
			}));
		},

		/** Every trajectory (admin command line). */
		async listAll(): Promise<(TrajectorySummary & { themeCount: number; memberCount: number })[]> {
			const rows = await db
				.selectFrom('trajectories as t')
				.select(summaryColumns)
				.select((eb) => [
					eb
						.selectFrom('themes as th')
						.select(eb.fn.countAll<number | string>().as('n'))
						.whereRef('th.trajectory_id', '=', 't.id')
						.as('theme_count'),
					eb
						.selectFrom('members as m')
						.select(eb.fn.countAll<number | string>().as('n'))
						.whereRef('m.trajectory_id', '=', 't.id')
						.as('member_count')
				])
				.orderBy('t.created_at')
				.execute();
			return rows.map((row) => ({
				...toSummary(row),
				themeCount: Number(row.theme_count),
				memberCount: Number(row.member_count)
			}));
		},

		/** The user's role on the trajectory, or null when they are no member (or it does not exist). */
		roleOf,

		update: (id: string, input: TrajectoryInput, tx?: Executor): Promise<void> =>
			inTransaction(db, tx, async (trx) => {
				await trx
					.updateTable('trajectories')
					.set({
						municipality: input.municipality,
						title: input.title,
						description: input.description,
						updated_at: now().getTime()
					})
					.where('id', '=', id)
					.execute();
				await replacePartners(trx, id, input.partners);
			}),

		async setArchived(id: string, archived: boolean): Promise<void> {
			await db
				.updateTable('trajectories')
				.set({ archived_at: archived ? now().getTime() : null, updated_at: now().getTime() })
				.where('id', '=', id)
				.execute();
		},

		/** Deletes the trajectory and, by cascade, its partners, themes, members and invitations. */
		async delete(id: string, tx: Executor = db): Promise<void> {
			await tx.deleteFrom('trajectories').where('id', '=', id).execute();
		},

		themes: {
			list: (trajectoryId: string): Promise<Theme[]> => themesOf(trajectoryId),
			/** One theme with its trajectory, or null when there is no such theme. */
			async get(themeId: string): Promise<(Theme & { trajectoryId: string }) | null> {
				const row = await db
					.selectFrom('themes')
					.select(['id', 'name', 'position', 'trajectory_id'])
					.where('id', '=', themeId)
					.executeTakeFirst();
				return row
					? { id: row.id, name: row.name, position: row.position, trajectoryId: row.trajectory_id }
					: null;
			},
			/**
			 * Adds a theme after the others. The trajectory's row is changed (locked) first, so that
			 * two nodes adding at once on PostgreSQL take the next place one after the other.
			 */
			add: (trajectoryId: string, name: string, tx?: Executor): Promise<Theme> =>
				inTransaction(db, tx, async (trx) => {
					await touch(trajectoryId, trx);
					const { max } = await trx
						.selectFrom('themes')
						.select((eb) => eb.fn.max('position').as('max'))
						.where('trajectory_id', '=', trajectoryId)
						.executeTakeFirstOrThrow();
					const theme = { id: newId(), name, position: max === null ? 0 : Number(max) + 1 };
					await trx
						.insertInto('themes')
						.values({ ...theme, trajectory_id: trajectoryId })
						.execute();
					return theme;
				}),
			/** @returns false when the theme is not part of this trajectory. */
			async rename(trajectoryId: string, themeId: string, name: string): Promise<boolean> {
				const { numUpdatedRows } = await db
					.updateTable('themes')
					.set({ name })
					.where('id', '=', themeId)
					.where('trajectory_id', '=', trajectoryId)
					.executeTakeFirst();
				if (numUpdatedRows) await touch(trajectoryId);
				return numUpdatedRows > 0n;
			},
			/**
			 * Moves a theme one place up (-1) or down (+1), after locking the trajectory's row as `add`
			 * does (two moves at once on two nodes would otherwise each renumber from the old order).
			 * @returns false when it cannot move.
			 */
			move: (trajectoryId: string, themeId: string, delta: -1 | 1): Promise<boolean> =>
				inTransaction(db, undefined, async (trx) => {
					await touch(trajectoryId, trx);
					const list = await themesOf(trajectoryId, trx);
					const index = list.findIndex((t) => t.id === themeId);
					const target = index + delta;
					if (index < 0 || target < 0 || target >= list.length) throw new NotMoved();
					[list[index], list[target]] = [list[target], list[index]];
					for (const [position, theme] of list.entries())
						await trx.updateTable('themes').set({ position }).where('id', '=', theme.id).execute();
					return true;
				}).catch((error: unknown) => {
					if (error instanceof NotMoved) return false;
					throw error;
				}),
			async remove(trajectoryId: string, themeId: string): Promise<boolean> {
				const { numDeletedRows } = await db
					.deleteFrom('themes')
					.where('id', '=', themeId)
					.where('trajectory_id', '=', trajectoryId)
					.executeTakeFirst();
				if (numDeletedRows) await touch(trajectoryId);
				return numDeletedRows > 0n;
			}
		},

		glossary: createKyselyGlossary(db, touch, now),

		members: {
			async list(trajectoryId: string): Promise<Member[]> {
				const rows = await db
					.selectFrom('members')
					.select(['user_id', 'role', 'added_at'])
					.where('trajectory_id', '=', trajectoryId)
					.execute();
				const members = await Promise.all(
					rows.map(async (r): Promise<Member[]> => {
						const user = await users.byId(r.user_id);
						return user
							? [
									{
										userId: r.user_id,
										name: user.name,
										email: user.email,
										role: r.role,
										addedAt: new Date(millis(r.added_at))
									}
								]
							: [];
					})
				);
				return members
					.flat()
					.sort((a, b) => byCodeUnits(a.role, b.role) || byCodeUnits(a.name, b.name));
			},
			/** Adds or upgrades a member (an observer invited as facilitator becomes one). */
			async add(
				trajectoryId: string,
				userId: string,
				role: MemberRole,
				tx: Executor = db
			): Promise<void> {
				await tx
					.insertInto('members')
					.values({ trajectory_id: trajectoryId, user_id: userId, role, added_at: now().getTime() })
					.onConflict((conflict) =>
						conflict.columns(['trajectory_id', 'user_id']).doUpdateSet((eb) => ({
							role: eb
								.case()
								.when('excluded.role', '=', 'facilitator')
								.then('facilitator' as MemberRole)
								.else(eb.ref('members.role'))
								.end()
						}))
					)
					.execute();
			},
			/**
			 * Removes a member. @returns 'last-facilitator' when that would leave the trajectory without
			 * a facilitator (refused), 'not-found' or 'removed'. Two removals of a trajectory's members
			 * run one after the other (the trajectory's row is locked first; on PostgreSQL two nodes
			 * could otherwise each remove one of the last two facilitators).
			 */
			remove: (
				trajectoryId: string,
				userId: string,
				tx?: Executor
			): Promise<'removed' | 'not-found' | 'last-facilitator'> =>
				inTransaction(db, tx, async (trx) => {
					await trx
						.updateTable('trajectories')
						.set({ updated_at: sql<number>`updated_at` })
						.where('id', '=', trajectoryId)
						.execute();
					const role = await roleOf(trajectoryId, userId, trx);
					if (!role) return 'not-found';
					if (role === 'facilitator') {
						const { n } = await trx
							.selectFrom('members')
							.select((eb) => eb.fn.countAll<number | string>().as('n'))
							.where('trajectory_id', '=', trajectoryId)
							.where('role', '=', 'facilitator')
							.executeTakeFirstOrThrow();
						if (Number(n) <= 1) return 'last-facilitator';
					}
					await trx
						.deleteFrom('members')
						.where('trajectory_id', '=', trajectoryId)
						.where('user_id', '=', userId)
						.execute();
					return 'removed';
				})
		}
	};
	return guarded('trajectories', api);
}

export type KyselyTrajectories = ReturnType<typeof createKyselyTrajectories>;
