/**
 * Reading and writing whole boards outside a live room: for the trajectory overview, exports and
 * imports. The realtime server stores every accepted update in `realtime_updates` within its flush
 * delay (100 ms), so a board read here is at most that far behind the live room.
 *
 * Document names follow the realtime server: `board/<themeId>.<cycle>`.
 */
import * as Y from 'yjs';
import { createBoardDoc, readBoardSnapshot } from '../board/schema/index.ts';
import { readConsent } from '../board/schema/consent.ts';
import type { BoardSnapshot } from '../domain/snapshot.ts';
import type { Db } from './db/open.ts';

export const boardIdOf = (themeId: string, cycle: number) => `${themeId}.${cycle}`;
const docName = (boardId: string) => `board/${boardId}`;

/** Boards as plain data, read from (and, for imports, written to) the realtime store's table. */
export function createBoards(db: Db, now: () => Date = () => new Date()) {
	const select = db.prepare('SELECT data FROM realtime_updates WHERE doc_name = ? ORDER BY id');
	const insert = db.prepare(
		"INSERT INTO realtime_updates (doc_name, kind, data, created_at) VALUES (?, 'snapshot', ?, ?)"
	);

	/** The board's document as stored, or null when nothing was ever written to it. */
	function load(boardId: string): Y.Doc | null {
		const rows = select.all(docName(boardId)) as { data: Uint8Array }[];
		if (rows.length === 0) return null;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data))));
		return doc;
	}

	return {
		/** The board as plain data; an empty board when nothing was written yet. */
		snapshot(boardId: string, themeName: string): BoardSnapshot {
			const doc = load(boardId) ?? createBoardDoc({ boardId, themeName });
			const snapshot = { ...readBoardSnapshot(doc), consent: readConsent(doc) };
			doc.destroy();
			return snapshot;
		},

		/**
		 * The theme's current cycle: the highest cycle that has a stored board or a planned session,
		 * and 1 when there is none yet.
		 */
		currentCycle(themeId: string): number {
			const stored = db
				.prepare(
					'SELECT DISTINCT doc_name FROM realtime_updates WHERE doc_name >= ? AND doc_name < ?'
				)
				.all(`board/${themeId}.`, `board/${themeId}.\uffff`) as { doc_name: string }[];
			const sessions = db
				.prepare('SELECT MAX(cycle) AS cycle FROM live_sessions WHERE theme_id = ?')
				.get(themeId) as { cycle: number | null };
			const cycles = stored
				.map((r) => Number(r.doc_name.slice(`board/${themeId}.`.length)))
				.filter((n) => Number.isInteger(n) && n > 0);
			return Math.max(1, sessions.cycle ?? 1, ...cycles);
		},

		/** Deletes every stored board and private document of a theme, all cycles (AVG: deletion). */
		deleteForTheme(themeId: string): void {
			for (const prefix of [`board/${themeId}.`, `private/${themeId}.`])
				for (const table of ['realtime_updates', 'realtime_client_owners'])
					db.prepare(`DELETE FROM ${table} WHERE doc_name >= ? AND doc_name < ?`).run(
						prefix,
						`${prefix}\uffff`
					);
		},

		/**
		 * Stores a whole document as a board's snapshot (imports). Refuses to overwrite a board that
		 * already has content. @throws Error('board-exists')
		 */
		write(boardId: string, doc: Y.Doc): void {
			if (select.all(docName(boardId)).length > 0) throw new Error('board-exists');
			insert.run(docName(boardId), Buffer.from(Y.encodeStateAsUpdate(doc)), now().getTime());
		}
	};
}

export type Boards = ReturnType<typeof createBoards>;
