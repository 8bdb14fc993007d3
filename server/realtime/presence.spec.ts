import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { applyVouched, encodeVouched, vouch } from './presence.ts';
import type { Identity } from './types.ts';
import type { AwarenessEntry } from './protocol.ts';

const bob: Identity = {
	kind: 'participant',
	participantId: 'p-bob',
	liveSessionId: 's1',
	name: 'Bob',
	perspective: 'inwoner',
	role: 'participant',
	trajectoryId: 't1'
};

describe('presence', () => {
	it("replaces the fields that name a person by the server's identity, keeps the rest", () => {
		expect(
			vouch(
				{ name: 'De Burgemeester', role: 'facilitator', participantId: 'p-x', step: 'outcomes' },
				bob
			)
		).toEqual({
			name: 'Bob',
			role: 'participant',
			perspective: 'inwoner',
			participantId: 'p-bob',
			step: 'outcomes'
		});
		expect(vouch(null, bob)).toBeNull();
		expect(vouch([1, 2], bob)).toMatchObject({ name: 'Bob' });
	});

	it('on an anonymous step shows who someone is, not the step nor anything else they publish', () => {
		const anonymous = (step: unknown) => step === 'outcomes';
		expect(vouch({ step: 'outcomes', typing: true, name: 'nep' }, bob, anonymous)).toEqual({
			name: 'Bob',
			role: 'participant',
			perspective: 'inwoner',
			participantId: 'p-bob',
			step: null
		});
		expect(vouch({ step: 'ambition', typing: true }, bob, anonymous)).toMatchObject({
			step: 'ambition',
			typing: true
		});
	});

	it('encodes an awareness update that y-protocols applies', () => {
		const awareness = new awarenessProtocol.Awareness(new Y.Doc());
		const update = encodeVouched([{ clientId: 7, clock: 1, state: { name: 'nep' } }], bob);
		awarenessProtocol.applyAwarenessUpdate(awareness, update, 'test');
		expect(awareness.getStates().get(7)).toMatchObject({ name: 'Bob', perspective: 'inwoner' });
	});

	it('applies vouched states exactly as y-protocols applies the encoded update', () => {
		const viaUpdate = new awarenessProtocol.Awareness(new Y.Doc());
		const direct = new awarenessProtocol.Awareness(new Y.Doc());
		viaUpdate.setLocalState(null);
		direct.setLocalState(null);
		const events = (awareness: awarenessProtocol.Awareness) => {
			const seen: unknown[] = [];
			awareness.on('change', (change: unknown, origin: unknown) =>
				seen.push(['change', change, origin])
			);
			awareness.on('update', (change: unknown, origin: unknown) =>
				seen.push(['update', change, origin])
			);
			return seen;
		};
		const a = events(viaUpdate);
		const b = events(direct);
		const steps: AwarenessEntry[][] = [
			[{ clientId: 7, clock: 1, state: { name: 'nep', x: 1 } }],
			[{ clientId: 7, clock: 2, state: { name: 'nep', x: 1 } }], // renewed, unchanged
			[{ clientId: 7, clock: 3, state: { x: 2, cursor: { y: [1, 2] } } }],
			[{ clientId: 7, clock: 2, state: { x: 9 } }], // stale clock: ignored
			[
				{ clientId: 8, clock: 1, state: { x: 3 } },
				{ clientId: 7, clock: 3, state: null } // same clock, gone: removed
			],
			[{ clientId: 8, clock: 5, state: null }]
		];
		for (const entries of steps) {
			awarenessProtocol.applyAwarenessUpdate(viaUpdate, encodeVouched(entries, bob), 'origin');
			applyVouched(direct, entries, bob, 'origin');
			expect(direct.getStates()).toEqual(viaUpdate.getStates());
			const clocks = (awareness: awarenessProtocol.Awareness) =>
				[...awareness.meta]
					.filter(([id]) => id !== awareness.clientID)
					.map(([id, meta]) => [id, meta.clock]);
			expect(clocks(direct)).toEqual(clocks(viaUpdate));
		}
		expect(b).toEqual(a);
		expect(a.length).toBeGreaterThan(6);
	});
});
