/**
 * Links between cards: means → ends. An activity serves one or more outcomes; an indicator measures
 * an outcome (community level) or an activity (service level). Pure: imports nothing outside `domain/`.
 */
import type { Card, CardKind } from './cards.ts';
import type { AuthorId, CardId, LinkId } from './ids.ts';

export interface Link {
	id: LinkId;
	from: CardId;
	to: CardId;
	authorId: AuthorId;
}

/** Allowed `from kind → to kinds`. Everything else is refused. */
export const LINK_RULES: Readonly<Partial<Record<CardKind, readonly CardKind[]>>> = {
	activity: ['outcome'],
	indicator: ['outcome', 'activity']
};

/** Whether a link from a card of kind `from` to one of kind `to` is allowed. */
export function canLinkKinds(from: CardKind, to: CardKind): boolean {
	return LINK_RULES[from]?.includes(to) ?? false;
}

export type LinkProblem = 'missing_card' | 'self' | 'not_allowed' | 'duplicate' | 'merged';

/**
 * Why a link `from → to` cannot be made on a board with these cards and links, or `null` if it can.
 */
export function linkProblem(
	cards: readonly Card[],
	links: readonly Pick<Link, 'from' | 'to'>[],
	from: CardId,
	to: CardId
): LinkProblem | null {
	if (from === to) return 'self';
	const a = cards.find((c) => c.id === from);
	const b = cards.find((c) => c.id === to);
	if (!a || !b) return 'missing_card';
	if (a.mergedInto || b.mergedInto) return 'merged';
	if (!canLinkKinds(a.kind, b.kind)) return 'not_allowed';
	if (links.some((l) => l.from === from && l.to === to)) return 'duplicate';
	return null;
}

/** Links whose both ends exist and are not merged away (dangling ones are hidden, not deleted). */
export function liveLinks(cards: readonly Card[], links: readonly Link[]): Link[] {
	const live = new Set(cards.filter((c) => !c.mergedInto).map((c) => c.id));
	return links.filter((l) => live.has(l.from) && live.has(l.to));
}

/** Ids of the cards `cardId` links to (its ends). */
export function targetsOf(links: readonly Link[], cardId: CardId): CardId[] {
	return links.filter((l) => l.from === cardId).map((l) => l.to);
}

/** Ids of the cards that link to `cardId` (its means or measures). */
export function sourcesOf(links: readonly Link[], cardId: CardId): CardId[] {
	return links.filter((l) => l.to === cardId).map((l) => l.from);
}
