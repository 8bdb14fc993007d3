/**
 * The glossary (begrippenlijst) of a trajectory: terms, what each perspective reads in them, the
 * meaning the group agreed on, and which cards use a term. "Eenheid van taal" (the method's shared language): in
 * Kampen "preventie" meant a saving to the municipality and less loneliness to a provider.
 * Pure: imports nothing outside `domain/`.
 */
import type { Card } from './cards.ts';
import { PERSPECTIVES, type Perspective } from './roles.ts';

export const GLOSSARY_STATUSES = ['open', 'agreed'] as const;
/** `open`: the group still talks about it; `agreed`: the meaning is vastgesteld. */
export type GlossaryStatus = (typeof GLOSSARY_STATUSES)[number];

export const GLOSSARY_LIMITS = {
	/** Characters in a term ("preventie", "eigen kracht"). */
	term: 80,
	/** Characters in the agreed meaning and in one reading. */
	meaning: 500,
	/** Characters in the open question beside a term ("doel of middel?"). */
	note: 200,
	/** Terms in one trajectory's glossary. */
	terms: 200,
	/** Readings of one term. */
	readingsPerTerm: 100
} as const;

/** What one perspective (a participant, or the facilitator writing it down) reads in a term. */
export interface GlossaryReading {
	id: string;
	termId: string;
	perspective: Perspective;
	text: string;
	/** Participant session id or user id (the facilitator wrote it down); '' when unknown. */
	authorId: string;
	authorName: string;
	/** Milliseconds since the epoch. */
	createdAt: number;
}

export interface GlossaryTerm {
	id: string;
	term: string;
	/** The agreed meaning ('' while none is written). */
	meaning: string;
	/** An open question beside the term, e.g. "doel of middel?" ('' when none). */
	note: string;
	status: GlossaryStatus;
	createdAt: number;
	/** Oldest first. */
	readings: GlossaryReading[];
}

export function isGlossaryStatus(value: unknown): value is GlossaryStatus {
	return typeof value === 'string' && (GLOSSARY_STATUSES as readonly string[]).includes(value);
}

export type GlossaryProblem = 'term_empty' | 'term_too_long' | 'text_empty' | 'text_too_long';

/** Why a term's name cannot be stored, or null. */
export function termProblem(term: string): GlossaryProblem | null {
	const t = term.trim();
	if (!t) return 'term_empty';
	if (t.length > GLOSSARY_LIMITS.term) return 'term_too_long';
	return null;
}

/** Why a reading (or an agreed meaning, `allowEmpty`) cannot be stored, or null. */
export function readingProblem(text: string, allowEmpty = false): GlossaryProblem | null {
	const t = text.trim();
	if (!t && !allowEmpty) return 'text_empty';
	if (t.length > GLOSSARY_LIMITS.meaning) return 'text_too_long';
	return null;
}

// ---------------------------------------------------------------------------------------------
// Finding terms in text

/**
 * Endings a Dutch word may carry after the term: plurals (-s, -'s, -en, -n), the inflected
 * adjective (-e) and the adjective of a noun in -ie ("preventie" → "preventief", "preventieve").
 */
const ENDINGS = ["'s", 's', 'en', 'n', 'e', 'f', 've', 'ven'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The expression finding `term` as a whole word (case-insensitive, with Dutch endings). */
export function termPattern(term: string): RegExp {
	const words = term.trim().split(/\s+/).filter(Boolean).map(escape);
	const body = words.join('\\s+');
	const endings = ENDINGS.map(escape).join('|');
	return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?:${endings})?(?![\\p{L}\\p{N}])`, 'giu');
}

export interface TermMatch {
	term: GlossaryTerm;
	start: number;
	end: number;
}

/**
 * Every use of a glossary term in `text`, left to right, never overlapping; where two terms start
 * at the same place the longer match wins ("eigen kracht" over "kracht").
 */
export function findTerms(text: string, terms: readonly GlossaryTerm[]): TermMatch[] {
	const found: TermMatch[] = [];
	for (const term of terms) {
		if (!term.term.trim()) continue;
		for (const match of text.matchAll(termPattern(term.term)))
			found.push({ term, start: match.index, end: match.index + match[0].length });
	}
	found.sort((a, b) => a.start - b.start || b.end - a.end);
	const out: TermMatch[] = [];
	let after = 0;
	for (const match of found)
		if (match.start >= after) {
			out.push(match);
			after = match.end;
		}
	return out;
}

/** A piece of text, marked with the term it is a use of. */
export interface TextSegment {
	text: string;
	term: GlossaryTerm | null;
}

/** `text` cut into plain pieces and uses of glossary terms, in order. */
export function splitByTerms(text: string, terms: readonly GlossaryTerm[]): TextSegment[] {
	const segments: TextSegment[] = [];
	let at = 0;
	for (const match of findTerms(text, terms)) {
		if (match.start > at) segments.push({ text: text.slice(at, match.start), term: null });
		segments.push({ text: text.slice(match.start, match.end), term: match.term });
		at = match.end;
	}
	if (at < text.length || segments.length === 0)
		segments.push({ text: text.slice(at), term: null });
	return segments;
}

/** Whether `text` uses `term`. */
export function usesTerm(text: string, term: Pick<GlossaryTerm, 'term'>): boolean {
	if (!term.term.trim()) return false;
	return termPattern(term.term).test(text);
}

/** The cards whose text uses `term` (in the order given). */
export function cardsUsing<C extends Pick<Card, 'text'>>(
	cards: readonly C[],
	term: Pick<GlossaryTerm, 'term'>
): C[] {
	return cards.filter((card) => usesTerm(card.text, term));
}

// ---------------------------------------------------------------------------------------------
// Readings

const normalise = (text: string) =>
	text
		.toLocaleLowerCase('nl')
		.replace(/[\s.,;:!?]+/g, ' ')
		.trim();

/** Whether the readings of a term say different things (two or more distinct texts). */
export function readingsDiffer(term: Pick<GlossaryTerm, 'readings'>): boolean {
	return new Set(term.readings.map((r) => normalise(r.text)).filter(Boolean)).size > 1;
}

/** The readings of a term per perspective, in the order of {@link PERSPECTIVES}; empty ones left out. */
export function readingsByPerspective(
	term: Pick<GlossaryTerm, 'readings'>
): { perspective: Perspective; readings: GlossaryReading[] }[] {
	return PERSPECTIVES.map((perspective) => ({
		perspective,
		readings: term.readings.filter((r) => r.perspective === perspective)
	})).filter((group) => group.readings.length > 0);
}

/**
 * Whether a term still needs the group: not agreed and its readings differ. These are the terms
 * the compass asks about when a card uses them.
 */
export function needsAgreement(term: GlossaryTerm): boolean {
	return term.status !== 'agreed' && readingsDiffer(term);
}
