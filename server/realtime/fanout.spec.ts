import { describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createFanout } from './fanout.ts';
import { createRooms, type RoomPeer } from './rooms.ts';
import { createMemoryStore } from '../../src/lib/server/updates/store.memory.ts';
import { MESSAGE } from './protocol.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Peers that write what they get into one shared log, in the order it was sent. */
function peers(count: number, log: string[], name = (m: Uint8Array) => String(m[0])) {
	return Array.from({ length: count }, (_, i): RoomPeer => ({
		send: (message) => void log.push(`${i}:${name(message)}`)
	}));
}

describe('createFanout', () => {
	it('sends a batch a slice of peers per turn of the event loop', async () => {
		const log: string[] = [];
		const fanout = createFanout({ slice: 4 });
		const key = {};
		fanout.enqueue(key, peers(10, log), new Uint8Array([7]));
		expect(log).toEqual([]); // nothing in the turn that queued it
		await nextTurn();
		expect(log).toEqual(['0:7', '1:7', '2:7', '3:7']);
		await nextTurn();
		expect(log).toHaveLength(8);
		expect(fanout.busy(key)).toBe(true);
		await nextTurn();
		expect(log).toHaveLength(10);
		expect(fanout.busy(key)).toBe(false);
	});

	it('lets a message sent between two slices reach the later peers before the batch', async () => {
		const log: string[] = [];
		const fanout = createFanout({ slice: 3 });
		const list = peers(6, log);
		fanout.enqueue({}, list, new Uint8Array([1]));
		await nextTurn();
		// A document update arrives between the slices: it goes to everyone at once.
		for (const peer of list) peer.send(new Uint8Array([0]));
		await nextTurn();
		expect(log).toEqual([
			'0:1',
			'1:1',
			'2:1',
			'0:0',
			'1:0',
			'2:0',
			'3:0',
			'4:0',
			'5:0',
			'3:1',
			'4:1',
			'5:1'
		]);
	});

	it('holds one batch per key: a second one is refused until the first is sent', async () => {
		const log: string[] = [];
		const fanout = createFanout({ slice: 2 });
		const key = {};
		let done = 0;
		expect(fanout.enqueue(key, peers(3, log), new Uint8Array([1]), () => done++)).toBe(true);
		expect(fanout.enqueue(key, peers(3, log), new Uint8Array([2]))).toBe(false);
		// Another board's batch shares the turns: it starts where the first one ends.
		fanout.enqueue({}, peers(2, log), new Uint8Array([3]));
		await nextTurn();
		await nextTurn();
		expect(log).toEqual(['0:1', '1:1', '2:1', '0:3']);
		expect(done).toBe(1);
		expect(fanout.enqueue(key, peers(1, log), new Uint8Array([2]))).toBe(true);
	});

	it('drops the batch of a room that is forgotten', async () => {
		const log: string[] = [];
		const fanout = createFanout({ slice: 1 });
		const key = {};
		fanout.enqueue(key, peers(3, log), new Uint8Array([1]));
		await nextTurn();
		fanout.forget(key);
		await nextTurn();
		expect(log).toEqual(['0:1']);
		expect(fanout.busy(key)).toBe(false);
	});
});

describe('presence batches of a room', () => {
	/** A room on a memory store whose presence goes out every `batchMs`, `slice` sockets per turn. */
	async function presenceRoom(name: string, batchMs: number, slice: number) {
		const rooms = createRooms({
			store: createMemoryStore(),
			awarenessBatchMs: batchMs,
			awarenessSlice: slice,
			unloadDelayMs: 0
		});
		return { rooms, room: await rooms.acquire(name) };
	}
	const kind = (message: Uint8Array) => (message[0] === MESSAGE.awareness ? 'presence' : 'update');

	it('a document update that arrives while a presence batch is being sent reaches everyone before the rest of the batch', async () => {
		const { rooms, room } = await presenceRoom('board/t.1', 5, 10);
		const log: string[] = [];
		const list = peers(40, log, kind);
		// The update arrives once the first peer has its presence (after the first slice's turn).
		let edited = false;
		room.peers.add({
			send(message) {
				list[0].send(message);
				if (kind(message) !== 'presence' || edited) return;
				edited = true;
				setImmediate(() => {
					const other = new Y.Doc();
					other.getMap('cards').set('c1', 'x');
					room.applyFromClient(Y.encodeStateAsUpdate(other), 'someone');
				});
			}
		});
		for (const peer of list.slice(1)) room.peers.add(peer);
		const writer = new Y.Doc();
		const phone = new Awareness(writer);
		phone.setLocalState({ name: 'Anna', x: 1 });
		applyAwarenessUpdate(room.awareness, encodeAwarenessUpdate(phone, [writer.clientID]), 'phone');
		await expect.poll(() => log.filter((l) => l.endsWith('presence')).length).toBe(40);
		const at = (entry: string) => log.indexOf(entry);
		expect(at('0:presence')).toBeLessThan(at('0:update'));
		// The first slice had its presence before the edit; everyone after it got the edit first.
		for (let i = 10; i < 40; i++) expect(at(`${i}:update`)).toBeLessThan(at(`${i}:presence`));
		phone.destroy();
		await rooms.close();
	});

	it('a board whose batch is still being sent sends its next changes together afterwards', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const { rooms, room } = await presenceRoom('board/t.2', 50, 1);
			const log: string[] = [];
			for (const peer of peers(5, log, kind)) room.peers.add(peer);
			const phones = [1, 2, 3].map(() => new Awareness(new Y.Doc()));
			const move = (i: number, x: number) => {
				phones[i].setLocalState({ name: `p${i}`, x });
				applyAwarenessUpdate(
					room.awareness,
					encodeAwarenessUpdate(phones[i], [phones[i].clientID]),
					'phone'
				);
			};
			move(0, 1);
			vi.advanceTimersByTime(50);
			await nextTurn();
			expect(log).toEqual(['0:presence']); // one socket per turn
			// Moves while the batch is being sent wait for it, however long it takes.
			move(1, 1);
			move(2, 1);
			move(0, 2);
			vi.advanceTimersByTime(500);
			expect(log).toHaveLength(1);
			for (let turn = 0; turn < 4; turn++) await nextTurn();
			expect(log).toHaveLength(5);
			// Then they go out together, one interval after the batch was sent.
			vi.advanceTimersByTime(50);
			for (let turn = 0; turn < 5; turn++) await nextTurn();
			expect(log).toHaveLength(10);
			expect(room.awarenessChanged.size).toBe(0);
			vi.advanceTimersByTime(500);
			await nextTurn();
			expect(log).toHaveLength(10);
			for (const phone of phones) phone.destroy();
			await rooms.close();
		} finally {
			vi.useRealTimers();
		}
	});
});
