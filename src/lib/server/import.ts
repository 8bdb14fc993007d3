/**
 * Importing a Kompas JSON export as a new trajectory: the trajectory, its partners and themes, and
 * per theme a board holding what was agreed, so that exporting the import gives the same content.
 * Validation happens first (export/json.ts `parseImport`); nothing is written for a bad file.
 */
import * as Y from 'yjs';
import {
	addCard,
	addLink,
	createBoardDoc,
	markAgreed,
	openRound,
	revealRound,
	setCurrentStep,
	recordSessionStarts,
	setPriorityOrder,
	stampAgreements,
	stampCards,
	type Author
} from '../board/schema/index.ts';
import { restoreConsent } from '../board/schema/consent-writers.ts';
import { newId, type CardId } from '../domain/ids.ts';
import { NO_BYLINE } from '../domain/anonymity.ts';
import { ALL_GROUP, OTHER_GROUP } from '../domain/votes.ts';
import { stepOfKind } from '../domain/steps.ts';
import type { AppContext } from './context.ts';
import { boardIdOf } from './boards.ts';
import type { ThemeReport, TrajectoryReport } from './export/report.ts';

const IMPORT_AUTHOR: Author = { id: 'import', name: 'Kompas-import', perspective: null };
const ANONYMOUS_AUTHOR: Author = {
	id: NO_BYLINE.authorId,
	name: NO_BYLINE.authorName,
	perspective: null
};
const SERVER = 'server';

/** The board document that holds one theme of a report. */
export function boardFromThemeReport(theme: ThemeReport, boardId: string, now: number): Y.Doc {
	const doc = createBoardDoc({ boardId, themeName: theme.name });
	// Cards of anonymous rounds come back without an author (step + text; each listed card once).
	const anonymous = (theme.anonymousCards ?? []).map((c) => `${c.step}\u0000${c.text}`);
	const card = (input: Parameters<typeof addCard>[1]['kind'], text: string, extra = {}) => {
		const step = stepOfKind(input);
		const at = anonymous.indexOf(`${step}\u0000${text}`);
		if (at >= 0) anonymous.splice(at, 1);
		const author = at >= 0 ? ANONYMOUS_AUTHOR : IMPORT_AUTHOR;
		const id = addCard(doc, { kind: input, text, author, ...extra }, SERVER);
		created.push({ id, key: `${step}\u0000${text}` });
		return id;
	};
	const created: { id: CardId; key: string }[] = [];

	for (const text of theme.situation) card('situation', text);
	const ambitionIds = new Map<string, CardId>();
	if (theme.ambition) {
		const id = card('ambition', theme.ambition);
		ambitionIds.set(theme.ambition, id);
		markAgreed(doc, id, true, SERVER);
	}

	const outcomeIds = new Map<string, CardId>();
	const results: Record<CardId, Record<string, number>> = {};
	for (const outcome of theme.outcomes) {
		const id = card('outcome', outcome.text, {
			outcomeKind: outcome.outcomeKind,
			...(outcome.horizonYears !== null ? { horizonYears: outcome.horizonYears } : {})
		});
		outcomeIds.set(outcome.text, id);
		if (outcome.agreed) markAgreed(doc, id, true, SERVER);
		if (outcome.votesTotal > 0)
			results[id] = {
				...outcome.votesByPerspective,
				[OTHER_GROUP]: outcome.votesOtherPerspectives ?? 0,
				[ALL_GROUP]: outcome.votesNotSplit ?? 0
			};
	}
	setPriorityOrder(doc, [...outcomeIds.values()], SERVER);
	if (Object.keys(results).length) {
		// Votes counted in groups came from an anonymous round: the imported round is one too.
		const grouped = theme.outcomes.some((o) => o.votesOtherPerspectives || o.votesNotSplit);
		const round = openRound(
			doc,
			{ votesPerPerson: 20, now, ...(grouped ? { anonymous: 'hidden' as const } : {}) },
			SERVER
		);
		revealRound(doc, round, results, SERVER);
	}

	const activityIds = new Map<string, CardId>();
	for (const activity of theme.activities) {
		const id = card('activity', activity.text, {
			owners: activity.owners,
			isNew: activity.isNew,
			...(activity.quality.length ? { quality: activity.quality.join('\n') } : {})
		});
		activityIds.set(activity.text, id);
		for (const outcome of activity.servesOutcomes) {
			const to = outcomeIds.get(outcome);
			if (to) addLink(doc, { from: id, to, authorId: IMPORT_AUTHOR.id }, SERVER);
		}
	}

	for (const indicator of theme.indicators) {
		const id = card('indicator', indicator.name, {
			measureKind: indicator.measureKind,
			instrument: indicator.instrument,
			baseline: indicator.baseline,
			target: indicator.target,
			moments: indicator.moments.join(', '),
			owner: indicator.owner,
			...(indicator.horizonYears !== null ? { horizonYears: indicator.horizonYears } : {})
		});
		if (indicator.linkedTo) {
			const to =
				indicator.level === 'service'
					? (activityIds.get(indicator.linkedTo) ?? outcomeIds.get(indicator.linkedTo))
					: (outcomeIds.get(indicator.linkedTo) ?? activityIds.get(indicator.linkedTo));
			if (to) addLink(doc, { from: id, to, authorId: IMPORT_AUTHOR.id }, SERVER);
		}
	}

	restoreThemeConsent(
		doc,
		theme,
		{ ambition: ambitionIds, outcomes: outcomeIds, activities: activityIds },
		card,
		now
	);

	for (const text of theme.reflection.well) card('well', text);
	for (const text of theme.reflection.better) card('better', text);
	for (const action of theme.reflection.actions)
		card('action', action.text, { owner: action.owner });
	restoreHistory(doc, theme, created);
	setCurrentStep(doc, 'reflection', SERVER);
	return doc;
}

/**
 * Puts the report's history back on the board (history.ts), so that its export shows the same
 * "vastgesteld in bijeenkomst N" and "wat is er veranderd sinds …": the session's start, and times
 * just before or after it for what was there, added, changed or agreed.
 */
function restoreHistory(doc: Y.Doc, theme: ThemeReport, created: { id: CardId; key: string }[]) {
	const keyOf = (card: { step: string; text: string }) => `${card.step}\u0000${card.text}`;
	const ids = (cards: readonly { step: string; text: string }[] = []) => {
		const keys = new Set(cards.map(keyOf));
		return created.filter((c) => keys.has(c.key)).map((c) => c.id);
	};
	const { changes } = theme;
	const since = changes ? Date.parse(changes.since) : null;
	if (changes && since !== null) {
		if (changes.session !== null)
			recordSessionStarts(doc, [{ number: changes.session, startedAt: since }], SERVER);
		const added = new Set(ids(changes.added));
		const before = created.map((c) => c.id).filter((id) => !added.has(id));
		stampCards(doc, before, { now: since - 1 }, SERVER);
		stampCards(doc, [...added, ...ids(changes.changed)], { now: since + 1 }, SERVER);
	}
	const recent = new Set(ids(changes?.agreed));
	const withSession = new Set(ids(theme.agreements));
	const recentOnly = [...recent].filter((id) => !withSession.has(id));
	for (const id of recentOnly) markAgreed(doc, id, true, SERVER);
	if (since !== null)
		stampAgreements(
			doc,
			{ agreed: recentOnly, unagreed: [], session: null, now: since + 1 },
			SERVER
		);
	const bySession = new Map<number, CardId[]>();
	for (const agreement of theme.agreements ?? [])
		for (const id of ids([agreement]))
			bySession.set(agreement.session, [...(bySession.get(agreement.session) ?? []), id]);
	for (const [session, agreed] of bySession) {
		for (const id of agreed) markAgreed(doc, id, true, SERVER);
		const old = agreed.filter((id) => !recent.has(id));
		const now = since ?? 0;
		stampAgreements(doc, { agreed: old, unagreed: [], session, now: Math.max(0, now - 1) }, SERVER);
		stampAgreements(
			doc,
			{ agreed: agreed.filter((id) => recent.has(id)), unagreed: [], session, now: now + 1 },
			SERVER
		);
	}
}

/**
 * The theme's consent rounds, each proposal with its rounds, pointing at the cards just made. An
 * ambition that was proposed but not agreed is not in the report otherwise: it gets its card here.
 */
function restoreThemeConsent(
	doc: Y.Doc,
	theme: ThemeReport,
	ids: {
		ambition: Map<string, CardId>;
		outcomes: Map<string, CardId>;
		activities: Map<string, CardId>;
	},
	card: (kind: 'ambition', text: string) => CardId,
	now: number
): void {
	(theme.consent ?? []).forEach((proposal, i) => {
		const cardIds = proposal.items.map((text) => {
			if (proposal.subject === 'priorities') return ids.outcomes.get(text);
			if (proposal.subject === 'activity') return ids.activities.get(text);
			let id = ids.ambition.get(text);
			if (!id) {
				id = card('ambition', text);
				ids.ambition.set(text, id);
			}
			return id;
		});
		const id = newId();
		const results = proposal.rounds.map((round) => ({
			roundId: newId(),
			proposalId: id,
			round: round.round,
			text: round.text,
			counts: round.counts,
			notes: round.notes
		}));
		const current = results.find((r) => r.round === proposal.round);
		const decided = proposal.status === 'adopted' || proposal.status === 'parked';
		restoreConsent(
			doc,
			{
				id,
				subject: proposal.subject,
				cardIds: cardIds.filter((c): c is CardId => c !== undefined),
				text: proposal.text,
				round: proposal.round,
				roundId: current?.roundId ?? newId(),
				status: proposal.status,
				note: proposal.note,
				createdAt: now + i,
				decidedAt: decided ? now + i : null
			},
			results,
			SERVER
		);
	});
}

/**
 * Creates a new trajectory from a validated report, with `userId` as its facilitator.
 * All or nothing: the trajectory's rows and its boards are written in one unit of work.
 * @returns the new trajectory's id.
 */
export function importReport(
	app: AppContext,
	userId: string,
	report: TrajectoryReport
): Promise<string> {
	return app.atomically(async (tx) => {
		const trajectory = await app.trajectories.create(
			userId,
			{
				municipality: report.municipality,
				title: report.title,
				description: report.description,
				partners: report.organisations.map((o) => ({ name: o.name, perspective: o.perspective })),
				themes: report.themes.map((t) => t.name)
			},
			tx
		);
		for (const entry of report.glossary ?? [])
			await app.trajectories.glossary.add(
				trajectory.id,
				{
					term: entry.term,
					definition: entry.definition,
					note: entry.note,
					status: entry.status,
					readings: (entry.readings ?? []).map((r) => ({ ...r, authorName: '' }))
				},
				tx
			);
		for (const [i, theme] of report.themes.entries()) {
			const themeId = trajectory.themes[i].id;
			const doc = boardFromThemeReport(theme, boardIdOf(themeId, theme.cycle), app.now().getTime());
			try {
				await app.boards.write(boardIdOf(themeId, theme.cycle), doc, tx);
			} finally {
				doc.destroy();
			}
		}
		return trajectory.id;
	});
}
