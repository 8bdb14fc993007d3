import type { StoredDoc, UpdateStore } from './store.ts';

/**
 * An in-memory `UpdateStore`: the test double, and the "no persistence" mode of the benchmark.
 * Copies every update so that callers can reuse their buffers.
 */
export function createMemoryStore(): UpdateStore & {
	/** Rows per document, for tests that check compaction. */
	rows(docName: string): number;
} {
	const docs = new Map<string, Uint8Array[]>();
	return {
		async load(docName): Promise<StoredDoc> {
			const updates = (docs.get(docName) ?? []).slice();
			return { updates, bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) };
		},
		async append(docName, update) {
			const rows = docs.get(docName) ?? [];
			rows.push(update.slice());
			docs.set(docName, rows);
		},
		async compact(docName, snapshot) {
			if (!docs.get(docName)?.length) return; // deleted: never bring it back
			docs.set(docName, [snapshot.slice()]);
		},
		async list(prefix) {
			return [...docs.keys()].filter((name) => name.startsWith(prefix));
		},
		create(docName, snapshot) {
			if (docs.get(docName)?.length) throw new Error('board-exists');
			docs.set(docName, [snapshot.slice()]);
		},
		removeDocs(prefix) {
			for (const name of [...docs.keys()]) if (name.startsWith(prefix)) docs.delete(name);
		},
		async close() {
			docs.clear();
		},
		rows: (docName) => docs.get(docName)?.length ?? 0
	};
}
