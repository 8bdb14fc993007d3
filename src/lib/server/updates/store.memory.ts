import type { StoredDoc, UpdateStore } from './store.ts';
import { mergeRows } from './merge.ts';

/**
 * An in-memory `UpdateStore`: the test double, and the "no persistence" mode of the benchmark.
 * Copies every update so that callers can reuse their buffers.
 */
export function createMemoryStore(): UpdateStore & {
	/** Rows per document, for tests that check compaction. */
	rows(docName: string): number;
} {
	const docs = new Map<string, Uint8Array[]>();
	/** Documents whose only row is a snapshot. */
	const compacted = new Set<string>();
	return {
		async load(docName): Promise<StoredDoc> {
			const updates = (docs.get(docName) ?? []).slice();
			return { updates, bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) };
		},
		async append(docName, update) {
			this.appendNow!(docName, update);
		},
		appendNow(docName, update) {
			const rows = docs.get(docName) ?? [];
			rows.push(update.slice());
			docs.set(docName, rows);
			compacted.delete(docName);
			return true;
		},
		async compact(docName) {
			const rows = docs.get(docName);
			if (!rows?.length || compacted.has(docName)) return null; // deleted: never bring it back
			const snapshot = mergeRows(rows);
			docs.set(docName, [snapshot]);
			compacted.add(docName);
			return snapshot.byteLength;
		},
		async list(prefix) {
			return [...docs.keys()].filter((name) => name.startsWith(prefix));
		},
		create(docName, snapshot) {
			if (docs.get(docName)?.length) throw new Error('board-exists');
			docs.set(docName, [snapshot.slice()]);
			compacted.add(docName);
		},
		removeDocs(prefix) {
			for (const name of [...docs.keys()])
				if (name.startsWith(prefix)) {
					docs.delete(name);
					compacted.delete(name);
				}
		},
		async close() {
			docs.clear();
		},
		rows: (docName) => docs.get(docName)?.length ?? 0
	};
}
