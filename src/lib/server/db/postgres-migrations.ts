/**
 * The PostgreSQL schema, as Kysely migrations (issue 12 item 2, plan step 1: "one migration history
 * for both dialects"). These are the first entries of that history: written in Kysely's schema
 * builder, so that the SQLite side can run the same entries once its own history (migrations.ts,
 * `user_version`) is frozen as a baseline; until then they run on PostgreSQL only
 * (ARCHITECTURE.md, "Ports and adapters"). Append new entries, never edit an applied one: the name
 * is the key Kysely records in `kompas_migrations`, and names sort in the order they run.
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
	}
};
