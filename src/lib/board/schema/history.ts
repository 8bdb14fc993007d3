/**
 * Kampen's two-session pattern in the board document (domain/history.ts), all written by the
 * server only:
 * - `control.sessionStarts.<N>` = when session N on this board started (ms);
 * - `control.agreedIn.<cardId>` = the session in which the card was agreed;
 * - `control.agreedAt.<cardId>` = when it was agreed (ms);
 * - `cards.<id>.addedAt` / `changedAt` (declared in cards.ts).
 */
import * as Y from 'yjs';
import { MAX_SESSIONS, type SessionStart } from '../../domain/history.ts';
import type { CardId } from '../../domain/ids.ts';
import { RECORD_KEY, TIME, type FieldSpec } from './fields.ts';
import {
	CARD,
	control,
	CONTROL,
	isRecordMap,
	mapIn,
	records,
	ROOT,
	type RecordMap
} from './keys.ts';

const SESSION_NUMBER = { type: 'number', min: 1, max: MAX_SESSIONS, integer: true } as const;

const serverEntries = (key: typeof RECORD_KEY, value: FieldSpec['shape']): FieldSpec => ({
	shape: { type: 'map', map: { kind: 'entries', key, value: { shape: value, writer: 'server' } } },
	writer: 'server'
});

/** `control.sessionStarts`: session number → start time. */
export const SESSION_STARTS_FIELD = serverEntries({ pattern: /^[1-9][0-9]{0,3}$/, max: 4 }, TIME);
/** `control.agreedIn`: card id → session number. */
export const AGREED_IN_FIELD = serverEntries(RECORD_KEY, SESSION_NUMBER);
/** `control.agreedAt`: card id → time. */
export const AGREED_AT_FIELD = serverEntries(RECORD_KEY, TIME);

/** Number values of a keyed map (`agreedIn`, `agreedAt`). */
export function readNumbers(value: unknown): Record<CardId, number> {
	const out: Record<CardId, number> = {};
	if (value instanceof Y.Map)
		for (const [key, n] of value.entries())
			if (typeof n === 'number' && Number.isFinite(n)) out[key] = n;
	return out;
}

/** `control.sessionStarts` as a list in session order. */
export function readSessionStarts(value: unknown): SessionStart[] {
	const out: SessionStart[] = [];
	if (value instanceof Y.Map)
		for (const [key, startedAt] of value.entries()) {
			const number = Number(key);
			if (Number.isInteger(number) && number >= 1 && typeof startedAt === 'number')
				out.push({ number, startedAt });
		}
	return out.sort((a, b) => a.number - b.number);
}

function subMap(doc: Y.Doc, key: string): Y.Map<number> {
	const map = control(doc);
	const existing = map.get(key);
	if (existing instanceof Y.Map) return existing as Y.Map<number>;
	const created = new Y.Map<number>();
	map.set(key, created);
	return created;
}

/**
 * Records when sessions started (the server, from its database). Only adds or corrects entries:
 * sessions carried in by an import stay.
 */
export function recordSessionStarts(
	doc: Y.Doc,
	starts: readonly SessionStart[],
	origin: unknown = null
): void {
	const current = readSessionStarts(mapIn(doc, ROOT.control)?.get(CONTROL.sessionStarts));
	const missing = starts.filter(
		(s) => !current.some((c) => c.number === s.number && c.startedAt === s.startedAt)
	);
	if (missing.length === 0) return;
	doc.transact(() => {
		const map = subMap(doc, CONTROL.sessionStarts);
		for (const s of missing) map.set(String(s.number), s.startedAt);
	}, origin);
}

/**
 * Stamps agreements (the server, after a facilitator marked or unmarked cards): newly agreed cards
 * get the time and, when a session runs, its number; cards no longer agreed lose both.
 */
export function stampAgreements(
	doc: Y.Doc,
	change: {
		agreed: readonly CardId[];
		unagreed: readonly CardId[];
		session: number | null;
		now: number;
	},
	origin: unknown = null
): void {
	if (change.agreed.length === 0 && change.unagreed.length === 0) return;
	doc.transact(() => {
		const at = subMap(doc, CONTROL.agreedAt);
		const inSession = subMap(doc, CONTROL.agreedIn);
		for (const id of change.agreed) {
			at.set(id, change.now);
			if (change.session !== null) inSession.set(id, change.session);
			else inSession.delete(id);
		}
		for (const id of change.unagreed) {
			at.delete(id);
			inSession.delete(id);
		}
	}, origin);
}

/**
 * Stamps cards the server saw appear or change: `addedAt` once, `changedAt` each time (at most
 * once per `minGapMs` per card, to keep the extra updates few).
 */
export function stampCards(
	doc: Y.Doc,
	ids: Iterable<CardId>,
	options: { now: number; onlyNew?: boolean; minGapMs?: number; created?: ReadonlySet<CardId> },
	origin: unknown = null
): void {
	const cards = records(doc, ROOT.cards);
	const gap = options.minGapMs ?? 0;
	const work: { record: RecordMap; added: boolean }[] = [];
	for (const id of ids) {
		const record = cards.get(id);
		if (!isRecordMap(record)) continue;
		// A record a client created (or brought back) is stamped anew, whatever it carried.
		const added = typeof record.get(CARD.addedAt) !== 'number' || options.created?.has(id) === true;
		if (!added && options.onlyNew) continue;
		const last = record.get(CARD.changedAt);
		if (!added && typeof last === 'number' && options.now - last < gap) continue;
		work.push({ record, added });
	}
	if (work.length === 0) return;
	doc.transact(() => {
		for (const { record, added } of work) {
			if (added) record.set(CARD.addedAt, options.now);
			record.set(CARD.changedAt, options.now);
		}
	}, origin);
}
