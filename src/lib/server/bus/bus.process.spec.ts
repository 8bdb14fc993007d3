/**
 * The bus between the processes of one machine (bus.process.ts), with the hub and the nodes wired
 * by links that behave like Node's IPC channel: each message is a structured clone that arrives in
 * a later turn, in order. The forked processes themselves: tests/server/realtime-processes.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DocMessage, EventMessage } from './bus.ts';
import { createBusHub, createProcessBus, type Link } from './bus.process.ts';

/**
 * A channel with two ends; `sent` logs what the node end sent to the hub. `slowMs` delays what the
 * hub sends to the node (a busy process that reads its channel late).
 */
function channel(slowMs = 0) {
	const handlers = { node: new Set<(m: unknown) => void>(), hub: new Set<(m: unknown) => void>() };
	let open = true;
	const sent: unknown[] = [];
	const end = (to: 'node' | 'hub', log?: unknown[]): Link => ({
		send(message) {
			if (!open) throw new Error('channel closed');
			log?.push(message);
			const copy = structuredClone(message);
			const deliver = () => {
				for (const handler of handlers[to]) handler(copy);
			};
			if (to === 'node' && slowMs > 0) setTimeout(deliver, slowMs);
			else setImmediate(deliver);
		},
		onMessage(handler) {
			const mine = to === 'node' ? handlers.hub : handlers.node;
			mine.add(handler);
			return () => void mine.delete(handler);
		},
		connected: () => open
	});
	return { node: end('hub', sent), hub: end('node'), sent, close: () => (open = false) };
}

function machine(count: number, slowMs: number[] = []) {
	const hub = createBusHub();
	const channels = Array.from({ length: count }, (_, i) => channel(slowMs[i]));
	for (const c of channels) hub.attach(c.hub);
	const buses = channels.map((c, i) => createProcessBus(`proces-${i}`, c.node));
	return { hub, channels, buses };
}

const bytes = (...values: number[]) => new Uint8Array(values);
const published = (sent: unknown[]) =>
	sent.filter((m) => (m as { kompasBus: string }).kompasBus === 'pub').length;

describe('process bus', () => {
	it('carries updates and events to the other processes that listen, never back to the sender', async () => {
		const { buses } = machine(3);
		const [a, b, c] = buses;
		const atB: DocMessage[] = [];
		const atC: DocMessage[] = [];
		const events: EventMessage[] = [];
		await b.subscribeDoc('board/t.1', (m) => atB.push(m));
		await c.subscribeDoc('board/other.1', (m) => atC.push(m));
		await b.subscribeEvents((e) => events.push(e));
		await a.subscribeDoc('board/t.1', () => {});

		await a.publishDoc('update', 'board/t.1', bytes(1, 2));
		await a.publishDoc('awareness', 'board/t.1', bytes(3));
		await a.publishEvent('participantRevoked', { participantId: 'p1', boardId: 't.1' });
		await expect.poll(() => atB.length).toBe(2);
		expect(atB).toEqual([
			{ kind: 'update', docName: 'board/t.1', data: bytes(1, 2), from: 'proces-0' },
			{ kind: 'awareness', docName: 'board/t.1', data: bytes(3), from: 'proces-0' }
		]);
		await expect
			.poll(() => events)
			.toEqual([
				{
					name: 'participantRevoked',
					payload: { participantId: 'p1', boardId: 't.1' },
					from: 'proces-0'
				}
			]);
		expect(atC).toEqual([]);
	});

	it('sends nothing to the primary for a board nobody else holds', async () => {
		const { buses, channels } = machine(2);
		const [a] = buses;
		await a.subscribeDoc('board/t.1', () => {});
		for (let i = 0; i < 50; i++) await a.publishDoc('update', 'board/t.1', bytes(i));
		expect(published(channels[0].sent)).toBe(0);
	});

	it('delivers what is published as soon as a subscription has resolved, and stops after it ends', async () => {
		// A reads its channel 15 ms late: B's subscription must wait until A knows about it.
		const { buses, channels } = machine(2, [15]);
		const [a, b] = buses;
		const atB: DocMessage[] = [];
		// A publishes in every turn while B subscribes: whatever A publishes after B's subscription
		// resolved must reach B (B reads the store after subscribing, rooms.ts load).
		let n = 0;
		let stop = false;
		const sentAfter: number[] = [];
		let subscribed = false;
		const pump = (async () => {
			while (!stop) {
				const value = ++n % 250;
				if (subscribed) sentAfter.push(value);
				await a.publishDoc('update', 'board/t.1', bytes(value));
				await new Promise((resolve) => setImmediate(resolve));
			}
		})();
		await new Promise((resolve) => setTimeout(resolve, 5));
		const unsubscribe = await b.subscribeDoc('board/t.1', (m) => atB.push(m));
		subscribed = true;
		await new Promise((resolve) => setTimeout(resolve, 20));
		stop = true;
		await pump;
		expect(sentAfter.length).toBeGreaterThan(0);
		await expect.poll(() => atB.at(-1)?.data[0]).toBe(sentAfter.at(-1));
		const got = atB.map((m) => m.data[0]);
		expect(got.slice(-sentAfter.length)).toEqual(sentAfter);

		// Once B stops listening, A stops sending.
		await unsubscribe();
		await new Promise((resolve) => setTimeout(resolve, 30));
		const before = published(channels[0].sent);
		await a.publishDoc('update', 'board/t.1', bytes(9));
		expect(published(channels[0].sent)).toBe(before);
	});

	it('forgets a process that is gone, and refuses to publish once the channel is closed', async () => {
		const { hub, buses, channels } = machine(2);
		const [a, b] = buses;
		await b.subscribeDoc('board/t.1', () => {});
		expect(hub.topics()).toEqual([[], ['board/t.1']]);
		hub.detach(channels[1].hub);
		expect(hub.topics()).toEqual([[]]);
		await new Promise((resolve) => setTimeout(resolve, 5));
		const before = published(channels[0].sent);
		await a.publishDoc('update', 'board/t.1', bytes(1));
		expect(published(channels[0].sent)).toBe(before);

		channels[0].close();
		await expect(a.publishDoc('update', 'board/t.1', bytes(2))).rejects.toThrow(/closed/);
		await expect(a.ping()).rejects.toThrow(/closed/);
	});
});
