/**
 * Every table as Kysely sees it, on both dialects (ARCHITECTURE.md, "Ports and adapters"): the one
 * `Database` interface that the Kysely repositories (`*.kysely.ts`), the update log's PostgreSQL
 * adapters and migrate-to-postgres are typed by. Written by hand from the one migration history
 * (migrations.ts on SQLite, postgres-migrations.ts on PostgreSQL; db/postgres.spec.ts holds the two
 * to each other): a new entry of schema-migrations.ts changes this file too.
 *
 * Dialect differences the types carry:
 * - Times are milliseconds since 1970: SQLite `integer` (a number), PostgreSQL `bigint`, which pg
 *   returns as a string. `Millis` columns are written as numbers and read as `number | string`;
 *   read them with `millis()`.
 * - Flags are `integer` 0/1 on both (no boolean type), so they read the same.
 */
import type { ColumnType, Generated } from 'kysely';

/** A time column (milliseconds since 1970); `Millis | null` when it may be empty. */
export type Millis = ColumnType<number | string, number, number>;
/** A nullable time column. */
export type MaybeMillis = ColumnType<number | string | null, number | null, number | null>;

/**
 * `Row` as either dialect reads it: its time columns `K` may come as strings (PostgreSQL's
 * `bigint`). The row mappers the synchronous and the Kysely form of an owner share take it.
 */
export type ReadRow<Row, K extends keyof Row> = Omit<Row, K> & {
	[P in K]: null extends Row[P] ? number | string | null : number | string;
};

/** A time column's value as a number (PostgreSQL's `bigint` arrives as a string). */
export const millis = (value: number | string): number => Number(value);
/** A nullable time column's value as a `Date`, or null. */
export const maybeDate = (value: number | string | null): Date | null =>
	value === null ? null : new Date(Number(value));

type Role = 'facilitator' | 'observer';

export interface Database {
	users: {
		id: string;
		/** Stored lower-cased; unique case-insensitively (SQLite NOCASE, PostgreSQL `lower(email)`). */
		email: string;
		name: string;
		password_hash: string;
		kind: Role;
		created_at: Millis;
	};
	sessions: {
		id: string;
		user_id: string;
		created_at: Millis;
		expires_at: Millis;
		user_agent: ColumnType<string, string | undefined, string>;
	};
	trajectories: {
		id: string;
		municipality: string;
		title: string;
		description: ColumnType<string, string | undefined, string>;
		created_by: string | null;
		created_at: Millis;
		updated_at: Millis;
		archived_at: MaybeMillis;
	};
	partners: {
		id: string;
		trajectory_id: string;
		name: string;
		perspective: string;
		position: number;
	};
	themes: {
		id: string;
		trajectory_id: string;
		name: string;
		position: number;
	};
	members: {
		trajectory_id: string;
		user_id: string;
		role: Role;
		added_at: Millis;
	};
	invitations: {
		id: string;
		trajectory_id: string | null;
		role: Role;
		created_by: string;
		created_at: Millis;
		expires_at: Millis;
		used_at: MaybeMillis;
		used_by: string | null;
	};
	live_sessions: {
		id: string;
		trajectory_id: string;
		theme_id: string;
		cycle: Generated<number>;
		board_id: string;
		title: string;
		date: string;
		agenda: Generated<string>;
		join_code: string;
		/** 0 or 1. */
		joining_open: Generated<number>;
		created_by: string | null;
		created_at: Millis;
		started_at: MaybeMillis;
		ended_at: MaybeMillis;
	};
	session_reopenings: {
		id: string;
		live_session_id: string;
		reopened_by: string | null;
		reopened_by_name: string;
		reopened_at: Millis;
		ended_at: Millis;
	};
	participants: {
		id: string;
		live_session_id: string;
		token_hash: string;
		name: string;
		organisation: string;
		perspective: string;
		joined_at: Millis;
		revoked_at: MaybeMillis;
		left_at: MaybeMillis;
		anonymised_at: MaybeMillis;
	};
	glossary: {
		id: string;
		trajectory_id: string;
		term: string;
		definition: string;
		position: number;
		status: Generated<string>;
		note: Generated<string>;
		created_at: ColumnType<number | string, number | undefined, number>;
	};
	glossary_readings: {
		id: string;
		glossary_id: string;
		perspective: string;
		text: string;
		author_id: Generated<string>;
		author_name: Generated<string>;
		created_at: Millis;
	};
	realtime_updates: {
		/** SQLite `integer`, PostgreSQL `bigint` (a string when read). */
		id: Generated<string>;
		doc_name: string;
		kind: 'update' | 'snapshot';
		data: Uint8Array;
		created_at: number;
	};
	realtime_client_owners: {
		doc_name: string;
		/** `bigint` on PostgreSQL: written as a number, read back as a string. */
		client_id: number | string;
		owner: string;
	};
}
