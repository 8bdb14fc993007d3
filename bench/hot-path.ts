/**
 * `npx tsx bench/hot-path.ts`: the server's cost per accepted update, in µs, without sockets: a
 * participant's card text edit on a board of 300 cards, (a) bare (apply + encode, what a relay does)
 * and (b) Kompas's path (read changes, judge: schema, write rules, quotas; then apply + encode).
 * Interleaved rounds, median; CPU-bound, so load on the machine shows as noise, not as a bias.
 */
import * as Y from 'yjs';
import { addCard, updateCard } from '../src/lib/board/schema/index.ts';
import { authorizeUpdate } from '../server/realtime/authorize.ts';
import { quotaProblem } from '../server/realtime/quotas.ts';
import { encodeUpdate } from '../server/realtime/protocol.ts';
import { DEFAULT_LIMITS } from '../server/realtime/types.ts';
import { readChanges } from '../server/realtime/changes.ts';
import { judgeChanges } from '../src/lib/board/schema/index.ts';
import { median } from './shared.ts';

const author = { id: 'p1', name: 'Deelnemer', perspective: 'inwoner' as const };
const N = 2000;

/** A board with 300 cards of others and the participant's own card, and N edits of it. */
function setup() {
	const seed = new Y.Doc();
	for (let i = 0; i < 300; i++)
		addCard(seed, {
			kind: 'outcome',
			text: `Kaart ${i}: jongeren vinden sneller passende hulp`,
			author: { id: `other${i}`, name: `Ander ${i}`, perspective: 'gemeente' }
		});
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(seed));
	const start = Y.encodeStateAsUpdate(seed);
	const updates: Uint8Array[] = [];
	const record = (update: Uint8Array) => updates.push(update);
	const cardId = addCard(client, { kind: 'outcome', text: 'Mijn kaart', author });
	const first = Y.encodeStateAsUpdate(client, Y.encodeStateVector(seed));
	client.on('update', record);
	for (let i = 0; i < N; i++) updateCard(client, cardId, { text: `bench|p1|${i}|${i * 1.5}` });
	client.off('update', record);
	return { start, first, updates };
}

const { start, first, updates } = setup();

function fresh(): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, start);
	Y.applyUpdate(doc, first);
	return doc;
}

function bare(): number {
	const doc = fresh();
	let sink = 0;
	doc.on('update', (u: Uint8Array) => (sink += encodeUpdate(u).byteLength));
	const t = performance.now();
	for (const update of updates) Y.applyUpdate(doc, update);
	return ((performance.now() - t) * 1000) / updates.length + sink * 0;
}

function kompas(parts: 'read' | 'judge' | 'all'): number {
	const doc = fresh();
	let sink = 0;
	doc.on('update', (u: Uint8Array) => (sink += encodeUpdate(u).byteLength));
	const ctx = {
		role: 'participant' as const,
		actorId: author.id,
		name: author.name,
		perspective: author.perspective,
		room: 'board' as const,
		target: doc,
		board: doc
	};
	const t = performance.now();
	for (const update of updates) {
		if (parts === 'read') {
			if (!readChanges(doc, update).ok) throw new Error('refused');
		} else if (parts === 'judge') {
			const read = readChanges(doc, update);
			if (!read.ok) throw new Error('refused');
			const j = judgeChanges('board', doc, read.changes, {
				role: 'participant',
				byline: { authorId: author.id, authorName: author.name, perspective: author.perspective }
			});
			if (!j.ok) throw new Error(j.problem);
		} else {
			const verdict = authorizeUpdate(ctx, update);
			if (!verdict.ok) throw new Error(verdict.reason);
			const problem = quotaProblem(doc, author.id, verdict.records, verdict.written, {
				...DEFAULT_LIMITS,
				textPerMinute: 1e9
			});
			if (problem) throw new Error(problem);
		}
		Y.applyUpdate(doc, update);
	}
	return ((performance.now() - t) * 1000) / updates.length + sink * 0;
}

// `--only-kompas`: just Kompas's path, many times (for `node --cpu-prof`).
if (process.argv.includes('--only-kompas')) {
	for (let i = 0; i < 20; i++) kompas('all');
	process.exit(0);
}
const runs: Record<string, number[]> = { bare: [], read: [], judge: [], all: [] };
for (let round = 0; round < 7; round++) {
	runs.bare.push(bare());
	runs.read.push(kompas('read'));
	runs.judge.push(kompas('judge'));
	runs.all.push(kompas('all'));
}
console.log('µs per card edit (median of 7 rounds of 2,000 edits):');
console.log(`  bare relay (apply + encode):                 ${median(runs.bare).toFixed(1)}`);
console.log(`  + read changes:                              ${median(runs.read).toFixed(1)}`);
console.log(`  + schema judgement (judgeChanges):           ${median(runs.judge).toFixed(1)}`);
console.log(`  Kompas (authorizeUpdate + quotas + apply):   ${median(runs.all).toFixed(1)}`);
