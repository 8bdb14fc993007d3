/**
 * Two Kompas nodes that serve one board (issue 12 items 3 and 4): two realtime servers with their own
 * AppContext on one database (one SQLite file, or one PostgreSQL database: helpers/backends.ts) and
 * one real redis-server as the bus. Stock
 * y-websocket clients are spread over both nodes. Faults: Redis halted while everyone writes, a
 * node killed with SIGKILL (a spawned process behind a small load balancer), two nodes compacting
 * one document.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { createRedisBus } from '../../src/lib/server/bus/bus.redis.ts';
import { startRedis, type RedisServer } from '../services/services.ts';
import { startServer } from './helpers/start-server.ts';
import { spawnServer } from './helpers/spawn.ts';
import * as fx from './helpers/fixtures.ts';
import { client, eventually, raw, updateMessage, type TestClient } from './helpers/clients.ts';
import type { AppContext } from '../../src/lib/server/context.ts';
import {
	freshStorage,
	openApp,
	SERVER_BACKENDS,
	type Backend,
	type Storage
} from './helpers/backends.ts';

let redis: RedisServer;
beforeAll(async () => {
	redis = await startRedis();
}, 60_000);
afterAll(() => redis?.stop());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A node: a realtime server with its own AppContext and its own Redis bus. */
async function node(storage: Storage, name: string, options: { compactAfter?: number } = {}) {
	const bus = await createRedisBus(redis.url, { nodeId: name, logError: () => {} });
	const server = await startServer({ storage, bus, ...options });
	cleanups.push(async () => {
		await server.close();
		await bus.close();
	});
	return server;
}

/** Two nodes on one database (helpers/backends.ts; default SQLite) and the run's Redis. */
async function twoNodes(options: { compactAfter?: number; backend?: Backend } = {}) {
	const { backend = 'sqlite', ...rest } = options;
	const storage = await freshStorage(backend);
	const a = await node(storage, 'a', rest);
	const b = await node(storage, 'b', rest);
	const board = await fx.board(a.app);
	return { a, b, board, room: `board/${board.boardId}` };
}

function connectTo(server: { wsUrl: string; origin: string }, room: string, cookie: string) {
	const c = client(server, room, cookie);
	cleanups.push(() => c.destroy());
	return c;
}

const cards = (c: TestClient) => c.doc.getMap('cards') as Y.Map<Y.Map<unknown>>;
const addCard = (c: TestClient, id: string, text = id) =>
	cards(c).set(id, new Y.Map<unknown>([['text', text]]));

/** The document as stored, read through `app`'s own connection. */
async function stored(app: AppContext, docName: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await app.updates.load(docName)).updates) Y.applyUpdate(doc, update);
	return doc;
}

/**
 * How many times `key` of `map` was written (the current item and every overwritten one: Yjs
 * keeps them in a chain). Two nodes stamping one change would write it twice.
 */
function writesOf(map: Y.Map<Y.Map<unknown>> | Y.Map<unknown>, key: string): number {
	let count = 0;
	for (let item = map._map.get(key) ?? null; item; item = item.left as typeof item) count++;
	return count;
}

// What PostgreSQL changes for two nodes (identity, session state and client owners read from it,
// migrations, the update log) runs on every backend; the rest of the bus on SQLite.
describe.each(SERVER_BACKENDS)('two nodes, one board (%s)', (backend) => {
	it('clients on both nodes converge on the board and on private documents', async () => {
		const { a, b, board, room } = await twoNodes({ backend });
		const second = await fx.member(a.app, board, 'facilitator');
		const alice = await fx.participant(a.app, board, 'inwoner');
		const onA = connectTo(a, room, board.facilitator.cookie);
		const onB = connectTo(b, room, second.cookie);
		const aliceOnB = connectTo(b, room, alice.cookie);
		await Promise.all([onA, onB, aliceOnB].map((c) => c.synced()));
		for (let i = 0; i < 10; i++) {
			addCard(onA, `a${i}`);
			addCard(onB, `b${i}`);
		}
		await eventually(() => {
			for (const c of [onA, onB, aliceOnB]) expect(cards(c).size).toBe(20);
		});

		// Alice's private document: she writes on node B, the facilitator reads it on node A.
		onA.doc.getMap('control').set('privateSteps', new Y.Map<boolean>([['ambition', true]]));
		await eventually(() =>
			expect(aliceOnB.doc.getMap('control').get('privateSteps')).toBeInstanceOf(Y.Map)
		);
		const privateRoom = `private/${board.boardId}/${alice.id}`;
		const alicePrivate = connectTo(b, privateRoom, alice.cookie);
		const facOnAlice = connectTo(a, privateRoom, board.facilitator.cookie);
		await Promise.all([alicePrivate, facOnAlice].map((c) => c.synced()));
		alicePrivate.doc.getMap('drafts').set(
			'draft-1',
			new Y.Map<unknown>(
				Object.entries({
					id: 'draft-1',
					step: 'ambition',
					kind: 'ambition',
					text: 'idee van Alice',
					authorId: alice.id,
					authorName: alice.name,
					perspective: 'inwoner'
				})
			)
		);
		await eventually(() =>
			expect((facOnAlice.doc.getMap('drafts').get('draft-1') as Y.Map<unknown>)?.get('text')).toBe(
				'idee van Alice'
			)
		);

		// The reveal runs once, on the node that accepted the facilitator's change (A), and reaches
		// everyone on both nodes.
		onA.doc.getMap('control').delete('privateSteps');
		await eventually(() => {
			for (const c of [onA, onB, aliceOnB])
				expect(cards(c).get('draft-1')?.get('text')).toBe('idee van Alice');
			expect(alicePrivate.doc.getMap('drafts').size).toBe(0);
		});
		await a.realtime.settled();
		await b.realtime.settled();
		expect(writesOf(cards(aliceOnB), 'draft-1')).toBe(1);
	});

	it("a write refused on node B never reaches node A's clients", async () => {
		const { a, b, board, room } = await twoNodes({ backend });
		const second = await fx.member(a.app, board, 'facilitator');
		const bob = await fx.participant(a.app, board, 'aanbieder');
		// Every frame a client on node A receives.
		const watcher = await raw(a, `/ws/${room}`, {
			cookie: board.facilitator.cookie,
			origin: a.origin
		});
		cleanups.push(() => watcher.ws.terminate());
		const writerOnB = connectTo(b, room, second.cookie);
		await writerOnB.synced();

		const crafted = await raw(b, `/ws/${room}`, { cookie: bob.cookie, origin: b.origin });
		const forged = new Y.Doc();
		forged.getMap('meta').set('title', 'VERBODEN-1');
		const card = new Y.Map<unknown>([
			['text', 'VERBODEN-2'],
			['authorId', 'iemand-anders']
		]);
		forged.getMap('cards').set('forged', card);
		crafted.ws.send(updateMessage(Y.encodeStateAsUpdate(forged)));
		expect((await crafted.closed).code).toBe(4403);

		// A write after it on node B that does reach node A: whatever B forwarded came before it.
		addCard(writerOnB, 'after', 'NA-DE-WEIGERING');
		const text = () => watcher.messages.map((m) => Buffer.from(m).toString('latin1')).join('');
		// A hang guard: on PostgreSQL under a busy machine the store and the bus take seconds.
		await eventually(() => expect(text()).toContain('NA-DE-WEIGERING'), 15_000);
		expect(text()).not.toContain('VERBODEN');
		expect((await stored(a.app, room)).getMap('cards').has('forged')).toBe(false);
	});

	it('a Yjs client id bound on node A is refused to someone else on node B', async () => {
		const { a, b, board, room } = await twoNodes({ backend });
		const mallory = await fx.member(a.app, board, 'facilitator');
		// Node B holds the board before Ann ever writes: its own bindings do not know her id.
		const onB = connectTo(b, room, mallory.cookie);
		await onB.synced();
		const onA = connectTo(a, room, board.facilitator.cookie);
		await onA.synced();
		addCard(onA, 'van-ann');
		await eventually(() => expect(cards(onB).has('van-ann')).toBe(true));
		// A crafted copy that goes on under Ann's client id, sent to node B.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(onA.doc));
		copy.clientID = onA.doc.clientID;
		const attack = await raw(b, `/ws/${room}`, { cookie: mallory.cookie, origin: b.origin });
		copy.on('update', (update: Uint8Array) => attack.ws.send(updateMessage(update)));
		copy.getMap('cards').set('onder-andermans-id', new Y.Map<unknown>([['text', 'nep']]));
		const { code, reason } = await attack.closed;
		expect(code).toBe(4403);
		expect(reason).toContain('client id');
		expect(cards(onA).has('onder-andermans-id')).toBe(false);
	});

	it('two nodes starting at once on a fresh data directory migrate it once and both serve', async () => {
		const storage = await freshStorage(backend);
		const env = { ...storage.env, KOMPAS_REDIS_URL: redis.url };
		const nodes = await Promise.all([
			spawnServer(storage.dataDir, 0, env),
			spawnServer(storage.dataDir, 0, env)
		]);
		cleanups.push(() => nodes.forEach((n) => n.child.kill('SIGKILL')));
		const app = await openApp(storage);
		cleanups.push(() => app.close());
		const board = await fx.board(app);
		const room = `board/${board.boardId}`;
		const [one, two] = nodes.map((n) => {
			const server = { wsUrl: `ws://127.0.0.1:${n.port}/ws`, origin: `http://127.0.0.1:${n.port}` };
			return connectTo(server, room, board.facilitator.cookie);
		});
		await Promise.all([one, two].map((c) => c.synced()));
		addCard(one, 'via-een');
		await eventually(() => expect(cards(two).has('via-een')).toBe(true));
	});
});

describe('two nodes, one board', () => {
	it("the server's clock stamps a change once, on the node that accepted it", async () => {
		const { a, b, board, room } = await twoNodes();
		const second = await fx.member(a.app, board, 'facilitator');
		const onA = connectTo(a, room, board.facilitator.cookie);
		const onB = connectTo(b, room, second.cookie);
		await Promise.all([onA, onB].map((c) => c.synced()));
		addCard(onB, 'stamped');
		addCard(onA, 'stamped-too');
		await eventually(() => {
			for (const c of [onA, onB])
				for (const id of ['stamped', 'stamped-too'])
					expect(typeof cards(c).get(id)?.get('changedAt')).toBe('number');
		});
		// Both stamps arrived; nothing more may come (a second node's stamps would follow as quickly).
		addCard(onB, 'marker');
		await eventually(() =>
			expect(typeof cards(onA).get('marker')?.get('changedAt')).toBe('number')
		);
		for (const c of [onA, onB])
			for (const id of ['stamped', 'stamped-too']) {
				expect(writesOf(cards(c).get(id)!, 'addedAt')).toBe(1);
				expect(writesOf(cards(c).get(id)!, 'changedAt')).toBe(1);
			}
	});

	it('a voting round revealed on node A is tallied once, with the ballots cast on node B', async () => {
		const { a, b, board, room } = await twoNodes();
		const second = await fx.member(a.app, board, 'facilitator');
		const onA = connectTo(a, room, board.facilitator.cookie);
		const onB = connectTo(b, room, second.cookie);
		await Promise.all([onA, onB].map((c) => c.synced()));
		onA.doc.transact(() => {
			const rounds = new Y.Map<Y.Map<unknown>>();
			rounds.set(
				'round-1',
				new Y.Map<unknown>(
					Object.entries({ id: 'round-1', status: 'open', votesPerPerson: 3, createdAt: 1 })
				)
			);
			onA.doc.getMap('control').set('rounds', rounds);
		});
		const voter = await fx.participant(a.app, board, 'gemeente');
		const ballot = connectTo(b, `private/${board.boardId}/${voter.id}`, voter.cookie);
		await ballot.synced();
		await eventually(() => expect(onB.doc.getMap('control').get('rounds')).toBeInstanceOf(Y.Map));
		ballot.doc.getMap('ballots').set('round-1', new Y.Map<number>([['card-a', 2]]));
		await eventually(async () => {
			const stored = await a.app.updates.load(`private/${board.boardId}/${voter.id}`);
			expect(stored.updates.length).toBeGreaterThan(0);
		});
		const results = (c: TestClient) => c.doc.getMap('control').get('results') as Y.Map<unknown>;
		const round = (onA.doc.getMap('control').get('rounds') as Y.Map<Y.Map<unknown>>).get('round-1');
		round?.set('status', 'revealed');
		await eventually(() => {
			for (const c of [onA, onB])
				expect((results(c)?.get('round-1') as Y.Map<unknown>)?.toJSON()).toEqual({
					'card-a': { gemeente: 2 }
				});
		});
		await Promise.all([a.realtime.settled(), b.realtime.settled()]);
		// Both nodes' work has landed: node B did not tally it a second time.
		addCard(onB, 'marker');
		await eventually(() => expect(cards(onA).has('marker')).toBe(true));
		expect(writesOf(results(onA), 'round-1')).toBe(1);
	});

	it('presence crosses nodes with the names the server knows, and leaves with the socket', async () => {
		const { a, b, board, room } = await twoNodes();
		const [ann, cas, ben, dirk] = await Promise.all(
			[1, 2, 3, 4].map(() => fx.participant(a.app, board))
		);
		// What each client shows of the others (its own state is what it set itself).
		const names = (c: TestClient) =>
			[...c.provider.awareness.getStates()]
				.filter(([id]) => id !== c.doc.clientID)
				.map(([, s]) => String(s.name))
				.sort();
		const annOnA = connectTo(a, room, ann.cookie);
		const casOnA = connectTo(a, room, cas.cookie);
		await Promise.all([annOnA, casOnA].map((c) => c.synced()));
		annOnA.provider.awareness.setLocalState({ name: 'nep', step: 'ambition' });
		// Node A has sent (and published) Ann's state before node B holds the board.
		await eventually(() => expect(names(casOnA)).toEqual([ann.name]));
		// Ben and Dirk arrive on node B: they see Ann at once (not after her renewal, 15 s later).
		const benOnB = connectTo(b, room, ben.cookie);
		const dirkOnB = connectTo(b, room, dirk.cookie);
		await Promise.all([benOnB, dirkOnB].map((c) => c.synced()));
		benOnB.provider.awareness.setLocalState({ name: 'ook nep' });
		await eventually(() => {
			expect(names(annOnA)).toEqual([ben.name]);
			expect(names(benOnB)).toEqual([ann.name]);
			expect(names(dirkOnB)).toEqual([ann.name, ben.name].sort());
		});
		// The stock clients echo what they receive: nobody is refused, renamed or taken over for it.
		annOnA.provider.awareness.setLocalState({ name: 'nep', step: 'outcomes' });
		await eventually(() =>
			expect(benOnB.provider.awareness.getStates().get(annOnA.doc.clientID)?.step).toBe('outcomes')
		);
		for (const c of [annOnA, casOnA, benOnB, dirkOnB]) expect(c.closes).toEqual([]);

		// Ben leaves node B: he is gone everywhere, and only he (his socket echoed Ann's state).
		benOnB.destroy();
		await eventually(() => {
			expect(names(casOnA)).toEqual([ann.name]);
			expect(names(dirkOnB)).toEqual([ann.name]);
		});
		annOnA.destroy();
		await eventually(() => expect(names(dirkOnB)).toEqual([]));
	});

	it('nobody on node B speaks for someone on node A: not by echoing, not with a newer clock', async () => {
		const { a, b, board, room } = await twoNodes();
		const [ann, cas, mallory, dirk] = await Promise.all(
			[1, 2, 3, 4].map(() => fx.participant(a.app, board))
		);
		const annOnA = connectTo(a, room, ann.cookie);
		const casOnA = connectTo(a, room, cas.cookie);
		const dirkOnB = connectTo(b, room, dirk.cookie);
		await Promise.all([annOnA, casOnA, dirkOnB].map((c) => c.synced()));
		annOnA.provider.awareness.setLocalState({ name: 'Ann', step: 'ambition' });
		const annAs = (c: TestClient) => c.provider.awareness.getStates().get(annOnA.doc.clientID);
		await eventually(() => expect(annAs(dirkOnB)?.name).toBe(ann.name));
		const clock = annOnA.provider.awareness.meta.get(annOnA.doc.clientID)!.clock;
		// Mallory's crafted socket on node B names Ann's awareness id: her clock, then a newer one.
		const crafted = await raw(b, `/ws/${room}`, { cookie: mallory.cookie, origin: b.origin });
		for (const next of [clock, clock + 5]) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 1);
			const body = encoding.createEncoder();
			encoding.writeVarUint(body, 1);
			encoding.writeVarUint(body, annOnA.doc.clientID);
			encoding.writeVarUint(body, next);
			encoding.writeVarString(body, JSON.stringify({ name: 'Ann', step: 'vals' }));
			encoding.writeVarUint8Array(encoder, encoding.toUint8Array(body));
			crafted.ws.send(encoding.toUint8Array(encoder));
		}
		// A marker after it: Dirk's own presence change passes node B after Mallory's messages.
		dirkOnB.provider.awareness.setLocalState({ name: 'Dirk', step: 'marker' });
		await eventually(() =>
			expect(casOnA.provider.awareness.getStates().get(dirkOnB.doc.clientID)?.step).toBe('marker')
		);
		crafted.ws.close();
		await crafted.closed;
		// Mallory's socket is gone: Ann is still there, as herself, on both nodes.
		dirkOnB.provider.awareness.setLocalState({ name: 'Dirk', step: 'after' });
		await eventually(() =>
			expect(casOnA.provider.awareness.getStates().get(dirkOnB.doc.clientID)?.step).toBe('after')
		);
		for (const c of [casOnA, dirkOnB]) {
			expect(annAs(c)?.name).toBe(ann.name);
			expect(annAs(c)?.step).toBe('ambition');
		}
		// Dirk's stock client echoed Ann's state to node B too: his leaving takes only him away.
		dirkOnB.destroy();
		await eventually(() =>
			expect(casOnA.provider.awareness.getStates().has(dirkOnB.doc.clientID)).toBe(false)
		);
		expect(annAs(casOnA)?.name).toBe(ann.name);
	});

	it('Redis halted while clients on both nodes write: after it is back all converge, nothing lost', async () => {
		const { a, b, board, room } = await twoNodes();
		const second = await fx.member(a.app, board, 'facilitator');
		const onA = connectTo(a, room, board.facilitator.cookie);
		const onB = connectTo(b, room, second.cookie);
		await Promise.all([onA, onB].map((c) => c.synced()));
		addCard(onA, 'before');
		await eventually(() => expect(cards(onB).has('before')).toBe(true));

		await redis.halt();
		for (let i = 0; i < 10; i++) {
			addCard(onA, `a${i}`);
			addCard(onB, `b${i}`);
		}
		// Each node stored its own clients' writes; the other node's clients do not have them yet.
		await eventually(async () => {
			const storedCards = (await stored(a.app, room)).getMap('cards');
			expect(storedCards.size).toBe(21);
		});
		expect(cards(onA).has('b0')).toBe(false);

		await redis.resume();
		await eventually(() => {
			expect(cards(onA).size).toBe(21);
			expect(cards(onB).size).toBe(21);
		}, 15_000);
		// And the bus carries new writes again.
		addCard(onB, 'after');
		await eventually(() => expect(cards(onA).has('after')).toBe(true), 10_000);
	}, 40_000);

	it('a row another node stored is in the snapshot, whatever this node holds', async () => {
		const { a, b, board, room } = await twoNodes({ compactAfter: 5 });
		const onA = connectTo(a, room, board.facilitator.cookie);
		await onA.synced();
		// Node B stores an update node A never received (its bus message lost).
		const elsewhere = new Y.Doc();
		Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(onA.doc));
		elsewhere.getMap('cards').set('from-b', new Y.Map<unknown>([['text', 'van B']]));
		await b.app.updates.append(
			room,
			Y.encodeStateAsUpdate(elsewhere, Y.encodeStateVector(onA.doc))
		);
		expect(cards(onA).has('from-b')).toBe(false);
		// Node A compacts (after 5 rows of its own), then unloads and compacts again.
		for (let i = 0; i < 12; i++) addCard(onA, `a${i}`);
		await eventually(async () => {
			const rows = (await a.app.updates.load(room)).updates.length;
			expect(rows).toBeLessThan(10);
		});
		onA.destroy();
		await eventually(() => expect(a.realtime.stats().rooms).toEqual([]));
		const doc = await stored(b.app, room);
		expect(doc.getMap('cards').has('from-b')).toBe(true);
		expect(doc.getMap('cards').size).toBe(13);
	});

	it('two nodes writing and compacting one document at once lose no row', async () => {
		const { a, b, board, room } = await twoNodes({ compactAfter: 4 });
		const second = await fx.member(a.app, board, 'facilitator');
		const onA = connectTo(a, room, board.facilitator.cookie);
		const onB = connectTo(b, room, second.cookie);
		await Promise.all([onA, onB].map((c) => c.synced()));
		for (let i = 0; i < 60; i++) {
			addCard(onA, `a${i}`);
			addCard(onB, `b${i}`);
			if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
		}
		await eventually(() => {
			expect(cards(onA).size).toBe(120);
			expect(cards(onB).size).toBe(120);
		}, 15_000);
		onA.destroy();
		onB.destroy();
		await eventually(() => {
			expect(a.realtime.stats().rooms).toEqual([]);
			expect(b.realtime.stats().rooms).toEqual([]);
		});
		const doc = await stored(a.app, room);
		expect(doc.getMap('cards').size).toBe(120);
		expect((await a.app.updates.load(room)).updates.length).toBeLessThanOrEqual(2);
	}, 30_000);
});

/** A TCP load balancer in front of the nodes: new connections go to `target`. */
async function balancer(initial: number) {
	let target = initial;
	const sockets = new Set<Socket>();
	const server: Server = createServer((incoming) => {
		const outgoing = connect(target, '127.0.0.1');
		sockets.add(incoming).add(outgoing);
		const drop = () => {
			incoming.destroy();
			outgoing.destroy();
			sockets.delete(incoming);
			sockets.delete(outgoing);
		};
		incoming.on('error', drop).on('close', drop);
		outgoing.on('error', drop).on('close', drop);
		incoming.pipe(outgoing).pipe(incoming);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		port,
		origin: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/ws`,
		/** Sends new connections to another node. */
		switchTo(next: number) {
			target = next;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			})
	};
}

describe.each(SERVER_BACKENDS)('a node killed with SIGKILL (%s)', (backend) => {
	it('its clients reconnect to the other node and lose nothing any client had seen', async () => {
		const storage = await freshStorage(backend);
		const a = await node(storage, 'a');
		const board = await fx.board(a.app);
		const room = `board/${board.boardId}`;
		const killed = await spawnServer(storage.dataDir, 0, {
			...storage.env,
			KOMPAS_REDIS_URL: redis.url
		});
		cleanups.push(() => killed.child.kill('SIGKILL'));
		const lb = await balancer(killed.port);
		cleanups.push(() => lb.close());

		const second = await fx.member(a.app, board, 'facilitator');
		const watcher = connectTo(a, room, board.facilitator.cookie);
		const stays = connectTo(lb, room, second.cookie);
		const gone = connectTo(lb, room, second.cookie);
		await Promise.all([watcher, stays, gone].map((c) => c.synced()));

		// `gone` writes through the node that dies; its device is lost with it.
		for (let i = 0; i < 30; i++) addCard(gone, `g${i}`);
		await eventually(() => expect(cards(watcher).size).toBeGreaterThan(0));
		lb.switchTo(a.port);
		killed.child.kill('SIGKILL');
		const seen = new Set([...cards(watcher).keys(), ...cards(stays).keys()]);
		gone.destroy();
		await killed.exited;

		// The other client reconnects through the balancer to node A and writes on.
		addCard(stays, 'na-de-crash');
		await eventually(() => expect(cards(watcher).has('na-de-crash')).toBe(true), 15_000);
		const fresh = connectTo(a, room, board.facilitator.cookie);
		await fresh.synced();
		for (const id of seen) expect(cards(fresh).has(id), id).toBe(true);
		expect(cards(fresh).has('na-de-crash')).toBe(true);
		expect(seen.size).toBeGreaterThan(0);
	}, 40_000);
});
