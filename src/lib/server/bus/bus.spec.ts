/**
 * The bus contract, on the in-process network and on a real Redis (tests/services/services.ts
 * starts redis-server on a free port): messages reach the other nodes that listen, never the
 * sender; an outage refuses publishing, and once the bus is back every node hears `onResume` with
 * its subscriptions in place.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../../../tests/services/services.ts';
import {
	BusUnavailableError,
	createMemoryBusNetwork,
	type Bus,
	type DocMessage,
	type EventMessage
} from './bus.ts';
import { createRedisBus } from './bus.redis.ts';

let redis: RedisServer;
beforeAll(async () => {
	redis = await startRedis();
}, 60_000);
afterAll(() => redis?.stop());

const open: Bus[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map((bus) => bus.close()));
});

interface Network {
	node(id: string): Promise<Bus>;
	/** An outage of the bus; resolves once it is down. */
	interrupt(): Promise<void>;
	/** Its end; resolves once the bus is back. */
	resume(): Promise<void>;
}

const memory = (): Network => {
	const network = createMemoryBusNetwork();
	return {
		node: async (id) => network.node(id),
		interrupt: async () => network.interrupt(),
		resume: async () => network.resume()
	};
};
const overRedis = (): Network => ({
	node: (id) => createRedisBus(redis.url, { nodeId: id, logError: () => {} }),
	interrupt: () => redis.halt({ crash: true }),
	resume: () => redis.resume()
});

const bytes = (...values: number[]) => new Uint8Array(values);

describe.each([
	['memory', memory],
	['redis', overRedis]
])('Bus (%s)', (_name, make) => {
	async function nodes(network: Network, ...ids: string[]) {
		const made = await Promise.all(ids.map((id) => network.node(id)));
		open.push(...made);
		return made;
	}
	function inbox(bus: Bus, docName: string) {
		const got: DocMessage[] = [];
		return { got, stop: bus.subscribeDoc(docName, (message) => got.push(message)) };
	}

	it('carries updates, presence and events to the other nodes that listen, never back to the sender', async () => {
		const network = make();
		const [a, b, c] = await nodes(network, 'node-a', 'node-b', 'node-c');
		const atA = inbox(a, 'board/t.1');
		const atB = inbox(b, 'board/t.1');
		const atC = inbox(c, 'board/other.1');
		const events: EventMessage[] = [];
		await Promise.all([atA.stop, atB.stop, atC.stop, b.subscribeEvents((e) => events.push(e))]);

		await a.publishDoc('update', 'board/t.1', bytes(1, 2, 3));
		await a.publishDoc('awareness', 'board/t.1', bytes(4));
		await a.publishEvent('participantRevoked', { participantId: 'p1', boardId: 't.1' });
		await b.publishDoc('update', 'board/t.1', bytes(5));
		await b.publishDoc('update', 'board/other.1', bytes(6));

		await expect.poll(() => atB.got.length).toBe(2);
		expect(atB.got).toEqual([
			{ kind: 'update', docName: 'board/t.1', data: bytes(1, 2, 3), from: 'node-a' },
			{ kind: 'awareness', docName: 'board/t.1', data: bytes(4), from: 'node-a' }
		]);
		await expect
			.poll(() => events)
			.toEqual([
				{
					name: 'participantRevoked',
					payload: { participantId: 'p1', boardId: 't.1' },
					from: 'node-a'
				}
			]);
		// A hears B's update, published after its own: its own never came back.
		await expect.poll(() => atA.got.map((m) => [m.from, [...m.data]])).toEqual([['node-b', [5]]]);
		// C listens only to the other board: it hears that, and nothing of board/t.1 (sent before).
		await expect.poll(() => atC.got.map((m) => m.docName)).toEqual(['board/other.1']);
	});

	it('stops delivering once a node stops listening', async () => {
		const network = make();
		const [a, b] = await nodes(network, 'node-a', 'node-b');
		const first = inbox(b, 'board/t.1');
		const stop = await first.stop;
		const second = inbox(b, 'board/t.2');
		await second.stop;
		await stop();
		await a.publishDoc('update', 'board/t.1', bytes(1));
		await a.publishDoc('update', 'board/t.2', bytes(2));
		await expect.poll(() => second.got.length).toBe(1);
		expect(first.got).toEqual([]);
	});

	it('refuses to publish during an outage, then resumes every node with its subscriptions', async () => {
		const network = make();
		const [a, b] = await nodes(network, 'node-a', 'node-b');
		const atB = inbox(b, 'board/t.1');
		await atB.stop;
		let resumedA = 0;
		let resumedB = 0;
		a.onResume(() => resumedA++);
		b.onResume(() => resumedB++);

		await a.ping();
		await network.interrupt();
		await expect(a.publishDoc('update', 'board/t.1', bytes(1))).rejects.toBeInstanceOf(
			BusUnavailableError
		);
		// The health endpoint asks `ping`: it says the same.
		await expect(a.ping()).rejects.toBeInstanceOf(BusUnavailableError);
		await network.resume();
		await expect.poll(() => [resumedA, resumedB], { timeout: 20_000 }).toEqual([1, 1]);

		// Publishing may need the publisher's own reconnection a moment longer than the subscriber's.
		await expect
			.poll(
				() =>
					a.publishDoc('update', 'board/t.1', bytes(2)).then(
						() => true,
						() => false
					),
				{ timeout: 20_000 }
			)
			.toBe(true);
		await a.ping();
		await expect.poll(() => atB.got.map((m) => [...m.data])).toEqual([[2]]);
	}, 60_000);
});
