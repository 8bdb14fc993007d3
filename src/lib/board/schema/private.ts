/**
 * A participant's private document: draft cards written while their step is private (`drafts`,
 * card records as in `cards`), their ballots (`ballots.<roundId>.<cardId>` = dots) and their
 * consent answers (`consent.<roundId>`, see consent.ts). Only that
 * participant and the facilitators receive it; the server moves drafts into the shared board on
 * reveal and tallies ballots.
 */
import * as Y from 'yjs';
import type { Card } from '../../domain/cards.ts';
import type { CardId, RoundId } from '../../domain/ids.ts';
import type { StepId } from '../../domain/steps.ts';
import { VOTE_LIMITS, type Ballot } from '../../domain/votes.ts';
import {
	CARD_FIELDS,
	changeCard,
	detailsOf,
	insertCard,
	lastOrder,
	readCardsIn,
	safeKeyAfter,
	writeByline,
	writeDetails,
	type CardChange,
	type NewCard
} from './cards.ts';
import { CONSENT_PRIVATE_ROOT } from './consent-fields.ts';
import { recordsOf } from './document.ts';
import { AUTHORED_ROOT } from './anonymity.ts';
import { NO_BYLINE, type AnonymityMode } from '../../domain/anonymity.ts';
import { RECORD_KEY, type RootSpec } from './fields.ts';
import {
	BoardWriteError,
	CARD,
	PRIVATE_ROOT,
	records,
	ROOT,
	SERVER_ORIGIN,
	type PrivateRootName,
	type RecordMap
} from './keys.ts';

/** Every root of a private document and what it holds. */
export const PRIVATE_DOC: Readonly<Record<PrivateRootName, RootSpec>> = {
	drafts: recordsOf(CARD_FIELDS),
	ballots: {
		kind: 'entries',
		key: RECORD_KEY,
		writer: 'participant',
		value: {
			shape: {
				type: 'map',
				map: {
					kind: 'entries',
					key: RECORD_KEY,
					value: {
						shape: { type: 'number', min: 0, max: VOTE_LIMITS.votesPerPersonMax, integer: true },
						writer: 'participant'
					}
				}
			},
			writer: 'participant'
		}
	},
	authored: AUTHORED_ROOT,
	consent: CONSENT_PRIVATE_ROOT
};

/** A new private document (drafts and ballots of one participant). */
export function createPrivateDoc(): Y.Doc {
	return new Y.Doc();
}

/** A private document's root types, for observers and undo scopes. */
export function privateTypes(doc: Y.Doc) {
	return {
		drafts: doc.getMap<RecordMap>(PRIVATE_ROOT.drafts),
		ballots: doc.getMap<unknown>(PRIVATE_ROOT.ballots),
		consent: doc.getMap<unknown>(PRIVATE_ROOT.consent)
	};
}

// ---------------------------------------------------------------------------------------------
// Drafts

/** A participant's draft cards (written while their step was private), in board order. */
export function readDrafts(privateDoc: Y.Doc, step?: StepId): Card[] {
	const drafts = readCardsIn(records(privateDoc, PRIVATE_ROOT.drafts));
	return step === undefined ? drafts : drafts.filter((c) => c.step === step);
}

/** Adds a draft card to a private doc. Returns its id. */
export function addDraft(privateDoc: Y.Doc, input: NewCard, origin: unknown = null): CardId {
	let id = '';
	privateDoc.transact(() => {
		id = insertCard(records(privateDoc, PRIVATE_ROOT.drafts), input);
	}, origin);
	return id;
}

export function updateDraft(
	privateDoc: Y.Doc,
	id: CardId,
	change: CardChange,
	origin: unknown = null
): void {
	privateDoc.transact(
		() => changeCard(records(privateDoc, PRIVATE_ROOT.drafts), id, change),
		origin
	);
}

export function deleteDraft(privateDoc: Y.Doc, id: CardId, origin: unknown = null): void {
	privateDoc.transact(() => records(privateDoc, PRIVATE_ROOT.drafts).delete(id), origin);
}

/**
 * Reveal (server): moves the drafts of `step` from one private doc into the shared doc, keeping
 * ids, authors and order. Returns the ids moved. See {@link revealStep}.
 */
export function revealDrafts(
	sharedDoc: Y.Doc,
	privateDoc: Y.Doc,
	step: StepId,
	origin: unknown = SERVER_ORIGIN,
	anonymous: AnonymityMode | null = null
): CardId[] {
	return revealStep(sharedDoc, [privateDoc], step, { origin, anonymous });
}

export interface RevealOptions {
	origin?: unknown;
	/** The step's anonymity: reveal without bylines, in a shuffled order, with one time stamp. */
	anonymous?: AnonymityMode | null;
	/** The time stamp every card of an anonymous reveal gets (default: now). */
	now?: number;
	/** A number in [0, 1) for the shuffle (tests); default: the platform's crypto. */
	random?: () => number;
}

function cryptoRandom(): number {
	const word = new Uint32Array(1);
	crypto.getRandomValues(word);
	return word[0]! / 2 ** 32;
}

/**
 * Reveal (server): moves the drafts of `step` from the given private docs into the shared doc.
 * Returns the ids moved. Two kinds of transactions, the shared one first, so a crash in between
 * leaves a copy rather than losing the card (the copy is idempotent: same id).
 *
 * - Not anonymous: each author's cards in their order, with their byline and time.
 * - Anonymous (`anonymous` set): all drafts in ONE shared transaction, in a random order (their
 *   `order` and the order in which the update carries them), all with the same `createdAt`, and no
 *   byline, so neither the board nor the update sent to every device says which cards came from
 *   one person. With `facilitator`, who wrote each card is kept in the author's private doc's
 *   `authored` map (the participant and facilitators only).
 */
export function revealStep(
	sharedDoc: Y.Doc,
	privateDocs: readonly Y.Doc[],
	step: StepId,
	options: RevealOptions = {}
): CardId[] {
	const { origin = SERVER_ORIGIN, anonymous = null } = options;
	const perDoc = privateDocs.map((doc) => ({ doc, drafts: readDrafts(doc, step) }));
	const drafts = perDoc.flatMap((d) => d.drafts);
	if (!drafts.length) return [];
	if (anonymous) {
		const random = options.random ?? cryptoRandom;
		for (let i = drafts.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!];
		}
	}
	const now = options.now ?? Date.now();
	const cards = records(sharedDoc, ROOT.cards);
	sharedDoc.transact(() => {
		let after = lastOrder(cards, step);
		for (const draft of drafts) {
			if (cards.has(draft.id)) continue;
			const order = safeKeyAfter(after);
			after = order;
			const record: RecordMap = new Y.Map();
			cards.set(draft.id, record);
			record.set(CARD.id, draft.id);
			record.set(CARD.step, draft.step);
			record.set(CARD.kind, draft.kind);
			record.set(CARD.text, draft.text);
			writeByline(record, anonymous ? NO_BYLINE : draft);
			record.set(CARD.createdAt, anonymous ? now : draft.createdAt);
			record.set(CARD.order, order);
			writeDetails(record, detailsOf(draft));
		}
	}, origin);
	for (const { doc, drafts: own } of perDoc) {
		if (!own.length) continue;
		doc.transact(() => {
			const map = records(doc, PRIVATE_ROOT.drafts);
			for (const draft of own) map.delete(draft.id);
			if (anonymous === 'facilitator') {
				const authored = doc.getMap<string>(PRIVATE_ROOT.authored);
				for (const draft of own) authored.set(draft.id, draft.authorName);
			}
		}, origin);
	}
	return drafts.map((d) => d.id);
}

// ---------------------------------------------------------------------------------------------
// Ballots

/** One participant's ballot in one round (empty when none). */
export function readBallot(privateDoc: Y.Doc, roundId: RoundId): Ballot {
	const map = privateDoc.getMap<unknown>(PRIVATE_ROOT.ballots).get(roundId);
	const ballot: Record<CardId, number> = {};
	if (!(map instanceof Y.Map)) return ballot;
	for (const [cardId, n] of map.entries())
		if (typeof n === 'number' && Number.isInteger(n) && n > 0) ballot[cardId] = n;
	return ballot;
}

/** All ballots of one participant: round → ballot. */
export function readBallots(privateDoc: Y.Doc): Record<RoundId, Ballot> {
	const out: Record<RoundId, Ballot> = {};
	for (const roundId of privateDoc.getMap<unknown>(PRIVATE_ROOT.ballots).keys())
		out[roundId] = readBallot(privateDoc, roundId);
	return out;
}

/** Sets the votes on one card in one round (0 removes them). The budget is checked by the caller. */
export function setVotes(
	privateDoc: Y.Doc,
	roundId: RoundId,
	cardId: CardId,
	votes: number,
	origin: unknown = null
): void {
	if (!Number.isInteger(votes) || votes < 0) throw new BoardWriteError('votes must be >= 0');
	privateDoc.transact(() => {
		const ballots = privateDoc.getMap<unknown>(PRIVATE_ROOT.ballots);
		let map = ballots.get(roundId);
		if (!(map instanceof Y.Map)) {
			map = new Y.Map<number>();
			ballots.set(roundId, map);
		}
		const ballot = map as Y.Map<number>;
		if (votes === 0) ballot.delete(cardId);
		else ballot.set(cardId, votes);
	}, origin);
}
