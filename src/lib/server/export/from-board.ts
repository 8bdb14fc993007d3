/**
 * From live boards to the export model: maps a board snapshot (domain/) of each theme to a
 * `ThemeReport`, and a trajectory with its boards to a `TrajectoryReport`. Pure apart from the
 * message lookup for compass-check texts.
 */
import { isAnonymousCard } from '../../domain/anonymity.ts';
import { cardsOf, type Card } from '../../domain/cards.ts';
import { STEP_IDS } from '../../domain/steps.ts';
import { agreedInSession, changesSince, latestSession } from '../../domain/history.ts';
import { compassChecks, prioritisedOutcomes } from '../../domain/checks.ts';
import type { CardId } from '../../domain/ids.ts';
import { liveLinks, targetsOf } from '../../domain/links.ts';
import { isPerspective, PERSPECTIVES, type Perspective } from '../../domain/roles.ts';
import type { BoardSnapshot } from '../../domain/snapshot.ts';
import { ALL_GROUP, latestRevealed, OTHER_GROUP } from '../../domain/votes.ts';
import * as messages from '../../paraglide/messages.js';
import type { Trajectory } from '../trajectories.ts';
import type { Locale, ReportIndicator, ThemeReport, TrajectoryReport } from './report.ts';
import { consentProvenance, consentReport } from './consent.ts';

type MessageFn = (params: Record<string, string>, options: { locale: Locale }) => string;

/** The text of a board message by its key (compass checks name their message by key). */
function boardMessage(key: string, params: Record<string, string>, locale: Locale): string {
	const fn = (messages as unknown as Record<string, MessageFn | undefined>)[key];
	return fn ? fn(params, { locale }) : key;
}

const zeroVotes = (): Record<Perspective, number> =>
	Object.fromEntries(PERSPECTIVES.map((p) => [p, 0])) as Record<Perspective, number>;

const texts = (cards: readonly Card[]) => cards.map((c) => c.text);
const byOrder = (a: Card, b: Card) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0);

/** What one theme's board agreed, in the export's terms. */
export function themeReportFromBoard(
	snapshot: BoardSnapshot,
	theme: { name: string; cycle: number },
	locale: Locale = 'nl',
	history: HistoryOptions = {}
): ThemeReport {
	const { cards, control } = snapshot;
	const agreed = new Set(control.agreed);
	const links = liveLinks(cards, snapshot.links);
	const byId = new Map<CardId, Card>(cards.map((c) => [c.id, c]));
	// Linked cards in board order (priority order first), never in the links' random map order.
	const rank = new Map<CardId, number>();
	for (const c of [...prioritisedOutcomes(snapshot), ...[...cards].sort(byOrder)])
		if (!rank.has(c.id)) rank.set(c.id, rank.size);
	const linkedOfKind = (id: CardId, kind: Card['kind']) =>
		targetsOf(links, id)
			.map((target) => byId.get(target))
			.filter((c): c is Card => c?.kind === kind)
			.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));

	const ambition = cardsOf(cards, 'ambition', 'ambition').find((c) => agreed.has(c.id)) ?? null;
	const round = latestRevealed(control.rounds);
	const results = round ? (control.results[round.id] ?? {}) : {};

	const outcomes = prioritisedOutcomes(snapshot).map((card) => {
		const votesByPerspective = zeroVotes();
		const row = results[card.id] ?? {};
		let votesTotal = 0;
		for (const [group, count] of Object.entries(row)) {
			votesTotal += count ?? 0;
			if (isPerspective(group)) votesByPerspective[group] += count ?? 0;
		}
		// An anonymous round's groups (domain/votes.ts): only as the server counted them.
		const other = row[OTHER_GROUP] ?? 0;
		const notSplit = row[ALL_GROUP] ?? 0;
		return {
			text: card.text,
			horizonYears: card.horizonYears ?? null,
			outcomeKind: card.outcomeKind ?? 'inhoudelijk',
			votesTotal,
			votesByPerspective,
			...(other ? { votesOtherPerspectives: other } : {}),
			...(notSplit ? { votesNotSplit: notSplit } : {}),
			agreed: agreed.has(card.id),
			...withConsent(agreed.has(card.id) ? consentProvenance(snapshot.consent, card.id) : undefined)
		};
	});

	const activities = cardsOf(cards, 'activities', 'activity').map((card) => ({
		text: card.text,
		owners: card.owners ?? [],
		servesOutcomes: texts(linkedOfKind(card.id, 'outcome')),
		isNew: card.isNew ?? false,
		quality: (card.quality ?? '')
			.split('\n')
			.map((q) => q.trim())
			.filter(Boolean),
		...withConsent(agreed.has(card.id) ? consentProvenance(snapshot.consent, card.id) : undefined)
	}));

	const indicators: ReportIndicator[] = cardsOf(cards, 'measurement', 'indicator').map((card) => {
		const target = linkedOfKind(card.id, 'outcome')[0] ?? linkedOfKind(card.id, 'activity')[0];
		return {
			name: card.text,
			measureKind: card.measureKind ?? 'tellen',
			instrument: card.instrument ?? '',
			baseline: card.baseline ?? '',
			target: card.target ?? '',
			horizonYears: card.horizonYears ?? null,
			moments: (card.moments ?? '')
				.split(/[,;\n]/)
				.map((m) => m.trim())
				.filter(Boolean),
			owner: card.owner ?? '',
			linkedTo: target?.text ?? null,
			level: target?.kind === 'activity' ? 'service' : 'community',
			...(isAnonymousCard(card) ? { anonymous: true } : {})
		};
	});
	const anonymousCards = STEP_IDS.flatMap((step) => cardsOf(cards, step))
		.filter(isAnonymousCard)
		.map((card) => ({ step: card.step, text: card.text }));

	const ambitionConsent = consentProvenance(snapshot.consent, ambition?.id);
	const consent = consentReport(snapshot.consent, cards);
	return {
		name: theme.name,
		cycle: theme.cycle,
		ambition: ambition?.text ?? null,
		...(ambitionConsent ? { ambitionConsent } : {}),
		situation: texts(cardsOf(cards, 'ambition', 'situation')),
		outcomes,
		activities,
		indicators,
		reflection: {
			well: texts(cardsOf(cards, 'reflection', 'well')),
			better: texts(cardsOf(cards, 'reflection', 'better')),
			actions: cardsOf(cards, 'reflection', 'action').map((c) => ({
				text: c.text,
				owner: c.owner ?? ''
			}))
		},
		openChecks: compassChecks(snapshot).map((check) =>
			boardMessage(check.messageKey, check.params as Record<string, string>, locale)
		),
		...(anonymousCards.length ? { anonymousCards } : {}),
		...historyOf(snapshot, history),
		...(consent ? { consent } : {})
	};
}

/** `{ consent }` when there is a provenance, else nothing (the field stays absent). */
const withConsent = <T>(consent: T | undefined): { consent?: T } => (consent ? { consent } : {});

/** Since when a report shows "wat is er veranderd": a moment (ms), or the board's latest session. */
export interface HistoryOptions {
	/** ms since the epoch; `undefined`: the start of the latest session; `null`: no such section. */
	since?: number | null;
}

const ref = (card: Card) => ({ step: card.step, text: card.text });

/** The agreements with their session and the changes section of one board. */
function historyOf(
	snapshot: BoardSnapshot,
	options: HistoryOptions
): Pick<ThemeReport, 'agreements' | 'changes'> {
	const { control } = snapshot;
	const agreements = STEP_IDS.flatMap((step) => cardsOf(snapshot.cards, step)).flatMap((card) => {
		const session = agreedInSession(control, card.id);
		return session === null ? [] : [{ ...ref(card), session }];
	});
	const latest = latestSession(control);
	const since = options.since === undefined ? (latest?.startedAt ?? null) : options.since;
	const out: Pick<ThemeReport, 'agreements' | 'changes'> = {};
	if (agreements.length) out.agreements = agreements;
	if (since !== null) {
		const changes = changesSince(snapshot, since);
		const session = control.sessionStarts.find((s) => s.startedAt === since)?.number ?? null;
		out.changes = {
			since: new Date(since).toISOString(),
			session,
			added: changes.added.map(ref),
			changed: changes.changed.map(ref),
			agreed: changes.agreed.map(ref)
		};
	}
	return out;
}

/** The whole trajectory's report: its record plus one board per theme, in theme order. */
export function trajectoryReport(
	trajectory: Pick<Trajectory, 'municipality' | 'title' | 'description' | 'partners'>,
	boards: { themeName: string; cycle: number; snapshot: BoardSnapshot }[],
	options: { date: Date; locale?: Locale } & HistoryOptions
): TrajectoryReport {
	return {
		municipality: trajectory.municipality,
		title: trajectory.title,
		description: trajectory.description,
		date: options.date.toISOString().slice(0, 10),
		organisations: trajectory.partners.map((p) => ({ name: p.name, perspective: p.perspective })),
		themes: boards.map((b) =>
			themeReportFromBoard(b.snapshot, { name: b.themeName, cycle: b.cycle }, options.locale, {
				since: options.since
			})
		)
	};
}
