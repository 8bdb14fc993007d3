import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { warmUpDocx } from './docx-warm-up.ts';
import { exportAnnexDocx, exportAnnexMarkdown } from './annex.ts';
import { exportIndicatorCsv } from './csv.ts';
import { buildReportDocument, formatDate } from './document.ts';
import { exportDocx } from './docx.ts';
import { kampenWerkReport } from './fixtures.ts';
import { exportJson, parseImport } from './json.ts';
import { exportMarkdown } from './markdown.ts';
import { exportPdf } from './pdf.ts';
import { exportOdt } from './odt.ts';
import { reportForTheme, type TrajectoryReport } from './report.ts';

const messagesFor = (locale: string): Record<string, string> =>
	JSON.parse(
		readFileSync(new URL(`../../../../messages/export/${locale}.json`, import.meta.url), 'utf8')
	);

// The DOCX draws the results chain's PNG with resvg (WebAssembly): compiled once, before the tests.
beforeAll(warmUpDocx, 60_000);

describe('export messages', () => {
	it('has every key in Dutch and English, prefixed export_ and not empty', () => {
		const nl = messagesFor('nl');
		const en = messagesFor('en');
		const keys = (o: Record<string, string>) => Object.keys(o).filter((k) => k !== '$schema');
		expect(keys(en).sort()).toEqual(keys(nl).sort());
		for (const key of keys(nl)) {
			expect(key).toMatch(/^export_[a-z_]+$/);
			expect(nl[key]!.trim()).not.toBe('');
			expect(en[key]!.trim()).not.toBe('');
		}
	});

	it('is compiled: labels come out translated, not as keys', () => {
		const doc = buildReportDocument(kampenWerkReport(), { locale: 'en' });
		const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.text);
		expect(headings).toContain('What will we do for it?');
		expect(headings.some((h) => h.includes('export_'))).toBe(false);
	});
});

describe('export of an unfinished trajectory', { timeout: 60_000 }, () => {
	const empty: TrajectoryReport = {
		municipality: 'Kampen',
		title: 'Nieuw traject',
		description: '',
		date: '2026-01-05',
		organisations: [],
		themes: [
			{
				name: 'Jong',
				cycle: 1,
				ambition: null,
				situation: [],
				outcomes: [],
				activities: [],
				indicators: [],
				reflection: { well: [], better: [], actions: [] },
				openChecks: []
			}
		]
	};

	it('renders every format without failing, mid-session included', async () => {
		expect(exportMarkdown(empty)).toContain('*Er is nog geen ambitie vastgesteld.*');
		expect((await exportDocx(empty)).subarray(0, 2).toString()).toBe('PK');
		expect((await exportPdf(empty)).subarray(0, 5).toString()).toBe('%PDF-');
		expect((await exportOdt(empty)).toString('latin1', 30, 38)).toBe('mimetype');
		expect(exportIndicatorCsv(empty).split('\r\n')).toHaveLength(2);
		expect(parseImport(exportJson(empty))).toEqual({ ok: true, report: empty });
		expect(exportAnnexMarkdown(empty, 'De Kern')).toContain('# Bijlage: De Kern');
		expect((await exportAnnexDocx(empty, 'De Kern')).subarray(0, 2).toString()).toBe('PK');
	});
});

describe('document details', () => {
	it('formats dates in the reader’s language', () => {
		expect(formatDate('2026-03-12', 'nl')).toBe('12 maart 2026');
		expect(formatDate('2026-03-12', 'en')).toBe('12 March 2026');
		expect(formatDate('onbekend', 'nl')).toBe('onbekend');
	});

	it('exports one theme on its own', () => {
		const report = kampenWerkReport();
		report.themes.push({ ...report.themes[0]!, name: 'Jong' });
		const md = exportMarkdown(reportForTheme(report, 1));
		expect(md).toContain('## Thema Jong');
		expect(md).not.toContain('## Thema Werk');
		expect(() => reportForTheme(report, 5)).toThrow(RangeError);
	});

	it('keeps line breaks of multi-line cards in Word', async () => {
		const report = kampenWerkReport();
		report.themes[0]!.ambition = 'Eerste regel\nTweede regel';
		const xml = strFromU8(
			unzipSync(new Uint8Array(await exportDocx(report)))['word/document.xml']!
		);
		expect(xml).toMatch(
			/Eerste regel<\/w:t><\/w:r><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:br\/><w:t[^>]*>Tweede regel/
		);
	});
});
