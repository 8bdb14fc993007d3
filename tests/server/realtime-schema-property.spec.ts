/**
 * Property: for every record family, generated valid records are accepted by the server and reach
 * a second client, and generated invalid ones (one thing wrong: a text over its limit, a wrong type,
 * an unknown field, a value outside its list, someone else's byline, a field that is not theirs to
 * write) are refused with 4403 and reach nobody. Every record is sent by a crafted client on a raw
 * socket, the way an attacker would, built on what the server has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
	CARD_KINDS,
	KIND_FIELDS,
	LIMITS,
	MEASURE_KINDS,
	OUTCOME_KINDS,
	type CardKind
} from '../../src/lib/domain/cards.ts';
import { stepOfKind, STEP_IDS } from '../../src/lib/domain/steps.ts';
import { ROUND_STATUSES } from '../../src/lib/domain/votes.ts';
import { openRound } from '../../src/lib/board/schema/index.ts';
import { startServer, type TestServer } from './helpers/start-server.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, updateMessage, type TestClient } from './helpers/clients.ts';

/** Runs per property: enough to meet every kind of mistake, few enough for a loaded 2-core box. */
const RUNS = 25;

let server: TestServer;
let board: fx.BoardFixture;
let person: Awaited<ReturnType<typeof fx.participant>>;
let facilitator: TestClient;
let privateWatch: TestClient;
const open: TestClient[] = [];

type Fields = Record<string, unknown>;
type Attempt = { fields: Fields; valid: boolean };

beforeAll(async () => {
	server = await startServer();
	board = await fx.board(server.app);
	person = await fx.participant(server.app, board, 'professional', 'Pim');
	facilitator = client(server, `board/${board.boardId}`, board.facilitator.cookie);
	privateWatch = client(server, `private/${board.boardId}/${person.id}`, board.facilitator.cookie);
	open.push(facilitator, privateWatch);
	await Promise.all(open.map((c) => c.synced()));
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await server.close();
});

let counter = 0;
const freshId = () => `prop-${++counter}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Sends, from a crafted copy of `watcher`'s document, the update `write` makes; resolves
 * `accepted` once `arrived` holds on the watcher, or `refused` with the close code.
 */
async function attempt(
	cookie: string,
	watcher: TestClient,
	write: (doc: Y.Doc) => void,
	arrived: (doc: Y.Doc) => boolean
): Promise<{ result: 'accepted' } | { result: 'refused'; code: number; reason: string }> {
	const room = watcher.provider.roomname;
	const socket = await raw(server, `/ws/${room}`, { origin: server.origin, cookie });
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(watcher.doc));
	const before = Y.encodeStateVector(copy);
	write(copy);
	socket.ws.send(updateMessage(Y.encodeStateAsUpdate(copy, before)));
	let done = false;
	const outcome = await Promise.race([
		socket.closed.then(({ code, reason }) => ({ result: 'refused' as const, code, reason })),
		eventually(async () => {
			if (done) return;
			expect(arrived(watcher.doc)).toBe(true);
		}, 10_000).then(() => ({ result: 'accepted' as const }))
	]);
	done = true;
	socket.ws.close();
	return outcome;
}

/** Judges one generated record: valid ones must arrive, invalid ones must be refused with 4403. */
async function check(
	{ fields, valid }: Attempt,
	cookie: string,
	watcher: TestClient,
	write: (doc: Y.Doc, fields: Fields) => void,
	arrived: (doc: Y.Doc) => boolean
): Promise<boolean> {
	const outcome = await attempt(cookie, watcher, (doc) => write(doc, fields), arrived);
	if (valid) return outcome.result === 'accepted';
	return outcome.result === 'refused' && outcome.code === 4403 && !arrived(watcher.doc);
}

/** A Y.Map record of `fields` set at `map[id]`. */
function putRecord(map: Y.Map<unknown>, id: string, fields: Fields): void {
	const record = new Y.Map<unknown>();
	map.set(id, record);
	for (const [key, value] of Object.entries(fields)) record.set(key, value);
}

// ---------------------------------------------------------------------------------------------
// Generators

const text = (max: number) => fc.string({ minLength: 1, maxLength: max });
const tooLong = (max: number) =>
	fc.integer({ min: max + 1, max: max + 400 }).map((n) => 'x'.repeat(n));
const strangeKey = fc.constantFrom('colour', 'html', 'score', '__proto__x', 'authorEmail');

/** Optional card fields that fit `kind`. */
function detailsFor(kind: CardKind): fc.Arbitrary<Fields> {
	const all: Record<string, fc.Arbitrary<unknown>> = {
		horizonYears: fc.integer({ min: LIMITS.horizonYearsMin, max: LIMITS.horizonYearsMax }),
		outcomeKind: fc.constantFrom(...OUTCOME_KINDS),
		owners: fc.string({ maxLength: 200 }),
		isNew: fc.boolean(),
		quality: fc.string({ maxLength: LIMITS.field }),
		measureKind: fc.constantFrom(...MEASURE_KINDS),
		instrument: fc.string({ maxLength: LIMITS.field }),
		baseline: fc.string({ maxLength: LIMITS.field }),
		target: fc.string({ maxLength: LIMITS.field }),
		moments: fc.string({ maxLength: LIMITS.field }),
		owner: fc.string({ maxLength: LIMITS.field })
	};
	const allowed = Object.fromEntries(KIND_FIELDS[kind].map((key) => [key, all[key]]));
	return fc.record(allowed, { requiredKeys: [] });
}

const validCard = (author: { id: string; name: string; perspective: string }) =>
	fc
		.constantFrom(...CARD_KINDS)
		.chain((kind) => fc.tuple(fc.constant(kind), text(LIMITS.cardText), fc.nat(), detailsFor(kind)))
		.map(([kind, body, createdAt, details]): Fields => ({
			step: stepOfKind(kind),
			kind,
			text: body,
			authorId: author.id,
			authorName: author.name,
			perspective: author.perspective,
			createdAt,
			order: 'a0',
			...details
		}));

/** One thing wrong with a valid card. */
const cardMistake: fc.Arbitrary<(card: Fields) => Fields> = fc.oneof(
	tooLong(LIMITS.cardText).map((t) => (c: Fields) => ({ ...c, text: t })),
	fc.integer().map((n) => (c: Fields) => ({ ...c, text: n })),
	fc.constantFrom('wish', 'Outcome', '').map((k) => (c: Fields) => ({ ...c, kind: k })),
	fc.constantFrom('burgemeester', 'GEMEENTE').map((p) => (c: Fields) => ({ ...c, perspective: p })),
	fc.constantFrom('step7', 'Ambition').map((s) => (c: Fields) => ({ ...c, step: s })),
	tuple2(strangeKey, fc.string()).map(([k, v]) => (c: Fields) => ({ ...c, [k]: v })),
	fc.constantFrom('Wethouder Jansen', 'Fleur').map((n) => (c: Fields) => ({ ...c, authorName: n })),
	fc.constant((c: Fields) => ({ ...c, coAuthors: 'De Burgemeester' })),
	fc.constant((c: Fields) => ({ ...c, mergedInto: 'some-other-card' })),
	fc
		.integer({ min: 11, max: 99 })
		.map((n) => (c: Fields) => ({ ...c, kind: 'outcome', step: 'outcomes', horizonYears: n })),
	fc.constant((c: Fields) => ({ ...c, kind: 'situation', step: 'ambition', horizonYears: 3 })),
	fc.constant((c: Fields) => ({ ...c, createdAt: 'gisteren' })),
	tooLong(LIMITS.field).map((t) => (c: Fields) => ({
		...c,
		kind: 'action',
		step: 'reflection',
		owner: t
	}))
);

function tuple2<A, B>(a: fc.Arbitrary<A>, b: fc.Arbitrary<B>) {
	return fc.tuple(a, b);
}

const withMistakes = (
	valid: fc.Arbitrary<Fields>,
	mistake: fc.Arbitrary<(fields: Fields) => Fields>
): fc.Arbitrary<Attempt> =>
	fc.oneof(
		valid.map((fields) => ({ fields, valid: true })),
		fc.tuple(valid, mistake).map(([fields, wrong]) => ({ fields: wrong(fields), valid: false }))
	);

const author = () => ({ id: person.id, name: person.name, perspective: person.perspective });
const cardsOf = (doc: Y.Doc) => doc.getMap('cards') as Y.Map<unknown>;

// ---------------------------------------------------------------------------------------------

describe('every record family: valid records pass and reach others, invalid ones are refused', () => {
	it('cards (participant)', async () => {
		await fc.assert(
			fc.asyncProperty(withMistakes(validCard(author()), cardMistake), async (card) => {
				const id = freshId();
				return check(
					card,
					person.cookie,
					facilitator,
					(doc, fields) => putRecord(cardsOf(doc), id, { id, ...fields }),
					(doc) => cardsOf(doc).has(id)
				);
			}),
			{ numRuns: RUNS }
		);
	});

	it('links and comments (participant)', async () => {
		const target = freshId();
		await attempt(
			person.cookie,
			facilitator,
			(doc) =>
				putRecord(cardsOf(doc), target, {
					id: target,
					step: 'outcomes',
					kind: 'outcome',
					text: 'doel',
					authorId: person.id,
					authorName: person.name,
					perspective: person.perspective,
					createdAt: 1,
					order: 'a0'
				}),
			(doc) => cardsOf(doc).has(target)
		);
		const validLink = fc
			.constantFrom(target)
			.map((to): Fields => ({ from: target, to, authorId: person.id }));
		const linkMistake = fc.oneof(
			fc.constant((l: Fields) => ({ ...l, from: 'x'.repeat(65) })),
			fc.constant((l: Fields) => ({ ...l, to: 'niet geldig!' })),
			fc.constant((l: Fields) => ({ ...l, authorId: 'p-someone-else' })),
			strangeKey.map((k) => (l: Fields) => ({ ...l, [k]: 'x' })),
			fc.constant((l: Fields) => ({ ...l, from: 42 }))
		);
		await fc.assert(
			fc.asyncProperty(withMistakes(validLink, linkMistake), async (link) => {
				const id = freshId();
				const links = (doc: Y.Doc) => doc.getMap('links') as Y.Map<unknown>;
				return check(
					link,
					person.cookie,
					facilitator,
					(doc, fields) => putRecord(links(doc), id, { id, ...fields }),
					(doc) => links(doc).has(id)
				);
			}),
			{ numRuns: RUNS }
		);
		const validComment = fc
			.tuple(text(LIMITS.commentText), fc.nat())
			.map(([body, createdAt]): Fields => ({
				cardId: target,
				text: body,
				authorId: person.id,
				authorName: person.name,
				createdAt
			}));
		const commentMistake = fc.oneof(
			tooLong(LIMITS.commentText).map((t) => (c: Fields) => ({ ...c, text: t })),
			fc.constant((c: Fields) => ({ ...c, authorName: 'De Burgemeester' })),
			fc.constant((c: Fields) => ({ ...c, createdAt: -1 })),
			fc.constant((c: Fields) => ({ ...c, text: true })),
			strangeKey.map((k) => (c: Fields) => ({ ...c, [k]: 1 }))
		);
		await fc.assert(
			fc.asyncProperty(withMistakes(validComment, commentMistake), async (comment) => {
				const id = freshId();
				const comments = (doc: Y.Doc) => doc.getMap('comments') as Y.Map<unknown>;
				return check(
					comment,
					person.cookie,
					facilitator,
					(doc, fields) => putRecord(comments(doc), id, { id, ...fields }),
					(doc) => comments(doc).has(id)
				);
			}),
			{ numRuns: RUNS }
		);
	});

	it('control and rounds (facilitator), meta (nobody)', async () => {
		const control = (doc: Y.Doc) => doc.getMap('control');
		const validControl: fc.Arbitrary<Fields> = fc.oneof(
			fc.constantFrom(...STEP_IDS).map((v) => ({ currentStep: v })),
			fc.boolean().map((v) => ({ follow: v })),
			fc.option(fc.nat()).map((v) => ({ timerEndsAt: v })),
			fc.option(fc.constantFrom('card-one', 'card-two')).map((v) => ({ spotlight: v }))
		);
		const controlMistake = fc.oneof(
			fc.constantFrom('step7', 'AMBITION').map(() => () => ({ currentStep: 'step7' })),
			fc.constant(() => ({ follow: 'yes' })),
			fc.constant(() => ({ timerEndsAt: -5 })),
			strangeKey.map((k) => () => ({ [k]: true })),
			fc.constant(() => ({ spotlight: 'x'.repeat(100) }))
		);
		await fc.assert(
			fc.asyncProperty(withMistakes(validControl, controlMistake), async (attemptFields) => {
				const [[key, value]] = Object.entries(attemptFields.fields);
				const marker = freshId();
				// The value itself may equal what is there: a marker round makes arrival visible.
				return check(
					attemptFields,
					board.facilitator.cookie,
					facilitator,
					(doc) => {
						control(doc).set(key, value);
						if (attemptFields.valid)
							(control(doc).get('agreed') as Y.Map<boolean>).set(marker, true);
					},
					(doc) =>
						attemptFields.valid
							? (control(doc).get('agreed') as Y.Map<boolean>).has(marker)
							: control(doc).get(key) === value && value !== undefined
				);
			}),
			{ numRuns: RUNS }
		);

		const validRound = fc
			.tuple(fc.constantFrom(...ROUND_STATUSES), fc.integer({ min: 1, max: 20 }), fc.nat())
			.map(([status, votesPerPerson, createdAt]): Fields => ({
				status,
				votesPerPerson,
				createdAt
			}));
		const roundMistake = fc.oneof(
			fc.constantFrom(0, 21, 2.5).map((n) => (r: Fields) => ({ ...r, votesPerPerson: n })),
			fc.constantFrom('paused', 'OPEN').map((s) => (r: Fields) => ({ ...r, status: s })),
			strangeKey.map((k) => (r: Fields) => ({ ...r, [k]: 1 }))
		);
		await fc.assert(
			fc.asyncProperty(withMistakes(validRound, roundMistake), async (round) => {
				const id = freshId();
				const rounds = (doc: Y.Doc) => control(doc).get('rounds') as Y.Map<unknown>;
				return check(
					round,
					board.facilitator.cookie,
					facilitator,
					(doc, fields) => putRecord(rounds(doc), id, { id, ...fields }),
					(doc) => rounds(doc).has(id)
				);
			}),
			{ numRuns: RUNS }
		);

		// meta and results are the server's: refused from every client, facilitators included.
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom<[string, (doc: Y.Doc) => void]>(
					['meta', (doc) => doc.getMap('meta').set('themeName', 'gekaapt')],
					[
						'results',
						(doc) => (control(doc).get('results') as Y.Map<unknown>).set('r1', new Y.Map())
					]
				),
				async ([, write]) => {
					const outcome = await attempt(board.facilitator.cookie, facilitator, write, () => false);
					return outcome.result === 'refused' && outcome.code === 4403;
				}
			),
			{ numRuns: 4 }
		);
	});

	it('the private document: drafts and ballots (participant)', async () => {
		// Every step private: drafts are allowed; one open round with the largest budget.
		facilitator.doc.transact(() => {
			const flags = facilitator.doc.getMap('control').get('privateSteps') as Y.Map<boolean>;
			for (const step of STEP_IDS) flags.set(step, true);
		});
		const roundId = openRound(facilitator.doc, { votesPerPerson: 20, now: 1 });
		await eventually(async () =>
			expect((facilitator.doc.getMap('control').get('rounds') as Y.Map<unknown>).has(roundId)).toBe(
				true
			)
		);
		const drafts = (doc: Y.Doc) => doc.getMap('drafts') as Y.Map<unknown>;
		await fc.assert(
			fc.asyncProperty(withMistakes(validCard(author()), cardMistake), async (draft) => {
				const id = freshId();
				return check(
					draft,
					person.cookie,
					privateWatch,
					(doc, fields) => putRecord(drafts(doc), id, { id, ...fields }),
					(doc) => drafts(doc).has(id)
				);
			}),
			{ numRuns: RUNS }
		);

		const validBallot = fc
			.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 })
			.map((votes): Fields => Object.fromEntries(votes.map((n, i) => [`card-${i}`, n])));
		const ballotMistake = fc.oneof(
			fc.constantFrom(2.5, -1, 'drie', 21).map((n) => (b: Fields) => ({ ...b, 'card-0': n })),
			fc.constant((b: Fields) => ({ ...b, 'card x!': 1 }))
		);
		let round = 0;
		await fc.assert(
			fc.asyncProperty(withMistakes(validBallot, ballotMistake), async (ballot) => {
				// Each ballot in a round of its own, so budgets never add up across runs.
				const id = openRound(facilitator.doc, { votesPerPerson: 20, now: 10 + ++round });
				await eventually(async () =>
					expect((facilitator.doc.getMap('control').get('rounds') as Y.Map<unknown>).has(id)).toBe(
						true
					)
				);
				const ballots = (doc: Y.Doc) => doc.getMap('ballots') as Y.Map<unknown>;
				return check(
					ballot,
					person.cookie,
					privateWatch,
					(doc, fields) => putRecord(ballots(doc), id, fields),
					(doc) => ballots(doc).has(id)
				);
			}),
			{ numRuns: RUNS }
		);
	});
});
