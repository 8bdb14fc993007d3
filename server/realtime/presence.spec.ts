import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeVouched, vouch } from './presence.ts';
import type { Identity } from './types.ts';

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
});
