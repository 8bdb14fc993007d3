import { describe, expect, it } from 'vitest';
import { kampenWerk } from './kampen-werk.fixture.ts';
import { chainFlags, chainRows, resultsChain } from './results-chain.ts';
import {
	escapeXml,
	layoutChain,
	resultsChainSvg,
	wrapText,
	type ChainTexts
} from './results-chain-figure.ts';
import { emptySnapshot } from './snapshot.ts';

const TEXTS: ChainTexts = {
	title: 'Resultatenketen',
	columns: { ambition: 'Ambitie', outcomes: 'Resultaten', activities: 'Activiteiten' },
	flags: {
		no_agreed_ambition: 'Nog geen ambitie',
		outcome_without_activity: 'Geen activiteit',
		outcome_without_indicator: 'Geen indicator',
		activity_without_outcome: 'Doel of middel?',
		indicator_unlinked: 'Meet nog niets'
	},
	noAmbition: 'Nog geen ambitie vastgesteld',
	notPrioritised: 'Geen prioriteit',
	loose: 'Nog niet gekoppeld'
};

describe('resultsChain on the Kampen werk board', () => {
	it('runs from the agreed ambition through the outcomes in priority order', () => {
		const chain = resultsChain(kampenWerk());
		expect(chain.ambition?.id).toBe('amb-werk');
		expect(chain.boardFlags).toEqual([]);
		expect(chain.outcomes.map((o) => [o.id, o.rank])).toEqual([
			['out-terugval', 1],
			['out-doorstroom', 2]
		]);
		const [terugval] = chain.outcomes;
		expect(terugval!.activities).toEqual(['act-maatje', 'act-reintegratie']);
		expect(terugval!.indicators).toEqual(['ind-terugval']);
	});

	it('puts the activities under what they serve and the loose one last', () => {
		const chain = resultsChain(kampenWerk());
		expect(chain.activities.map((a) => [a.id, a.serves])).toEqual([
			['act-maatje', ['out-terugval']],
			['act-reintegratie', ['out-terugval']],
			['act-bingo', []]
		]);
		expect(chain.activities.find((a) => a.id === 'act-maatje')!.indicators).toEqual([
			'ind-verhalen'
		]);
		expect(chain.indicators.map((i) => [i.id, i.measures])).toEqual([
			['ind-terugval', ['out-terugval']],
			['ind-verhalen', ['act-maatje']]
		]);
	});

	it('shows the compass questions in place, and asks for an activity per priority', () => {
		const chain = resultsChain(kampenWerk());
		expect(chainFlags(chain)).toEqual([
			{ cardId: 'out-doorstroom', flag: 'outcome_without_activity' },
			{ cardId: 'out-doorstroom', flag: 'outcome_without_indicator' },
			{ cardId: 'act-bingo', flag: 'activity_without_outcome' }
		]);
	});

	it('follows a new link: the bingo afternoon serves the second priority', () => {
		const board = kampenWerk();
		board.links.push({ id: 'l5', from: 'act-bingo', to: 'out-doorstroom', authorId: 'p-cor' });
		const chain = resultsChain(board);
		expect(chain.activities.map((a) => a.id)).toEqual([
			'act-maatje',
			'act-reintegratie',
			'act-bingo'
		]);
		expect(chainFlags(chain)).toEqual([
			{ cardId: 'out-doorstroom', flag: 'outcome_without_indicator' }
		]);
	});

	it('shows outcomes without priority after the priorities, without flags', () => {
		const board = kampenWerk();
		board.control.priorityOrder = ['out-doorstroom'];
		const chain = resultsChain(board);
		expect(chain.outcomes.map((o) => [o.id, o.rank, o.flags])).toEqual([
			['out-doorstroom', 1, ['outcome_without_activity', 'outcome_without_indicator']],
			['out-terugval', null, []]
		]);
	});

	it('flags a board without an agreed ambition and an indicator that measures nothing', () => {
		const board = kampenWerk();
		board.control.agreed = [];
		board.links = board.links.filter((l) => l.from !== 'ind-verhalen');
		const chain = resultsChain(board);
		expect(chain.ambition).toBeNull();
		expect(chain.boardFlags).toEqual(['no_agreed_ambition']);
		expect(chain.indicators.at(-1)).toMatchObject({
			id: 'ind-verhalen',
			measures: [],
			flags: ['indicator_unlinked']
		});
	});

	it('leaves merged-away cards and their links out', () => {
		const board = kampenWerk();
		board.cards.find((c) => c.id === 'act-maatje')!.mergedInto = 'act-reintegratie';
		const chain = resultsChain(board);
		expect(chain.activities.map((a) => a.id)).not.toContain('act-maatje');
		expect(chain.indicators.find((i) => i.id === 'ind-verhalen')!.measures).toEqual([]);
	});

	it('is empty on an empty board', () => {
		const chain = resultsChain(emptySnapshot());
		expect(chain).toEqual({
			ambition: null,
			boardFlags: ['no_agreed_ambition'],
			outcomes: [],
			activities: [],
			indicators: []
		});
		expect(chainRows(chain)).toEqual([]);
	});
});

describe('chainRows (the text alternative)', () => {
	it('gives a row per outcome, then the loose cards', () => {
		const rows = chainRows(resultsChain(kampenWerk()));
		expect(
			rows.map((r) => ({
				outcome: r.outcome?.id ?? null,
				activities: r.activities.map((a) => [a.id, a.measuredBy.map((i) => i.id)]),
				indicators: r.indicators.map((i) => i.id)
			}))
		).toEqual([
			{
				outcome: 'out-terugval',
				activities: [
					['act-maatje', ['ind-verhalen']],
					['act-reintegratie', []]
				],
				indicators: ['ind-terugval']
			},
			{ outcome: 'out-doorstroom', activities: [], indicators: [] },
			{ outcome: null, activities: [['act-bingo', []]], indicators: [] }
		]);
	});
});

describe('the chain figure', () => {
	it('wraps text in lines that fit, and cuts what does not', () => {
		expect(wrapText('een twee drie vier', 9, 3)).toEqual(['een twee', 'drie vier']);
		expect(wrapText('Maatschappelijkeresultaten', 10, 5)).toEqual([
			'Maatschap-',
			'pelijkere-',
			'sultaten'
		]);
		expect(wrapText('a b c d e f', 3, 2)).toEqual(['a b', 'c…']);
	});

	it('places every card once in its column, and boxes never overlap', () => {
		const figure = layoutChain(resultsChain(kampenWerk()), TEXTS);
		const ids = figure.boxes.map((b) => b.cardId);
		expect(ids).toEqual(
			expect.arrayContaining([
				'amb-werk',
				'out-terugval',
				'out-doorstroom',
				'act-maatje',
				'act-reintegratie',
				'act-bingo',
				'ind-terugval',
				'ind-verhalen'
			])
		);
		expect(new Set(ids).size).toBe(ids.length);
		for (const a of figure.boxes)
			for (const b of figure.boxes) {
				if (a === b) continue;
				const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
				expect(apart, `${a.cardId} overlaps ${b.cardId}`).toBe(true);
			}
		for (const b of figure.boxes) {
			expect(b.x + b.w).toBeLessThanOrEqual(figure.width);
			expect(b.y + b.h).toBeLessThanOrEqual(figure.height);
		}
	});

	it('wraps into fewer lines in wider columns: a wider, lower drawing', () => {
		const chain = resultsChain(kampenWerk());
		const narrow = layoutChain(chain, TEXTS);
		const wide = layoutChain(chain, TEXTS, { columnWidth: 380 });
		expect(wide.width).toBeGreaterThan(narrow.width);
		expect(wide.height).toBeLessThan(narrow.height);
		expect(wide.width / wide.height).toBeGreaterThan(1.5);
	});

	it('draws a line for every link', () => {
		const figure = layoutChain(resultsChain(kampenWerk()), TEXTS);
		const edges = figure.edges.map((e) => `${e.kind}:${e.from}->${e.to}`).sort();
		expect(edges).toEqual(
			[
				'aims:out-terugval->amb-werk',
				'aims:out-doorstroom->amb-werk',
				'serves:act-maatje->out-terugval',
				'serves:act-reintegratie->out-terugval',
				'measures:ind-terugval->out-terugval',
				'measures:ind-verhalen->act-maatje'
			].sort()
		);
	});

	it('writes the flags inside the cards they are about', () => {
		const figure = layoutChain(resultsChain(kampenWerk()), TEXTS);
		const flagsOf = (id: string) => figure.boxes.find((b) => b.cardId === id)?.flags;
		expect(flagsOf('act-bingo')).toEqual(['activity_without_outcome']);
		expect(flagsOf('out-doorstroom')).toEqual([
			'outcome_without_activity',
			'outcome_without_indicator'
		]);
		const svg = resultsChainSvg(resultsChain(kampenWerk()), TEXTS);
		expect(svg).toContain('Doel of middel?');
		expect(svg).toContain('data-card-id="act-bingo" data-flags="activity_without_outcome"');
	});

	it('is a standalone SVG document that escapes card text', () => {
		const board = kampenWerk();
		board.cards.find((c) => c.id === 'act-bingo')!.text = '<script>alert("x")</script> & meer';
		const svg = resultsChainSvg(resultsChain(board), TEXTS);
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;');
		expect(svg).not.toMatch(/style=/);
		expect(escapeXml(`a&b"'<>`)).toBe('a&amp;b&quot;&apos;&lt;&gt;');
	});

	it("keeps the ambition's place when none is agreed", () => {
		const board = kampenWerk();
		board.control.agreed = [];
		const figure = layoutChain(resultsChain(board), TEXTS);
		const placeholder = figure.boxes.find((b) => b.kind === 'placeholder');
		expect(placeholder).toMatchObject({ flags: ['no_agreed_ambition'], muted: true });
		expect(figure.edges.filter((e) => e.kind === 'aims')).toEqual([]);
	});
});
