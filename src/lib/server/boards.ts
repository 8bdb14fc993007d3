/**
 * Whole boards outside a live room: for the trajectory overview, exports, imports, the next cycle
 * and a trajectory's deletion. Every stored document is reached through the `UpdateStore` port
 * (updates/store.ts) and the client-owner bindings through theirs; this module names no table. The
 * realtime server stores every accepted update within its flush delay (100 ms), so a board read here
 * is at most that far behind the live room.
 *
 * Document names follow the realtime server: `board/<themeId>.<cycle>`, `private/<themeId>.<cycle>/…`.
 */
import * as Y from 'yjs';
import { createBoardDoc, readBoardSnapshot } from '../board/schema/index.ts';
import { readConsent } from '../board/schema/consent.ts';
import { parseBoardId } from '../domain/ids.ts';
import type { BoardSnapshot } from '../domain/snapshot.ts';
import type { AppContext } from './context.ts';
import type { Executor } from './db/repository.ts';
import type { KyselyLiveSessions } from './live-sessions.kysely.ts';
import type { KyselyTrajectories } from './trajectories.kysely.ts';
import type { AsyncUpdateStore } from './updates/store.ts';
import type { AsyncClientOwners } from './updates/client-owners.ts';

export const boardIdOf = (themeId: string, cycle: number) => `${themeId}.${cycle}`;
const docName = (boardId: string) => `board/${boardId}`;

/** Where a board belongs. */
export interface BoardInfo {
	boardId: string;
	themeId: string;
	themeName: string;
	trajectoryId: string;
	cycle: number;
}

/** Boards as plain data, read from (and, for imports and next cycles, written to) the update store. */
export function createBoards(deps: {
	updates: AsyncUpdateStore<Executor>;
	owners: Pick<AsyncClientOwners<Executor>, 'removeDocs'>;
	themes: Pick<KyselyTrajectories['themes'], 'get'>;
	sessions: Pick<KyselyLiveSessions, 'maxCycle'>;
}) {
	const { updates } = deps;

	/** The board's document as stored, or null when nothing was ever written to it. */
	async function load(boardId: string): Promise<Y.Doc | null> {
		const { updates: stored } = await updates.load(docName(boardId));
		if (stored.length === 0) return null;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.mergeUpdates(stored));
		return doc;
	}

	return {
		/**
		 * The theme, trajectory and cycle behind a board id, or null when the board id is malformed or
		 * its theme does not exist.
		 */
		async info(boardId: string): Promise<BoardInfo | null> {
			const parsed = parseBoardId(boardId);
			const theme = parsed ? await deps.themes.get(parsed.themeId) : null;
			return parsed && theme
				? {
						boardId,
						themeId: theme.id,
						themeName: theme.name,
						trajectoryId: theme.trajectoryId,
						cycle: parsed.cycle
					}
				: null;
		},

		/** The board as plain data; an empty board when nothing was written yet. */
		async snapshot(boardId: string, themeName: string): Promise<BoardSnapshot> {
			const doc = (await load(boardId)) ?? createBoardDoc({ boardId, themeName });
			const snapshot = { ...readBoardSnapshot(doc), consent: readConsent(doc) };
			doc.destroy();
			return snapshot;
		},

		/**
		 * The theme's current cycle: the highest cycle that has a stored board or a planned session,
		 * and 1 when there is none yet.
		 */
		async currentCycle(themeId: string): Promise<number> {
			const prefix = `board/${themeId}.`;
			const cycles = (await updates.list(prefix))
				.map((name) => Number(name.slice(prefix.length)))
				.filter((n) => Number.isInteger(n) && n > 0);
			return Math.max(1, (await deps.sessions.maxCycle(themeId)) ?? 1, ...cycles);
		},

		/**
		 * Deletes every stored board and private document of a theme, all cycles, with their client
		 * bindings (AVG: deletion). Pass the unit of work's `tx` that deletes the theme's rows.
		 */
		async deleteForTheme(themeId: string, tx?: Executor): Promise<void> {
			for (const prefix of [`board/${themeId}.`, `private/${themeId}.`]) {
				await updates.removeDocs(prefix, tx);
				await deps.owners.removeDocs(prefix, tx);
			}
		},

		/**
		 * Stores a whole document as a board's snapshot (imports, next cycles). Refuses to overwrite a
		 * board that already has content; in the unit of work's `tx` when given.
		 * @throws (rejects with) Error('board-exists')
		 */
		async write(boardId: string, doc: Y.Doc, tx?: Executor): Promise<void> {
			await updates.create(docName(boardId), Y.encodeStateAsUpdate(doc), tx);
		}
	};
}

export type Boards = ReturnType<typeof createBoards>;

/**
 * Deletes a trajectory: its rows (partners, themes, members, invitations, sessions and participants
 * by cascade) and every stored document of its themes, in one unit of work, so that a failure
 * leaves both. The caller first emits `trajectoryDeleted`, so that no socket writes afterwards.
 */
export function deleteTrajectory(
	app: Pick<AppContext, 'atomically' | 'boards' | 'trajectories'>,
	trajectory: { id: string; themes: readonly { id: string }[] }
): Promise<void> {
	return app.atomically(async (tx) => {
		for (const theme of trajectory.themes) await app.boards.deleteForTheme(theme.id, tx);
		await app.trajectories.delete(trajectory.id, tx);
	});
}
