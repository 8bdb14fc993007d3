/**
 * Write-through delivery of a room (rooms.ts): nothing reaches another socket before the store has
 * it. A store that appends at once (`UpdateStore.appendNow`: SQLite outside a unit of work) lets
 * the update out in the same turn; one that must wait holds back the updates after it, which then
 * go out in order; one that fails sends nothing, and a newcomer's sync waits for the retry.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { createRooms, type RoomPeer } from './rooms.ts';
import { createMemoryStore } from '../../src/lib/server/updates/store.memory.ts';
import { StorageUnavailableError, type UpdateLog } from '../../src/lib/server/updates/store.ts';
import { decodeIncoming } from './protocol.ts';

/** A peer that keeps the card ids of the document updates it is sent, in order. */
function reader(): RoomPeer & { cards: string[] } {
	const doc = new Y.Doc();
	const cards: string[] = [];
	doc.getMap('cards').observe((event) => cards.push(...event.keysChanged));
	return {
		cards,
		send(message) {
			const decoded = decodeIncoming(message);
			if (decoded.type === 'sync-update') Y.applyUpdate(doc, decoded.update);
		}
	};
}

/** A client's update that adds card `id` (each from its own Yjs client: they do not depend on each other). */
function cardUpdate(id: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('cards').set(id, id);
	return Y.encodeStateAsUpdate(doc);
}

/** Resolves after every promise settled so far has run its callbacks (a few turns). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function roomOn(store: UpdateLog) {
	const rooms = createRooms({ store, unloadDelayMs: 0 });
	const room = await rooms.acquire('board/t.1');
	const other = reader();
	room.peers.add(other);
	return { rooms, room, other };
}

describe('write-through delivery', () => {
	it('an update the store takes at once goes out in the same turn', async () => {
		const memory = createMemoryStore();
		const { rooms, room, other } = await roomOn(memory);
		room.applyFromClient(cardUpdate('meteen'), 'writer');
		// No promise has settled yet: stored and sent synchronously.
		expect(other.cards).toEqual(['meteen']);
		expect((await memory.load('board/t.1')).updates).toHaveLength(1);
		await rooms.close();
	});

	it('one that must wait for its append holds back the next, which follow in order once it is stored', async () => {
		const memory = createMemoryStore();
		// Like SQLite's one connection while a unit of work is open: nothing is stored at once, and
		// an append waits until the test lets it through.
		let busy = false;
		const held: (() => void)[] = [];
		const store: UpdateLog = {
			...memory,
			appendNow: (docName, update) => !busy && memory.appendNow!(docName, update),
			async append(docName, update) {
				if (busy) await new Promise<void>((resolve) => held.push(resolve));
				await memory.append(docName, update);
			}
		};
		const { rooms, room, other } = await roomOn(store);
		busy = true;
		room.applyFromClient(cardUpdate('eerste'), 'writer');
		busy = false;
		// The second could be stored at once, but may not overtake the first.
		room.applyFromClient(cardUpdate('tweede'), 'someone else');
		await settle();
		expect(held).toHaveLength(1);
		expect(other.cards).toEqual([]);
		held.splice(0).forEach((resolve) => resolve());
		await expect.poll(() => other.cards).toEqual(['eerste', 'tweede']);
		// Once both are out, the next one goes at once again.
		room.applyFromClient(cardUpdate('derde'), 'writer');
		expect(other.cards).toEqual(['eerste', 'tweede', 'derde']);
		await rooms.close();
	});

	it('one the store fails to take reaches nobody, and a newcomer waits for its retry to store it', async () => {
		const memory = createMemoryStore();
		let down = false;
		const stored: string[] = [];
		const fail = () => {
			throw new StorageUnavailableError('storage: SQLite cannot be reached (disk I/O error)');
		};
		const store: UpdateLog = {
			...memory,
			appendNow: (docName, update) => (down ? fail() : memory.appendNow!(docName, update)),
			async append(docName, update) {
				if (down) fail();
				await memory.append(docName, update);
				stored.push('stored');
			}
		};
		const failed: unknown[] = [];
		const rooms = createRooms({
			store,
			unloadDelayMs: 0,
			logError: () => {},
			onStoreFailed: (_room, error) => failed.push(error)
		});
		const room = await rooms.acquire('board/t.1');
		const other = reader();
		room.peers.add(other);

		down = true;
		room.applyFromClient(cardUpdate('mislukt'), 'writer');
		expect(failed).toEqual([expect.any(StorageUnavailableError)]);
		expect(other.cards).toEqual([]);
		// A newcomer's sync answer would carry the card: it waits until the retry has stored it.
		const answered = room.storedSoFar();
		expect(answered).not.toBeNull();
		void answered!.then(() => stored.push('answered'));
		await settle();
		expect(stored).toEqual([]);
		down = false;
		// The retry comes a second later.
		await expect.poll(() => stored, { timeout: 5000 }).toEqual(['stored', 'answered']);
		expect(await answered).toBe(true);
		expect(room.storedSoFar()).toBeNull();
		expect(other.cards).toEqual([]);
		await rooms.close();
	});
});

describe('presence riding along with document updates', () => {
	/**
	 * A board whose presence batches wait a minute, with the server as busy as `utilisation` says,
	 * a reader, the writer's own socket, and one presence change waiting for its batch when the
	 * writer's update arrives.
	 */
	async function update(utilisation: number) {
		const rooms = createRooms({
			store: createMemoryStore(),
			unloadDelayMs: 0,
			awarenessBatchMs: 60_000,
			pace: { utilisation: () => utilisation, everyMs: 5 }
		});
		await expect.poll(() => rooms.coalesceWrites()).toBe(utilisation > 0.4);
		const room = await rooms.acquire('board/t.1');
		const peer = () => {
			const got: string[] = [];
			return { got, send: (message: Uint8Array) => void got.push(decodeIncoming(message).type) };
		};
		const reader = peer();
		const writer = peer();
		room.peers.add(reader);
		room.peers.add(writer);
		const someone = new awarenessProtocol.Awareness(new Y.Doc());
		someone.setLocalState({ cursor: { x: 10, y: 20 } });
		awarenessProtocol.applyAwarenessUpdate(
			room.awareness,
			awarenessProtocol.encodeAwarenessUpdate(someone, [someone.clientID]),
			'someone'
		);
		room.applyFromClient(cardUpdate('kaart'), writer);
		return { rooms, room, reader, writer };
	}

	it('on a busy server, waiting presence goes out with the update, to the writer too', async () => {
		const { rooms, room, reader, writer } = await update(0.9);
		expect(reader.got).toEqual(['sync-update', 'awareness']);
		expect(writer.got).toEqual(['awareness']);
		// The batch went with it: nothing waits for the timer any more.
		expect(room.awarenessTimer).toBeNull();
		expect(room.awarenessChanged.size).toBe(0);
		await rooms.close();
	});

	it('on a calm server, the update goes alone and presence waits for its batch', async () => {
		const { rooms, room, reader, writer } = await update(0.1);
		expect(reader.got).toEqual(['sync-update']);
		expect(writer.got).toEqual([]);
		expect(room.awarenessTimer).not.toBeNull();
		expect(room.awarenessChanged.size).toBe(1);
		await rooms.close();
	});
});
