/**
 * The glossary in every format (issue 11, item 5): each term with its readings per perspective,
 * its status, the agreed meaning, the open question and the cards that use it, in DOCX, ODT, PDF,
 * Markdown, CSV and JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportGlossaryCsv } from './csv.ts';
import { exportDocx } from './docx.ts';
import { kampenWerkReport } from './fixtures.ts';
import { exportJson, parseImport } from './json.ts';
import { exportMarkdown } from './markdown.ts';
import { exportOdt } from './odt.ts';
import { exportPdf } from './pdf.ts';
import type { TrajectoryReport } from './report.ts';

function report(): TrajectoryReport {
	const r = kampenWerkReport();
	const bingo = r.glossary?.find((g) => g.term === 'Bingo');
	if (bingo) bingo.usedIn = [{ theme: 'Werk', card: 'Bingomiddag in de wijk als ontmoeting' }];
	return r;
}

/** What every document must say about the glossary. */
const EXPECTED = [
	'Wat partijen eronder verstaan',
	'Gemeente: Een middel: ontmoeting die later dure zorg voorkomt.',
	'Aanbieder: Voorkomen dat mensen eenzaam worden.',
	'Doel of middel?',
	'Afgesproken',
	'Open',
	'Gebruikt op',
	'Werk: Bingomiddag in de wijk als ontmoeting'
];

/** The text of an XML document: tags become spaces, entities decoded, spaces collapsed. */
const xmlText = (xml: string) =>
	xml
		.replace(/<[^>]+>/g, ' ')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ');

const unzip = (file: Uint8Array | Buffer, part: string) =>
	strFromU8(unzipSync(new Uint8Array(file))[part]);

describe('the glossary in every format', { timeout: 60_000 }, () => {
	it('Markdown', async () => {
		const md = (await exportMarkdown(report())).replace(/\s+/g, ' ');
		for (const text of EXPECTED) expect(md).toContain(text);
	});

	it('DOCX', async () => {
		const text = xmlText(unzip(await exportDocx(report()), 'word/document.xml'));
		for (const expected of EXPECTED) expect(text).toContain(expected);
	});

	it('ODT', async () => {
		const text = xmlText(unzip(await exportOdt(report()), 'content.xml'));
		for (const expected of EXPECTED) expect(text).toContain(expected);
	});

	it('PDF (as poppler reads it)', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'kompas-glossary-'));
		const file = join(dir, 'report.pdf');
		writeFileSync(file, await exportPdf(report()));
		const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
		for (const expected of ['Wat partijen eronder verstaan', 'Doel of middel?', 'Gebruikt op'])
			expect(text).toContain(expected);
		// Table cells wrap: the readings are there word for word.
		for (const word of ['ontmoeting', 'eenzaam', 'Afgesproken']) expect(text).toContain(word);
	});

	it('CSV: one row per reading, with the term, status, meaning and open question', () => {
		const csv = exportGlossaryCsv(report());
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe(
			'Begrip,Partij,Betekenis voor deze partij,Wat we ermee bedoelen,Status,Open vraag,Gebruikt op'
		);
		expect(lines).toContain(
			'Bingo,Gemeente,Een middel: ontmoeting die later dure zorg voorkomt.,,Open,Doel of middel?,Werk: Bingomiddag in de wijk als ontmoeting'
		);
		// A term without readings still has its row.
		expect(lines.some((l) => l.startsWith('Terugval,,,'))).toBe(true);
	});

	it('JSON keeps every field and reads back', () => {
		const source = report();
		const parsed = parseImport(JSON.parse(exportJson(source)));
		expect(parsed.ok).toBe(true);
		if (parsed.ok) expect(parsed.report.glossary).toEqual(source.glossary);
	});
});
