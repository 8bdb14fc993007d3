/**
 * The "Anonieme inbreng" section of a theme: cards written in an anonymous round, each shown with
 * "anoniem" where a name would be. A table (card, step, by) in every document format.
 */
import { m } from '../../paraglide/messages.js';
import { getStep } from '../../domain/steps.ts';
import type { Block } from './document.ts';
import type { Locale, ThemeReport } from './report.ts';

type MessageFn = (params: Record<string, never>, options: { locale: Locale }) => string;

/** The title of a step in `locale` (the board's own step titles). */
export function stepLabel(step: Parameters<typeof getStep>[0], locale: Locale): string {
	const fn = (m as unknown as Record<string, MessageFn | undefined>)[getStep(step).titleKey];
	return fn ? fn({}, { locale }) : step;
}

/** Heading, one sentence and the table; nothing when the theme has no anonymous cards. */
export function anonymousBlocks(theme: ThemeReport, locale: Locale): Block[] {
	const cards = theme.anonymousCards ?? [];
	if (cards.length === 0) return [];
	const o = { locale };
	return [
		{ kind: 'heading', level: 3, text: m.anon_export_heading({}, o) },
		{ kind: 'paragraph', text: m.anon_export_intro({}, o) },
		{
			kind: 'table',
			columns: [
				{ header: m.anon_export_card({}, o), weight: 6 },
				{ header: m.anon_export_step({}, o), weight: 3 },
				{ header: m.anon_export_by({}, o), weight: 2 }
			],
			rows: cards.map((card) => [
				[card.text],
				[stepLabel(card.step, locale)],
				[m.anon_author({}, o)]
			])
		}
	];
}
