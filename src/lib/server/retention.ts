/**
 * Retention (AVG): after `KOMPAS_RETENTION_DAYS` (default 365) since a trajectory's last session, the
 * names and organisations of its participants are anonymised. What was agreed stays: cards, links,
 * votes and results are kept; only who wrote them becomes "deelnemer (inwoner)" and the like, in the
 * participants table and in every stored board and private document of the trajectory.
 *
 * The documents are rewritten through the realtime server (`docs`: its rooms), so that a loaded
 * board, the people looking at it and the store agree. A daily job in the server runs it
 * (`startRetentionJob`: at start and every 24 hours, on a timer that does not keep the process up).
 */
import * as Y from 'yjs';
import type { AppContext } from './context.ts';
import { CARD, COMMENT, PRIVATE_ROOT, ROOT } from '../board/schema/index.ts';
import type { Perspective } from '../domain/roles.ts';

/** Default retention: one year after a trajectory's last session. */
export const DEFAULT_RETENTION_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The byline of an anonymised participant: "deelnemer (gemeente)", "deelnemer (inwoner)", … */
export const anonymousByline = (perspective: Perspective | string): string =>
	`deelnemer (${perspective})`;

/** The realtime server's documents, as the job needs them. */
export interface RetentionDocs {
	/** Names of the stored documents that start with `prefix`. */
	list(prefix: string): Promise<string[]>;
	/** Loads the document (or takes the live room), runs `edit` as the server, stores and broadcasts. */
	edit(name: string, edit: (doc: Y.Doc) => void): Promise<void>;
}

export interface RetentionResult {
	trajectories: string[];
	participants: number;
	documents: number;
}

/**
 * Anonymises the participants of every trajectory whose last session (ended, else started, else
 * planned) is more than `days` before `now`, and none runs now. Idempotent: already anonymised
 * participants are skipped, and a trajectory with none left costs a query per session.
 */
export async function anonymiseExpired(options: {
	app: Pick<AppContext, 'liveSessions' | 'participants' | 'trajectories'>;
	docs: RetentionDocs;
	days: number;
	now: () => Date;
}): Promise<RetentionResult> {
	const { app, docs } = options;
	const cutoff = options.now().getTime() - options.days * DAY_MS;
	const result: RetentionResult = { trajectories: [], participants: 0, documents: 0 };
	for (const trajectoryId of await app.liveSessions.idleTrajectories(cutoff)) {
		const people = await app.participants.notAnonymised(
			await app.liveSessions.idsOfTrajectory(trajectoryId)
		);
		if (people.length === 0) continue;
		const byId = new Map(people.map((p) => [p.id, anonymousByline(p.perspective)]));
		const byName = new Map(people.map((p) => [p.name, anonymousByline(p.perspective)]));
		// The glossary's readings first: loaded boards take their bylines from it.
		await app.trajectories.glossary.renameAuthors(byId);
		// Documents first: if the process stops halfway, the next run finds the people still to do.
		for (const { id: themeId } of await app.trajectories.themes.list(trajectoryId))
			for (const prefix of [`board/${themeId}.`, `private/${themeId}.`])
				for (const name of await docs.list(prefix)) {
					await docs.edit(name, (doc) => anonymiseAuthors(doc, byId, byName));
					result.documents++;
				}
		await app.participants.anonymise(
			people.map((p) => ({ id: p.id, name: anonymousByline(p.perspective) })),
			options.now()
		);
		result.trajectories.push(trajectoryId);
		result.participants += people.length;
	}
	return result;
}

/**
 * Replaces the bylines of the given participants in a board or private document: `authorName` of
 * cards, drafts, comments and glossary readings they wrote (by `authorId`), and their names among a card's co-authors
 * (co-authors are stored by name). Texts, links, votes and what was agreed are left alone.
 */
export function anonymiseAuthors(
	doc: Y.Doc,
	byId: ReadonlyMap<string, string>,
	byName: ReadonlyMap<string, string>
): void {
	const records = (root: string) => [...doc.getMap<unknown>(root).values()];
	for (const root of [ROOT.cards, PRIVATE_ROOT.drafts, ROOT.comments, ROOT.readings])
		for (const record of records(root)) {
			if (!(record instanceof Y.Map)) continue;
			const authorId = record.get(CARD.authorId);
			const byline = typeof authorId === 'string' ? byId.get(authorId) : undefined;
			const nameKey = root === ROOT.comments ? COMMENT.authorName : CARD.authorName;
			if (byline && record.get(nameKey) !== byline) record.set(nameKey, byline);
			const coAuthors = record.get(CARD.coAuthors);
			if (root !== ROOT.comments && typeof coAuthors === 'string' && coAuthors) {
				const names = coAuthors.split(',').map((n) => n.trim());
				const next = [...new Set(names.map((n) => byName.get(n) ?? n))].join(', ');
				if (next !== coAuthors) record.set(CARD.coAuthors, next);
			}
		}
}

/**
 * Runs `run` now and then every `intervalMs` (default 24 hours) on a timer that does not keep the
 * process alive. Failures are reported to `onError` and the next run tries again.
 * @returns stop(): no further runs.
 */
export function startRetentionJob(options: {
	run: () => Promise<unknown>;
	intervalMs?: number;
	onError?: (error: unknown) => void;
	/** For tests: the timer (default setInterval / clearInterval). */
	timer?: {
		every(ms: number, fn: () => void): unknown;
		cancel(handle: unknown): void;
	};
}): { stop(): void; running(): Promise<void> } {
	const timer = options.timer ?? {
		every(ms: number, fn: () => void) {
			const handle = setInterval(fn, ms);
			handle.unref();
			return handle;
		},
		cancel: (handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>)
	};
	let current: Promise<void> = Promise.resolve();
	let busy = false;
	const tick = () => {
		if (busy) return; // the previous run is still going (a very large instance)
		busy = true;
		current = options
			.run()
			.then(
				() => {},
				(error) => options.onError?.(error)
			)
			.finally(() => {
				busy = false;
			});
	};
	tick();
	const handle = timer.every(options.intervalMs ?? DAY_MS, tick);
	return {
		stop: () => timer.cancel(handle),
		/** Resolves when the run in progress (if any) is done (tests, shutdown). */
		running: () => current
	};
}
