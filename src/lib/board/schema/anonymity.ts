/**
 * Anonymous rounds (domain/anonymity.ts) in the documents:
 * - `control.anonymousSteps.<step>` = `facilitator` | `hidden` (facilitators write it);
 * - `control.rounds.<roundId>.anonymous` = the same, for a voting round;
 * - `authored.<cardId>` = author's name, in a participant's private document: which revealed
 *   anonymous cards they wrote. Written by the server only, kept only when facilitators may see
 *   authors; only that participant and the facilitators receive a private document.
 */
import * as Y from 'yjs';
import { ANONYMITY_MODES, isAnonymityMode, type AnonymityMode } from '../../domain/anonymity.ts';
import type { CardId, RoundId } from '../../domain/ids.ts';
import { LIMITS } from '../../domain/cards.ts';
import { STEP_IDS, isStepId, type StepId } from '../../domain/steps.ts';
import { RECORD_KEY, type FieldSpec, type RootSpec } from './fields.ts';
import {
	BoardWriteError,
	control,
	CONTROL,
	isRecordMap,
	mapIn,
	PRIVATE_ROOT,
	ROOT,
	ROUND
} from './keys.ts';

const MODE_SHAPE = { type: 'string', max: 16, values: ANONYMITY_MODES } as const;

/** `control.anonymousSteps`: step → mode. */
export const ANONYMOUS_STEPS_FIELD: FieldSpec = {
	shape: {
		type: 'map',
		map: {
			kind: 'entries',
			key: { values: STEP_IDS, max: 32 },
			value: { shape: MODE_SHAPE, writer: 'facilitator' }
		}
	},
	writer: 'facilitator'
};

/** `control.rounds.<id>.anonymous`. */
export const ROUND_ANONYMOUS_FIELD: FieldSpec = { shape: MODE_SHAPE, writer: 'facilitator' };

/** The private root `authored`: card id → the author's name (server only). */
export const AUTHORED_ROOT: RootSpec = {
	kind: 'entries',
	key: RECORD_KEY,
	writer: 'server',
	value: { shape: { type: 'string', max: LIMITS.name }, writer: 'server' }
};

/** The anonymous steps of a board and their modes. */
export function readAnonymousSteps(value: unknown): Partial<Record<StepId, AnonymityMode>> {
	const steps: Partial<Record<StepId, AnonymityMode>> = {};
	if (!(value instanceof Y.Map)) return steps;
	for (const [step, mode] of value.entries())
		if (isStepId(step) && isAnonymityMode(mode)) steps[step] = mode;
	return steps;
}

/** The anonymous steps of `doc` (without creating anything). */
export function anonymousStepsOf(doc: Y.Doc): Partial<Record<StepId, AnonymityMode>> {
	return readAnonymousSteps(mapIn(doc, ROOT.control)?.get(CONTROL.anonymousSteps));
}

/** The anonymity of a round, read without creating anything. */
export function roundAnonymityOf(doc: Y.Doc, roundId: RoundId): AnonymityMode | undefined {
	const rounds = mapIn(doc, ROOT.control)?.get(CONTROL.rounds);
	const round = rounds instanceof Y.Map ? rounds.get(roundId) : undefined;
	const mode = isRecordMap(round) ? round.get(ROUND.anonymous) : undefined;
	return isAnonymityMode(mode) ? mode : undefined;
}

/**
 * Why an update may not change a voting round's anonymity, or null (the server's check for
 * facilitators). A round's anonymity is part of the promise under which people vote: it is set
 * when the round is created and never changed, replaced or dropped afterwards (else a facilitator
 * could switch it off before the reveal and read the votes per perspective, or watch the private
 * documents again). `changes` are the paths an update writes (server/realtime/changes.ts).
 */
export function roundAnonymityProblem(
	board: Y.Doc,
	changes: readonly { kind: 'insert' | 'delete'; path: readonly string[] }[]
): string | null {
	let rounds: Y.Map<unknown> | null | undefined;
	for (const { path } of changes) {
		const [root, key, roundId, field] = path;
		if (root !== ROOT.control || key !== CONTROL.rounds) continue;
		if (field !== undefined && field !== ROUND.anonymous) continue;
		if (rounds === undefined) {
			const value = mapIn(board, ROOT.control)?.get(CONTROL.rounds);
			rounds = value instanceof Y.Map ? value : null;
		}
		// Replacing the whole map of rounds drops them too: only while none waits for its reveal.
		if (roundId === undefined) {
			const waiting = [...(rounds?.values() ?? [])].some(
				(round) => isRecordMap(round) && round.get(ROUND.status) !== 'revealed'
			);
			if (waiting) return 'voting rounds cannot be replaced before they are revealed';
			continue;
		}
		if (rounds?.has(roundId))
			return field === undefined
				? 'a voting round cannot be replaced or removed'
				: "a voting round's anonymity is set when it opens";
	}
	return null;
}

/** Makes a step anonymous with `mode`, or not anonymous with `null` (facilitators). */
export function setAnonymous(
	doc: Y.Doc,
	step: StepId,
	mode: AnonymityMode | null,
	origin: unknown = null
): void {
	if (!isStepId(step)) throw new BoardWriteError(`unknown step ${String(step)}`);
	if (mode !== null && !isAnonymityMode(mode)) throw new BoardWriteError('unknown anonymity');
	doc.transact(() => {
		const map = control(doc);
		let steps = map.get(CONTROL.anonymousSteps);
		if (!(steps instanceof Y.Map)) {
			steps = new Y.Map<string>();
			map.set(CONTROL.anonymousSteps, steps);
		}
		const set = steps as Y.Map<string>;
		if (mode === null) set.delete(step);
		else if (set.get(step) !== mode) set.set(step, mode);
	}, origin);
}

/** Which revealed anonymous cards a participant wrote: card id → name (their private doc). */
export function readAuthored(privateDoc: Y.Doc): Map<CardId, string> {
	const map = mapIn(privateDoc, PRIVATE_ROOT.authored);
	const out = new Map<CardId, string>();
	if (map) for (const [id, name] of map.entries()) if (typeof name === 'string') out.set(id, name);
	return out;
}

/** The authored map of a private document (for observers). */
export function authoredType(privateDoc: Y.Doc): Y.Map<string> {
	return privateDoc.getMap<string>(PRIVATE_ROOT.authored);
}
