/**
 * Per-person quotas on one board document, counting what is there, not history: how many records
 * (cards, links, comments, drafts) a person has, how much text they hold, and how fast they write
 * text (overwrites included, so a board's log cannot be flooded with rewrites of one card).
 *
 * An {@link AuthorLedger} keeps, per document, each authored record's author and size; it scans the
 * document once when first asked for and then follows every transaction's changed records, so a
 * check costs as much as the update is long. Facilitators and the server are not counted against.
 */
import * as Y from 'yjs';
import {
	CARD,
	mapIn,
	PRIVATE_ROOT,
	ROOT,
	type AuthoredRecord
} from '../../src/lib/board/schema/index.ts';
import { refusalReason } from '../../src/lib/domain/close-codes.ts';
import { createTokenBucket } from './limits.ts';

export interface QuotaLimits {
	/** Cards, links and comments (drafts in a private document) one person may have. */
	maxRecordsPerPerson: number;
	/** Characters of text one person may hold in one document. */
	maxTextPerPerson: number;
	/** Characters one person may write per minute (the bucket holds one minute's worth). */
	textPerMinute: number;
}

const AUTHORED: readonly string[] = [ROOT.cards, ROOT.links, ROOT.comments, PRIVATE_ROOT.drafts];

interface Entry {
	author: string;
	chars: number;
}

/** Who wrote what in one document, and how much. */
export class AuthorLedger {
	readonly #records = new Map<string, Entry>();
	readonly #totals = new Map<string, { records: number; chars: number }>();
	readonly #doc: Y.Doc;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		for (const root of AUTHORED) {
			const map = mapIn(doc, root);
			if (map) for (const id of map.keys()) this.#measure(root, id);
		}
		doc.on('afterTransaction', this.#onTransaction);
	}

	/** Records and characters `author` has now. */
	totals(author: string): { records: number; chars: number } {
		return this.#totals.get(author) ?? { records: 0, chars: 0 };
	}

	/** What is stored now for one record. */
	entry(root: string, id: string): Entry | undefined {
		return this.#records.get(`${root}\u0000${id}`);
	}

	readonly #onTransaction = (transaction: Y.Transaction) => {
		for (const [type, keys] of transaction.changed) {
			const item = type._item;
			if (item === null) {
				const root = Y.findRootTypeKey(type);
				if (AUTHORED.includes(root))
					for (const key of keys) if (key !== null) this.#measure(root, key);
				continue;
			}
			const parent = item.parent;
			if (parent instanceof Y.AbstractType && parent._item === null && item.parentSub !== null) {
				const root = Y.findRootTypeKey(parent);
				if (AUTHORED.includes(root)) this.#measure(root, item.parentSub);
			}
		}
	};

	#measure(root: string, id: string): void {
		const key = `${root}\u0000${id}`;
		const before = this.#records.get(key);
		if (before) this.#add(before.author, -1, -before.chars);
		const record = mapIn(this.#doc, root)?.get(id);
		if (!(record instanceof Y.Map)) {
			this.#records.delete(key);
			return;
		}
		const author = record.get(CARD.authorId);
		if (typeof author !== 'string') {
			this.#records.delete(key);
			return;
		}
		let chars = 0;
		for (const value of record.values()) if (typeof value === 'string') chars += value.length;
		this.#records.set(key, { author, chars });
		this.#add(author, 1, chars);
	}

	#add(author: string, records: number, chars: number): void {
		const totals = this.#totals.get(author) ?? { records: 0, chars: 0 };
		totals.records += records;
		totals.chars += chars;
		if (totals.records <= 0 && totals.chars <= 0) this.#totals.delete(author);
		else this.#totals.set(author, totals);
	}
}

const ledgers = new WeakMap<Y.Doc, AuthorLedger>();
const buckets = new WeakMap<Y.Doc, Map<string, ReturnType<typeof createTokenBucket>>>();

/** The ledger of `doc` (made on first use; it lives as long as the document). */
export function ledgerOf(doc: Y.Doc): AuthorLedger {
	let ledger = ledgers.get(doc);
	if (!ledger) {
		ledger = new AuthorLedger(doc);
		ledgers.set(doc, ledger);
	}
	return ledger;
}

/**
 * Whether `author` may make an update that leaves `records` behind and writes `written`
 * characters to `doc`; returns the refusal reason, or null. Only growth is refused: someone over a
 * quota may still shorten and delete. Takes the written characters from the person's bucket only
 * when the update passes.
 */
export function quotaProblem(
	doc: Y.Doc,
	author: string,
	records: readonly AuthoredRecord[],
	written: number,
	limits: QuotaLimits,
	now: () => number = Date.now
): string | null {
	const ledger = ledgerOf(doc);
	const before = ledger.totals(author);
	let count = before.records;
	let chars = before.chars;
	for (const record of records) {
		const old = ledger.entry(record.root, record.id);
		if (old?.author === author) {
			count -= 1;
			chars -= old.chars;
		}
		if (!record.deleted && record.authorId === author) {
			count += 1;
			chars += record.chars;
		}
	}
	if (count > limits.maxRecordsPerPerson && count > before.records)
		return refusalReason(
			'quota-cards',
			`at most ${limits.maxRecordsPerPerson} cards and comments per person`
		);
	if (chars > limits.maxTextPerPerson && chars > before.chars)
		return refusalReason(
			'quota-text',
			`at most ${limits.maxTextPerPerson} characters of text per person`
		);
	if (written > 0) {
		let perDoc = buckets.get(doc);
		if (!perDoc) buckets.set(doc, (perDoc = new Map()));
		let bucket = perDoc.get(author);
		if (!bucket)
			perDoc.set(
				author,
				(bucket = createTokenBucket(limits.textPerMinute / 60, limits.textPerMinute, now))
			);
		if (!bucket.take(written))
			return refusalReason(
				'quota-rate',
				`at most ${limits.textPerMinute} characters of text per minute`
			);
	}
	return null;
}
