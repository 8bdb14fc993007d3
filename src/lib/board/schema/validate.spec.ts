/**
 * The schema's judgement of a client's changes. Changes are listed here by hand (what
 * server/realtime/changes.ts reads from an update); tests/server/ sends the same over sockets.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	addComment,
	createBoardDoc,
	createPrivateDoc,
	judgeChanges,
	mergeCards,
	type Author,
	type SchemaChange,
	type SchemaWriter
} from './index.ts';

const anouk: Author = { id: 'p-anouk', name: 'Anouk', perspective: 'gemeente' };
const participant: SchemaWriter = {
	role: 'participant',
	byline: { authorId: anouk.id, authorName: anouk.name, perspective: anouk.perspective }
};
const facilitator: SchemaWriter = {
	role: 'facilitator',
	byline: { authorId: 'u-fac', authorName: 'Fleur', perspective: null }
};

const set = (path: string[], value: unknown): SchemaChange => ({
	kind: 'insert',
	path,
	values: [value],
	content: value instanceof Y.AbstractType ? new Y.ContentType(value) : new Y.ContentAny([value])
});
const remove = (path: string[]): SchemaChange => ({ kind: 'delete', path });

/** The changes a writer makes on a copy of `doc`, as the server would read them (by path). */
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
				changes.push(value === undefined ? remove([...path, key]) : set([...path, key], value));
				if (value instanceof Y.Map)
					for (const [field, v] of value.entries()) changes.push(set([...path, key, field], v));
			}
		}
	});
	write(copy);
	return changes;
}

describe('judgeChanges', () => {
	it("accepts what the schema's own writers write, for participants and facilitators", () => {
		const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
		const card = changesOf(doc, (d) =>
			addCard(d, { kind: 'outcome', text: 'Minder terugval', horizonYears: 3, author: anouk })
		);
		const verdict = judgeChanges('board', doc, card, participant);
		expect(verdict).toMatchObject({ ok: true });
		if (verdict.ok) {
			expect(verdict.records).toHaveLength(1);
			expect(verdict.records[0]).toMatchObject({
				root: 'cards',
				created: true,
				authorId: anouk.id
			});
			expect(verdict.written).toBeGreaterThan('Minder terugval'.length);
		}
		const id = addCard(doc, { kind: 'outcome', text: 'Een', author: anouk });
		const other = addCard(doc, { kind: 'outcome', text: 'Twee', author: { ...anouk, id: 'p-2' } });
		expect(
			judgeChanges(
				'board',
				doc,
				changesOf(doc, (d) => mergeCards(d, id, [other])),
				facilitator
			)
		).toMatchObject({ ok: true });
		expect(
			judgeChanges(
				'board',
				doc,
				changesOf(doc, (d) => addComment(d, { cardId: id, text: 'Eens', author: anouk })),
				participant
			)
		).toMatchObject({ ok: true });
	});

	it('refuses text over its limit, wrong types, unknown fields and values outside their list', () => {
		const doc = createBoardDoc();
		const cases: [SchemaChange, string][] = [
			[set(['cards', 'c1', 'text'], 'x'.repeat(501)), 'cards.text'],
			[set(['cards', 'c1', 'text'], 42), 'cards.text'],
			[set(['cards', 'c1', 'colour'], 'red'), 'cards.colour'],
			[set(['cards', 'c1', 'kind'], 'wish'), 'cards.kind'],
			[set(['cards', 'c1', 'horizonYears'], 11), 'cards.horizonYears'],
			[set(['cards', 'c1', 'text'], new Y.Text('hallo')), 'cards.text'],
			[set(['comments', 'k1', 'text'], 'x'.repeat(501)), 'comments.text'],
			[set(['cards', 'x'.repeat(65)], new Y.Map()), 'cards'],
			[set(['notes', 'n1'], 'x'), 'notes']
		];
		for (const [change, field] of cases) {
			const verdict = judgeChanges('board', doc, [change], facilitator);
			expect(verdict, field).toMatchObject({ ok: false, code: 'field', field });
		}
	});

	it('keeps facilitator and server fields from participants, and server fields from everyone', () => {
		const doc = createBoardDoc();
		expect(
			judgeChanges(
				'board',
				doc,
				[set(['cards', 'c1', 'coAuthors'], 'De Burgemeester')],
				participant
			)
		).toMatchObject({ ok: false, code: 'rule', field: 'cards.coAuthors' });
		expect(
			judgeChanges('board', doc, [set(['control', 'currentStep'], 'outcomes')], participant)
		).toMatchObject({ ok: false, code: 'rule' });
		expect(
			judgeChanges('board', doc, [set(['control', 'currentStep'], 'outcomes')], facilitator)
		).toMatchObject({ ok: true });
		expect(
			judgeChanges('board', doc, [set(['meta', 'themeName'], 'gekaapt')], facilitator)
		).toMatchObject({ ok: false, code: 'rule', field: 'meta.themeName' });
		expect(
			judgeChanges('board', doc, [remove(['control', 'results', 'r1'])], facilitator)
		).toMatchObject({ ok: false, code: 'rule' });
	});

	it("refuses a participant's byline that is not their own, but not a facilitator's", () => {
		const doc = createBoardDoc();
		for (const [field, value] of [
			['authorName', 'Wethouder Jansen'],
			['perspective', 'aanbieder'],
			['authorId', 'p-other']
		] as const) {
			expect(
				judgeChanges('board', doc, [set(['cards', 'c1', field], value)], participant)
			).toMatchObject({ ok: false, code: 'byline', field: `cards.${field}` });
			expect(
				judgeChanges('board', doc, [set(['cards', 'c1', field], value)], facilitator)
			).toMatchObject({ ok: true });
		}
	});

	it('judges a card as the update leaves it: its fields must belong to its kind', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, { kind: 'situation', text: 'Acht jongeren', author: anouk });
		expect(
			judgeChanges('board', doc, [set(['cards', id, 'horizonYears'], 3)], participant)
		).toMatchObject({ ok: false, code: 'field', field: 'cards.horizonYears' });
		expect(
			judgeChanges(
				'board',
				doc,
				[set(['cards', id, 'kind'], 'outcome'), set(['cards', id, 'horizonYears'], 3)],
				participant
			)
		).toMatchObject({ ok: true });
		expect(
			judgeChanges('board', doc, [set(['cards', id, 'id'], 'another-id')], participant)
		).toMatchObject({ ok: false, field: 'cards.id' });
	});

	it('reports the text a touched record holds afterwards, and removals', () => {
		const doc = createBoardDoc();
		const id = addCard(doc, { kind: 'ambition', text: 'kort', author: anouk });
		const longer = judgeChanges(
			'board',
			doc,
			[set(['cards', id, 'text'], 'x'.repeat(400))],
			participant
		);
		const before = judgeChanges('board', doc, [set(['cards', id, 'text'], 'kort')], participant);
		if (!longer.ok || !before.ok) throw new Error('expected both to pass');
		expect(longer.records[0].chars - before.records[0].chars).toBe(400 - 4);
		const gone = judgeChanges('board', doc, [remove(['cards', id])], participant);
		expect(gone).toMatchObject({ ok: true, records: [{ id, deleted: true, authorId: null }] });
	});

	it('judges private documents by their own roots: drafts and ballots', () => {
		const mine = createPrivateDoc();
		expect(
			judgeChanges('private', mine, [set(['drafts', 'd1', 'text'], 'x'.repeat(501))], participant)
		).toMatchObject({ ok: false, field: 'drafts.text' });
		expect(
			judgeChanges('private', mine, [set(['ballots', 'r1', 'c1'], 2)], participant)
		).toMatchObject({ ok: true });
		expect(
			judgeChanges('private', mine, [set(['ballots', 'r1', 'c1'], 2.5)], participant)
		).toMatchObject({ ok: false, field: 'ballots' });
		expect(
			judgeChanges('private', mine, [set(['cards', 'c1', 'text'], 'x')], participant)
		).toMatchObject({ ok: false, field: 'cards' });
	});
});
