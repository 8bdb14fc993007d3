/**
 * The facilitator's control state (`control`): current step, timer, locked and private steps,
 * spotlight, agreed cards, priority order, voting rounds and their revealed results. Written by
 * facilitators and the server only; {@link CONTROL_FIELDS} says which field is whose.
 */
import * as Y from 'yjs';
import { LIMITS } from '../../domain/cards.ts';
import { newId, type CardId, type RoundId } from '../../domain/ids.ts';
import { DEFAULT_CONTROL, type BoardControl } from '../../domain/snapshot.ts';
import { isStepId, STEP_IDS, type StepId } from '../../domain/steps.ts';
import {
	isRoundStatus,
	isValidVotesPerPerson,
	RESULT_GROUPS,
	ROUND_STATUSES,
	VOTE_LIMITS,
	type ResultGroup,
	type RoundResults,
	type RoundStatus,
	type VotingRound
} from '../../domain/votes.ts';
import { CONSENT_CONTROL_FIELD, CONSENT_RESULTS_CONTROL_FIELD } from './consent-fields.ts';
import { idShape, RECORD_KEY, TIME, type FieldSpec, type MapSpec } from './fields.ts';
import { ANONYMOUS_STEPS_FIELD, readAnonymousSteps, ROUND_ANONYMOUS_FIELD } from './anonymity.ts';
import {
	AGREED_AT_FIELD,
	AGREED_IN_FIELD,
	readNumbers,
	readSessionStarts,
	SESSION_STARTS_FIELD
} from './history.ts';
import { isAnonymityMode, type AnonymityMode } from '../../domain/anonymity.ts';
import {
	BoardWriteError,
	control,
	CONTROL,
	isRecordMap,
	mapIn,
	num,
	ROOT,
	ROUND,
	SERVER_ORIGIN,
	str,
	type FieldValue,
	type RecordMap
} from './keys.ts';

const STEP_KEY = { values: STEP_IDS, max: 32 };

/** Every field of a voting round record (`control.rounds.<roundId>`). */
export const ROUND_FIELDS: Readonly<Record<keyof typeof ROUND, FieldSpec>> = {
	id: { shape: idShape(), writer: 'facilitator' },
	status: { shape: { type: 'string', max: 16, values: ROUND_STATUSES }, writer: 'facilitator' },
	votesPerPerson: {
		shape: {
			type: 'number',
			min: VOTE_LIMITS.votesPerPersonMin,
			max: VOTE_LIMITS.votesPerPersonMax,
			integer: true
		},
		writer: 'facilitator'
	},
	createdAt: { shape: TIME, writer: 'facilitator' },
	anonymous: ROUND_ANONYMOUS_FIELD,
	voters: { shape: { type: 'number', min: 0, max: 1e6, integer: true }, writer: 'server' }
};

/** A set of flags keyed by step (locked, private). */
const stepFlags: FieldSpec = {
	shape: {
		type: 'map',
		map: {
			kind: 'entries',
			key: STEP_KEY,
			value: { shape: { type: 'true' }, writer: 'facilitator' }
		}
	},
	writer: 'facilitator'
};

/**
 * `results.<roundId>.<cardId>.<group>` = dots: written by the server's tally only. A group is a
 * perspective, or in an anonymous round the small perspectives together or everyone (domain/votes.ts).
 */
const RESULTS: MapSpec = {
	kind: 'entries',
	key: RECORD_KEY,
	value: {
		shape: {
			type: 'map',
			map: {
				kind: 'entries',
				key: RECORD_KEY,
				value: {
					shape: {
						type: 'map',
						map: {
							kind: 'entries',
							key: { values: RESULT_GROUPS, max: 32 },
							value: {
								shape: { type: 'number', min: 0, max: 1e9, integer: true },
								writer: 'server'
							}
						}
					},
					writer: 'server'
				}
			}
		},
		writer: 'server'
	}
};

/** Every field of the `control` map. */
export const CONTROL_FIELDS: Readonly<Record<keyof typeof CONTROL, FieldSpec>> = {
	currentStep: { shape: { type: 'string', max: 32, values: STEP_IDS }, writer: 'facilitator' },
	follow: { shape: { type: 'boolean' }, writer: 'facilitator' },
	timerEndsAt: { shape: { ...TIME, nullable: true }, writer: 'facilitator' },
	timerPausedLeft: { shape: { ...TIME, nullable: true }, writer: 'facilitator' },
	lockedSteps: stepFlags,
	privateSteps: stepFlags,
	spotlight: { shape: idShape(true), writer: 'facilitator' },
	joiningOpen: { shape: { type: 'boolean' }, writer: 'facilitator' },
	ended: { shape: { type: 'boolean' }, writer: 'facilitator' },
	agreed: {
		shape: {
			type: 'map',
			map: {
				kind: 'entries',
				key: RECORD_KEY,
				value: { shape: { type: 'true' }, writer: 'facilitator' }
			}
		},
		writer: 'facilitator'
	},
	priorityOrder: {
		shape: { type: 'array', item: idShape(), max: LIMITS.cardsPerBoard },
		writer: 'facilitator'
	},
	rounds: {
		shape: {
			type: 'map',
			map: {
				kind: 'entries',
				key: RECORD_KEY,
				value: {
					shape: { type: 'map', map: { kind: 'fields', fields: ROUND_FIELDS } },
					writer: 'facilitator'
				}
			}
		},
		writer: 'facilitator'
	},
	results: { shape: { type: 'map', map: RESULTS }, writer: 'server' },
	anonymousSteps: ANONYMOUS_STEPS_FIELD,
	sessionStarts: SESSION_STARTS_FIELD,
	agreedIn: AGREED_IN_FIELD,
	agreedAt: AGREED_AT_FIELD,
	consent: CONSENT_CONTROL_FIELD,
	consentResults: CONSENT_RESULTS_CONTROL_FIELD
};

// ---------------------------------------------------------------------------------------------
// Reading

function flagSteps(value: unknown): StepId[] {
	if (!(value instanceof Y.Map)) return [];
	return STEP_IDS.filter((step) => value.get(step) === true);
}

function readRoundRecord(map: RecordMap): VotingRound | null {
	const id = str(map, ROUND.id);
	const status = map.get(ROUND.status);
	const votesPerPerson = num(map, ROUND.votesPerPerson);
	if (!id || !isRoundStatus(status) || votesPerPerson === undefined) return null;
	const round: VotingRound = {
		id,
		status,
		votesPerPerson,
		createdAt: num(map, ROUND.createdAt) ?? 0
	};
	const anonymous = map.get(ROUND.anonymous);
	if (isAnonymityMode(anonymous)) round.anonymous = anonymous;
	const voters = num(map, ROUND.voters);
	if (voters !== undefined) round.voters = voters;
	return round;
}

function readResultsMap(value: unknown): RoundResults {
	const results: Record<CardId, Partial<Record<ResultGroup, number>>> = {};
	if (!(value instanceof Y.Map)) return results;
	for (const [cardId, row] of value.entries()) {
		if (!(row instanceof Y.Map)) continue;
		const counts: Partial<Record<ResultGroup, number>> = {};
		for (const p of RESULT_GROUPS) {
			const n = row.get(p);
			if (typeof n === 'number' && n > 0) counts[p] = n;
		}
		results[cardId] = counts;
	}
	return results;
}

/** The facilitator's control state; defaults where the document has nothing yet. */
export function readControl(doc: Y.Doc): BoardControl {
	const map = control(doc);
	const currentStep = map.get(CONTROL.currentStep);
	const timerEndsAt = map.get(CONTROL.timerEndsAt);
	const timerPausedLeft = map.get(CONTROL.timerPausedLeft);
	const spotlight = map.get(CONTROL.spotlight);
	const follow = map.get(CONTROL.follow);
	const joiningOpen = map.get(CONTROL.joiningOpen);
	const agreed = map.get(CONTROL.agreed);
	const order = map.get(CONTROL.priorityOrder);
	const roundsMap = map.get(CONTROL.rounds);
	const resultsMap = map.get(CONTROL.results);
	const rounds: VotingRound[] = [];
	if (roundsMap instanceof Y.Map)
		for (const record of roundsMap.values()) {
			if (!isRecordMap(record)) continue;
			const round = readRoundRecord(record);
			if (round) rounds.push(round);
		}
	rounds.sort((a, b) => a.createdAt - b.createdAt);
	const results: Record<RoundId, RoundResults> = {};
	if (resultsMap instanceof Y.Map)
		for (const [roundId, value] of resultsMap.entries()) results[roundId] = readResultsMap(value);
	return {
		currentStep: isStepId(currentStep) ? currentStep : DEFAULT_CONTROL.currentStep,
		follow: typeof follow === 'boolean' ? follow : DEFAULT_CONTROL.follow,
		timerEndsAt: typeof timerEndsAt === 'number' ? timerEndsAt : null,
		timerPausedLeft: typeof timerPausedLeft === 'number' ? timerPausedLeft : null,
		lockedSteps: flagSteps(map.get(CONTROL.lockedSteps)),
		privateSteps: flagSteps(map.get(CONTROL.privateSteps)),
		anonymousSteps: readAnonymousSteps(map.get(CONTROL.anonymousSteps)),
		spotlight: typeof spotlight === 'string' && spotlight ? spotlight : null,
		joiningOpen: typeof joiningOpen === 'boolean' ? joiningOpen : DEFAULT_CONTROL.joiningOpen,
		ended: map.get(CONTROL.ended) === true,
		agreed:
			agreed instanceof Y.Map
				? [...agreed.entries()].filter(([, v]) => v === true).map(([k]) => k)
				: [],
		priorityOrder:
			order instanceof Y.Array
				? [...new Set(order.toArray().filter((v): v is string => typeof v === 'string'))]
				: [],
		rounds,
		results,
		sessionStarts: readSessionStarts(map.get(CONTROL.sessionStarts)),
		agreedIn: readNumbers(map.get(CONTROL.agreedIn)),
		agreedAt: readNumbers(map.get(CONTROL.agreedAt))
	};
}

/**
 * The facts about a board's control state the server's write rules need, read without creating
 * anything: ended, locked and private steps, a round by id.
 */
export function controlFacts(board: Y.Doc) {
	const map = mapIn(board, ROOT.control);
	const flag = (key: string, step: unknown) => {
		const set = map?.get(key);
		return typeof step === 'string' && set instanceof Y.Map && set.get(step) === true;
	};
	return {
		ended: map?.get(CONTROL.ended) === true,
		locked: (step: unknown) => flag(CONTROL.lockedSteps, step),
		private: (step: unknown) => flag(CONTROL.privateSteps, step),
		/** The step is anonymous (anonymity.ts): participants write only drafts in it. */
		anonymous: (step: unknown): boolean => isAnonymousStep(board, step),
		/** The round `roundId`, or null. */
		round(roundId: string): { status: unknown; votesPerPerson: number } | null {
			const rounds = map?.get(CONTROL.rounds);
			const round = rounds instanceof Y.Map ? rounds.get(roundId) : null;
			if (!(round instanceof Y.Map)) return null;
			return {
				status: round.get(ROUND.status),
				votesPerPerson: Number(round.get(ROUND.votesPerPerson) ?? 0)
			};
		}
	};
}

/**
 * Whether `step` is anonymous on `board` (anonymity.ts), read directly: the server asks this for
 * every presence message, without building the rest of `controlFacts`.
 */
export function isAnonymousStep(board: Y.Doc, step: unknown): boolean {
	const set = mapIn(board, ROOT.control)?.get(CONTROL.anonymousSteps);
	return typeof step === 'string' && set instanceof Y.Map && isAnonymityMode(set.get(step));
}

/** The steps in private-brainstorm mode now (the server reveals a step when it leaves this set). */
export function privateStepsOf(doc: Y.Doc): Set<string> {
	const set = mapIn(doc, ROOT.control)?.get(CONTROL.privateSteps);
	if (!(set instanceof Y.Map)) return new Set();
	return new Set([...set.entries()].filter(([, on]) => on === true).map(([step]) => step));
}

/** The status of every round (the server tallies a round when it becomes `revealed`). */
export function roundStatusesOf(doc: Y.Doc): Map<string, unknown> {
	const rounds = mapIn(doc, ROOT.control)?.get(CONTROL.rounds);
	const statuses = new Map<string, unknown>();
	if (rounds instanceof Y.Map)
		for (const [id, round] of rounds.entries())
			if (round instanceof Y.Map) statuses.set(id, round.get(ROUND.status));
	return statuses;
}

// ---------------------------------------------------------------------------------------------
// Writing (facilitators and the server only)

function subMap(doc: Y.Doc, key: string): Y.Map<unknown> {
	const map = control(doc);
	const existing = map.get(key);
	if (existing instanceof Y.Map) return existing;
	const created = new Y.Map<unknown>();
	map.set(key, created);
	return created;
}

function setControl(doc: Y.Doc, key: string, value: FieldValue, origin: unknown): void {
	doc.transact(() => {
		const map = control(doc);
		if (map.get(key) !== value) map.set(key, value);
	}, origin);
}

export function setCurrentStep(doc: Y.Doc, step: StepId, origin: unknown = null): void {
	if (!isStepId(step)) throw new BoardWriteError(`unknown step ${String(step)}`);
	setControl(doc, CONTROL.currentStep, step, origin);
}

export function setFollow(doc: Y.Doc, follow: boolean, origin: unknown = null): void {
	setControl(doc, CONTROL.follow, follow, origin);
}

/** Starts (or restarts) the countdown: it ends `durationMs` after `now`. */
export function startTimer(
	doc: Y.Doc,
	durationMs: number,
	now: number,
	origin: unknown = null
): void {
	if (!(durationMs > 0)) throw new BoardWriteError('timer duration must be positive');
	doc.transact(() => {
		control(doc).set(CONTROL.timerEndsAt, now + durationMs);
		control(doc).set(CONTROL.timerPausedLeft, null);
	}, origin);
}

/** Pauses a running countdown, keeping the time left. */
export function pauseTimer(doc: Y.Doc, now: number, origin: unknown = null): void {
	const endsAt = control(doc).get(CONTROL.timerEndsAt);
	if (typeof endsAt !== 'number') return;
	doc.transact(() => {
		control(doc).set(CONTROL.timerPausedLeft, Math.max(0, endsAt - now));
		control(doc).set(CONTROL.timerEndsAt, null);
	}, origin);
}

/** Resumes a paused countdown. */
export function resumeTimer(doc: Y.Doc, now: number, origin: unknown = null): void {
	const left = control(doc).get(CONTROL.timerPausedLeft);
	if (typeof left !== 'number') return;
	startTimer(doc, Math.max(1, left), now, origin);
}

export function stopTimer(doc: Y.Doc, origin: unknown = null): void {
	doc.transact(() => {
		control(doc).set(CONTROL.timerEndsAt, null);
		control(doc).set(CONTROL.timerPausedLeft, null);
	}, origin);
}

function setFlag(doc: Y.Doc, key: string, flag: string, on: boolean, origin: unknown): void {
	doc.transact(() => {
		const map = subMap(doc, key);
		if (on) map.set(flag, true);
		else map.delete(flag);
	}, origin);
}

/** Locks (or unlocks) a step: participants cannot write in it. */
export function lockStep(doc: Y.Doc, step: StepId, locked = true, origin: unknown = null): void {
	setFlag(doc, CONTROL.lockedSteps, step, locked, origin);
}

/** Turns private brainstorm for a step on or off (turning off does not reveal: the server does). */
export function setPrivate(doc: Y.Doc, step: StepId, on = true, origin: unknown = null): void {
	setFlag(doc, CONTROL.privateSteps, step, on, origin);
}

/** Highlights a card on every screen, or clears the highlight with `null`. */
export function spotlight(doc: Y.Doc, cardId: CardId | null, origin: unknown = null): void {
	setControl(doc, CONTROL.spotlight, cardId, origin);
}

export function markAgreed(
	doc: Y.Doc,
	cardId: CardId,
	agreed = true,
	origin: unknown = null
): void {
	setFlag(doc, CONTROL.agreed, cardId, agreed, origin);
}

/** Replaces the fixed priority order of outcomes. */
export function setPriorityOrder(
	doc: Y.Doc,
	cardIds: readonly CardId[],
	origin: unknown = null
): void {
	doc.transact(() => {
		const map = control(doc);
		let array = map.get(CONTROL.priorityOrder);
		if (!(array instanceof Y.Array)) {
			array = new Y.Array<string>();
			map.set(CONTROL.priorityOrder, array);
		}
		const list = array as Y.Array<string>;
		if (list.length) list.delete(0, list.length);
		list.insert(0, [...new Set(cardIds)]);
	}, origin);
}

export function setJoiningOpen(doc: Y.Doc, open: boolean, origin: unknown = null): void {
	setControl(doc, CONTROL.joiningOpen, open, origin);
}

/** Sets `control.ended` (the server, when a live session ends or starts again). */
export function setEnded(doc: Y.Doc, ended: boolean, origin: unknown = null): void {
	setControl(doc, CONTROL.ended, ended, origin);
}

/** Ends the session: the board becomes read-only history. */
export function endSession(doc: Y.Doc, origin: unknown = null): void {
	doc.transact(() => {
		const map = control(doc);
		map.set(CONTROL.ended, true);
		map.set(CONTROL.joiningOpen, false);
		map.set(CONTROL.timerEndsAt, null);
		map.set(CONTROL.timerPausedLeft, null);
	}, origin);
}

/** Opens a voting round. Returns its id. */
export function openRound(
	doc: Y.Doc,
	input: { votesPerPerson: number; now: number; id?: RoundId; anonymous?: AnonymityMode },
	origin: unknown = null
): RoundId {
	if (!isValidVotesPerPerson(input.votesPerPerson))
		throw new BoardWriteError('invalid votes per person', [
			{ field: 'votesPerPerson', code: 'out_of_range' }
		]);
	const id = input.id ?? newId();
	doc.transact(() => {
		const rounds = subMap(doc, CONTROL.rounds);
		// Only one round is open at a time: close the others.
		for (const record of rounds.values())
			if (isRecordMap(record) && record.get(ROUND.status) === 'open')
				record.set(ROUND.status, 'closed');
		const record: RecordMap = new Y.Map();
		rounds.set(id, record);
		record.set(ROUND.id, id);
		record.set(ROUND.status, 'open');
		record.set(ROUND.votesPerPerson, input.votesPerPerson);
		record.set(ROUND.createdAt, input.now);
		if (input.anonymous) record.set(ROUND.anonymous, input.anonymous);
	}, origin);
	return id;
}

function setRoundStatus(doc: Y.Doc, roundId: RoundId, status: RoundStatus, origin: unknown): void {
	doc.transact(() => {
		const record = subMap(doc, CONTROL.rounds).get(roundId);
		if (!isRecordMap(record)) throw new BoardWriteError(`no round ${roundId}`);
		record.set(ROUND.status, status);
	}, origin);
}

/** Closes a round: no more votes; results still hidden. */
export function closeRound(doc: Y.Doc, roundId: RoundId, origin: unknown = null): void {
	setRoundStatus(doc, roundId, 'closed', origin);
}

/**
 * Reveals a round. The server tallies the ballots and passes `results` (or writes them with
 * {@link writeRoundResults}); a facilitator's client only flips the status.
 */
export function revealRound(
	doc: Y.Doc,
	roundId: RoundId,
	results?: RoundResults,
	origin: unknown = null
): void {
	doc.transact(() => {
		setRoundStatus(doc, roundId, 'revealed', origin);
		if (results) writeRoundResults(doc, roundId, results, origin);
	}, origin);
}

/** Stores how many people voted in a round (server, when it closes or is revealed). */
export function writeRoundVoters(
	doc: Y.Doc,
	roundId: RoundId,
	voters: number,
	origin: unknown = SERVER_ORIGIN
): void {
	doc.transact(() => {
		const record = subMap(doc, CONTROL.rounds).get(roundId);
		if (isRecordMap(record) && record.get(ROUND.voters) !== voters)
			record.set(ROUND.voters, voters);
	}, origin);
}

/** Stores the tally of a round (server, on reveal): card → result group → votes. */
export function writeRoundResults(
	doc: Y.Doc,
	roundId: RoundId,
	results: RoundResults,
	origin: unknown = SERVER_ORIGIN
): void {
	doc.transact(() => {
		const all = subMap(doc, CONTROL.results);
		const map = new Y.Map<Y.Map<number>>();
		all.set(roundId, map);
		for (const [cardId, row] of Object.entries(results)) {
			const counts = new Y.Map<number>();
			map.set(cardId, counts);
			for (const [p, n] of Object.entries(row))
				if (typeof n === 'number' && n > 0) counts.set(p, n);
		}
	}, origin);
}
