/**
 * Reads what an incoming Yjs update would change, without applying it: every new struct and every
 * deletion mapped to the path it touches in the document (`['cards', cardId, 'text']`). The write
 * rules (authorize.ts) judge these paths; nothing here knows about roles.
 *
 * How a struct is placed: an update names a struct's parent explicitly (a root name or the id of
 * the item that holds the parent type) only when it has no neighbours; otherwise the parent is that
 * of its left (`origin`) or right neighbour. Neighbours and parents are looked up in the server's
 * document first, then in the same update. Anything that cannot be placed is refused, because Yjs
 * would keep it pending and integrate it later, unchecked.
 */
import * as Y from 'yjs';

/** Segment used for positions inside arrays and texts (they have no key). */
export const LIST_SLOT = '#';

/** A path from a root type: `[rootName, key, key, ...]`. */
export type Path = readonly string[];

export type Change =
	/** A new struct at `path`; `values` holds its content (a nested type for a new map). */
	| { kind: 'insert'; path: Path; values: readonly unknown[]; content: Y.AbstractStruct | object }
	/** An existing struct at `path` is deleted (a record removed, or a field overwritten). */
	| { kind: 'delete'; path: Path };

export type ChangeSet =
	| {
			ok: true;
			changes: Change[];
			/** The client ids that write new structs (for client-id ownership). */
			writers: Set<number>;
	  }
	| {
			ok: false;
			reason: string;
			/**
			 * The update builds on changes the server does not have (yet): not an attack in itself, e.g.
			 * a client that kept typing while the server restarted. The caller asks for a full resync.
			 */
			missing?: true;
	  };

/** Marks a struct that Yjs will garbage-collect on arrival (its parent is gone): no effect. */
const GONE = Symbol('gone');
type Placed = Path | typeof GONE;

class Refused extends Error {}
/** The update needs structs or state the server's document does not have. */
class Missing extends Refused {}

/**
 * Decodes `update` (v1 encoding) and lists its changes against `doc`.
 * Never throws: malformed input gives `{ ok: false }`.
 */
export function readChanges(doc: Y.Doc, update: Uint8Array): ChangeSet {
	try {
		return read(doc, update);
	} catch (error) {
		if (error instanceof Missing) return { ok: false, reason: error.message, missing: true };
		return { ok: false, reason: error instanceof Refused ? error.message : 'malformed update' };
	}
}

function read(doc: Y.Doc, update: Uint8Array): ChangeSet {
	const { structs, ds } = Y.decodeUpdate(update);
	const byClient = new Map<number, (Y.Item | Y.GC)[]>();
	for (const struct of structs) {
		if (struct instanceof Y.Skip) throw new Refused('update has gaps');
		const list = byClient.get(struct.id.client) ?? [];
		list.push(struct as Y.Item | Y.GC);
		byClient.set(struct.id.client, list);
	}
	const writers = new Set<number>();
	for (const [client, list] of byClient) {
		const state = Y.getState(doc.store, client);
		if (list[0].id.clock > state) throw new Missing('update depends on unknown changes');
		for (let i = 1; i < list.length; i++)
			if (list[i].id.clock !== list[i - 1].id.clock + list[i - 1].length)
				throw new Refused('update has gaps');
		const last = list[list.length - 1];
		if (last.id.clock + last.length > state) writers.add(client);
	}

	const inUpdate = (id: Y.ID): Y.Item | Y.GC | undefined => {
		const list = byClient.get(id.client);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const s = list[mid];
			if (id.clock < s.id.clock) hi = mid - 1;
			else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
			else return s;
		}
		return undefined;
	};
	const inDoc = (id: Y.ID): Y.Item | Y.GC | undefined => {
		if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
		const list = doc.store.clients.get(id.client);
		return list ? (list[Y.findIndexSS(list, id.clock)] as Y.Item | Y.GC) : undefined;
	};

	const docPath = (item: Y.Item): Placed => {
		const segments: string[] = [];
		let current: Y.Item = item;
		for (let depth = 0; depth < 64; depth++) {
			segments.push(current.parentSub ?? LIST_SLOT);
			const parent = current.parent;
			if (!(parent instanceof Y.AbstractType)) return GONE;
			if (parent._item === null) {
				segments.push(Y.findRootTypeKey(parent));
				return segments.reverse();
			}
			current = parent._item;
		}
		throw new Refused('document too deep');
	};

	const memo = new Map<Y.Item, Placed>();
	const visiting = new Set<Y.Item>();

	/** The path of the struct with this id, wherever it lives. */
	const pathOfId = (id: Y.ID): Placed => {
		const struct = inDoc(id) ?? inUpdate(id);
		if (!struct) throw new Missing('update depends on unknown changes');
		if (struct instanceof Y.GC) return GONE;
		return struct.parent instanceof Y.AbstractType ? docPath(struct) : updatePath(struct);
	};

	/** The path of the item holding the parent type named by `id`. */
	const pathOfParent = (id: Y.ID): Placed => {
		const struct = inDoc(id) ?? inUpdate(id);
		if (!struct) throw new Missing('update depends on unknown changes');
		if (struct instanceof Y.GC) return GONE;
		if (!(struct.content instanceof Y.ContentType)) {
			// An integrated type that was deleted and collected: children are collected too.
			if (struct.parent instanceof Y.AbstractType) return GONE;
			throw new Refused('parent is not a type');
		}
		return struct.parent instanceof Y.AbstractType ? docPath(struct) : updatePath(struct);
	};

	const updatePath = (item: Y.Item): Placed => {
		const known = memo.get(item);
		if (known) return known;
		if (visiting.has(item)) throw new Refused('update has a cycle');
		visiting.add(item);
		let placed: Placed;
		const parent = item.parent as unknown;
		if (typeof parent === 'string') placed = [parent, item.parentSub ?? LIST_SLOT];
		else if (parent instanceof Y.ID) {
			const base = pathOfParent(parent);
			placed = base === GONE ? GONE : [...base, item.parentSub ?? LIST_SLOT];
		} else {
			const left = item.origin ? pathOfId(item.origin) : null;
			const right = item.rightOrigin ? pathOfId(item.rightOrigin) : null;
			if (left === GONE || right === GONE) placed = GONE;
			else if (left) placed = left;
			else if (right) placed = right;
			else throw new Refused('struct without parent');
		}
		visiting.delete(item);
		memo.set(item, placed);
		return placed;
	};

	const changes: Change[] = [];
	for (const [client, list] of byClient) {
		const state = Y.getState(doc.store, client);
		for (const struct of list) {
			if (!(struct instanceof Y.Item) || struct.id.clock + struct.length <= state) continue;
			if (struct.content instanceof Y.ContentDoc) throw new Refused('subdocuments are not allowed');
			const path = updatePath(struct);
			if (path === GONE) continue;
			changes.push({
				kind: 'insert',
				path,
				values: struct.content.getContent(),
				content: struct.content
			});
		}
	}

	for (const [client, ranges] of ds.clients) {
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			const end = clock + len;
			if (clock < state) {
				const list = doc.store.clients.get(client) ?? [];
				const stop = Math.min(end, state);
				for (let i = Y.findIndexSS(list, clock); i < list.length; i++) {
					const struct = list[i];
					if (struct.id.clock >= stop) break;
					if (!(struct instanceof Y.Item) || struct.deleted) continue;
					const path = docPath(struct);
					if (path !== GONE) changes.push({ kind: 'delete', path });
				}
			}
			if (end > state) {
				// Only structs created in this same update may be deleted beyond the known state.
				const list = byClient.get(client);
				const last = list?.[list.length - 1];
				if (!last || last.id.clock + last.length < end)
					throw new Missing('update deletes unknown content');
			}
		}
	}
	return { ok: true, changes, writers };
}
