import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeRows, mergeRowsOffThread } from './merge.ts';

/** Rows as a board's log holds them: several writers, texts replaced, a record removed. */
function boardRows(edits: number): Uint8Array[] {
	const rows: Uint8Array[] = [];
	const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
	for (const doc of writers) doc.on('update', (update: Uint8Array) => rows.push(update));
	for (let i = 0; i < edits; i++) {
		const doc = writers[i % writers.length];
		const card = new Y.Map<unknown>([['text', `kaart ${i}`]]);
		doc.getMap('cards').set(`c${i}`, card);
		card.set('text', `kaart ${i}, herschreven`);
		if (i % 7 === 0) doc.getMap('cards').delete(`c${i}`);
	}
	return rows;
}

describe('mergeRowsOffThread', () => {
	it('merges on a worker thread to the same bytes as mergeRows', async () => {
		const rows = boardRows(60);
		const merged = await mergeRowsOffThread(rows);
		expect(merged).toEqual(mergeRows(rows));
		const doc = new Y.Doc();
		Y.applyUpdate(doc, merged);
		expect(doc.getMap('cards').size).toBe(60 - 9);
		expect((doc.getMap('cards').get('c1') as Y.Map<unknown>).get('text')).toBe(
			'kaart 1, herschreven'
		);
	});

	it('leaves the event loop free while it merges a large log, and several merges answer each their own', async () => {
		const large = boardRows(3000);
		const small = boardRows(5);
		let turns = 0;
		const ticking = setInterval(() => turns++, 0);
		try {
			const [a, b] = await Promise.all([mergeRowsOffThread(large), mergeRowsOffThread(small)]);
			expect(a).toEqual(mergeRows(large));
			expect(b).toEqual(mergeRows(small));
			// The timer kept firing while the worker merged.
			expect(turns).toBeGreaterThan(1);
		} finally {
			clearInterval(ticking);
		}
	});

	it('rejects a row that is not a Yjs update, as mergeRows throws', async () => {
		const rows = [...boardRows(3), new Uint8Array([255, 255, 255, 255, 1])];
		expect(() => mergeRows(rows)).toThrow();
		await expect(mergeRowsOffThread(rows)).rejects.toThrow();
		// The worker goes on serving.
		const next = boardRows(2);
		expect(await mergeRowsOffThread(next)).toEqual(mergeRows(next));
	});
});
