import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { warmUpDocx } from './docx-warm-up.ts';
import { exportDocx } from './docx.ts';
import { kampenWerkReport } from './fixtures.ts';

/** The parts of a .docx (a zip) as text. */
async function openDocx(buffer: Buffer): Promise<Record<string, string>> {
	const files = unzipSync(new Uint8Array(buffer));
	return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/** The text of every paragraph with the given style, in document order. */
function paragraphsWithStyle(xml: string, style: string): string[] {
	const out: string[] = [];
	for (const match of xml.matchAll(/<w:p>(.*?)<\/w:p>/g)) {
		const body = match[1] ?? '';
		if (!body.includes(`<w:pStyle w:val="${style}"/>`)) continue;
		out.push([...body.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
	}
	return out;
}

// The DOCX draws the results chain's PNG with resvg (WebAssembly): compiled once, before the tests.
beforeAll(warmUpDocx, 60_000);

describe('exportDocx', { timeout: 60_000 }, () => {
	it('is a Word package with real headings in the budget-question order', async () => {
		const parts = await openDocx(await exportDocx(kampenWerkReport()));
		const xml = parts['word/document.xml'];
		expect(xml).toBeDefined();
		expect(parts['[Content_Types].xml']).toContain('wordprocessingml.document.main+xml');
		expect(paragraphsWithStyle(xml!, 'Heading1')).toEqual([
			'Kwaliteitskompas sociaal domein Kampen - gemeente Kampen'
		]);
		expect(paragraphsWithStyle(xml!, 'Heading2')).toEqual([
			'Deelnemende organisaties',
			'Thema Werk',
			'Begrippenlijst'
		]);
		expect(paragraphsWithStyle(xml!, 'Heading3')).toEqual([
			'Wat willen we bereiken?',
			'Wat gaan we daarvoor doen?',
			'Hoe meten we het? Indicatoren',
			'Resultatenketen',
			'Wat leren we? Verbeteracties',
			'Nog open vragen van het kompas'
		]);
		expect(paragraphsWithStyle(xml!, 'Heading4')).toContain(
			'Maatschappelijke resultaten, in volgorde van prioriteit'
		);
		// The heading styles carry outline levels, which navigation panes and bookmarks use.
		expect(parts['word/styles.xml']).toMatch(
			/w:styleId="Heading2".*?<w:outlineLvl w:val="1"\/>.*?<\/w:style>/
		);
	});

	it('has real tables with a repeating header row and the agreed content', async () => {
		const xml = (await openDocx(await exportDocx(kampenWerkReport())))['word/document.xml']!;
		const tables = xml.match(/<w:tbl>.*?<\/w:tbl>/g) ?? [];
		// outcomes, activities, indicators, results chain, actions, glossary
		expect(tables).toHaveLength(6);
		for (const table of tables) expect(table).toContain('<w:tblHeader/>');
		const indicatorTable = tables.find((t) => t.includes('>Nulmeting<'));
		expect(indicatorTable).toBeDefined();
		for (const header of [
			'Indicator',
			'Tellen of vertellen',
			'Instrument of bron',
			'Streefwaarde',
			'Termijn',
			'Meetmomenten',
			'Eigenaar'
		]) {
			expect(indicatorTable).toContain(`>${header}<`);
		}
		expect(indicatorTable).toContain('>28% (2025)<');
		expect(xml).toContain(
			'De beroepsbevolking van Kampen doet naar vermogen mee en voorziet duurzaam in een eigen inkomen'
		);
		expect(xml).toContain('Een vrijwilliger of maatje van De Kern helpt');
	});

	it('puts the indicator table in a landscape section and the rest in portrait', async () => {
		const xml = (await openDocx(await exportDocx(kampenWerkReport())))['word/document.xml']!;
		const sections = xml.match(/<w:sectPr>.*?<\/w:sectPr>/g) ?? [];
		expect(sections.length).toBeGreaterThanOrEqual(3);
		// The section properties that follow the indicator table describe its section.
		const afterTable = xml.slice(xml.indexOf('>Meetmomenten<'));
		const ownSection = /<w:sectPr>.*?<\/w:sectPr>/.exec(afterTable)?.[0];
		expect(ownSection).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
		expect(sections[0]).toContain('w:orient="portrait"');
		expect(sections[sections.length - 1]).toContain('w:orient="portrait"');
	});

	it('carries title and language metadata', async () => {
		const nl = await openDocx(await exportDocx(kampenWerkReport()));
		expect(nl['docProps/core.xml']).toContain(
			'<dc:title>Kwaliteitskompas sociaal domein Kampen - gemeente Kampen</dc:title>'
		);
		expect(nl['word/styles.xml']).toContain('<w:lang w:val="nl-NL"/>');
		const en = await openDocx(await exportDocx(kampenWerkReport(), { locale: 'en' }));
		expect(en['word/styles.xml']).toContain('<w:lang w:val="en-GB"/>');
		expect(en['word/document.xml']).toContain('What do we want to achieve?');
		expect(en['word/footer1.xml']).toContain('Page ');
	});

	it('names people only when asked to', async () => {
		const without = await openDocx(await exportDocx(kampenWerkReport()));
		expect(without['word/document.xml']).not.toContain('Anne de Vries');
		const withPeople = await openDocx(
			await exportDocx(kampenWerkReport(), { includePeople: true })
		);
		expect(withPeople['word/document.xml']).toContain('Anne de Vries, Gemeente Kampen');
	});

	it('escapes XML in card text', async () => {
		const report = kampenWerkReport();
		report.themes[0]!.ambition = 'Samen <sterk> & "duurzaam"';
		const xml = (await openDocx(await exportDocx(report)))['word/document.xml']!;
		expect(xml).toContain('Samen &lt;sterk&gt; &amp;');
		expect(xml).not.toContain('<sterk>');
	});

	it('carries the results chain as an SVG picture with a PNG fallback, and as a table', async () => {
		const report = kampenWerkReport();
		report.themes[0]!.activities.push({
			text: 'Bingomiddag in het buurthuis',
			owners: [],
			servesOutcomes: [],
			isNew: false,
			quality: []
		});
		const buffer = await exportDocx(report);
		const files = unzipSync(new Uint8Array(buffer));
		const media = Object.keys(files).filter((name) => name.startsWith('word/media/'));
		const svg = media.find((name) => name.endsWith('.svg'));
		const png = media.find((name) => name.endsWith('.png'));
		expect(svg).toBeDefined();
		expect(png).toBeDefined();
		expect(strFromU8(files[svg!]!)).toContain('Doel of middel?');
		expect([...files[png!]!.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe(
			'PNG'
		);
		const xml = strFromU8(files['word/document.xml']!);
		expect(xml).toContain('asvg:svgBlip');
		expect(xml).toMatch(/descr="Tekening van de resultatenketen/);
		const chainTable = (xml.match(/<w:tbl>.*?<\/w:tbl>/g) ?? []).find((t) =>
			t.includes('>Let op<')
		);
		expect(chainTable).toContain('Bingomiddag in het buurthuis (! Doel of middel?)');
		expect(chainTable).toContain('>Geen indicator<');
	});
});
