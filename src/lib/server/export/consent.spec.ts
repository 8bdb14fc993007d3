/**
 * Consent outcomes and provenance in every format (issue 11 item 5): a board that held a consent
 * round with a bezwaar, an amendment and a second round that adopted the ambition, read into the
 * report and written as DOCX, ODT, PDF, Markdown, CSV and JSON; and the JSON import keeps it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
	addCard,
	createBoardDoc,
	markAgreed,
	readBoardSnapshot,
	setPriorityOrder
} from '../../board/schema/index.ts';
import {
	adoptConsent,
	amendConsent,
	parkConsent,
	proposeConsent,
	revealConsent,
	writeConsentResult
} from '../../board/schema/consent-writers.ts';
import { readConsent } from '../../board/schema/consent.ts';
import { tallyConsent, type ConsentAnswerRecord } from '../../domain/consent.ts';
import type { Perspective } from '../../domain/roles.ts';
import { importReport } from '../import.ts';
import { roundTrip } from '../import-fixtures.ts';
import { exportConsentCsv } from './consent.ts';
import { exportDocx } from './docx.ts';
import { kampenWerkReport } from './fixtures.ts';
import { themeReportFromBoard } from './from-board.ts';
import { exportJson, parseImport } from './json.ts';
import { exportMarkdown } from './markdown.ts';
import { exportOdt } from './odt.ts';
import { exportPdf } from './pdf.ts';
import type { TrajectoryReport } from './report.ts';

const REASON = 'Wie bedoelen we met iedereen';
const PROVENANCE = 'Vastgesteld bij consent, ronde 2, 0 bezwaren';
const answer = (a: ConsentAnswerRecord['answer'], text = ''): ConsentAnswerRecord => ({
	answer: a,
	text,
	answeredAt: 1
});

/** Runs one round's result as the server would write it. */
function result(
	doc: ReturnType<typeof createBoardDoc>,
	proposalId: string,
	roundId: string,
	round: number,
	text: string,
	answers: [Perspective, ConsentAnswerRecord][]
) {
	writeConsentResult(doc, {
		roundId,
		proposalId,
		round,
		text,
		...tallyConsent(answers.map(([perspective, a]) => ({ perspective, answer: a })))
	});
}

/** Kampen's werk theme, with consent on the ambition (2 rounds) and a parked priority order. */
function reportWithConsent(): TrajectoryReport {
	const base = kampenWerkReport();
	const doc = createBoardDoc({ boardId: 'werk.1', themeName: 'Werk' });
	const author = { id: 'f', name: 'F', perspective: null };
	const ambition = addCard(doc, { kind: 'ambition', text: 'Iedereen doet mee', author });
	const outcomes = base.themes[0].outcomes
		.slice(0, 2)
		.map((o) => addCard(doc, { kind: 'outcome', text: o.text, author }));
	setPriorityOrder(doc, outcomes);
	const id = proposeConsent(doc, {
		subject: 'ambition',
		cardIds: [ambition],
		text: 'Iedereen doet mee',
		now: 1,
		roundId: 'r1'
	});
	revealConsent(doc, id);
	result(doc, id, 'r1', 1, 'Iedereen doet mee', [
		['inwoner', answer('bezwaar', REASON)],
		['gemeente', answer('akkoord')],
		['aanbieder', answer('parkeren', 'Eerst de cijfers')]
	]);
	amendConsent(doc, id, { text: 'Alle werkzoekende inwoners doen mee', roundId: 'r2' });
	revealConsent(doc, id);
	result(doc, id, 'r2', 2, 'Alle werkzoekende inwoners doen mee', [
		['inwoner', answer('akkoord')],
		['gemeente', answer('akkoord')],
		['aanbieder', answer('akkoord')]
	]);
	adoptConsent(doc, id, 5);
	const order = proposeConsent(doc, {
		subject: 'priorities',
		cardIds: outcomes,
		text: '1. eerste\n2. tweede',
		now: 6
	});
	parkConsent(doc, order, 'Eerst de monitor van de GGD', 7);
	markAgreed(doc, outcomes[0]);
	const snapshot = { ...readBoardSnapshot(doc), consent: readConsent(doc) };
	const theme = themeReportFromBoard(snapshot, { name: 'Werk', cycle: 1 });
	return { ...base, themes: [theme] };
}

describe('consent in the report model', () => {
	it('carries every round, the reasons with their perspective, and the provenance', () => {
		const [theme] = reportWithConsent().themes;
		// The ambition card took the wording the group adopted in round 2.
		expect(theme.ambition).toBe('Alle werkzoekende inwoners doen mee');
		expect(theme.ambitionConsent).toEqual({ round: 2, objections: 0 });
		// The parked order gives the outcome no provenance, even though it is agreed.
		expect(theme.outcomes[0]).toMatchObject({ agreed: true });
		expect(theme.outcomes[0].consent).toBeUndefined();
		expect(theme.consent).toHaveLength(2);
		expect(theme.consent?.[0]).toMatchObject({
			subject: 'ambition',
			items: ['Alle werkzoekende inwoners doen mee'],
			status: 'adopted',
			round: 2
		});
		expect(theme.consent?.[0].rounds.map((r) => r.round)).toEqual([1, 2]);
		expect(theme.consent?.[0].rounds[0].notes).toContainEqual({
			answer: 'bezwaar',
			perspective: 'inwoner',
			text: REASON
		});
		expect(theme.consent?.[1]).toMatchObject({
			subject: 'priorities',
			status: 'parked',
			note: 'Eerst de monitor van de GGD'
		});
	});
});

describe('consent in every format', () => {
	const report = reportWithConsent();

	it('Markdown: the consent section, the reason and the provenance', () => {
		const md = exportMarkdown(report);
		expect(md).toContain('### Consentrondes');
		expect(md).toContain(PROVENANCE);
		expect(md).toContain(REASON);
		expect(md).toContain('Geparkeerd: Eerst de monitor van de GGD');
		expect(md).toContain('Aangepast, daarna ronde 2');
	});

	it('DOCX and ODT: a heading and a table row per round', async () => {
		const docx = strFromU8(
			unzipSync(new Uint8Array(await exportDocx(report)))['word/document.xml']
		);
		const odt = strFromU8(unzipSync(new Uint8Array(await exportOdt(report)))['content.xml']);
		for (const xml of [docx, odt]) {
			expect(xml).toContain('Consentrondes');
			expect(xml).toContain(PROVENANCE);
			expect(xml).toContain(REASON);
		}
		expect(odt).toMatch(/<text:h[^>]*>Consentrondes<\/text:h>/);
	});

	it('PDF: the text layer holds the provenance and the reason', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'kompas-consent-pdf-'));
		try {
			const file = join(dir, 'r.pdf');
			writeFileSync(file, await exportPdf(report));
			const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(
				/\s+/g,
				' '
			);
			expect(text).toContain('Consentrondes');
			expect(text).toContain(PROVENANCE);
			expect(text).toContain(REASON);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);

	it('CSV: one row per round with counts, reasons and outcome', () => {
		const csv = exportConsentCsv(report);
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		expect(lines[0]).toBe(
			'Thema,Voorstel over,Ronde,Voorstel,Akkoord,Bezwaar,Parkeren,Bezwaren en notities,Uitkomst'
		);
		expect(lines).toHaveLength(4);
		expect(lines[1]).toContain(`Bezwaar (Inwoner of ervaringsdeskundige): ${REASON}`);
		expect(lines[1]).toContain(',1,1,1,');
		expect(lines[2]).toContain(
			PROVENANCE.replace('Vastgesteld bij consent, ronde', 'Vastgesteld bij consent in ronde')
		);
	});

	it('JSON: the consent validates and survives export → import → export', () => {
		const parsed = parseImport(exportJson(report));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.report.themes[0].consent).toEqual(report.themes[0].consent);
		expect(parsed.report.themes[0].ambitionConsent).toEqual({ round: 2, objections: 0 });
	});
});

describe('JSON round trip through a new trajectory', () => {
	const { setup, exportOf } = roundTrip();

	it('keeps every proposal, round, reason and the provenance', async () => {
		const { app, userId } = await setup();
		const source = reportWithConsent();
		const first = await exportOf(app, await importReport(app, userId, source));
		const [theme] = first.themes;
		expect(theme.consent).toEqual(source.themes[0].consent);
		expect(theme.ambitionConsent).toEqual({ round: 2, objections: 0 });
		const second = await exportOf(app, await importReport(app, userId, first));
		expect(second).toEqual(first);
	});
});
