import { describe, expect, it } from 'vitest';
import { kampenWerk } from './kampen-werk.fixture.ts';
import { canLinkKinds, linkProblem, liveLinks, sourcesOf, targetsOf } from './links.ts';

describe('link rules', () => {
	it('allows means → ends only', () => {
		expect(canLinkKinds('activity', 'outcome')).toBe(true);
		expect(canLinkKinds('indicator', 'outcome')).toBe(true);
		expect(canLinkKinds('indicator', 'activity')).toBe(true);
		expect(canLinkKinds('outcome', 'activity')).toBe(false);
		expect(canLinkKinds('activity', 'activity')).toBe(false);
		expect(canLinkKinds('activity', 'ambition')).toBe(false);
		expect(canLinkKinds('action', 'outcome')).toBe(false);
	});

	it('says why a link on the Kampen board cannot be made', () => {
		const { cards, links } = kampenWerk();
		expect(linkProblem(cards, links, 'act-bingo', 'out-terugval')).toBeNull();
		expect(linkProblem(cards, links, 'act-maatje', 'out-terugval')).toBe('duplicate');
		expect(linkProblem(cards, links, 'out-terugval', 'act-bingo')).toBe('not_allowed');
		expect(linkProblem(cards, links, 'act-bingo', 'act-bingo')).toBe('self');
		expect(linkProblem(cards, links, 'act-bingo', 'gone')).toBe('missing_card');
		cards.find((c) => c.id === 'out-doorstroom')!.mergedInto = 'out-terugval';
		expect(linkProblem(cards, links, 'act-bingo', 'out-doorstroom')).toBe('merged');
	});

	it('finds ends and means and hides dangling links', () => {
		const { cards, links } = kampenWerk();
		expect(targetsOf(links, 'act-maatje')).toEqual(['out-terugval']);
		expect(sourcesOf(links, 'out-terugval')).toEqual([
			'act-maatje',
			'act-reintegratie',
			'ind-terugval'
		]);
		const withoutMaatje = cards.filter((c) => c.id !== 'act-maatje');
		expect(liveLinks(withoutMaatje, links).map((l) => l.id)).toEqual(['l2', 'l3']);
	});
});
