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

	it('keeps working locally while the bus is down, and says what did not go out', async () => {
		const {
			network,
			nodes: [a, b]
		} = await nodes();
		network.interrupt();
		a.events.emit('trajectoryDeleted', { trajectoryId: 't3' });
		expect(a.heard).toHaveLength(1);
		await expect.poll(() => a.errors.length).toBe(1);
		network.resume();
		await new Promise((resolve) => setImmediate(resolve));
		expect(b.heard).toEqual([]);
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
