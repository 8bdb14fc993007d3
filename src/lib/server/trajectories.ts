import type { Db } from './db/open.ts';
import { maybeDate, millis, type ReadRow } from './db/tables.ts';
import { newId } from './auth/tokens.ts';
import { createGlossary } from './glossary.ts';
import type { MemberRole, Perspective } from '../domain/roles.ts';
import type { Users } from './users.ts';

export interface Partner {
	id: string;
	name: string;
	perspective: Perspective;
}

export interface Theme {
	id: string;
	name: string;
	position: number;
}

export interface Member {
	userId: string;
	name: string;
	email: string;
	role: MemberRole;
	addedAt: Date;
}

export interface TrajectorySummary {
	id: string;
	municipality: string;
	title: string;
	description: string;
	createdAt: Date;
	updatedAt: Date;
	archivedAt: Date | null;
}

export interface Trajectory extends TrajectorySummary {
	partners: Partner[];
	themes: Theme[];
}

/** What a facilitator fills in on the trajectory form. */
export interface TrajectoryInput {
	municipality: string;
	title: string;
	description: string;
	partners: { id?: string; name: string; perspective: Perspective }[];
}

export interface TrajectoryRow {
	id: string;
	municipality: string;
	title: string;
	description: string;
	created_at: number;
	updated_at: number;
	archived_at: number | null;
}

/** A row as the trajectory's summary (both forms of the repository). */
export const toSummary = (
	row: ReadRow<TrajectoryRow, 'created_at' | 'updated_at' | 'archived_at'>
): TrajectorySummary => ({
	id: row.id,
	municipality: row.municipality,
	title: row.title,
	description: row.description,
	createdAt: new Date(millis(row.created_at)),
	updatedAt: new Date(millis(row.updated_at)),
	archivedAt: maybeDate(row.archived_at)
});

/**
 * Trajectory storage: the trajectory itself, its partner organisations, themes, glossary and members
 * (tables `trajectories`, `partners`, `themes`, `glossary` and `glossary_readings` through
 * `glossary.ts`, `members`). A member's name and e-mail
 * come from the user repository. Callers authorise first (see `roleOf`); these functions only read
 * and write.
 */
export function createTrajectories(
	db: Db,
	users: Pick<Users, 'byId'>,
	now: () => Date = () => new Date()
) {
	const touch = (id: string) =>
		db.prepare('UPDATE trajectories SET updated_at = ? WHERE id = ?').run(now().getTime(), id);

	const replacePartners = (trajectoryId: string, partners: TrajectoryInput['partners']) => {
		const keep = partners.filter((p) => p.id).map((p) => p.id as string);
		const existing = db
			.prepare('SELECT id FROM partners WHERE trajectory_id = ?')
			.all(trajectoryId) as { id: string }[];
		for (const { id } of existing)
			if (!keep.includes(id)) db.prepare('DELETE FROM partners WHERE id = ?').run(id);
		partners.forEach((partner, position) => {
			if (partner.id && existing.some((e) => e.id === partner.id))
				db.prepare(
					'UPDATE partners SET name = ?, perspective = ?, position = ? WHERE id = ? AND trajectory_id = ?'
				).run(partner.name, partner.perspective, position, partner.id, trajectoryId);
			else
				db.prepare(
					'INSERT INTO partners (id, trajectory_id, name, perspective, position) VALUES (?, ?, ?, ?, ?)'
				).run(newId(), trajectoryId, partner.name, partner.perspective, position);
		});
	};

	const themesOf = (trajectoryId: string): Theme[] =>
		db
			.prepare('SELECT id, name, position FROM themes WHERE trajectory_id = ? ORDER BY position')
			.all(trajectoryId) as Theme[];

	const api = {
		/** Creates a trajectory with its partners and themes; `userId` becomes its facilitator. */
		create(userId: string, input: TrajectoryInput & { themes?: string[] }): Trajectory {
			const id = newId();
			const at = now().getTime();
			db.transaction(() => {
				db.prepare(
					'INSERT INTO trajectories (id, municipality, title, description, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
				).run(id, input.municipality, input.title, input.description, userId, at, at);
				db.prepare(
					"INSERT INTO members (trajectory_id, user_id, role, added_at) VALUES (?, ?, 'facilitator', ?)"
				).run(id, userId, at);
				replacePartners(id, input.partners);
				(input.themes ?? []).forEach((name, position) =>
					db
						.prepare('INSERT INTO themes (id, trajectory_id, name, position) VALUES (?, ?, ?, ?)')
						.run(newId(), id, name, position)
				);
			})();
			return api.get(id) as Trajectory;
		},

		get(id: string): Trajectory | null {
			const row = db.prepare('SELECT * FROM trajectories WHERE id = ?').get(id) as
				TrajectoryRow | undefined;
			if (!row) return null;
			const partners = db
				.prepare(
					'SELECT id, name, perspective FROM partners WHERE trajectory_id = ? ORDER BY position'
				)
				.all(id) as Partner[];
			return { ...toSummary(row), partners, themes: themesOf(id) };
		},

		/** Every trajectory the user is a member of, with their role, active ones first. */
		listFor(userId: string): (TrajectorySummary & { role: MemberRole; themeCount: number })[] {
			const rows = db
				.prepare(
					`SELECT t.*, m.role, (SELECT COUNT(*) FROM themes th WHERE th.trajectory_id = t.id) AS theme_count
					 FROM trajectories t JOIN members m ON m.trajectory_id = t.id
					 WHERE m.user_id = ? ORDER BY (t.archived_at IS NOT NULL), t.updated_at DESC`
				)
				.all(userId) as (TrajectoryRow & { role: MemberRole; theme_count: number })[];
			return rows.map((row) => ({
				...toSummary(row),
				role: row.role,
				themeCount: row.theme_count
			}));
		},

		/** Every trajectory (admin command line). */
		listAll(): (TrajectorySummary & { themeCount: number; memberCount: number })[] {
			const rows = db
				.prepare(
					`SELECT t.*, (SELECT COUNT(*) FROM themes th WHERE th.trajectory_id = t.id) AS theme_count,
					        (SELECT COUNT(*) FROM members m WHERE m.trajectory_id = t.id) AS member_count
					 FROM trajectories t ORDER BY t.created_at`
				)
				.all() as (TrajectoryRow & { theme_count: number; member_count: number })[];
			return rows.map((row) => ({
				...toSummary(row),
				themeCount: row.theme_count,
				memberCount: row.member_count
			}));
		},

		/** The user's role on the trajectory, or null when they are no member (or it does not exist). */
		roleOf(trajectoryId: string, userId: string): MemberRole | null {
			const row = db
				.prepare('SELECT role FROM members WHERE trajectory_id = ? AND user_id = ?')
				.get(trajectoryId, userId) as { role: MemberRole } | undefined;
			return row?.role ?? null;
		},

		update(id: string, input: TrajectoryInput): void {
			db.transaction(() => {
				db.prepare(
					'UPDATE trajectories SET municipality = ?, title = ?, description = ?, updated_at = ? WHERE id = ?'
				).run(input.municipality, input.title, input.description, now().getTime(), id);
				replacePartners(id, input.partners);
			})();
		},

		setArchived(id: string, archived: boolean): void {
			db.prepare('UPDATE trajectories SET archived_at = ?, updated_at = ? WHERE id = ?').run(
				archived ? now().getTime() : null,
				now().getTime(),
				id
			);
		},

		/** Deletes the trajectory and, by cascade, its partners, themes, members and invitations. */
		delete(id: string): void {
			db.prepare('DELETE FROM trajectories WHERE id = ?').run(id);
		},

		themes: {
			list: themesOf,
			/** One theme with its trajectory, or null when there is no such theme. */
			get(themeId: string): (Theme & { trajectoryId: string }) | null {
				const row = db
					.prepare('SELECT id, name, position, trajectory_id FROM themes WHERE id = ?')
					.get(themeId) as (Theme & { trajectory_id: string }) | undefined;
				return row
					? { id: row.id, name: row.name, position: row.position, trajectoryId: row.trajectory_id }
					: null;
			},
			add(trajectoryId: string, name: string): Theme {
				const position = (
					db
						.prepare(
							'SELECT COALESCE(MAX(position) + 1, 0) AS p FROM themes WHERE trajectory_id = ?'
						)
						.get(trajectoryId) as { p: number }
				).p;
				const theme = { id: newId(), name, position };
				db.prepare(
					'INSERT INTO themes (id, trajectory_id, name, position) VALUES (?, ?, ?, ?)'
				).run(theme.id, trajectoryId, name, position);
				touch(trajectoryId);
				return theme;
			},
			/** @returns false when the theme is not part of this trajectory. */
			rename(trajectoryId: string, themeId: string, name: string): boolean {
				const changed = db
					.prepare('UPDATE themes SET name = ? WHERE id = ? AND trajectory_id = ?')
					.run(name, themeId, trajectoryId).changes;
				if (changed) touch(trajectoryId);
				return changed > 0;
			},
			/** Moves a theme one place up (-1) or down (+1). @returns false when it cannot move. */
			move(trajectoryId: string, themeId: string, delta: -1 | 1): boolean {
				const list = themesOf(trajectoryId);
				const index = list.findIndex((t) => t.id === themeId);
				const target = index + delta;
				if (index < 0 || target < 0 || target >= list.length) return false;
				[list[index], list[target]] = [list[target], list[index]];
				db.transaction(() =>
					list.forEach((t, position) =>
						db.prepare('UPDATE themes SET position = ? WHERE id = ?').run(position, t.id)
					)
				)();
				touch(trajectoryId);
				return true;
			},
			remove(trajectoryId: string, themeId: string): boolean {
				const changed = db
					.prepare('DELETE FROM themes WHERE id = ? AND trajectory_id = ?')
					.run(themeId, trajectoryId).changes;
				if (changed) touch(trajectoryId);
				return changed > 0;
			}
		},

		glossary: createGlossary(db, touch, now),

		members: {
			list(trajectoryId: string): Member[] {
				const rows = db
					.prepare('SELECT user_id, role, added_at FROM members WHERE trajectory_id = ?')
					.all(trajectoryId) as { user_id: string; role: MemberRole; added_at: number }[];
				const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
				return rows
					.flatMap((r) => {
						const user = users.byId(r.user_id);
						return user
							? [
									{
										userId: r.user_id,
										name: user.name,
										email: user.email,
										role: r.role,
										addedAt: new Date(r.added_at)
									}
								]
							: [];
					})
					.sort((a, b) => byCodeUnits(a.role, b.role) || byCodeUnits(a.name, b.name));
			},
			/** Adds or upgrades a member (an observer invited as facilitator becomes one). */
			add(trajectoryId: string, userId: string, role: MemberRole): void {
				db.prepare(
					`INSERT INTO members (trajectory_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
					 ON CONFLICT (trajectory_id, user_id) DO UPDATE SET role =
					   CASE WHEN excluded.role = 'facilitator' THEN 'facilitator' ELSE members.role END`
				).run(trajectoryId, userId, role, now().getTime());
			},
			/**
			 * Removes a member. @returns 'last-facilitator' when that would leave the trajectory without
			 * a facilitator (refused), 'not-found' or 'removed'.
			 */
			remove(trajectoryId: string, userId: string): 'removed' | 'not-found' | 'last-facilitator' {
				const role = api.roleOf(trajectoryId, userId);
				if (!role) return 'not-found';
				if (role === 'facilitator') {
					const { n } = db
						.prepare(
							"SELECT COUNT(*) AS n FROM members WHERE trajectory_id = ? AND role = 'facilitator'"
						)
						.get(trajectoryId) as { n: number };
					if (n <= 1) return 'last-facilitator';
				}
				db.prepare('DELETE FROM members WHERE trajectory_id = ? AND user_id = ?').run(
					trajectoryId,
					userId
				);
				return 'removed';
			}
		}
	};
	return api;
}

export type Trajectories = ReturnType<typeof createTrajectories>;
