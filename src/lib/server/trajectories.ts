import { maybeDate, millis, type ReadRow } from './db/tables.ts';
import type { MemberRole, Perspective } from '../domain/roles.ts';
import type { KyselyTrajectories } from './trajectories.kysely.ts';

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

/** The trajectories repository as `AppContext` holds it: its Kysely form (trajectories.kysely.ts), SQLite or PostgreSQL. */
export type Trajectories = KyselyTrajectories;
