/**
 * Links (means → ends) and comments: records of their own under `links` and `comments`, pointing
 * at cards by id. Also the facilitator's merge, which moves links and comments to the merged card.
 */
import * as Y from 'yjs';
import { LIMITS, validateComment, type Comment } from '../../domain/cards.ts';
import { newId, type AuthorId, type CardId } from '../../domain/ids.ts';
import { linkProblem, type Link } from '../../domain/links.ts';
import { readCards, MAX_CO_AUTHORS } from './cards.ts';
import { idShape, TIME, type FieldSpec } from './fields.ts';
import {
	BoardWriteError,
	CARD,
	COMMENT,
	isRecordMap,
	joinList,
	LINK,
	num,
	records,
	ROOT,
	splitList,
	str,
	type Author,
	type RecordMap
} from './keys.ts';

/** Every field of a link record. */
export const LINK_FIELDS: Readonly<Record<keyof typeof LINK, FieldSpec>> = {
	id: { shape: idShape(), writer: 'participant' },
	from: { shape: idShape(), writer: 'participant' },
	to: { shape: idShape(), writer: 'participant' },
	authorId: { shape: idShape(), writer: 'participant', byline: 'authorId' }
};

/** Every field of a comment record. */
export const COMMENT_FIELDS: Readonly<Record<keyof typeof COMMENT, FieldSpec>> = {
	id: { shape: idShape(), writer: 'participant' },
	cardId: { shape: idShape(), writer: 'participant' },
	text: { shape: { type: 'string', max: LIMITS.commentText }, writer: 'participant' },
	authorId: { shape: idShape(), writer: 'participant', byline: 'authorId' },
	authorName: {
		shape: { type: 'string', max: LIMITS.name },
		writer: 'participant',
		byline: 'authorName'
	},
	createdAt: { shape: TIME, writer: 'participant' }
};

// ---------------------------------------------------------------------------------------------
// Links

function readLinkRecord(map: RecordMap): Link | null {
	const id = str(map, LINK.id);
	const from = str(map, LINK.from);
	const to = str(map, LINK.to);
	if (!id || !from || !to) return null;
	return { id, from, to, authorId: str(map, LINK.authorId) ?? '' };
}

/** All links, dangling ones included (see `liveLinks` in domain/links.ts). */
export function readLinks(doc: Y.Doc): Link[] {
	const links: Link[] = [];
	for (const record of records(doc, ROOT.links).values()) {
		if (!isRecordMap(record)) continue;
		const link = readLinkRecord(record);
		if (link) links.push(link);
	}
	return links.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function linkRecord(id: string, from: CardId, to: CardId, authorId: AuthorId): RecordMap {
	const record: RecordMap = new Y.Map();
	record.set(LINK.id, id);
	record.set(LINK.from, from);
	record.set(LINK.to, to);
	record.set(LINK.authorId, authorId);
	return record;
}

/**
 * Links two cards (activity → outcome, indicator → outcome | activity). Returns the link id.
 * Throws {@link BoardWriteError} with `linkProblem` when the domain rules refuse it.
 */
export function addLink(
	doc: Y.Doc,
	input: { from: CardId; to: CardId; authorId: AuthorId; id?: string },
	origin: unknown = null
): string {
	const problem = linkProblem(readCards(doc), readLinks(doc), input.from, input.to);
	if (problem) throw new BoardWriteError(`cannot link: ${problem}`, [], problem);
	const id = input.id ?? newId();
	doc.transact(() => {
		records(doc, ROOT.links).set(id, linkRecord(id, input.from, input.to, input.authorId));
	}, origin);
	return id;
}

export function removeLink(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => records(doc, ROOT.links).delete(id), origin);
}

// ---------------------------------------------------------------------------------------------
// Comments

function readCommentRecord(map: RecordMap): Comment | null {
	const id = str(map, COMMENT.id);
	const cardId = str(map, COMMENT.cardId);
	if (!id || !cardId) return null;
	return {
		id,
		cardId,
		text: str(map, COMMENT.text) ?? '',
		authorId: str(map, COMMENT.authorId) ?? '',
		authorName: str(map, COMMENT.authorName) ?? '',
		createdAt: num(map, COMMENT.createdAt) ?? 0
	};
}

/** Comments, oldest first; only those on `cardId` when given. */
export function readComments(doc: Y.Doc, cardId?: CardId): Comment[] {
	const comments: Comment[] = [];
	for (const record of records(doc, ROOT.comments).values()) {
		if (!isRecordMap(record)) continue;
		const comment = readCommentRecord(record);
		if (comment && (cardId === undefined || comment.cardId === cardId)) comments.push(comment);
	}
	return comments.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/** Adds a comment on a card. Returns its id. */
export function addComment(
	doc: Y.Doc,
	input: { cardId: CardId; text: string; author: Author; id?: string; createdAt?: number },
	origin: unknown = null
): string {
	const issues = validateComment(input.text);
	if (issues.length) throw new BoardWriteError('invalid comment', issues);
	if (!records(doc, ROOT.cards).has(input.cardId))
		throw new BoardWriteError(`no card ${input.cardId}`);
	const id = input.id ?? newId();
	doc.transact(() => {
		const record: RecordMap = new Y.Map();
		records(doc, ROOT.comments).set(id, record);
		record.set(COMMENT.id, id);
		record.set(COMMENT.cardId, input.cardId);
		record.set(COMMENT.text, input.text.trim());
		record.set(COMMENT.authorId, input.author.id);
		record.set(COMMENT.authorName, input.author.name.slice(0, LIMITS.name));
		record.set(COMMENT.createdAt, input.createdAt ?? Date.now());
	}, origin);
	return id;
}

export function deleteComment(doc: Y.Doc, id: string, origin: unknown = null): void {
	doc.transact(() => records(doc, ROOT.comments).delete(id), origin);
}

// ---------------------------------------------------------------------------------------------
// Merging (facilitator)

/**
 * Merges `sourceIds` into `targetId` (facilitator): sources get `mergedInto`, the target lists the
 * sources' authors as co-authors, and the sources' links and comments move to the target.
 */
export function mergeCards(
	doc: Y.Doc,
	targetId: CardId,
	sourceIds: readonly CardId[],
	origin: unknown = null
): void {
	const cards = records(doc, ROOT.cards);
	const target = cards.get(targetId);
	if (!isRecordMap(target)) throw new BoardWriteError(`no card ${targetId}`);
	doc.transact(() => {
		const targetAuthor = str(target, CARD.authorName) ?? '';
		const coAuthors = splitList(str(target, CARD.coAuthors));
		const moved = new Set(sourceIds.filter((id) => id !== targetId));
		for (const sourceId of moved) {
			const source = cards.get(sourceId);
			if (!isRecordMap(source)) continue;
			for (const name of [
				str(source, CARD.authorName) ?? '',
				...splitList(str(source, CARD.coAuthors))
			])
				if (name && name !== targetAuthor && !coAuthors.includes(name)) coAuthors.push(name);
			source.set(CARD.mergedInto, targetId);
		}
		if (coAuthors.length)
			target.set(
				CARD.coAuthors,
				joinList(coAuthors.slice(0, MAX_CO_AUTHORS).map((n) => n.slice(0, LIMITS.name)))
			);
		const links = records(doc, ROOT.links);
		const existing = new Set(
			[...links.values()].filter(isRecordMap).map((l) => `${str(l, LINK.from)}>${str(l, LINK.to)}`)
		);
		for (const [linkId, link] of [...links.entries()]) {
			if (!isRecordMap(link)) continue;
			let from = str(link, LINK.from) ?? '';
			let to = str(link, LINK.to) ?? '';
			if (!moved.has(from) && !moved.has(to)) continue;
			if (moved.has(from)) from = targetId;
			if (moved.has(to)) to = targetId;
			links.delete(linkId);
			if (from === to || existing.has(`${from}>${to}`)) continue;
			existing.add(`${from}>${to}`);
			links.set(linkId, linkRecord(linkId, from, to, str(link, LINK.authorId) ?? ''));
		}
		for (const comment of records(doc, ROOT.comments).values())
			if (isRecordMap(comment) && moved.has(str(comment, COMMENT.cardId) ?? ''))
				comment.set(COMMENT.cardId, targetId);
	}, origin);
}

/** Undoes a merge of one card (facilitator): it shows again; moved links stay with the target. */
export function unmergeCard(doc: Y.Doc, id: CardId, origin: unknown = null): void {
	doc.transact(() => {
		const record = records(doc, ROOT.cards).get(id);
		if (isRecordMap(record)) record.delete(CARD.mergedInto);
	}, origin);
}
