/**
 * Compaction's one step that knows Yjs: the stored rows of a document (updates and an earlier
 * snapshot, from any node) merged into one snapshot. Built from the rows themselves, not from a
 * room's document, so that a snapshot holds whatever another node appended, loaded or not.
 */
import * as Y from 'yjs';

/**
 * One update that holds everything `rows` hold. Applied to a garbage-collecting document and
 * encoded again, so removed content is dropped (`Y.mergeUpdates` would keep it) and structs that
 * wait for a missing dependency are kept as they are (Yjs encodes pending updates too).
 * @throws when a row is not a Yjs update (nothing is compacted then).
 */
export function mergeRows(rows: readonly Uint8Array[]): Uint8Array {
	const doc = new Y.Doc();
	try {
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row);
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}
