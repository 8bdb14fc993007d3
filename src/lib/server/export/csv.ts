/**
 * The indicator table as CSV, for spreadsheets and the municipality's own monitoring.
 *
 * - UTF-8 with a byte-order mark, so Excel reads "één" and "ë" correctly.
 * - Comma-separated (RFC 4180) with a header row and CRLF line ends: what LibreOffice, Excel's
 *   "From Text/CSV" import, Power BI, open-data portals and scripting tools expect by default.
 *   (Dutch Excel opens a double-clicked file with ";" as separator; the import dialog detects the
 *   comma. A semicolon file would break every other consumer, and "sep=" hints break the BOM.)
 * - Safe against formula injection: a cell starting with = + - @ tab or carriage return gets a
 *   leading single quote, so a spreadsheet shows it as text instead of running it.
 */
import { stringify } from 'csv-stringify/sync';
import { m } from '../../paraglide/messages.js';
import { labels } from './document.ts';
import type { ExportOptions, TrajectoryReport } from './report.ts';

const BOM = '\uFEFF';

/** Prefixes a single quote to text a spreadsheet would read as a formula (OWASP CSV injection). */
export function neutraliseFormula(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The indicators of every theme in `report`, one row each, with a header row. */
export function exportIndicatorCsv(report: TrajectoryReport, options: ExportOptions = {}): string {
	const locale = options.locale ?? 'nl';
	const o = { locale };
	const l = labels(locale);
	const header = [
		m.export_col_theme({}, o),
		m.export_col_indicator({}, o),
		m.export_col_measure_kind({}, o),
		m.export_col_instrument({}, o),
		m.export_col_baseline({}, o),
		m.export_col_target({}, o),
		m.export_col_horizon({}, o),
		m.export_col_moments({}, o),
		m.export_col_owner({}, o),
		m.export_col_linked({}, o),
		m.export_col_level({}, o),
		m.anon_export_by({}, o),
		m.sessions_col_agreed_in({}, o),
		m.sessions_csv_changed({}, o)
	];
	const rows = report.themes.flatMap((theme) =>
		theme.indicators.map((ind) => {
			const isThis = (card: { step: string; text: string }) =>
				card.step === 'measurement' && card.text === ind.name;
			const session = theme.agreements?.find(isThis)?.session;
			const changes = theme.changes;
			const since = changes ? changes.since.slice(0, 10) : '';
			const change = !changes
				? ''
				: changes.added.some(isThis)
					? `${m.sessions_csv_added_value({}, o)} (${since})`
					: changes.changed.some(isThis)
						? `${m.sessions_csv_changed_value({}, o)} (${since})`
						: '';
			return [
				theme.name,
				ind.name,
				l.measureKind[ind.measureKind],
				ind.instrument,
				ind.baseline,
				ind.target,
				// A bare number, so a spreadsheet can sort and count on it.
				ind.horizonYears === null ? '' : String(ind.horizonYears),
				ind.moments.join('; '),
				ind.owner,
				ind.linkedTo ?? '',
				l.level[ind.level],
				ind.anonymous ? m.anon_author({}, o) : '',
				session === undefined ? '' : m.sessions_session({ session }, o),
				change
			];
		})
	);
	const body = stringify(
		[header, ...rows].map((row) => row.map(neutraliseFormula)),
		{
			delimiter: ',',
			record_delimiter: 'windows'
		}
	);
	return BOM + body;
}

/**
 * The glossary as CSV (`?table=glossary`): one row per reading of a term (a term without readings
 * gets one row), with the term's agreed meaning, status and open question on every row, so that a
 * spreadsheet can filter per term or per perspective.
 */
export function exportGlossaryCsv(report: TrajectoryReport, options: ExportOptions = {}): string {
	const locale = options.locale ?? 'nl';
	const o = { locale };
	const l = labels(locale);
	const header = [
		m.export_col_term({}, o),
		m.glossary_export_col_perspective({}, o),
		m.glossary_export_col_reading({}, o),
		m.export_col_definition({}, o),
		m.glossary_export_col_status({}, o),
		m.glossary_export_col_note({}, o),
		m.glossary_export_col_used_in({}, o)
	];
	const rows = (report.glossary ?? []).flatMap((g) => {
		const shared = [
			g.definition,
			g.status === 'open' ? m.glossary_status_open({}, o) : m.glossary_status_agreed({}, o),
			g.note ?? '',
			(g.usedIn ?? []).map((u) => `${u.theme}: ${u.card}`).join('; ')
		];
		const readings = g.readings?.length ? g.readings : [null];
		return readings.map((r) => [
			g.term,
			r ? l.perspective[r.perspective] : '',
			r?.text ?? '',
			...shared
		]);
	});
	return (
		BOM +
		stringify(
			[header, ...rows].map((row) => row.map(neutraliseFormula)),
			{ delimiter: ',', record_delimiter: 'windows' }
		)
	);
}
