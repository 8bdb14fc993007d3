/**
 * The PostgreSQL baseline, as Kysely migrations: the same schema the frozen SQLite baseline
 * (migrations.ts, `user_version` 1–7) creates, table for table (db/postgres.spec.ts compares them
 * on a real PostgreSQL). Complete and closed: every later change is one entry of the one history
 * in schema-migrations.ts, which runs on both dialects after these (ARCHITECTURE.md, "One migration
 * history"). Never edit an applied entry: the name is the key Kysely records in
 * `kompas_migrations`, and names sort in the order they run.
 */
import { sql, type Migration } from 'kysely';

/** Document names compare byte by byte (collation "C"), like SQLite's BINARY: prefix ranges and order match. */
const docName = sql`text collate "C"`;

export const POSTGRES_MIGRATIONS: Record<string, Migration> = {
	/** The board update log (owner: updates/store.postgres.ts). */
	'0001-realtime-update-log': {
		async up(db) {
			await db.schema
				.createTable('realtime_updates')
				.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
				.addColumn('doc_name', docName, (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('update', 'snapshot')`))
				.addColumn('data', 'bytea', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('realtime_updates_doc')
				.on('realtime_updates')
				.columns(['doc_name', 'id'])
				.execute();
		}
	},
	/** Which identity writes with which Yjs client id (owner: updates/client-owners.postgres.ts). */
	'0002-realtime-client-owners': {
		async up(db) {
			await db.schema
				.createTable('realtime_client_owners')
				.addColumn('doc_name', docName, (c) => c.notNull())
				// Yjs client ids are unsigned 32-bit: beyond `integer`.
				.addColumn('client_id', 'bigint', (c) => c.notNull())
				.addColumn('owner', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('realtime_client_owners_pk', ['doc_name', 'client_id'])
				.execute();
		}
	},
	/**
	 * Every app table of the SQLite baseline (migrations.ts, versions 1–7), with the same columns in
	 * the same order, nullability, keys, foreign keys with their ON DELETE, checks, defaults, unique
	 * constraints and indexes (db/postgres.spec.ts holds each table to its SQLite twin). Times are
	 * milliseconds since 1970 (`bigint`); SQLite's INTEGER flags and positions are `integer`.
	 * SQLite's `email … UNIQUE COLLATE NOCASE` is a unique index on `lower(email)` (users.ts stores
	 * addresses lower-cased; a PostgreSQL adapter looks them up with `lower(email) = $1`).
	 */
	'0003-app-tables': {
		async up(db) {
			const ms = 'bigint';
			const role = (column: string) => sql`${sql.ref(column)} in ('facilitator', 'observer')`;
			await db.schema
				.createTable('users')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('email', 'text', (c) => c.notNull())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull().check(role('kind')))
				.addColumn('created_at', ms, (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('users_email')
				.unique()
				.on('users')
				.expression(sql`lower(email)`)
				.execute();

			await db.schema
				.createTable('sessions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('created_at', ms, (c) => c.notNull())
				.addColumn('expires_at', ms, (c) => c.notNull())
				.addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
				.execute();
			await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

			await db.schema
				.createTable('trajectories')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('municipality', 'text', (c) => c.notNull())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
				.addColumn('created_at', ms, (c) => c.notNull())
				.addColumn('updated_at', ms, (c) => c.notNull())
				.addColumn('archived_at', ms)
				.execute();

			await db.schema
				.createTable('partners')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('trajectory_id', 'text', (c) =>
					c.notNull().references('trajectories.id').onDelete('cascade')
				)
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('perspective', 'text', (c) => c.notNull())
				.addColumn('position', 'integer', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('partners_trajectory')
				.on('partners')
				.columns(['trajectory_id', 'position'])
				.execute();

			await db.schema
				.createTable('themes')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('trajectory_id', 'text', (c) =>
					c.notNull().references('trajectories.id').onDelete('cascade')
				)
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('position', 'integer', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('themes_trajectory')
				.on('themes')
				.columns(['trajectory_id', 'position'])
				.execute();

			await db.schema
				.createTable('members')
				.addColumn('trajectory_id', 'text', (c) =>
					c.notNull().references('trajectories.id').onDelete('cascade')
				)
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('role', 'text', (c) => c.notNull().check(role('role')))
				.addColumn('added_at', ms, (c) => c.notNull())
				.addPrimaryKeyConstraint('members_pkey', ['trajectory_id', 'user_id'])
				.execute();
			await db.schema.createIndex('members_user').on('members').column('user_id').execute();

			await db.schema
				.createTable('invitations')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('trajectory_id', 'text', (c) =>
					c.references('trajectories.id').onDelete('cascade')
				)
				.addColumn('role', 'text', (c) => c.notNull().check(role('role')))
				.addColumn('created_by', 'text', (c) =>
					c.notNull().references('users.id').onDelete('cascade')
				)
				.addColumn('created_at', ms, (c) => c.notNull())
				.addColumn('expires_at', ms, (c) => c.notNull())
				.addColumn('used_at', ms)
				.addColumn('used_by', 'text', (c) => c.references('users.id').onDelete('set null'))
				.execute();
			await db.schema
				.createIndex('invitations_trajectory')
				.on('invitations')
				.column('trajectory_id')
				.execute();

			await db.schema
				.createTable('live_sessions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('trajectory_id', 'text', (c) =>
					c.notNull().references('trajectories.id').onDelete('cascade')
				)
				.addColumn('theme_id', 'text', (c) =>
					c.notNull().references('themes.id').onDelete('cascade')
				)
				.addColumn('cycle', 'integer', (c) => c.notNull().defaultTo(1))
				.addColumn('board_id', 'text', (c) => c.notNull())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('date', 'text', (c) => c.notNull())
				.addColumn('agenda', 'text', (c) => c.notNull().defaultTo('[]'))
				.addColumn('join_code', 'text', (c) => c.notNull().unique())
				.addColumn('joining_open', 'integer', (c) => c.notNull().defaultTo(1))
				.addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
				.addColumn('created_at', ms, (c) => c.notNull())
				.addColumn('started_at', ms)
				.addColumn('ended_at', ms)
				.execute();
			await db.schema
				.createIndex('live_sessions_theme')
				.on('live_sessions')
				.columns(['theme_id', 'date'])
				.execute();
			await db.schema
				.createIndex('live_sessions_board')
				.on('live_sessions')
				.column('board_id')
				.execute();

			await db.schema
				.createTable('participants')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('live_session_id', 'text', (c) =>
					c.notNull().references('live_sessions.id').onDelete('cascade')
				)
				.addColumn('token_hash', 'text', (c) => c.notNull().unique())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('organisation', 'text', (c) => c.notNull())
				.addColumn('perspective', 'text', (c) => c.notNull())
				.addColumn('joined_at', ms, (c) => c.notNull())
				.addColumn('revoked_at', ms)
				.addColumn('left_at', ms)
				.addColumn('anonymised_at', ms)
				.execute();
			await db.schema
				.createIndex('participants_session')
				.on('participants')
				.columns(['live_session_id', 'joined_at'])
				.execute();

			await db.schema
				.createTable('glossary')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('trajectory_id', 'text', (c) =>
					c.notNull().references('trajectories.id').onDelete('cascade')
				)
				.addColumn('term', 'text', (c) => c.notNull())
				.addColumn('definition', 'text', (c) => c.notNull())
				.addColumn('position', 'integer', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull().defaultTo('agreed'))
				.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('created_at', ms, (c) => c.notNull().defaultTo(0))
				.execute();
			await db.schema
				.createIndex('glossary_trajectory')
				.on('glossary')
				.columns(['trajectory_id', 'position'])
				.execute();

			await db.schema
				.createTable('session_reopenings')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('live_session_id', 'text', (c) =>
					c.notNull().references('live_sessions.id').onDelete('cascade')
				)
				.addColumn('reopened_by', 'text', (c) => c.references('users.id').onDelete('set null'))
				.addColumn('reopened_by_name', 'text', (c) => c.notNull())
				.addColumn('reopened_at', ms, (c) => c.notNull())
				.addColumn('ended_at', ms, (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('session_reopenings_session')
				.on('session_reopenings')
				.columns(['live_session_id', 'reopened_at'])
				.execute();

			await db.schema
				.createTable('glossary_readings')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('glossary_id', 'text', (c) =>
					c.notNull().references('glossary.id').onDelete('cascade')
				)
				.addColumn('perspective', 'text', (c) => c.notNull())
				.addColumn('text', 'text', (c) => c.notNull())
				.addColumn('author_id', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('author_name', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('created_at', ms, (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('glossary_readings_term')
				.on('glossary_readings')
				.columns(['glossary_id', 'created_at'])
				.execute();
		}
	}
};
