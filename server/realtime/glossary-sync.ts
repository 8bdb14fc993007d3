/**
 * The live glossary of a board and the trajectory's glossary in the database, kept equal:
 * - when a board loads, its `glossary` and `readings` become what the database holds (added,
 *   changed, removed: `replaceGlossary`), written as the server, so stored and broadcast. The terms
 *   are read by the room's load (index.ts `onLoad`, awaited before anyone gets the room) and handed
 *   in as `seed`;
 * - every accepted client change to a term or reading is written back to the database: the values
 *   are taken in the transaction itself, and the writes (`saveTerm`, `saveReading`, `remove`,
 *   `deleteReading`, which return promises on the async repositories) queue per room, one after the
 *   other, so two quick edits of one term end with the second. When they have resolved, the other
 *   loaded boards of the trajectory take it over (`glossaryChanged`); a refused or failed write is
 *   logged;
 * - a change on the trajectory page (`glossaryChanged` without a board) reaches every loaded board,
 *   on every node (the event crosses the bus, events-link.ts). The reload queues behind this room's
 *   own writes, and when a client changed the glossary while it read, it reads again after that
 *   write instead of overwriting the change with what the database held a moment before.
 * The database is the trajectory's truth: exports, the trajectory page and the next cycle read it.
 */
import {
	readGlossary,
	replaceGlossary,
	SERVER_ORIGIN,
	touchedGlossary
} from '../../src/lib/board/schema/index.ts';
import type { Events } from '../../src/lib/server/events.ts';
import type { GlossaryReading, GlossaryTerm } from '../../src/lib/domain/glossary.ts';
import type * as Y from 'yjs';
import { BUS_ORIGIN, type Room } from './rooms.ts';

type Maybe<T> = T | Promise<T>;

/**
 * What the sync needs of the glossary repository: the synchronous one of today's SQLite context or
 * its Kysely form (every call is awaited).
 */
export interface GlossaryPort {
	list(trajectoryId: string): Maybe<GlossaryTerm[]>;
	saveTerm(trajectoryId: string, term: Omit<GlossaryTerm, 'readings'>): Maybe<boolean>;
	saveReading(trajectoryId: string, reading: GlossaryReading): Maybe<boolean>;
	remove(trajectoryId: string, id: string): Maybe<boolean>;
	deleteReading(trajectoryId: string, id: string): Maybe<boolean | void>;
}

export interface GlossarySyncDeps {
	trajectoryId: string;
	boardId: string;
	glossary: GlossaryPort;
	/** The trajectory's glossary as the room's load read it. */
	seed: GlossaryTerm[];
	events: Events;
	log: (event: string, detail: Record<string, unknown>) => void;
	/** Keeps a write-back running after the room unloads until it is done (the server's `close` waits). */
	track?: (work: Promise<void>) => void;
}

/** Seeds the room's glossary from `seed` and keeps room and database equal; returns the cleanup. */
export function syncGlossary(room: Room, deps: GlossarySyncDeps): () => void {
	const { doc } = room;
	const { trajectoryId, boardId, glossary, events, log } = deps;
	replaceGlossary(doc, deps.seed, SERVER_ORIGIN);
	let stopped = false;
	/** This room's database work, one job after the other. */
	let queue: Promise<void> = Promise.resolve();
	/** Write-backs queued so far: a reload that sees it move while it reads is out of date. */
	let edits = 0;
	const enqueue = (job: () => Promise<void>) => {
		queue = queue
			.then(job)
			.catch((error: unknown) => log('error', { boardId, error: `glossary: ${String(error)}` }));
		deps.track?.(queue);
	};

	const reload = async (): Promise<void> => {
		if (stopped) return;
		const before = edits;
		const terms = await glossary.list(trajectoryId);
		if (stopped) return;
		// A client changed the glossary meanwhile: its write is queued behind this read. Read again
		// after it, rather than showing the database's glossary from before the change.
		if (edits !== before) return enqueue(reload);
		replaceGlossary(doc, terms, SERVER_ORIGIN);
	};

	const onTransaction = (transaction: Y.Transaction) => {
		// The node that accepted a change wrote it back; another node's change arrives as BUS_ORIGIN.
		if (transaction.origin === SERVER_ORIGIN || transaction.origin === BUS_ORIGIN) return;
		const touched = touchedGlossary(doc, transaction);
		if (touched.terms.size === 0 && touched.readings.size === 0) return;
		// The values as this transaction left them; written later, in order. A save that returns false
		// was refused (the id belongs to another trajectory); a removal of what is gone is no news.
		const writes: { what: string; write: () => Maybe<boolean | void>; save: boolean }[] = [];
		try {
			const terms = readGlossary(doc);
			const termsById = new Map(terms.map((t) => [t.id, t]));
			const readingsById = new Map(terms.flatMap((t) => t.readings.map((r) => [r.id, r])));
			for (const id of touched.terms) {
				const term = termsById.get(id);
				writes.push(
					term
						? { what: `term ${id}`, write: () => glossary.saveTerm(trajectoryId, term), save: true }
						: { what: `term ${id}`, write: () => glossary.remove(trajectoryId, id), save: false }
				);
			}
			for (const id of touched.readings) {
				const reading = readingsById.get(id);
				writes.push(
					reading
						? {
								what: `reading ${id}`,
								write: () => glossary.saveReading(trajectoryId, reading),
								save: true
							}
						: {
								what: `reading ${id}`,
								write: () => glossary.deleteReading(trajectoryId, id),
								save: false
							}
				);
			}
		} catch (error) {
			log('error', { boardId, error: `glossary write-back: ${String(error)}` });
			return;
		}
		edits++;
		enqueue(async () => {
			for (const { what, write, save } of writes) {
				try {
					if ((await write()) === false && save)
						log('error', { boardId, error: `glossary write-back refused: ${what}` });
				} catch (error) {
					log('error', { boardId, error: `glossary write-back: ${String(error)}` });
					return;
				}
			}
			events.emit('glossaryChanged', { trajectoryId, fromBoard: boardId });
		});
	};
	doc.on('afterTransaction', onTransaction);

	// A change from this board on this node is in the document already; the same board loaded on
	// another node takes the database's glossary too (its room may not have the change yet).
	const off = events.on('glossaryChanged', (change, { remote }) => {
		if (change.trajectoryId !== trajectoryId || (change.fromBoard === boardId && !remote)) return;
		enqueue(reload);
	});
	return () => {
		stopped = true;
		off();
		doc.off('afterTransaction', onTransaction);
	};
}
