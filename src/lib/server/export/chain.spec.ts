import { describe, expect, it } from 'vitest';
import { chainFlags } from '../../domain/results-chain.ts';
import { chainBlocks, themeChain } from './chain.ts';
import { buildReportDocument } from './document.ts';
import { kampenWerkReport } from './fixtures.ts';
import { exportMarkdown } from './markdown.ts';

const werk = () => kampenWerkReport().themes[0]!;

describe('the results chain of an exported theme', () => {
	it('rebuilds the links of the report and asks the compass questions', () => {
		const chain = themeChain(werk());
		expect(chain.ambition?.text).toContain('De beroepsbevolking van Kampen');
		expect(chain.outcomes.map((o) => o.rank)).toEqual([1, 2, 3, 4]);
		const [relapse, youth, together, knowWhere] = chain.outcomes;
		expect(relapse!.activities).toHaveLength(2);
		expect(relapse!.indicators).toHaveLength(1);
		// The workplace's indicator measures the activity (service level), not the outcome.
		expect(youth!.flags).toEqual(['outcome_without_indicator']);
		expect(together!.flags).toEqual(['outcome_without_indicator']);
		expect(knowWhere!.flags).toEqual(['outcome_without_activity', 'outcome_without_indicator']);
		const buddy = chain.activities.find((a) => a.text.startsWith('Een vrijwilliger'));
		expect(buddy!.indicators).toHaveLength(2);
		expect(chainFlags(chain).some((f) => f.flag === 'activity_without_outcome')).toBe(false);
	});

	it('flags an activity that serves no outcome', () => {
		const theme = werk();
		theme.activities.push({
			text: 'Bingomiddag',
			owners: [],
			servesOutcomes: [],
			isNew: false,
			quality: []
		});
		const chain = themeChain(theme);
		expect(chain.activities.at(-1)).toMatchObject({
			text: 'Bingomiddag',
			flags: ['activity_without_outcome']
		});
	});

	it('is a drawing followed by its table, on wide pages after the indicator table', () => {
		const blocks = chainBlocks(werk(), 'nl');
		expect(blocks.map((b) => b.kind)).toEqual([
			'heading',
			'paragraph',
			'figure',
			'paragraph',
			'table'
		]);
		const doc = buildReportDocument(kampenWerkReport());
		const kinds = doc.blocks.map((b) => (b.kind === 'heading' ? b.text : b.kind));
		const figure = kinds.indexOf('figure');
		expect(kinds.indexOf('Hoe meten we het? Indicatoren')).toBeLessThan(figure);
		expect(kinds.slice(figure - 3, figure)).toEqual(['table', 'Resultatenketen', 'paragraph']);
		expect(kinds.slice(figure).indexOf('orientation')).toBe(3);
	});

	it('says so when there is nothing to draw, and the Markdown keeps the table', () => {
		const empty = { ...werk(), outcomes: [], activities: [], indicators: [] };
		expect(chainBlocks(empty, 'en').map((b) => b.kind)).toEqual(['heading', 'paragraph']);
		const md = exportMarkdown(kampenWerkReport(), { locale: 'en' });
		expect(md).toContain('### Results chain');
		expect(md).toContain('| Outcome | Activities | Indicators | Note |');
		expect(md).not.toContain('<svg');
	});
});
