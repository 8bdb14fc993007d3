/**
 * The server's clock on a board (src/lib/domain/history.ts): after every change a client makes, the
 * cards it touched get `changedAt` (and `addedAt` when new), and cards a facilitator marks agreed get
 * the time and the number of the running session ("vastgesteld in bijeenkomst N"). Cards the server
 * itself adds (a reveal) get `addedAt`. Devices' clocks are never trusted for this.
 *
 * A client's change is stamped inside its own transaction (`Room.applyFromClient`), so the change
 * and its stamps are stored and sent as one update, back to the client too. The server's own work
 * is stamped in one small update right after it (a microtask later), with its own origin so the
 * stamps do not stamp themselves. Only the node that accepted a change stamps it: a change from
 * another node (`BUS_ORIGIN`) is followed (the agreed set), not stamped. Moving a card (only its `order`) is not a change. Card
 * edits are committed as a whole (intent methods, not keystrokes), so a stamp per change is cheap;
 * it is never skipped, so that "changed since" holds to the millisecond, session boundaries too.
 */
import * as Y from 'yjs';
import {
	CARD,
	CONTROL,
	mapIn,
	ROOT,
	SERVER_ORIGIN,
	stampAgreements,
	stampCards
} from '../../src/lib/board/schema/index.ts';
import { BUS_ORIGIN, SERVER_PART, type Room } from './rooms.ts';

/** `Transaction.meta` key: this client transaction was stamped inside (or had nothing to stamp). */
const STAMPED = Symbol('stamped');

/** Whether the transaction changed `target` or anything inside it. */
function touches(tr: Y.Transaction, target: object): boolean {
	for (const type of tr.changed.keys())
		for (let t: unknown = type; t; t = (t as { _item: Y.Item | null })._item?.parent ?? null)
			if (t === target) return true;
	return false;
}

/** The origin of the stamps (not `SERVER_ORIGIN`: the watcher must tell them from other server work). */
export const HISTORY_ORIGIN = 'server-history';

export interface HistoryDeps {
	now(): number;
	/** The number of the session running on the board now (1 = the first), or null. */
	runningSession(): number | null;
	logError?: (message: string, error: unknown) => void;
}

/** The ids of the card records a transaction touched (created, replaced or edited). */
function touchedCards(
	tr: Y.Transaction,
	cards: Y.Map<unknown>
): { ids: Set<string>; created: Set<string> } {
	const ids = new Set<string>();
	const created = new Set<string>();
	for (const [type, keys] of tr.changed) {
		if ((type as unknown) === cards) {
			for (const key of keys)
				if (key !== null && cards.has(key)) {
					ids.add(key);
					created.add(key);
				}
			continue;
		}
		const item = type._item;
		const moved = keys.size === 1 && keys.has(CARD.order);
		if (item && (item.parent as unknown) === cards && typeof item.parentSub === 'string' && !moved)
			ids.add(item.parentSub);
	}
	return { ids, created };
}

const agreedSet = (doc: Y.Doc): Set<string> => {
	const map = mapIn(doc, ROOT.control)?.get(CONTROL.agreed);
	const ids = new Set<string>();
	if (map instanceof Y.Map) for (const [id, on] of map.entries()) if (on === true) ids.add(id);
	return ids;
};

/** Watches a loaded board room; returns the cleanup. */
export function watchHistory(room: Room, deps: HistoryDeps): () => void {
	const doc = room.doc;
	// Define the root as a map now: a root first met in a client's update is an untyped placeholder
	// until someone asks for it, and would not be recognised in `tr.changed`.
	const cards = doc.getMap<unknown>(ROOT.cards);
	let agreed = agreedSet(doc);
	let stopped = false;

	/**
	 * What a transaction asks to stamp, as a function that writes the stamps (null: nothing). Keeps
	 * the agreed set up to date either way. Works inside the transaction too: it reads `tr.changed`
	 * (filled while a transaction runs), not `tr.changedParentTypes` (filled only after it).
	 */
	const stampsFor = (tr: Y.Transaction): (() => void) | null => {
		const { ids: touched, created } = touchedCards(tr, cards);
		const fromServer = tr.origin === SERVER_ORIGIN;
		// The agreed set is read again only when the transaction touched the control state.
		const control = mapIn(doc, ROOT.control);
		const nextAgreed = control && touches(tr, control) ? agreedSet(doc) : agreed;
		const newlyAgreed =
			nextAgreed === agreed ? [] : [...nextAgreed].filter((id) => !agreed.has(id));
		const unagreed = nextAgreed === agreed ? [] : [...agreed].filter((id) => !nextAgreed.has(id));
		agreed = nextAgreed;
		if (touched.size === 0 && newlyAgreed.length === 0 && unagreed.length === 0) return null;
		return () => {
			const now = deps.now();
			// Server work (a reveal adds cards; retention rewrites bylines) only stamps new cards.
			stampCards(
				doc,
				touched,
				{ now, onlyNew: fromServer, created: fromServer ? undefined : created },
				HISTORY_ORIGIN
			);
			if (newlyAgreed.length || unagreed.length) {
				// Only what is still (or no longer) agreed when the stamp is written.
				const still = agreedSet(doc);
				stampAgreements(
					doc,
					{
						agreed: newlyAgreed.filter((id) => still.has(id)),
						unagreed: unagreed.filter((id) => !still.has(id)),
						session: deps.runningSession(),
						now
					},
					HISTORY_ORIGIN
				);
			}
		};
	};
	const logError = deps.logError ?? console.error;

	// A client's change is stamped inside its own transaction: one update stored and sent, not two.
	const inClientTransaction = (tr: Y.Transaction) => {
		tr.meta.set(STAMPED, true);
		const stamp = stampsFor(tr);
		if (!stamp) return;
		try {
			stamp();
			tr.meta.set(SERVER_PART, true);
		} catch (error) {
			logError('realtime: history stamps failed', error);
		}
	};
	room.inClientTransaction.add(inClientTransaction);

	// Everything else (the server's own work) is stamped in a small update right after it.
	const onTransaction = (tr: Y.Transaction) => {
		if (tr.origin === HISTORY_ORIGIN || tr.meta.has(STAMPED)) return;
		const stamp = stampsFor(tr);
		// Another node's change was stamped by that node (its stamps arrive with it): stamping it here
		// too would write every stamp twice, with two clocks. Only the agreed set follows it.
		if (!stamp || tr.origin === BUS_ORIGIN) return;
		queueMicrotask(() => {
			if (stopped) return;
			try {
				stamp();
			} catch (error) {
				logError('realtime: history stamps failed', error);
			}
		});
	};
	doc.on('afterTransaction', onTransaction);
	return () => {
		stopped = true;
		doc.off('afterTransaction', onTransaction);
		room.inClientTransaction.delete(inClientTransaction);
	};
}
