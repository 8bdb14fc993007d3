/**
 * A small, format-neutral document model (headings, paragraphs, lists, tables) and the builder that
 * lays a `TrajectoryReport` out in it, section by section along the municipal budget questions.
 *
 * The Markdown, DOCX and PDF renderers each turn the same blocks into their format, so the three
 * documents always carry the same content in the same order; only the rendering differs.
 */
import { m } from '../../paraglide/messages.js';
import { municipalityPlace } from '../../domain/municipality.ts';
import {
	PERSPECTIVES,
	type ExportOptions,
	type GlossaryEntry,
	type Locale,
	type MeasureKind,
	type OutcomeKind,
	type Perspective,
	type ReflectionAction,
	type ReportActivity,
	type ReportIndicator,
	type ReportOutcome,
	type ThemeReport,
	type TrajectoryReport
} from './report.ts';
import { chainBlocks } from './chain.ts';
import { anonymousBlocks } from './anonymous.ts';
import { historyBlocks } from './history.ts';
import { consentBlocks, provenanceLine } from './consent.ts';

/** A table cell: one or more lines of plain text. */
export type Cell = readonly string[];

export interface TableColumn {
	header: string;
	/** Relative width; renderers scale the weights to the page. */
	weight: number;
}

export type Block =
	| { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string }
	/** A paragraph, optionally opening with a bold label ("Ambitie: …"). */
	| { kind: 'paragraph'; text: string; label?: string; emphasis?: boolean }
	| { kind: 'list'; items: readonly string[] }
	| { kind: 'table'; columns: readonly TableColumn[]; rows: readonly (readonly Cell[])[] }
	| { kind: 'pageBreak' }
	/**
	 * A drawing as a standalone SVG document (the results chain), `width`×`height` in CSS pixels,
	 * with a text alternative; a table with the same content always follows it. Markdown leaves it
	 * out (the table carries the content).
	 */
	| { kind: 'figure'; svg: string; width: number; height: number; alt: string }
	/**
	 * From here on, pages are landscape (true) or portrait (false). Used around the wide indicator
	 * table; Markdown ignores it, DOCX starts a new section, PDF a new page.
	 */
	| { kind: 'orientation'; landscape: boolean };

export interface ExportDocument {
	/** Document title (metadata and the first heading). */
	title: string;
	subject: string;
	/** BCP 47 language tag of the labels, e.g. "nl-NL". */
	language: string;
	locale: Locale;
	blocks: Block[];
}

/** BCP 47 tag for a locale, as written into document metadata. */
export function languageTag(locale: Locale): string {
	return locale === 'en' ? 'en-GB' : 'nl-NL';
}

/** "12 maart 2026" / "12 March 2026"; falls back to the raw text if it is no ISO date. */
export function formatDate(isoDate: string, locale: Locale): string {
	const parsed = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
	if (!parsed) return isoDate;
	const date = new Date(Date.UTC(Number(parsed[1]), Number(parsed[2]) - 1, Number(parsed[3])));
	return new Intl.DateTimeFormat(languageTag(locale), {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(date);
}

/** Label helpers shared by every format (and the CSV). */
export function labels(locale: Locale) {
	const o = { locale };
	const perspective: Record<Perspective, string> = {
		gemeente: m.export_perspective_gemeente({}, o),
		aanbieder: m.export_perspective_aanbieder({}, o),
		professional: m.export_perspective_professional({}, o),
		inwoner: m.export_perspective_inwoner({}, o),
		anders: m.export_perspective_anders({}, o)
	};
	const outcomeKind: Record<OutcomeKind, string> = {
		inhoudelijk: m.export_kind_inhoudelijk({}, o),
		proces: m.export_kind_proces({}, o),
		randvoorwaardelijk: m.export_kind_randvoorwaardelijk({}, o)
	};
	const measureKind: Record<MeasureKind, string> = {
		tellen: m.export_measure_tellen({}, o),
		vertellen: m.export_measure_vertellen({}, o)
	};
	const level: Record<ReportIndicator['level'], string> = {
		community: m.export_level_community({}, o),
		service: m.export_level_service({}, o)
	};
	return {
		perspective,
		outcomeKind,
		measureKind,
		level,
		notSet: m.export_not_set({}, o),
		horizon: (years: number | null) =>
			years === null ? m.export_not_set({}, o) : m.export_horizon_years({ years }, o),
		orNotSet: (text: string) => (text.trim() === '' ? m.export_not_set({}, o) : text)
	};
}

/**
 * "Gemeente: 4", "Aanbieder: 5" (perspectives without votes left out); an anonymous round's
 * groups as the server counted them: "Andere perspectieven: 3", "Alle perspectieven samen: 7".
 */
export function votesByPerspectiveLines(outcome: ReportOutcome, locale: Locale): string[] {
	const l = labels(locale);
	const o = { locale };
	const lines = PERSPECTIVES.filter((p) => outcome.votesByPerspective[p] > 0).map(
		(p) => `${l.perspective[p]}: ${outcome.votesByPerspective[p]}`
	);
	if (outcome.votesOtherPerspectives)
		lines.push(`${m.anon_group_other({}, o)}: ${outcome.votesOtherPerspectives}`);
	if (outcome.votesNotSplit) lines.push(`${m.anon_group_all({}, o)}: ${outcome.votesNotSplit}`);
	return lines;
}

/** Prioritised outcomes; `rank` is the place in the theme's agreed order (1 = highest). */
export function outcomesTable(
	outcomes: readonly { outcome: ReportOutcome; rank: number }[],
	locale: Locale
): Block {
	const o = { locale };
	const l = labels(locale);
	return {
		kind: 'table',
		columns: [
			{ header: m.export_col_rank({}, o), weight: 1.5 },
			{ header: m.export_col_outcome({}, o), weight: 9 },
			{ header: m.export_col_kind_horizon({}, o), weight: 5 },
			{ header: m.export_col_votes_by_perspective({}, o), weight: 6 },
			{ header: m.export_col_agreed({}, o), weight: 3.5 }
		],
		rows: outcomes.map(({ outcome, rank }) => [
			[String(rank)],
			[outcome.text],
			[l.outcomeKind[outcome.outcomeKind], l.horizon(outcome.horizonYears)],
			[
				m.export_votes_total({ count: outcome.votesTotal }, o),
				...votesByPerspectiveLines(outcome, locale)
			],
			[
				outcome.agreed ? m.export_yes({}, o) : m.export_no({}, o),
				...(outcome.consent ? [provenanceLine(outcome.consent, locale)] : [])
			]
		])
	};
}

export function activitiesTable(activities: readonly ReportActivity[], locale: Locale): Block {
	const o = { locale };
	return {
		kind: 'table',
		columns: [
			{ header: m.export_col_activity({}, o), weight: 8 },
			{ header: m.export_col_owners({}, o), weight: 4 },
			{ header: m.export_col_serves({}, o), weight: 7 },
			{ header: m.export_col_new({}, o), weight: 3 },
			{ header: m.export_col_quality({}, o), weight: 4 }
		],
		rows: activities.map((a) => [
			[a.text, ...(a.consent ? [provenanceLine(a.consent, locale)] : [])],
			a.owners.length > 0 ? a.owners : [m.export_not_set({}, o)],
			a.servesOutcomes.length > 0 ? a.servesOutcomes : [m.export_serves_none({}, o)],
			[a.isNew ? m.export_new({}, o) : m.export_existing({}, o)],
			a.quality.length > 0 ? a.quality : [m.export_not_set({}, o)]
		])
	};
}

/**
 * The indicator table: indicator, kind, instrument, baseline, target, horizon, moments, owner.
 * What it belongs to (and at which level) goes under the indicator's name, to keep 8 columns.
 */
export function indicatorsTable(indicators: readonly ReportIndicator[], locale: Locale): Block {
	const o = { locale };
	const l = labels(locale);
	return {
		kind: 'table',
		columns: [
			{ header: m.export_col_indicator({}, o), weight: 6.5 },
			{ header: m.export_col_measure_kind({}, o), weight: 2.5 },
			{ header: m.export_col_instrument({}, o), weight: 4 },
			{ header: m.export_col_baseline({}, o), weight: 3 },
			{ header: m.export_col_target({}, o), weight: 3 },
			{ header: m.export_col_horizon({}, o), weight: 2 },
			{ header: m.export_col_moments({}, o), weight: 3.5 },
			{ header: m.export_col_owner({}, o), weight: 3 }
		],
		rows: indicators.map((ind) => [
			[
				ind.name,
				`${m.export_col_level({}, o)}: ${l.level[ind.level]}`,
				...(ind.linkedTo ? [`${m.export_col_linked({}, o)}: ${ind.linkedTo}`] : [])
			],
			[l.measureKind[ind.measureKind]],
			[l.orNotSet(ind.instrument)],
			[l.orNotSet(ind.baseline)],
			[l.orNotSet(ind.target)],
			[l.horizon(ind.horizonYears)],
			ind.moments.length > 0 ? ind.moments : [l.notSet],
			[l.orNotSet(ind.owner)]
		])
	};
}

/** Wraps blocks in landscape pages (for the eight-column indicator table). */
export function landscape(blocks: Block[]): Block[] {
	return [
		{ kind: 'orientation', landscape: true },
		...blocks,
		{ kind: 'orientation', landscape: false }
	];
}

export function actionsTable(actions: readonly ReflectionAction[], locale: Locale): Block {
	const o = { locale };
	return {
		kind: 'table',
		columns: [
			{ header: m.export_col_action({}, o), weight: 3 },
			{ header: m.export_col_owner({}, o), weight: 1 }
		],
		rows: actions.map((a) => [
			[a.text],
			[a.owner.trim() === '' ? m.export_not_set({}, o) : a.owner]
		])
	};
}

function themeBlocks(theme: ThemeReport, locale: Locale): Block[] {
	const o = { locale };
	const blocks: Block[] = [
		{ kind: 'heading', level: 2, text: m.export_theme_heading({ name: theme.name }, o) },
		{ kind: 'paragraph', text: m.export_theme_cycle({ cycle: theme.cycle }, o), emphasis: true },

		// Wat willen we bereiken: ambition, situation, prioritised outcomes.
		{ kind: 'heading', level: 3, text: m.export_section_achieve({}, o) },
		theme.ambition
			? { kind: 'paragraph', label: m.export_ambition({}, o), text: theme.ambition }
			: { kind: 'paragraph', text: m.export_ambition_none({}, o), emphasis: true }
	];
	if (theme.ambition && theme.ambitionConsent)
		blocks.push({
			kind: 'paragraph',
			text: provenanceLine(theme.ambitionConsent, locale),
			emphasis: true
		});
	if (theme.situation.length > 0) {
		blocks.push(
			{ kind: 'heading', level: 4, text: m.export_situation({}, o) },
			{ kind: 'list', items: theme.situation }
		);
	}
	blocks.push({ kind: 'heading', level: 4, text: m.export_outcomes_heading({}, o) });
	blocks.push(
		theme.outcomes.length > 0
			? outcomesTable(
					theme.outcomes.map((outcome, i) => ({ outcome, rank: i + 1 })),
					locale
				)
			: { kind: 'paragraph', text: m.export_outcomes_none({}, o), emphasis: true }
	);

	// Wat gaan we daarvoor doen: activities with owners and what they serve.
	blocks.push({ kind: 'heading', level: 3, text: m.export_section_do({}, o) });
	blocks.push(
		theme.activities.length > 0
			? activitiesTable(theme.activities, locale)
			: { kind: 'paragraph', text: m.export_activities_none({}, o), emphasis: true }
	);

	// The indicator table, then the results chain (drawing and table), both on wide pages.
	if (theme.indicators.length > 0) {
		blocks.push(
			...landscape([
				{ kind: 'heading', level: 3, text: m.export_section_indicators({}, o) },
				indicatorsTable(theme.indicators, locale),
				...chainBlocks(theme, locale)
			])
		);
	} else {
		blocks.push(
			{ kind: 'heading', level: 3, text: m.export_section_indicators({}, o) },
			{ kind: 'paragraph', text: m.export_indicators_none({}, o), emphasis: true }
		);
		const chain = chainBlocks(theme, locale);
		blocks.push(...(chain.some((b) => b.kind === 'figure') ? landscape(chain) : chain));
	}

	// Reflection and improvement actions.
	blocks.push({ kind: 'heading', level: 3, text: m.export_section_reflection({}, o) });
	const { well, better, actions } = theme.reflection;
	if (well.length === 0 && better.length === 0 && actions.length === 0) {
		blocks.push({ kind: 'paragraph', text: m.export_reflection_none({}, o), emphasis: true });
	}
	if (well.length > 0) {
		blocks.push({ kind: 'heading', level: 4, text: m.export_reflection_well({}, o) });
		blocks.push({ kind: 'list', items: well });
	}
	if (better.length > 0) {
		blocks.push({ kind: 'heading', level: 4, text: m.export_reflection_better({}, o) });
		blocks.push({ kind: 'list', items: better });
	}
	if (actions.length > 0) {
		blocks.push({ kind: 'heading', level: 4, text: m.export_reflection_actions({}, o) });
		blocks.push(actionsTable(actions, locale));
	}

	blocks.push(...historyBlocks(theme, locale));
	blocks.push(...anonymousBlocks(theme, locale));
	blocks.push(...consentBlocks(theme, locale));

	blocks.push({ kind: 'heading', level: 3, text: m.export_section_open_checks({}, o) });
	blocks.push(
		theme.openChecks.length > 0
			? { kind: 'list', items: theme.openChecks }
			: { kind: 'paragraph', text: m.export_open_checks_none({}, o), emphasis: true }
	);
	return blocks;
}

/** The cover: title, municipality, trajectory, date, organisations (and people when chosen). */
export function coverBlocks(
	report: TrajectoryReport,
	options: ExportOptions,
	title: string
): Block[] {
	const locale = options.locale ?? 'nl';
	const o = { locale };
	const l = labels(locale);
	const blocks: Block[] = [
		{ kind: 'heading', level: 1, text: title },
		{ kind: 'paragraph', label: m.export_cover_municipality({}, o), text: report.municipality },
		{ kind: 'paragraph', label: m.export_cover_trajectory({}, o), text: report.title },
		{ kind: 'paragraph', label: m.export_cover_date({}, o), text: formatDate(report.date, locale) }
	];
	if (report.themes.length > 0) {
		blocks.push({
			kind: 'paragraph',
			label: m.export_cover_themes({}, o),
			text: report.themes.map((t) => t.name).join(', ')
		});
	}
	if (report.description.trim() !== '') {
		blocks.push({ kind: 'paragraph', text: report.description });
	}
	blocks.push({ kind: 'heading', level: 2, text: m.export_cover_organisations({}, o) });
	blocks.push({
		kind: 'list',
		items: report.organisations.map((org) => `${org.name} (${l.perspective[org.perspective]})`)
	});
	if (options.includePeople && report.people && report.people.length > 0) {
		blocks.push({ kind: 'heading', level: 2, text: m.export_cover_people({}, o) });
		blocks.push({
			kind: 'list',
			items: report.people.map(
				(p) => `${p.name}, ${p.organisation} (${l.perspective[p.perspective]})`
			)
		});
	}
	return blocks;
}

export function glossaryBlocks(report: TrajectoryReport, locale: Locale): Block[] {
	if (!report.glossary || report.glossary.length === 0) return [];
	const o = { locale };
	const l = labels(locale);
	const status = (g: GlossaryEntry) =>
		g.status === 'open' ? m.glossary_status_open({}, o) : m.glossary_status_agreed({}, o);
	return [
		{ kind: 'heading', level: 2, text: m.export_section_glossary({}, o) },
		{ kind: 'paragraph', text: m.glossary_export_intro({}, o) },
		{
			kind: 'table',
			columns: [
				{ header: m.export_col_term({}, o), weight: 2 },
				{ header: m.glossary_export_col_readings({}, o), weight: 5 },
				{ header: m.export_col_definition({}, o), weight: 4 },
				{ header: m.glossary_export_col_status({}, o), weight: 2 },
				{ header: m.glossary_export_col_used_in({}, o), weight: 4 }
			],
			rows: report.glossary.map((g) => [
				[g.term],
				g.readings?.length
					? g.readings.map((r) => `${l.perspective[r.perspective]}: ${r.text}`)
					: [l.notSet],
				[l.orNotSet(g.definition)],
				g.note ? [status(g), g.note] : [status(g)],
				g.usedIn?.length ? g.usedIn.map((u) => `${u.theme}: ${u.card}`) : [l.notSet]
			])
		}
	];
}

/** Lays out the whole report: cover, one chapter per theme, then the glossary. */
export function buildReportDocument(
	report: TrajectoryReport,
	options: ExportOptions = {}
): ExportDocument {
	const locale = options.locale ?? 'nl';
	const title = m.export_document_title(
		{ title: report.title, municipality: municipalityPlace(report.municipality) },
		{ locale }
	);
	const blocks: Block[] = coverBlocks(report, options, title);
	for (const theme of report.themes) {
		blocks.push({ kind: 'pageBreak' });
		blocks.push(...themeBlocks(theme, locale));
	}
	const glossary = glossaryBlocks(report, locale);
	if (glossary.length > 0) blocks.push({ kind: 'pageBreak' }, ...glossary);
	return {
		title,
		subject: m.export_document_subject({}, { locale }),
		language: languageTag(locale),
		locale,
		blocks
	};
}
