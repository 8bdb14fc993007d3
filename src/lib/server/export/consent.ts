/**
 * Consent rounds in the export (issue 11): from a board's consent state to the report model
 * (`consentReport`, `consentProvenance`), the theme's "Consentrondes" section as document blocks
 * (DOCX, ODT, PDF, Markdown render them), the provenance line of agreed items, and the consent
 * table as CSV (one table per file, as the indicator CSV).
 */
import { stringify } from 'csv-stringify/sync';
import {
	CONSENT_ANSWERS,
	provenanceForCard,
	roundsOf,
	type ConsentState
} from '../../domain/consent.ts';
import type { Card } from '../../domain/cards.ts';
import type { CardId } from '../../domain/ids.ts';
import { m } from '../../paraglide/messages.js';
import { neutraliseFormula } from './csv.ts';
import type { Block } from './document.ts';
import {
	PERSPECTIVES,
	type ExportOptions,
	type Locale,
	type Perspective,
	type ReportConsentProposal,
	type ReportConsentRound,
	type ReportProvenance,
	type ThemeReport,
	type TrajectoryReport
} from './report.ts';

/** The provenance of an agreed card, or undefined when it was not adopted by consent. */
export function consentProvenance(
	state: ConsentState | undefined,
	cardId: CardId | undefined
): ReportProvenance | undefined {
	if (!state || !cardId) return undefined;
	const p = provenanceForCard(state, cardId);
	return p ? { round: p.round, objections: p.objections } : undefined;
}

/** Every proposal of a board with its shown rounds, oldest first; undefined when there are none. */
export function consentReport(
	state: ConsentState | undefined,
	cards: readonly Card[]
): ReportConsentProposal[] | undefined {
	if (!state || state.proposals.length === 0) return undefined;
	const byId = new Map(cards.map((c) => [c.id, c.text]));
	return state.proposals.map((p) => ({
		subject: p.subject,
		items: p.cardIds.map((id) => byId.get(id)).filter((t): t is string => t !== undefined),
		status: p.status,
		round: p.round,
		text: p.text,
		note: p.note,
		rounds: roundsOf(state, p.id).map((r): ReportConsentRound => ({
			round: r.round,
			text: r.text,
			counts: {
				akkoord: { ...r.counts.akkoord },
				bezwaar: { ...r.counts.bezwaar },
				parkeren: { ...r.counts.parkeren }
			},
			notes: r.notes.map((n) => ({ ...n }))
		}))
	}));
}

// ---------------------------------------------------------------------------------------------
// Words

/** "Vastgesteld bij consent, ronde 2, 0 bezwaren". */
export function provenanceLine(p: ReportProvenance, locale: Locale): string {
	return m.consent_provenance({ round: p.round, objections: p.objections }, { locale });
}

/** "De ambitie", "Een activiteit". */
const subjectWords = (subject: ReportConsentProposal['subject'], locale: Locale) => {
	const text = {
		ambition: m.consent_subject_ambition,
		priorities: m.consent_subject_priorities,
		activity: m.consent_subject_activity
	}[subject]({}, { locale });
	return text.charAt(0).toUpperCase() + text.slice(1);
};

const answerWords = (answer: (typeof CONSENT_ANSWERS)[number], locale: Locale) =>
	({
		akkoord: m.consent_answer_akkoord,
		bezwaar: m.consent_answer_bezwaar,
		parkeren: m.consent_answer_parkeren
	})[answer]({}, { locale });

const perspectiveWords = (p: Perspective, locale: Locale) =>
	({
		gemeente: m.export_perspective_gemeente,
		aanbieder: m.export_perspective_aanbieder,
		professional: m.export_perspective_professional,
		inwoner: m.export_perspective_inwoner,
		anders: m.export_perspective_anders
	})[p]({}, { locale });

const sum = (row: Record<Perspective, number>) =>
	PERSPECTIVES.reduce((total, p) => total + (row[p] ?? 0), 0);

/** "Akkoord: 3 (Gemeente 1, Inwoner 2)" per answer. */
function answerLines(round: ReportConsentRound, locale: Locale): string[] {
	return CONSENT_ANSWERS.map((answer) => {
		const row = round.counts[answer];
		const parts = PERSPECTIVES.filter((p) => row[p] > 0).map(
			(p) => `${perspectiveWords(p, locale)} ${row[p]}`
		);
		return `${answerWords(answer, locale)}: ${sum(row)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
	});
}

function noteLines(round: ReportConsentRound, locale: Locale): string[] {
	return round.notes.map((n) =>
		m.consent_export_note(
			{
				answer: answerWords(n.answer, locale),
				perspective: perspectiveWords(n.perspective, locale),
				text: n.text
			},
			{ locale }
		)
	);
}

/** How a round ended: adopted or parked (the last round), or amended into the next one. */
function outcomeLine(proposal: ReportConsentProposal, round: ReportConsentRound, locale: Locale) {
	const o = { locale };
	const last = round.round === proposal.round;
	if (!last) return m.consent_export_outcome_next({ round: round.round + 1 }, o);
	if (proposal.status === 'adopted')
		return m.consent_export_outcome_adopted(
			{ round: round.round, objections: sum(round.counts.bezwaar) },
			o
		);
	if (proposal.status === 'parked')
		return m.consent_export_outcome_parked({ note: proposal.note }, o);
	return m.consent_export_outcome_open({}, o);
}

/** Rows of the consent table: one per shown round (a parked proposal without a shown round too). */
function consentRows(proposal: ReportConsentProposal, locale: Locale) {
	const rounds = proposal.rounds.length
		? proposal.rounds
		: [
				{
					round: proposal.round,
					text: proposal.text,
					counts: {
						akkoord: zeroRow(),
						bezwaar: zeroRow(),
						parkeren: zeroRow()
					},
					notes: []
				}
			];
	return rounds.map((round) => ({ round, outcome: outcomeLine(proposal, round, locale) }));
}

const zeroRow = () =>
	Object.fromEntries(PERSPECTIVES.map((p) => [p, 0])) as Record<Perspective, number>;

/** The theme's "Consentrondes" section (nothing when no consent round was held). */
export function consentBlocks(theme: ThemeReport, locale: Locale): Block[] {
	if (!theme.consent || theme.consent.length === 0) return [];
	const o = { locale };
	return [
		{ kind: 'heading', level: 3, text: m.consent_export_heading({}, o) },
		{
			kind: 'table',
			columns: [
				{ header: m.consent_export_col_subject({}, o), weight: 3 },
				{ header: m.consent_export_col_round({}, o), weight: 2.2 },
				{ header: m.consent_export_col_text({}, o), weight: 6 },
				{ header: m.consent_export_col_answers({}, o), weight: 5 },
				{ header: m.consent_export_col_notes({}, o), weight: 6 },
				{ header: m.consent_export_col_outcome({}, o), weight: 4 }
			],
			rows: theme.consent.flatMap((proposal) =>
				consentRows(proposal, locale).map(({ round, outcome }) => [
					[subjectWords(proposal.subject, locale)],
					[String(round.round)],
					round.text.split('\n'),
					answerLines(round, locale),
					round.notes.length ? noteLines(round, locale) : ['–'],
					[outcome]
				])
			)
		}
	];
}

/** Every consent round of every theme, one row each, with a header row (UTF-8 BOM, CRLF). */
export function exportConsentCsv(report: TrajectoryReport, options: ExportOptions = {}): string {
	const locale = options.locale ?? 'nl';
	const o = { locale };
	const header = [
		m.export_col_theme({}, o),
		m.consent_export_col_subject({}, o),
		m.consent_export_col_round({}, o),
		m.consent_export_col_text({}, o),
		...CONSENT_ANSWERS.map((a) => answerWords(a, locale)),
		m.consent_export_col_notes({}, o),
		m.consent_export_col_outcome({}, o)
	];
	const rows = report.themes.flatMap((theme) =>
		(theme.consent ?? []).flatMap((proposal) =>
			consentRows(proposal, locale).map(({ round, outcome }) => [
				theme.name,
				subjectWords(proposal.subject, locale),
				String(round.round),
				round.text,
				...CONSENT_ANSWERS.map((a) => String(sum(round.counts[a]))),
				noteLines(round, locale).join('; '),
				outcome
			])
		)
	);
	const body = stringify(
		[header, ...rows].map((row) => row.map(neutraliseFormula)),
		{ delimiter: ',', record_delimiter: 'windows' }
	);
	return `\uFEFF${body}`;
}
