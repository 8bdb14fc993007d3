/**
 * The live glossary of a board and the trajectory's glossary in the database, kept equal:
 * - when a board loads, its `glossary` and `readings` become what the database holds (added,
 *   changed, removed: `replaceGlossary`), written as the server, so stored and broadcast;
 * - every accepted client change to a term or reading is written back to the database at once
 *   (the same tick: nothing typed lives only in the room), and the other loaded boards of the
 *   trajectory take it over (`glossaryChanged`);
 * - a change on the trajectory page (`glossaryChanged` without a board) reaches every loaded board,
 *   on every node (the event crosses the bus, events-link.ts).
 * The database is the trajectory's truth: exports, the trajectory page and the next cycle read it.
 */
import {
	readGlossary,
	replaceGlossary,
	SERVER_ORIGIN,
	touchedGlossary
} from '../../src/lib/board/schema/index.ts';
import type { Events } from '../../src/lib/server/events.ts';
import type { Glossary } from '../../src/lib/server/glossary.ts';
import type * as Y from 'yjs';
import { BUS_ORIGIN, type Room } from './rooms.ts';

export interface GlossarySyncDeps {
	trajectoryId: string;
	boardId: string;
	glossary: Glossary;
	events: Events;
	log: (event: string, detail: Record<string, unknown>) => void;
}

/** Seeds the room's glossary from the database and keeps both equal; returns the cleanup. */
export function syncGlossary(room: Room, deps: GlossarySyncDeps): () => void {
	const { doc } = room;
	const { trajectoryId, boardId, glossary, events } = deps;
	const fromDatabase = () => replaceGlossary(doc, glossary.list(trajectoryId), SERVER_ORIGIN);
	fromDatabase();

	const onTransaction = (transaction: Y.Transaction) => {
		// The node that accepted a change wrote it back; another node's change arrives as BUS_ORIGIN.
		if (transaction.origin === SERVER_ORIGIN || transaction.origin === BUS_ORIGIN) return;
		const touched = touchedGlossary(doc, transaction);
		if (touched.terms.size === 0 && touched.readings.size === 0) return;
		try {
			const terms = readGlossary(doc);
			const termsById = new Map(terms.map((t) => [t.id, t]));
			const readingsById = new Map(terms.flatMap((t) => t.readings.map((r) => [r.id, r])));
			for (const id of touched.terms) {
				const term = termsById.get(id);
				if (term) glossary.saveTerm(trajectoryId, term);
				else glossary.remove(trajectoryId, id);
			}
			for (const id of touched.readings) {
				const reading = readingsById.get(id);
				if (reading) glossary.saveReading(trajectoryId, reading);
				else glossary.deleteReading(trajectoryId, id);
			}
		} catch (error) {
			deps.log('error', { boardId, error: `glossary write-back: ${String(error)}` });
			return;
		}
		events.emit('glossaryChanged', { trajectoryId, fromBoard: boardId });
	};
	doc.on('afterTransaction', onTransaction);

	// A change from this board on this node is in the document already; the same board loaded on
	// another node takes the database's glossary too (its room may not have the change yet).
	const off = events.on('glossaryChanged', (change, { remote }) => {
		if (change.trajectoryId !== trajectoryId || (change.fromBoard === boardId && !remote)) return;
		fromDatabase();
	});
	return () => {
		off();
		doc.off('afterTransaction', onTransaction);
	};
}
