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

/** The Kampen report with two cards of anonymous rounds (an outcome and an indicator). */
function reportWithAnonymousCards() {
	const report = kampenWerkReport();
	const theme = report.themes[0]!;
	theme.indicators[0]!.anonymous = true;
	theme.anonymousCards = [
		{ step: 'outcomes', text: theme.outcomes[1]!.text },
		{ step: 'measurement', text: theme.indicators[0]!.name }
	];
	return report;
}

const unzip = (buffer: Buffer | Uint8Array, part: string) =>
	strFromU8(unzipSync(new Uint8Array(buffer))[part]!);

function pdfText(pdf: Buffer): string {
	const dir = mkdtempSync(join(tmpdir(), 'kompas-anon-'));
	try {
		writeFileSync(join(dir, 'r.pdf'), pdf);
		return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

beforeAll(warmUpDocx, 60_000);

describe('"anoniem" in every format', { timeout: 60_000 }, () => {
	it('Markdown, DOCX, ODT and PDF have the section with "anoniem" beside each card', async () => {
		const report = reportWithAnonymousCards();
		const outcome = report.themes[0]!.outcomes[1]!.text;
		const md = exportMarkdown(report);
		expect(md).toContain('Anonieme inbreng');
		expect(md).toMatch(
			new RegExp(
				`\\| ${outcome.slice(0, 30)}[^\\n]*\\| Maatschappelijke resultaten \\| anoniem \\|`
			)
		);
		const docx = unzip(await exportDocx(report), 'word/document.xml');
		expect(docx).toContain('Anonieme inbreng');
		expect(docx).toContain('>anoniem<');
		const odt = unzip(await exportOdt(report), 'content.xml');
		expect(odt).toContain('Anonieme inbreng');
		expect(odt).toContain('>anoniem<');
		const pdf = pdfText(await exportPdf(report));
		expect(pdf).toContain('Anonieme inbreng');
		expect(pdf).toContain('anoniem');
		// English labels in an English document.
		expect(exportMarkdown(report, { locale: 'en' })).toContain('| anonymous |');
	});

	it('without anonymous cards there is no such section', () => {
		expect(exportMarkdown(kampenWerkReport())).not.toContain('Anonieme inbreng');
	});

	it('CSV marks the anonymous indicator, JSON keeps it all through a round trip', () => {
		const report = reportWithAnonymousCards();
		const csv = exportIndicatorCsv(report);
		expect(csv.split('\r\n')[1]).toMatch(/,anoniem,,$/);
		const parsed = parseImport(exportJson(report));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.report.themes[0]!.anonymousCards).toEqual(report.themes[0]!.anonymousCards);
		expect(parsed.report.themes[0]!.indicators[0]!.anonymous).toBe(true);
		// A wrong step is refused, not dropped.
		const bad = JSON.parse(exportJson(report));
		bad.report.themes[0].anonymousCards[0].step = 'nowhere';
		expect(parseImport(bad).ok).toBe(false);
	});
});
