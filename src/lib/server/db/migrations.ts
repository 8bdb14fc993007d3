/**
 * The SQLite baseline: the schema migrations of Kompas up to version 7 (`user_version`), applied in
 * order by `createDb` (sqlite-migrator.ts), each inside one transaction with its version bump.
 *
 * FROZEN: do not append here. Every later change to the schema is one entry of the one history in
 * schema-migrations.ts, written once for SQLite and PostgreSQL (ARCHITECTURE.md, "One migration
 * history"); postgres-migrations.ts holds the PostgreSQL baseline that equals this one.
 */
export const MIGRATIONS: readonly string[] = [
	/* 1: accounts, sessions, trajectories, themes, partners, members, invitations */ `
	CREATE TABLE users (
		id TEXT PRIMARY KEY,
		email TEXT NOT NULL UNIQUE COLLATE NOCASE,
		name TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('facilitator', 'observer')),
		created_at INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		user_agent TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX sessions_user ON sessions(user_id);
	CREATE TABLE trajectories (
		id TEXT PRIMARY KEY,
		municipality TEXT NOT NULL,
		title TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		archived_at INTEGER
	);
	CREATE TABLE partners (
		id TEXT PRIMARY KEY,
		trajectory_id TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		perspective TEXT NOT NULL,
		position INTEGER NOT NULL
	);
	CREATE INDEX partners_trajectory ON partners(trajectory_id, position);
	CREATE TABLE themes (
		id TEXT PRIMARY KEY,
		trajectory_id TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		position INTEGER NOT NULL
	);
	CREATE INDEX themes_trajectory ON themes(trajectory_id, position);
	CREATE TABLE members (
		trajectory_id TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		role TEXT NOT NULL CHECK (role IN ('facilitator', 'observer')),
		added_at INTEGER NOT NULL,
		PRIMARY KEY (trajectory_id, user_id)
	);
	CREATE INDEX members_user ON members(user_id);
	CREATE TABLE invitations (
		id TEXT PRIMARY KEY,
		trajectory_id TEXT REFERENCES trajectories(id) ON DELETE CASCADE,
		role TEXT NOT NULL CHECK (role IN ('facilitator', 'observer')),
		created_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at INTEGER,
		used_by TEXT REFERENCES users(id) ON DELETE SET NULL
	);
	CREATE INDEX invitations_trajectory ON invitations(trajectory_id);
	`,
	/* live sessions (bijeenkomsten) on a theme board and the participants who joined them by code */ `
	CREATE TABLE live_sessions (
		id TEXT PRIMARY KEY,
		trajectory_id TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
		theme_id TEXT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
		cycle INTEGER NOT NULL DEFAULT 1,
		board_id TEXT NOT NULL,
		title TEXT NOT NULL,
		date TEXT NOT NULL,
		agenda TEXT NOT NULL DEFAULT '[]',
		join_code TEXT NOT NULL UNIQUE,
		joining_open INTEGER NOT NULL DEFAULT 1,
		created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
		created_at INTEGER NOT NULL,
		started_at INTEGER,
		ended_at INTEGER
	);
	CREATE INDEX live_sessions_theme ON live_sessions(theme_id, date);
	CREATE INDEX live_sessions_board ON live_sessions(board_id);
	CREATE TABLE participants (
		id TEXT PRIMARY KEY,
		live_session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
		token_hash TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		organisation TEXT NOT NULL,
		perspective TEXT NOT NULL,
		joined_at INTEGER NOT NULL,
		revoked_at INTEGER
	);
	CREATE INDEX participants_session ON participants(live_session_id, joined_at);
	`,
	/* realtime update log: Yjs updates and compacted snapshots per board and private doc (server/realtime) */ `
	CREATE TABLE realtime_updates (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		doc_name TEXT NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('update', 'snapshot')),
		data BLOB NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE INDEX realtime_updates_doc ON realtime_updates(doc_name, id);
	`,
	/* glossary (begrippenlijst): the agreed meaning of terms per trajectory */ `
	CREATE TABLE glossary (
		id TEXT PRIMARY KEY,
		trajectory_id TEXT NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
		term TEXT NOT NULL,
		definition TEXT NOT NULL,
		position INTEGER NOT NULL
	);
	CREATE INDEX glossary_trajectory ON glossary(trajectory_id, position);
	`,
	/* reopenings of ended sessions (who, when, which end they undid); participants who left ("Verlaten") or were anonymised (retention) */ `
	CREATE TABLE session_reopenings (
		id TEXT PRIMARY KEY,
		live_session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
		reopened_by TEXT REFERENCES users(id) ON DELETE SET NULL,
		reopened_by_name TEXT NOT NULL,
		reopened_at INTEGER NOT NULL,
		ended_at INTEGER NOT NULL
	);
	CREATE INDEX session_reopenings_session ON session_reopenings(live_session_id, reopened_at);
	ALTER TABLE participants ADD COLUMN left_at INTEGER;
	ALTER TABLE participants ADD COLUMN anonymised_at INTEGER;
	`,
	/* realtime client owners: which identity writes with which Yjs client id, per document (server/realtime/client-owners.ts) */ `
	CREATE TABLE realtime_client_owners (
		doc_name TEXT NOT NULL,
		client_id INTEGER NOT NULL,
		owner TEXT NOT NULL,
		PRIMARY KEY (doc_name, client_id)
	) WITHOUT ROWID;
	`,
	/* glossary per perspective: status (open/agreed), an open question, readings per perspective; existing terms keep their meaning and are agreed when they have one */ `
	ALTER TABLE glossary ADD COLUMN status TEXT NOT NULL DEFAULT 'agreed';
	ALTER TABLE glossary ADD COLUMN note TEXT NOT NULL DEFAULT '';
	ALTER TABLE glossary ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
	UPDATE glossary SET status = 'open' WHERE trim(definition) = '';
	UPDATE glossary SET created_at = position;
	CREATE TABLE glossary_readings (
		id TEXT PRIMARY KEY,
		glossary_id TEXT NOT NULL REFERENCES glossary(id) ON DELETE CASCADE,
		perspective TEXT NOT NULL,
		text TEXT NOT NULL,
		author_id TEXT NOT NULL DEFAULT '',
		author_name TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL
	);
	CREATE INDEX glossary_readings_term ON glossary_readings(glossary_id, created_at);
	`
];
