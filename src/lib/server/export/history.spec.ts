import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { warmUpDocx } from './docx-warm-up.ts';
import { exportDocx } from './docx.ts';
import { exportOdt } from './odt.ts';
import { exportPdf } from './pdf.ts';
import { exportMarkdown } from './markdown.ts';
import { exportIndicatorCsv } from './csv.ts';
import { exportJson, parseImport } from './json.ts';
import { kampenWerkReport } from './fixtures.ts';

/** Kampen "werk" after its second session: the ambition from session 1, what session 2 did. */
function reportAfterTwoSessions() {
	const report = kampenWerkReport();
	const theme = report.themes[0]!;
	const indicator = theme.indicators[0]!;
	theme.agreements = [
		{ step: 'ambition', text: theme.ambition!, session: 1 },
		{ step: 'measurement', text: indicator.name, session: 2 }
	];
	theme.changes = {
		since: '2026-12-01T09:00:00.000Z',
		session: 2,
		added: [{ step: 'measurement', text: indicator.name }],
		changed: [{ step: 'outcomes', text: theme.outcomes[0]!.text }],
		agreed: [{ step: 'measurement', text: indicator.name }]
	};
	return report;
}

const unzip = (buffer: Buffer | Uint8Array, part: string) =>
	strFromU8(unzipSync(new Uint8Array(buffer))[part]!);

function pdfText(pdf: Buffer): string {
	const dir = mkdtempSync(join(tmpdir(), 'kompas-sessions-'));
	try {
		writeFileSync(join(dir, 'r.pdf'), pdf);
		return execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

beforeAll(warmUpDocx, 60_000);

describe('the two sessions in every format', { timeout: 60_000 }, () => {
	const HEADING = 'Wat is er veranderd sinds bijeenkomst 2 (1 december 2026)';

	it('Markdown, DOCX, ODT and PDF show what each session agreed and what changed since', async () => {
		const report = reportAfterTwoSessions();
		const ambition = report.themes[0]!.ambition!;
		const md = exportMarkdown(report);
		expect(md).toContain('### Vastgesteld per bijeenkomst');
		expect(md).toContain(`| ${ambition} | Ambitie | bijeenkomst 1 |`);
		expect(md).toContain(`### ${HEADING}`);
		expect(md).toMatch(/#### Toegevoegd \(1\)\n\n- Aandeel inwoners/);
		expect(md).toContain('#### Veranderd (1)');
		expect(md).toContain('#### Vastgesteld (1)');
		const docx = unzip(await exportDocx(report), 'word/document.xml');
		for (const text of ['Vastgesteld per bijeenkomst', 'bijeenkomst 1', HEADING])
			expect(docx).toContain(text);
		const odt = unzip(await exportOdt(report), 'content.xml');
		for (const text of ['Vastgesteld per bijeenkomst', 'bijeenkomst 1', HEADING])
			expect(odt).toContain(text);
		const pdf = pdfText(await exportPdf(report)).replace(/\s+/g, ' ');
		for (const text of [
			'Vastgesteld per bijeenkomst',
			'bijeenkomst 1',
			'veranderd sinds bijeenkomst 2'
		])
			expect(pdf).toContain(text);
		expect(exportMarkdown(report, { locale: 'en' })).toContain('What has changed since session 2');
	});

	it('a moment that is not a session start is named by its date; no history, no sections', () => {
		const report = reportAfterTwoSessions();
		report.themes[0]!.changes!.session = null;
		expect(exportMarkdown(report)).toContain('### Wat is er veranderd sinds 1 december 2026');
		const plain = exportMarkdown(kampenWerkReport());
		expect(plain).not.toContain('Vastgesteld per bijeenkomst');
		expect(plain).not.toContain('Wat is er veranderd');
	});

	it('CSV says per indicator in which session it was agreed and whether it changed', () => {
		const rows = exportIndicatorCsv(reportAfterTwoSessions()).split('\r\n');
		expect(rows[0]).toMatch(/,Vastgesteld in,Veranderd sinds$/);
		expect(rows[1]).toMatch(/,bijeenkomst 2,toegevoegd \(2026-12-01\)$/);
		expect(rows[2]).toMatch(/,,$/);
	});

	it('JSON keeps both, and refuses a malformed moment', () => {
		const report = reportAfterTwoSessions();
		const parsed = parseImport(exportJson(report));
		expect(parsed.ok && parsed.report.themes[0]).toMatchObject({
			agreements: report.themes[0]!.agreements,
			changes: report.themes[0]!.changes
		});
		const bad = JSON.parse(exportJson(report));
		bad.report.themes[0].changes.since = 'gisteren';
		expect(parseImport(bad).ok).toBe(false);
	});
});
