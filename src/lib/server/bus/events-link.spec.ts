import { describe, expect, it } from 'vitest';
import { createEvents, type EventOrigin } from '../events.ts';
import { createMemoryBusNetwork } from './bus.ts';
import { linkEvents } from './events-link.ts';

/** Three nodes on one in-process network, each with its own app events linked to its bus. */
async function nodes() {
	const network = createMemoryBusNetwork();
	const made = await Promise.all(
		['a', 'b', 'c'].map(async (id) => {
			const events = createEvents();
			const heard: { trajectoryId: string; origin: EventOrigin }[] = [];
			events.on('trajectoryDeleted', ({ trajectoryId }, origin) =>
				heard.push({ trajectoryId, origin })
			);
			const errors: unknown[] = [];
			const unlink = await linkEvents(events, network.node(id), {
				logError: (_message, error) => errors.push(error)
			});
			return { events, heard, errors, unlink };
		})
	);
	return { network, nodes: made };
}

describe('app events across nodes', () => {
	it('reach every other node once, marked remote, and travel no further', async () => {
		const {
			nodes: [a, b, c]
		} = await nodes();
		a.events.emit('trajectoryDeleted', { trajectoryId: 't1' });
		expect(a.heard).toEqual([{ trajectoryId: 't1', origin: { remote: false } }]);
		await expect.poll(() => [b.heard.length, c.heard.length]).toEqual([1, 1]);
		expect(b.heard[0]).toEqual({ trajectoryId: 't1', origin: { remote: true } });
		// Nothing came back or went round: a second event is the only other thing anyone hears.
		b.events.emit('trajectoryDeleted', { trajectoryId: 't2' });
		await expect.poll(() => [a.heard.length, c.heard.length]).toEqual([2, 2]);
		await new Promise((resolve) => setImmediate(resolve));
		expect(a.heard.map((h) => h.trajectoryId)).toEqual(['t1', 't2']);
		expect(b.heard.map((h) => h.trajectoryId)).toEqual(['t1', 't2']);
		expect(c.heard.map((h) => h.trajectoryId)).toEqual(['t1', 't2']);
	});

	it('keeps working locally while the bus is down, and sends what waited, in order, once it is back', async () => {
		const {
			network,
			nodes: [a, b]
		} = await nodes();
		network.interrupt();
		a.events.emit('trajectoryDeleted', { trajectoryId: 't3' });
		a.events.emit('trajectoryDeleted', { trajectoryId: 't3b' });
		expect(a.heard).toHaveLength(2);
		await expect.poll(() => a.errors.length).toBeGreaterThan(0);
		expect(b.heard).toEqual([]);
		network.resume();
		await expect.poll(() => b.heard.map((h) => h.trajectoryId)).toEqual(['t3', 't3b']);
		expect(b.heard[0].origin).toEqual({ remote: true });
		// Sent once: a later event is the only other thing b hears.
		a.events.emit('trajectoryDeleted', { trajectoryId: 't3c' });
		await expect.poll(() => b.heard.length).toBe(3);
		expect(b.heard.map((h) => h.trajectoryId)).toEqual(['t3', 't3b', 't3c']);
	});

	it('retries a refused publish by itself when only the publishing side was down', async () => {
		const network = createMemoryBusNetwork();
		const a = network.node('a');
		let refuse = 2;
		const flaky = {
			...a,
			publishEvent: ((name, payload) => {
				if (refuse-- > 0) return Promise.reject(new Error('publisher down'));
				return a.publishEvent(name, payload);
			}) as typeof a.publishEvent
		};
		const events = createEvents();
		const errors: unknown[] = [];
		const unlinkA = await linkEvents(events, flaky, {
			retryMs: 5,
			logError: (_m, error) => errors.push(error)
		});
		const other = createEvents();
		const heard: string[] = [];
		other.on('trajectoryDeleted', ({ trajectoryId }) => heard.push(trajectoryId));
		const unlinkB = await linkEvents(other, network.node('b'));
		events.emit('trajectoryDeleted', { trajectoryId: 'late' });
		await expect.poll(() => heard).toEqual(['late']);
		expect(errors).toHaveLength(2);
		await unlinkA();
		await unlinkB();
	});

	it('keeps at most the outbox limit, dropping the oldest', async () => {
		const {
			network,
			nodes: [, b]
		} = await nodes();
		const events = createEvents();
		const errors: unknown[] = [];
		await linkEvents(events, network.node('d'), {
			outboxLimit: 2,
			logError: (_m, error) => errors.push(error)
		});
		network.interrupt();
		for (const id of ['o1', 'o2', 'o3']) events.emit('trajectoryDeleted', { trajectoryId: id });
		network.resume();
		await expect.poll(() => b.heard.map((h) => h.trajectoryId)).toEqual(['o2', 'o3']);
	});

	it('stops in both directions once unlinked', async () => {
		const {
			nodes: [a, b, c]
		} = await nodes();
		await b.unlink();
		a.events.emit('trajectoryDeleted', { trajectoryId: 't4' });
		b.events.emit('trajectoryDeleted', { trajectoryId: 't5' });
		await expect.poll(() => c.heard.length).toBe(1);
		expect(c.heard[0].trajectoryId).toBe('t4');
		expect(b.heard.map((h) => h.trajectoryId)).toEqual(['t5']);
	});
});
