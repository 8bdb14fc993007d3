import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { addCard, updateCard } from '../src/lib/board/schema/index.ts';
import { encodeUpdate } from '../server/realtime/protocol.ts';
import { scanEdits, scanPresence, type Seen } from './thin-client.ts';

describe('the thin bench client', () => {
	it('finds every bench edit in an update frame as the server sends it, and nothing else', () => {
		const doc = new Y.Doc();
		const author = { id: 'p1', name: 'Anna', perspective: 'inwoner' as const };
		const cardId = addCard(doc, { kind: 'outcome', text: 'Kaart van Anna', author });
		const frames: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => frames.push(encodeUpdate(update)));
		updateCard(doc, cardId, { text: 'bench|p1|7|1000.5|' });
		doc.transact(() => {
			updateCard(doc, cardId, { text: 'bench|p1|8|1001|' });
			updateCard(doc, cardId, { text: 'bench|p1|9|1002.25|' });
		});
		updateCard(doc, cardId, { text: 'geen meting' });

		const seen: Seen[] = [];
		for (const frame of frames) scanEdits(Buffer.from(frame), (s) => seen.push(s), 1010);
		// The merged transaction holds only its last text: the earlier one was deleted in it.
		expect(seen).toEqual([
			{ writer: 'p1', seq: 7, ms: 9.5 },
			{ writer: 'p1', seq: 9, ms: 7.75 }
		]);
	});

	it("reads the age of other clients' presence and skips its own and departed ones", () => {
		const a = new Awareness(new Y.Doc());
		const b = new Awareness(new Y.Doc());
		const sent = performance.timeOrigin + performance.now() - 20;
		a.setLocalState({ name: 'A', at: sent });
		b.setLocalState({ name: 'B', at: sent });
		const update = encodeAwarenessUpdate(a, [a.clientID]);
		const ages: number[] = [];
		scanPresence(update, b.clientID, (ms) => ages.push(ms));
		expect(ages).toHaveLength(1);
		expect(ages[0]).toBeGreaterThanOrEqual(20);
		scanPresence(update, a.clientID, (ms) => ages.push(ms));
		expect(ages).toHaveLength(1);
		a.setLocalState(null);
		scanPresence(encodeAwarenessUpdate(a, [a.clientID]), b.clientID, (ms) => ages.push(ms));
		expect(ages).toHaveLength(1);
	});
});
