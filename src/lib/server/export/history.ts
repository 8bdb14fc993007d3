/**
 * Kampen's two sessions in the documents: "Vastgesteld per bijeenkomst" (what each session agreed)
 * and "Wat is er veranderd sinds …" (added, changed and agreed since a session or a date), per theme.
 */
import { m } from '../../paraglide/messages.js';
import { stepLabel } from './anonymous.ts';
import { formatDate, type Block } from './document.ts';
import { dayInNetherlands } from '../since.ts';
import type { Locale, ReportCardRef, ReportChanges, ThemeReport } from './report.ts';

/** The heading of a changes section: since session N (date), or since a date. */
export function changesHeading(changes: ReportChanges, locale: Locale): string {
	// The day as the group lives it (a "since" day starts at midnight in Amsterdam: since.ts).
	const date = formatDate(dayInNetherlands(Date.parse(changes.since)), locale);
	return changes.session !== null
		? m.sessions_changes_heading_session({ session: changes.session, date }, { locale })
		: m.sessions_changes_heading_date({ date }, { locale });
}

const items = (cards: readonly ReportCardRef[], locale: Locale) =>
	cards.map((card) =>
		m.sessions_changes_item({ text: card.text, step: stepLabel(card.step, locale) }, { locale })
	);

/** The theme's agreements with their session, then what changed; nothing when neither is known. */
export function historyBlocks(theme: ThemeReport, locale: Locale): Block[] {
	const o = { locale };
	const blocks: Block[] = [];
	if (theme.agreements?.length) {
		blocks.push(
			{ kind: 'heading', level: 3, text: m.sessions_agreements_heading({}, o) },
			{ kind: 'paragraph', text: m.sessions_agreements_intro({}, o) },
			{
				kind: 'table',
				columns: [
					{ header: m.sessions_col_card({}, o), weight: 6 },
					{ header: m.sessions_col_step({}, o), weight: 3 },
					{ header: m.sessions_col_agreed_in({}, o), weight: 3 }
				],
				rows: theme.agreements.map((a) => [
					[a.text],
					[stepLabel(a.step, locale)],
					[m.sessions_session({ session: a.session }, o)]
				])
			}
		);
	}
	const changes = theme.changes;
	if (changes) {
		blocks.push({ kind: 'heading', level: 3, text: changesHeading(changes, locale) });
		for (const [title, cards] of [
			[m.sessions_changes_added({ count: changes.added.length }, o), changes.added],
			[m.sessions_changes_changed({ count: changes.changed.length }, o), changes.changed],
			[m.sessions_changes_agreed({ count: changes.agreed.length }, o), changes.agreed]
		] as const) {
			blocks.push({ kind: 'heading', level: 4, text: title });
			blocks.push(
				cards.length
					? { kind: 'list', items: items(cards, locale) }
					: { kind: 'paragraph', text: m.sessions_changes_none({}, o), emphasis: true }
			);
		}
	}
	return blocks;
}
