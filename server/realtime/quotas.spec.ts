/** Per-person quotas over what a document holds now (the ledger), not over its history. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	createBoardDoc,
	deleteCard,
	updateCard,
	type Author,
	type AuthoredRecord
} from '../../src/lib/board/schema/index.ts';
import { refusalOf } from '../../src/lib/domain/close-codes.ts';
import { ledgerOf, quotaProblem, type QuotaLimits } from './quotas.ts';
import { fitsLiveSize, noteRemoval } from './limits.ts';

const anouk: Author = { id: 'p-anouk', name: 'Anouk', perspective: 'gemeente' };
const limits: QuotaLimits = { maxRecordsPerPerson: 3, maxTextPerPerson: 1000, textPerMinute: 600 };
const newCard = (id: string, chars: number): AuthoredRecord => ({
	root: 'cards',
	id,
	deleted: false,
	created: true,
	authorId: anouk.id,
	chars
});

describe('AuthorLedger', () => {
	it('follows every transaction: new, changed and deleted records', () => {
		const doc = createBoardDoc();
		const a = addCard(doc, { kind: 'ambition', text: 'een', author: anouk });
		const ledger = ledgerOf(doc); // made after the first card: it scans
		expect(ledger.totals(anouk.id).records).toBe(1);
		const b = addCard(doc, { kind: 'ambition', text: 'twee', author: anouk });
		const before = ledger.totals(anouk.id).chars;
		updateCard(doc, b, { text: 'twee'.repeat(10) });
		expect(ledger.totals(anouk.id)).toEqual({ records: 2, chars: before + 36 });
		deleteCard(doc, a);
		deleteCard(doc, b);
		expect(ledger.totals(anouk.id)).toEqual({ records: 0, chars: 0 });
	});
});

describe('quotaProblem', () => {
	it('refuses growth beyond the record and text quotas, never shrinking', () => {
		const doc = createBoardDoc();
		for (const text of ['een', 'twee', 'drie'])
			addCard(doc, { kind: 'ambition', text, author: anouk });
		const now = () => 0;
		expect(refusalOf(quotaProblem(doc, anouk.id, [newCard('x4', 10)], 0, limits, now))).toBe(
			'quota-cards'
		);
		const [first] = [...doc.getMap('cards').keys()];
		const removal: AuthoredRecord = { ...newCard(first, 0), deleted: true, authorId: null };
		expect(quotaProblem(doc, anouk.id, [removal], 0, limits, now)).toBeNull();
		expect(
			refusalOf(
				quotaProblem(doc, anouk.id, [{ ...newCard(first, 2000), created: false }], 0, limits, now)
			)
		).toBe('quota-text');
		// Another person is not held back by Anouk's quota.
		expect(
			quotaProblem(doc, 'p-bram', [{ ...newCard('b1', 10), authorId: 'p-bram' }], 0, limits, now)
		).toBeNull();
	});

	it('lets a person write a minute’s worth of text at once, then refills', () => {
		const doc = createBoardDoc();
		let clock = 0;
		const now = () => clock;
		expect(quotaProblem(doc, anouk.id, [], 500, limits, now)).toBeNull();
		expect(refusalOf(quotaProblem(doc, anouk.id, [], 500, limits, now))).toBe('quota-rate');
		expect(quotaProblem(doc, 'p-bram', [], 500, limits, now)).toBeNull();
		clock = 60_000;
		expect(quotaProblem(doc, anouk.id, [], 500, limits, now)).toBeNull();
	});
});

describe('fitsLiveSize', () => {
	it('measures the live document when the stored log says "full", and again after removals', () => {
		const doc = new Y.Doc();
		doc.getMap('cards').set('a', 'x'.repeat(100));
		const live = Y.encodeStateAsUpdate(doc).byteLength;
		let clock = 0;
		const now = () => clock;
		expect(fitsLiveSize({ doc, bytes: 50 }, 10, 1000, now)).toEqual({ fits: true, measured: null });
		// A log of 5000 bytes (history) over a limit of 1000: the live document still fits.
		expect(fitsLiveSize({ doc, bytes: 5000 }, 10, 1000, now)).toEqual({
			fits: true,
			measured: live
		});
		// Growth since the measure counts until something is removed.
		expect(fitsLiveSize({ doc, bytes: 5990 }, 10, 1000, now).fits).toBe(false);
		doc.getMap('cards').delete('a');
		noteRemoval(doc);
		clock = 2000;
		expect(fitsLiveSize({ doc, bytes: 5990 }, 10, 1000, now).fits).toBe(true);
	});
});
