import { describe, expect, it } from 'vitest';
import { kampenWerkReport } from './fixtures.ts';
import { escapeInline, exportMarkdown } from './markdown.ts';

describe('exportMarkdown', () => {
	it('follows the budget questions per theme, in order', () => {
		const md = exportMarkdown(kampenWerkReport());
		const order = [
			'# Kwaliteitskompas sociaal domein Kampen - gemeente Kampen',
			'## Deelnemende organisaties',
			'## Thema Werk',
			'### Wat willen we bereiken?',
			'**Ambitie:** De beroepsbevolking van Kampen doet naar vermogen mee en voorziet duurzaam in een eigen inkomen',
			'#### Maatschappelijke resultaten, in volgorde van prioriteit',
			'### Wat gaan we daarvoor doen?',
			'### Hoe meten we het? Indicatoren',
			'### Wat leren we? Verbeteracties',
			'## Begrippenlijst'
		];
		const positions = order.map((line) => md.indexOf(line));
		expect(positions.every((p) => p >= 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
	});

	it('lists outcomes in priority order with votes per perspective', () => {
		const md = exportMarkdown(kampenWerkReport());
		const rows = md.split('\n').filter((l) => /^\| \d \|/.test(l));
		expect(rows).toHaveLength(4);
		expect(rows[0]).toContain('| 1 | Over 3 jaar vallen minder inwoners');
		expect(rows[0]).toContain(
			'| Inhoudelijk<br>3 jaar | Totaal: 18<br>Gemeente: 4<br>Aanbieder: 5<br>Professional: 6<br>Inwoner of ervaringsdeskundige: 3 | Ja |'
		);
		expect(rows[0]).not.toContain('Anders: 0');
		expect(rows[3]).toContain('| 4 | Inwoners weten waar');
		expect(rows[3]).toMatch(/\| Nee \|$/);
	});

	it('shows activities with owners and the outcomes they serve, and the indicator table', () => {
		const md = exportMarkdown(kampenWerkReport());
		expect(md).toContain(
			'| Activiteit | Wie voert het uit | Draagt bij aan | Nieuw of bestaand | Kwaliteit |'
		);
		expect(md).toMatch(
			/\| Een vrijwilliger of maatje van De Kern helpt[^|]+\| De Kern \| Over 3 jaar vallen minder inwoners[^|]+\| Nieuw \| Training voor maatjes<br>Intervisie elke 6 weken \|/
		);
		expect(md).toContain(
			'| Indicator | Tellen of vertellen | Instrument of bron | Nulmeting | Streefwaarde | Termijn | Meetmomenten | Eigenaar |'
		);
		expect(md).toContain(
			'| Tellen | Uitkeringsregistratie gemeente | 28% (2025) | 20% | 3 jaar | Nulmeting januari 2026<br>Jaarlijks in januari | Gemeente Kampen |'
		);
		expect(md).toContain('| Nieuwe maatjes werven onder oud-deelnemers | De Kern |');
	});

	it('names people only when asked to', () => {
		expect(exportMarkdown(kampenWerkReport())).not.toContain('Anne de Vries');
		const withPeople = exportMarkdown(kampenWerkReport(), { includePeople: true });
		expect(withPeople).toContain('## Deelnemers');
		expect(withPeople).toContain('- Anne de Vries, Gemeente Kampen (Gemeente)');
	});

	it('writes labels in English when asked, leaving the content as agreed', () => {
		const md = exportMarkdown(kampenWerkReport(), { locale: 'en' });
		expect(md).toContain('### What do we want to achieve?');
		expect(md).toContain('**Date:** 12 March 2026');
		expect(md).toContain('**Ambition:** De beroepsbevolking van Kampen');
		expect(md).not.toContain('Wat willen we bereiken');
	});

	it('says what is missing instead of leaving sections out', () => {
		const report = kampenWerkReport();
		const theme = report.themes[0]!;
		Object.assign(theme, { ambition: null, outcomes: [], activities: [], indicators: [] });
		theme.reflection = { well: [], better: [], actions: [] };
		delete report.glossary;
		const md = exportMarkdown(report);
		expect(md).toContain('*Er is nog geen ambitie vastgesteld.*');
		expect(md).toContain('*Er zijn nog geen activiteiten.*');
		expect(md).toContain('*Er zijn nog geen indicatoren.*');
		expect(md).not.toContain('Begrippenlijst');
	});

	it('escapes card text so it cannot break tables or inject markup', () => {
		const report = kampenWerkReport();
		report.themes[0]!.activities[0]!.text =
			'A | B <img src=x onerror=alert(1)> [link](http://x)\nnext';
		const md = exportMarkdown(report);
		expect(md).toContain('A \\| B \\<img src=x onerror=alert(1)\\> \\[link\\](http://x) next');
		expect(escapeInline('- not a list')).toBe('\\- not a list');
		expect(escapeInline('1. not a list')).toBe('1\\. not a list');
		expect(escapeInline('# not a heading')).toBe('\\# not a heading');
	});
});
