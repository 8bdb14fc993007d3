import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kampenWerkReport } from './fixtures.ts';
import { exportPdf } from './pdf.ts';

/**
 * Reads the text layer of an uncompressed PDFKit file: maps each font resource to its
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

/** The report with an activity that serves nothing, so the chain has a flag to show. */
function reportWithBingo() {
	const report = kampenWerkReport();
	report.themes[0]!.activities.push({
		text: 'Bingomiddag in het buurthuis',
		owners: [],
		servesOutcomes: [],
		isNew: false,
		quality: []
	});
	return report;
}

/** Rendering takes seconds on a busy machine: each variant once, shared by the tests. */
const rendered: { nl: string; en: string; people: string; compressed: Buffer; nlText: string } = {
	nl: '',
	en: '',
	people: '',
	compressed: Buffer.alloc(0),
	nlText: ''
};
beforeAll(async () => {
	const [nl, en, people, compressed] = await Promise.all([
		exportPdf(reportWithBingo(), { compress: false }),
		exportPdf(kampenWerkReport(), { compress: false, locale: 'en' }),
		exportPdf(kampenWerkReport(), { includePeople: true, compress: false }),
		exportPdf(kampenWerkReport(), { includePeople: true })
	]);
	rendered.nl = nl.toString('latin1');
	rendered.nlText = extractText(nl);
	rendered.en = en.toString('latin1');
	rendered.people = extractText(people);
	rendered.compressed = compressed;
}, 120_000);

describe('exportPdf', { timeout: 60_000 }, () => {
	it('has a text layer with the cover, the budget-question sections and the agreed content', async () => {
		const text = rendered.nlText;
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
		const raw = rendered.en;
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
		// Each bookmark opens its heading's page at the heading, from the left edge.
		expect(raw).toMatch(/\/Dest \[\d+ 0 R \/XYZ 0 [\d.]+ 0\]/);
	});

	it('is tagged and identifies itself as PDF/UA-1', async () => {
		const raw = rendered.nl;
		expect(raw).toContain('/StructTreeRoot');
		const markInfo = /\/MarkInfo (\d+) 0 R/.exec(raw)?.[1];
		expect(raw).toContain(`\n${markInfo} 0 obj\n<<\n/Marked true`);
		expect(raw).toContain('<pdfuaid:part>1</pdfuaid:part>');
		expect(raw).toContain('<dc:title>');
		expect(raw).toContain('/Lang (nl-NL)');
		// Page numbers are decoration, not content.
		expect(raw).toContain('/Artifact <<\n/Type /Pagination\n>> BDC');
		// Every font is embedded (PDFKit's standard Helvetica would not be).
		expect(raw).not.toContain('/BaseFont /Helvetica');
		expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
	});

	it('escapes the title in the XMP metadata', async () => {
		const report = kampenWerkReport();
		report.title = 'Samen <sterk> & "vrij"';
		const raw = (await exportPdf(report, { compress: false })).toString('latin1');
		const xmp = /<x:xmpmeta[\s\S]*<\/x:xmpmeta>/.exec(raw)?.[0];
		expect(xmp).toContain('Samen &#60;sterk&#62; &#38; &#34;vrij&#34;');
		expect(xmp).not.toContain('<sterk>');
	});

	it('puts the eight-column indicator table on landscape pages', async () => {
		const raw = rendered.nl;
		const pages = [...raw.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((p) =>
			Number(p[1]) > Number(p[2]) ? 'landscape' : 'portrait'
		);
		expect(pages).toContain('landscape');
		expect(pages[0]).toBe('portrait');
		expect(pages[pages.length - 1]).toBe('portrait');
	});

	it('is a complete, compressed PDF by default', async () => {
		const pdf = rendered.compressed;
		expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
		expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
		expect(pdf.toString('latin1')).toContain('/Filter /FlateDecode');
	});

	it('names people only when asked to', async () => {
		expect(rendered.people).toContain('Anne de Vries, Gemeente Kampen');
	});

	it('carries the results chain as a drawing with its table beside it', async () => {
		const text = rendered.nlText;
		// The table: its headers, a flagged activity and an outcome without an indicator.
		for (const expected of [
			'Resultatenketen',
			'Hoort nog nergens bij',
			'Bingomiddag in het buurthuis (! Doel of middel?)',
			'Geen indicator'
		])
			expect(text).toContain(expected);
		// The drawing is an image (the chain's PNG) tagged as a Figure with its text alternative;
		// its own words are pixels, and the table after it says the same in text.
		const raw = rendered.nl;
		expect(raw).toMatch(/\/Subtype \/Image/);
		expect(raw).toMatch(/\/S \/Figure\n[^>]*\/Alt \(Tekening van de resultatenketen/);
		expect(text).not.toContain('Resultaten, op volgorde');
	});
});

/** Runs a poppler tool; fails with what to install when poppler-utils is missing. */
function poppler(tool: string, args: string[]): string {
	try {
		return execFileSync(tool, args, { encoding: 'utf8' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new Error(
				`${tool} is missing: install poppler-utils (apt-get install -y poppler-utils), or run npm test as root, which installs it (scripts/ensure-tools.mjs)`,
				{ cause: error }
			);
		}
		throw error;
	}
}

describe('exportPdf read by poppler', { timeout: 60_000 }, () => {
	it('pdfinfo reports a tagged PDF with headings, lists, tables and a figure in its structure', async () => {
		const report = reportWithBingo();
		const dir = mkdtempSync(join(tmpdir(), 'kompas-pdf-'));
		try {
			const file = join(dir, 'report.pdf');
			writeFileSync(file, await exportPdf(report));
			const info = poppler('pdfinfo', [file]);
			expect(info).toMatch(/^Tagged:\s+yes$/m);
			expect(info).toMatch(/^Title:\s+Kwaliteitskompas sociaal domein Kampen - gemeente Kampen$/m);
			expect(info).toMatch(/^PDF version:\s+1\.7$/m);
			const struct = poppler('pdfinfo', ['-struct', file]);
			const tags = struct.split('\n').map((line) => line.trim().split(/[\s:]/)[0]);
			expect(tags[0]).toBe('Document');
			for (const tag of [
				'H1',
				'H2',
				'H3',
				'H4',
				'P',
				'L',
				'LI',
				'Lbl',
				'LBody',
				'Table',
				'TR',
				'TH',
				'TD',
				'Figure'
			])
				expect(tags, tag).toContain(tag);
			expect(tags.filter((t) => t === 'H1')).toHaveLength(1);
			// One table per table in the document: outcomes, activities, indicators, chain, actions, glossary.
			expect(tags.filter((t) => t === 'Table')).toHaveLength(6);
			expect(struct).toContain('/Scope /Column');
			// The reading order in the tree follows the document: the headings' text, in order.
			const text = poppler('pdfinfo', ['-struct-text', file]);
			const order = ['Wat willen we bereiken?', 'Wat gaan we daarvoor doen?', 'Resultatenketen'];
			const at = order.map((h) => text.indexOf(`"${h}"`));
			expect(at.every((i) => i > 0)).toBe(true);
			expect([...at].sort((a, b) => a - b)).toEqual(at);
			const fonts = poppler('pdffonts', [file]);
			for (const line of fonts.split('\n').slice(2).filter(Boolean))
				expect(line, 'every font embedded').toMatch(/Roboto.*\byes\s+yes\s+yes\b/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
