/**
 * The private documents of one board, for the server's jobs (reveal.ts: drafts, ballots; and
 * consent-tally.ts: consent answers): every stored or loaded `private/<boardId>/<participantId>`
 * room, acquired together so that a job reads and writes them all in one step, and released
 * afterwards even when the job throws.
 */
import type * as Y from 'yjs';
import type { Room, Rooms } from './rooms.ts';
import type { UpdateLog } from './store.ts';
import { privateRoomPrefix } from './types.ts';

/** One participant's private document, held for the length of a job. */
export interface PrivateDoc {
	participantId: string;
	doc: Y.Doc;
}

/** Runs `job` with every private document of `boardId` held; releases them all afterwards. */
export async function withPrivateDocs<T>(
	deps: { rooms: Rooms; store: UpdateLog },
	boardId: string,
	job: (docs: PrivateDoc[]) => T | Promise<T>
): Promise<T> {
	const prefix = privateRoomPrefix(boardId);
	const names = new Set([...(await deps.store.list(prefix)), ...deps.rooms.loadedNames(prefix)]);
	const held: Room[] = [];
	try {
		for (const name of names) held.push(await deps.rooms.acquire(name));
		return await job(
			held.map((room) => ({ participantId: room.name.slice(prefix.length), doc: room.doc }))
		);
	} finally {
		for (const room of held) deps.rooms.release(room);
	}
}
