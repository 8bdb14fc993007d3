import { describe, expect, it } from 'vitest';
import { kampenWerkReport } from './fixtures.ts';
import { buildReportDocument } from './document.ts';
import { exportPdf, pdfDefinition } from './pdf.ts';

/**
 * Reads the text layer of an uncompressed pdfmake/PDFKit file: maps each font resource to its
 * ToUnicode CMap, then decodes the hex glyph strings of every Tj/TJ. Enough for our own output;
 * not a general PDF parser.
 */
function extractText(pdf: Buffer): string {
	const src = pdf.toString('latin1');
	const objects = new Map<string, string>();
	for (const match of src.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
		objects.set(match[1]!, match[2]!);
	}
	const cmapOf = (fontId: string): Map<number, string> => {
		const map = new Map<number, string>();
		const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontId) ?? '')?.[1];
		const cmap = objects.get(toUnicode ?? '') ?? '';
		for (const range of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
			const start = parseInt(range[1]!, 16);
			// An entry may hold several UTF-16 units, e.g. <0066 0069> for the "fi" ligature.
			[...range[3]!.matchAll(/<([0-9a-f ]+)>/gi)].forEach((u, i) => {
				const units = u[1]!.split(' ').map((h) => parseInt(h, 16));
				map.set(start + i, String.fromCharCode(...units));
			});
		}
		return map;
	};
	const fonts = new Map<string, Map<number, string>>();
	for (const match of src.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
		if (!fonts.has(match[1]!)) fonts.set(match[1]!, cmapOf(match[2]!));
	}
	const runs: string[] = [];
	for (const stream of src.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
		let cmap = new Map<number, string>();
		for (const op of stream[1]!.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ|<([0-9a-f]*)> Tj/gi)) {
			if (op[1]) {
				cmap = fonts.get(op[1]) ?? new Map();
				continue;
			}
			const hex =
				op[2] !== undefined
					? [...op[2].matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1]!).join('')
					: op[3]!;
			let text = '';
			for (let i = 0; i + 4 <= hex.length; i += 4)
				text += cmap.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
			runs.push(text);
		}
	}
	return runs.join(' ').replace(/\s+/g, ' ');
}

describe('exportPdf', () => {
	it('has a text layer with the cover, the budget-question sections and the agreed content', async () => {
		const text = extractText(await exportPdf(kampenWerkReport(), { compress: false }));
		for (const expected of [
			'Kwaliteitskompas sociaal domein Kampen - gemeente Kampen',
			'Datum: 12 maart 2026',
			'Wat willen we bereiken?',
			'De beroepsbevolking van Kampen doet naar vermogen mee en voorziet duurzaam in een eigen inkomen',
			'Wat gaan we daarvoor doen?',
			'Een vrijwilliger of maatje van De Kern helpt',
			'Hoe meten we het? Indicatoren',
			'Nulmeting',
			'28% (2025)',
			'Nieuwe maatjes werven onder oud-',
			'één gezamenlijk plan',
			'Pagina 1 van'
		]) {
			expect(text).toContain(expected);
		}
		expect(text).not.toContain('\uFFFD');
		expect(text).not.toContain('Anne de Vries');
	});

	it('carries the title, the language and a bookmark per heading', async () => {
		const raw = (await exportPdf(kampenWerkReport(), { compress: false, locale: 'en' })).toString(
			'latin1'
		);
		expect(raw).toContain('/Lang (en-GB)');
		expect(raw).toContain('/DisplayDocTitle true');
		const titleRef = /\/Title (\d+) 0 R\n\/Subject/.exec(raw)?.[1];
		expect(raw).toContain(
			`${titleRef} 0 obj\n(Kwaliteitskompas sociaal domein Kampen - municipality of Kampen)`
		);
		expect(raw).toContain('/PageMode /UseOutlines');
		// Bookmarks are written as the headings' text.
		expect(raw).toMatch(/\/Title \(What do we want to achieve\?\)/);
		expect(raw).toMatch(/\/Title \(Theme Werk\)/);
		// No structure tree: pdfmake cannot tag, and we do not claim it does.
		expect(raw).not.toContain('/StructTreeRoot');
	});

	it('puts the eight-column indicator table on landscape pages', async () => {
		const raw = (await exportPdf(kampenWerkReport(), { compress: false })).toString('latin1');
		const pages = [...raw.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((p) =>
			Number(p[1]) > Number(p[2]) ? 'landscape' : 'portrait'
		);
		expect(pages).toContain('landscape');
		expect(pages[0]).toBe('portrait');
		expect(pages[pages.length - 1]).toBe('portrait');
	});

	it('is a complete, compressed PDF by default', async () => {
		const pdf = await exportPdf(kampenWerkReport(), { includePeople: true });
		expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
		expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
		expect(pdf.toString('latin1')).toContain('/Filter /FlateDecode');
	});

	it('names people only when asked to', async () => {
		const text = extractText(
			await exportPdf(kampenWerkReport(), { includePeople: true, compress: false })
		);
		expect(text).toContain('Anne de Vries, Gemeente Kampen');
	});

	it('carries the results chain as a drawing with its table beside it', async () => {
		const report = kampenWerkReport();
		report.themes[0]!.activities.push({
			text: 'Bingomiddag in het buurthuis',
			owners: [],
			servesOutcomes: [],
			isNew: false,
			quality: []
		});
		const definition = JSON.stringify(pdfDefinition(buildReportDocument(report)));
		expect(definition).toContain('"svg":"<svg xmlns=\\"http://www.w3.org/2000/svg\\"');
		const text = extractText(await exportPdf(report, { compress: false }));
		// The table: its headers, a flagged activity and an outcome without an indicator.
		for (const expected of [
			'Resultatenketen',
			'Hoort nog nergens bij',
			'Bingomiddag in het buurthuis (! Doel of middel?)',
			'Geen indicator'
		])
			expect(text).toContain(expected);
		// The drawing's own words, drawn as text in the PDF's font: its column headers.
		expect(text).toContain('Resultaten, op volgorde');
		expect(text).toContain('Nog niet gekoppeld');
	});
});
