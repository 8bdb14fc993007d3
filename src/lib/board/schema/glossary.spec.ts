/**
 * The live glossary's records: readers, writers, the server's seeding, and what the schema lets
 * each writer write (participants: only readings for their own perspective, under their own name).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addTerm,
	createBoardDoc,
	judgeChanges,
	proposeReading,
	readBoardSnapshot,
	readGlossary,
	removeTerm,
	replaceGlossary,
	SERVER_ORIGIN,
	touchedGlossary,
	updateReading,
	updateTerm,
	type Author,
	type SchemaChange,
	type SchemaWriter
} from './index.ts';
import { BoardWriteError } from './keys.ts';
import { compassChecks } from '../../domain/checks.ts';
import { addCard } from './cards.ts';

const anouk: Author = { id: 'p-anouk', name: 'Anouk', perspective: 'gemeente' };
const bram: Author = { id: 'p-bram', name: 'Bram', perspective: 'aanbieder' };
const writer = (a: Author): SchemaWriter => ({
	role: 'participant',
	byline: { authorId: a.id, authorName: a.name, perspective: a.perspective }
});
const facilitator: SchemaWriter = {
	role: 'facilitator',
	byline: { authorId: 'u-fac', authorName: 'Fleur', perspective: null }
};

/** The changes a writer makes on a copy of `doc`, by path, as the server reads them. */
function changesOf(doc: Y.Doc, write: (copy: Y.Doc) => void): SchemaChange[] {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const changes: SchemaChange[] = [];
	copy.on('afterTransaction', (tr: Y.Transaction) => {
		for (const [type, keys] of tr.changed) {
			const path: string[] = [];
			let current = type;
			while (current._item) {
				path.unshift(current._item.parentSub ?? '#');
				current = current._item.parent as typeof type;
			}
			path.unshift(Y.findRootTypeKey(current));
			for (const key of keys) {
				if (key === null) continue;
				const value = (type as unknown as Y.Map<unknown>).get(key);
				const content =
					value instanceof Y.AbstractType ? new Y.ContentType(value) : new Y.ContentAny([value]);
				if (value === undefined) changes.push({ kind: 'delete', path: [...path, key] });
				else changes.push({ kind: 'insert', path: [...path, key], values: [value], content });
				if (value instanceof Y.Map)
					for (const [field, v] of value.entries())
						changes.push({
							kind: 'insert',
							path: [...path, key, field],
							values: [v],
							content: new Y.ContentAny([v])
						});
			}
		}
	});
	write(copy);
	return changes;
}

function boardWithTerm() {
	const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
	const termId = addTerm(doc, { term: 'preventie', note: 'Doel of middel?', createdAt: 1 });
	return { doc, termId };
}

describe('the glossary records', () => {
	it('read back as terms with their readings, oldest first', () => {
		const { doc, termId } = boardWithTerm();
		proposeReading(doc, { termId, text: 'Minder eenzaamheid', author: bram, createdAt: 20 });
		proposeReading(doc, { termId, text: ' Een besparing ', author: anouk, createdAt: 10 });
		const [term] = readGlossary(doc);
		expect(term).toMatchObject({ term: 'preventie', status: 'open', note: 'Doel of middel?' });
		expect(term.readings.map((r) => [r.perspective, r.text])).toEqual([
			['gemeente', 'Een besparing'],
			['aanbieder', 'Minder eenzaamheid']
		]);
		updateTerm(doc, termId, { meaning: 'Voorkomen dat zorg nodig is', status: 'agreed' });
		expect(readGlossary(doc)[0]).toMatchObject({
			meaning: 'Voorkomen dat zorg nodig is',
			status: 'agreed'
		});
		expect(readBoardSnapshot(doc).glossary).toHaveLength(1);
	});

	it('refuse bad input in the writers', () => {
		const { doc, termId } = boardWithTerm();
		expect(() => addTerm(doc, { term: ' ' })).toThrow(BoardWriteError);
		expect(() => proposeReading(doc, { termId, text: '', author: anouk })).toThrow(BoardWriteError);
		expect(() =>
			proposeReading(doc, { termId, text: 'x', author: { ...anouk, perspective: null } })
		).toThrow(BoardWriteError);
		expect(() => proposeReading(doc, { termId: 'nope', text: 'x', author: anouk })).toThrow(
			BoardWriteError
		);
	});

	it('removing a term removes its readings', () => {
		const { doc, termId } = boardWithTerm();
		proposeReading(doc, { termId, text: 'Besparing', author: anouk });
		removeTerm(doc, termId);
		expect(readGlossary(doc)).toEqual([]);
		expect(doc.getMap('readings').size).toBe(0);
	});

	it('the server makes the board equal to the database, writing nothing when it already is', () => {
		const { doc, termId } = boardWithTerm();
		const stale = proposeReading(doc, { termId, text: 'weg', author: anouk });
		const target = [
			{
				id: 'db-term',
				term: 'bingo',
				meaning: '',
				note: 'Doel of middel?',
				status: 'open' as const,
				createdAt: 5,
				readings: [
					{
						id: 'db-reading',
						termId: 'db-term',
						perspective: 'aanbieder' as const,
						text: 'Een doel',
						authorId: '',
						authorName: 'De Kern',
						createdAt: 6
					}
				]
			}
		];
		expect(replaceGlossary(doc, target, SERVER_ORIGIN)).toBe(true);
		expect(readGlossary(doc)).toEqual(target);
		expect(doc.getMap('readings').has(stale)).toBe(false);
		let updates = 0;
		doc.on('update', () => updates++);
		expect(replaceGlossary(doc, target, SERVER_ORIGIN)).toBe(false);
		expect(updates).toBe(0);
	});

	it('tells which terms and readings a transaction touched', () => {
		const { doc, termId } = boardWithTerm();
		const seen: { terms: string[]; readings: string[] }[] = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			const t = touchedGlossary(doc, tr);
			seen.push({ terms: [...t.terms], readings: [...t.readings] });
		});
		const readingId = proposeReading(doc, { termId, text: 'Besparing', author: anouk });
		updateReading(doc, readingId, 'Een besparing');
		updateTerm(doc, termId, { status: 'agreed' });
		expect(seen).toEqual([
			{ terms: [], readings: [readingId] },
			{ terms: [], readings: [readingId] },
			{ terms: [termId], readings: [] }
		]);
	});
});

describe('what the schema lets each writer write', () => {
	it('lets a participant propose a reading for their own perspective', () => {
		const { doc, termId } = boardWithTerm();
		const changes = changesOf(doc, (d) =>
			proposeReading(d, { termId, text: 'Besparing', author: anouk })
		);
		const verdict = judgeChanges('board', doc, changes, writer(anouk));
		expect(verdict.ok).toBe(true);
		if (verdict.ok)
			expect(verdict.records).toMatchObject([{ root: 'readings', authorId: anouk.id }]);
	});

	it("refuses a participant's reading for another perspective or under another name", () => {
		const { doc, termId } = boardWithTerm();
		const other = changesOf(doc, (d) =>
			proposeReading(d, { termId, text: 'x', author: { ...anouk, perspective: 'aanbieder' } })
		);
		expect(judgeChanges('board', doc, other, writer(anouk))).toMatchObject({
			ok: false,
			code: 'byline',
			field: 'readings.perspective'
		});
		const name = changesOf(doc, (d) => proposeReading(d, { termId, text: 'x', author: bram }));
		expect(judgeChanges('board', doc, name, writer(anouk))).toMatchObject({
			ok: false,
			code: 'byline'
		});
	});

	it('refuses terms, agreed meanings and status from participants, accepts them from facilitators', () => {
		const { doc, termId } = boardWithTerm();
		const agree = changesOf(doc, (d) => updateTerm(d, termId, { meaning: 'x', status: 'agreed' }));
		expect(judgeChanges('board', doc, agree, writer(anouk))).toMatchObject({
			ok: false,
			code: 'rule',
			field: 'glossary.meaning'
		});
		expect(judgeChanges('board', doc, agree, facilitator).ok).toBe(true);
		const newTerm = changesOf(doc, (d) => addTerm(d, { term: 'eigen kracht' }));
		expect(judgeChanges('board', doc, newTerm, writer(anouk)).ok).toBe(false);
		expect(judgeChanges('board', doc, newTerm, facilitator).ok).toBe(true);
	});

	it('refuses values outside the declarations, whoever writes', () => {
		const { doc, termId } = boardWithTerm();
		const status = [
			{
				kind: 'insert' as const,
				path: ['glossary', termId, 'status'],
				values: ['maybe'],
				content: new Y.ContentAny(['maybe'])
			}
		];
		expect(judgeChanges('board', doc, status, facilitator)).toMatchObject({
			ok: false,
			field: 'glossary.status'
		});
		const long = changesOf(doc, (d) =>
			proposeReading(d, { termId, text: 'x'.repeat(500), author: anouk })
		).map((c) =>
			c.path[2] === 'text'
				? { ...c, values: ['x'.repeat(501)], content: new Y.ContentAny(['x'.repeat(501)]) }
				: c
		);
		expect(judgeChanges('board', doc, long, writer(anouk))).toMatchObject({
			ok: false,
			field: 'readings.text'
		});
	});
});

describe('the compass check on terms', () => {
	it('flags a used term whose readings differ until it is agreed', () => {
		const { doc, termId } = boardWithTerm();
		proposeReading(doc, { termId, text: 'Een besparing', author: anouk });
		expect(compassChecks(readBoardSnapshot(doc)).some((c) => c.code === 'glossary_term_open')).toBe(
			false
		);
		proposeReading(doc, { termId, text: 'Minder eenzaamheid', author: bram });
		// Differing readings, but no card uses the word yet.
		expect(compassChecks(readBoardSnapshot(doc)).some((c) => c.code === 'glossary_term_open')).toBe(
			false
		);
		addCard(doc, { kind: 'activity', text: 'Preventieve huisbezoeken', author: anouk });
		const open = compassChecks(readBoardSnapshot(doc)).filter(
			(c) => c.code === 'glossary_term_open'
		);
		expect(open).toEqual([
			expect.objectContaining({
				id: `glossary_term_open:${termId}`,
				step: 'activities',
				params: { term: 'preventie' },
				messageKey: 'board_check_glossary_term_open'
			})
		]);
		updateTerm(doc, termId, { meaning: 'Zorg voorkomen', status: 'agreed' });
		expect(compassChecks(readBoardSnapshot(doc)).some((c) => c.code === 'glossary_term_open')).toBe(
			false
		);
	});
});
