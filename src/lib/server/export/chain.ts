/**
 * The results chain of an exported theme: the report's outcomes, activities and indicators turned
 * back into a small board snapshot, so that the same `resultsChain` (and so the same compass checks)
 * draws the chain in the documents as on the live board. Links follow the report's texts, exactly as
 * the JSON import rebuilds them (`import.ts`): the document's chain matches its own tables.
 */
import type { Card, CardKind } from '../../domain/cards.ts';
import type { CardId } from '../../domain/ids.ts';
import type { Link } from '../../domain/links.ts';
import {
	chainRows,
	resultsChain,
	type ChainCard,
	type ResultsChain
} from '../../domain/results-chain.ts';
import { layoutChain, figureSvg } from '../../domain/results-chain-figure.ts';
import { emptySnapshot, type BoardSnapshot } from '../../domain/snapshot.ts';
import { stepOfKind } from '../../domain/steps.ts';
import { chainFlagTexts, chainTexts } from '../../i18n/chain-texts.ts';
import { m } from '../../paraglide/messages.js';
import type { Block } from './document.ts';
import type { Locale, ThemeReport } from './report.ts';

/** The board a theme report describes, as far as the chain goes (ids: a0, o0, a-0, i0, …). */
export function chainSnapshot(theme: ThemeReport): BoardSnapshot {
	const snapshot = emptySnapshot({ schemaVersion: 1, boardId: 'export', themeName: theme.name });
	const cards: Card[] = [];
	const add = (id: CardId, kind: CardKind, text: string) => {
		const n = cards.length;
		cards.push({
			id,
			step: stepOfKind(kind),
			kind,
			text,
			authorId: 'export',
			authorName: '',
			perspective: null,
			createdAt: n,
			order: `a${n.toString(36).padStart(4, '0')}`,
			coAuthors: [],
			mergedInto: null
		});
	};
	const links: Link[] = [];
	const link = (from: CardId, to: CardId | undefined) => {
		if (to) links.push({ id: `l${links.length}`, from, to, authorId: 'export' });
	};

	if (theme.ambition) {
		add('ambition', 'ambition', theme.ambition);
		snapshot.control.agreed.push('ambition');
	}
	const outcomeIds = new Map<string, CardId>();
	theme.outcomes.forEach((outcome, i) => {
		add(`o${i}`, 'outcome', outcome.text);
		if (!outcomeIds.has(outcome.text)) outcomeIds.set(outcome.text, `o${i}`);
		if (outcome.agreed) snapshot.control.agreed.push(`o${i}`);
	});
	// The report's outcomes are its priorities, in order.
	snapshot.control.priorityOrder = theme.outcomes.map((_, i) => `o${i}`);
	const activityIds = new Map<string, CardId>();
	theme.activities.forEach((activity, i) => {
		add(`a-${i}`, 'activity', activity.text);
		if (!activityIds.has(activity.text)) activityIds.set(activity.text, `a-${i}`);
		for (const text of activity.servesOutcomes) link(`a-${i}`, outcomeIds.get(text));
	});
	theme.indicators.forEach((indicator, i) => {
		add(`i${i}`, 'indicator', indicator.name);
		if (indicator.linkedTo === null) return;
		link(
			`i${i}`,
			indicator.level === 'service'
				? (activityIds.get(indicator.linkedTo) ?? outcomeIds.get(indicator.linkedTo))
				: (outcomeIds.get(indicator.linkedTo) ?? activityIds.get(indicator.linkedTo))
		);
	});
	snapshot.cards = cards;
	snapshot.links = links;
	return snapshot;
}

/** The results chain of one theme of a report. */
export function themeChain(theme: ThemeReport): ResultsChain {
	return resultsChain(chainSnapshot(theme));
}

/** The chain's text alternative as a document table (the same rows as on the live board). */
export function chainTable(chain: ResultsChain, locale: Locale): Block {
	const o = { locale };
	const flagText = chainFlagTexts(locale);
	const none = m.chain_none({}, o);
	const flagged = (card: ChainCard) =>
		card.flags.length ? ` (! ${card.flags.map((f) => flagText[f]).join(', ')})` : '';
	return {
		kind: 'table',
		columns: [
			{ header: m.chain_table_outcome({}, o), weight: 6 },
			{ header: m.chain_table_activities({}, o), weight: 7 },
			{ header: m.chain_table_indicators({}, o), weight: 5 },
			{ header: m.chain_table_flags({}, o), weight: 3 }
		],
		rows: chainRows(chain).map((row) => [
			[
				row.outcome
					? row.outcome.rank !== null
						? m.chain_rank({ rank: row.outcome.rank, text: row.outcome.text }, o)
						: row.outcome.text
					: m.chain_table_loose({}, o)
			],
			row.activities.length
				? row.activities.map(
						(a) =>
							a.text +
							(a.measuredBy.length
								? ` (${m.chain_measured_by({ list: a.measuredBy.map((i) => i.text).join('; ') }, o)})`
								: '') +
							flagged(a)
					)
				: [none],
			row.indicators.length ? row.indicators.map((i) => i.text + flagged(i)) : [none],
			row.outcome?.flags.length ? row.outcome.flags.map((f) => flagText[f]) : [none]
		])
	};
}

/**
 * The chain section of a theme: heading, the drawing (a standalone SVG) and the table beside it,
 * or a sentence when there is nothing to draw yet.
 */
export function chainBlocks(theme: ThemeReport, locale: Locale): Block[] {
	const o = { locale };
	const chain = themeChain(theme);
	const heading: Block = { kind: 'heading', level: 3, text: m.chain_title({}, o) };
	if (!chain.outcomes.length && !chain.activities.length && !chain.indicators.length)
		return [heading, { kind: 'paragraph', text: m.chain_empty({}, o), emphasis: true }];
	const texts = chainTexts(locale);
	const figure = layoutChain(chain, texts);
	return [
		heading,
		{ kind: 'paragraph', text: m.chain_intro({}, o) },
		{
			kind: 'figure',
			svg: figureSvg(figure, texts),
			width: figure.width,
			height: figure.height,
			alt: m.chain_figure_label({}, o)
		},
		{
			kind: 'paragraph',
			text: chain.ambition
				? m.chain_table_ambition({ text: chain.ambition.text }, o)
				: m.chain_no_ambition({}, o)
		},
		chainTable(chain, locale)
	];
}
