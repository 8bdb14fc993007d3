import { describe, expect, it } from 'vitest';
import {
	cardsUsing,
	findTerms,
	needsAgreement,
	readingProblem,
	readingsByPerspective,
	readingsDiffer,
	splitByTerms,
	termProblem,
	usesTerm,
	type GlossaryReading,
	type GlossaryTerm
} from './glossary.ts';
import type { Perspective } from './roles.ts';

const reading = (perspective: Perspective, text: string, id = `${perspective}-${text}`) =>
	({
		id,
		termId: 't',
		perspective,
		text,
		authorId: 'a',
		authorName: 'A',
		createdAt: 0
	}) satisfies GlossaryReading;

const term = (name: string, over: Partial<GlossaryTerm> = {}): GlossaryTerm => ({
	id: name.replace(/\s/g, '-'),
	term: name,
	meaning: '',
	note: '',
	status: 'open',
	createdAt: 0,
	readings: [],
	...over
});

describe('finding terms in card text', () => {
	const preventie = term('preventie');
	it('finds a whole word whatever its case', () => {
		expect(usesTerm('Preventie voor iedereen', preventie)).toBe(true);
		expect(usesTerm('meer PREVENTIE.', preventie)).toBe(true);
		expect(usesTerm('(preventie)', preventie)).toBe(true);
	});
	it('finds plurals and Dutch endings', () => {
		expect(usesTerm('drie preventies', preventie)).toBe(true);
		expect(usesTerm('preventief werken', preventie)).toBe(true);
		expect(usesTerm('een preventieve aanpak', preventie)).toBe(true);
		expect(usesTerm('twee bingo’s', term('bingo'))).toBe(true);
		expect(usesTerm("twee bingo's", term('bingo'))).toBe(true);
		expect(usesTerm('de wijken', term('wijk'))).toBe(true);
	});
	it('does not find the term inside another word', () => {
		expect(usesTerm('zorgpreventie', preventie)).toBe(false);
		expect(usesTerm('preventiebeleid', preventie)).toBe(false);
		expect(usesTerm('bingomiddag', term('bingo'))).toBe(false);
	});
	it('matches a term of several words across spaces, and treats regex characters as text', () => {
		expect(usesTerm('met  eigen\nkracht verder', term('eigen kracht'))).toBe(true);
		expect(usesTerm('a+b', term('a+b'))).toBe(true);
		expect(usesTerm('aab', term('a+b'))).toBe(false);
	});
	it('prefers the longer term where two start at the same place, never overlapping', () => {
		const terms = [term('kracht'), term('eigen kracht')];
		const found = findTerms('Eigen kracht en kracht', terms);
		expect(found.map((f) => [f.term.term, f.start, f.end])).toEqual([
			['eigen kracht', 0, 12],
			['kracht', 16, 22]
		]);
	});
	it('cuts text into plain pieces and term uses that join back to the text', () => {
		const text = 'Preventie: minder eenzaamheid door preventieve bingo.';
		const parts = splitByTerms(text, [preventie, term('bingo')]);
		expect(parts.map((p) => p.text).join('')).toBe(text);
		expect(parts.filter((p) => p.term).map((p) => p.text)).toEqual([
			'Preventie',
			'preventieve',
			'bingo'
		]);
		expect(splitByTerms('', [preventie])).toEqual([{ text: '', term: null }]);
	});
	it('lists the cards that use a term', () => {
		const cards = [{ text: 'Inzetten op preventie' }, { text: 'Bingo op dinsdag' }];
		expect(cardsUsing(cards, preventie)).toEqual([cards[0]]);
	});
});

describe('readings', () => {
	it('differ when two texts say different things, not when only case or punctuation differs', () => {
		expect(readingsDiffer(term('x'))).toBe(false);
		expect(readingsDiffer(term('x', { readings: [reading('gemeente', 'Besparing.')] }))).toBe(
			false
		);
		expect(
			readingsDiffer(
				term('x', {
					readings: [reading('gemeente', 'Besparing.'), reading('aanbieder', 'besparing')]
				})
			)
		).toBe(false);
		expect(
			readingsDiffer(
				term('x', {
					readings: [reading('gemeente', 'Besparing'), reading('aanbieder', 'Minder eenzaamheid')]
				})
			)
		).toBe(true);
	});
	it('need agreement only while open and different', () => {
		const differing = [reading('gemeente', 'Besparing'), reading('aanbieder', 'Minder eenzaam')];
		expect(needsAgreement(term('x', { readings: differing }))).toBe(true);
		expect(needsAgreement(term('x', { readings: differing, status: 'agreed' }))).toBe(false);
	});
	it('are grouped per perspective in the fixed order', () => {
		const groups = readingsByPerspective(
			term('x', {
				readings: [reading('inwoner', 'a'), reading('gemeente', 'b'), reading('inwoner', 'c')]
			})
		);
		expect(groups.map((g) => [g.perspective, g.readings.map((r) => r.text)])).toEqual([
			['gemeente', ['b']],
			['inwoner', ['a', 'c']]
		]);
	});
	it('are checked for length and emptiness', () => {
		expect(termProblem(' ')).toBe('term_empty');
		expect(termProblem('x'.repeat(81))).toBe('term_too_long');
		expect(termProblem('preventie')).toBeNull();
		expect(readingProblem('')).toBe('text_empty');
		expect(readingProblem('', true)).toBeNull();
		expect(readingProblem('x'.repeat(501))).toBe('text_too_long');
	});
});
