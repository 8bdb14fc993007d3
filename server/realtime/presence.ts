/**
 * Presence (awareness) the server vouches for: whatever a client says about itself, the fields that
 * name a person (`name`, `role`, `perspective`, `participantId`) are replaced by what the server
 * knows of the socket's identity before the state is applied and broadcast. Nobody can appear in
 * the presence list under someone else's name. Other fields (the step someone looks at) pass as
 * they are; the awareness message size limit keeps them small.
 */
import * as encoding from 'lib0/encoding';
import type { AwarenessEntry } from './protocol.ts';
import type { Identity } from './types.ts';

/** The presence fields the server fills in from the identity. */
export function vouchedFields(identity: Identity): Record<string, string | null> {
	return {
		name: identity.name,
		role: identity.role,
		perspective: identity.kind === 'participant' ? identity.perspective : null,
		participantId: identity.kind === 'participant' ? identity.participantId : null
	};
}

/**
 * `state` with the identity's fields in place of the client's (null stays null: the client left).
 * Someone on an anonymous step (`anonymousStep` says which are) shows only who they are: which
 * step they look at, and anything else they publish there (typing), is dropped.
 */
export function vouch(
	state: unknown,
	identity: Identity,
	anonymousStep: (step: unknown) => boolean = () => false
): unknown {
	if (state === null) return null;
	const own =
		typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
	if (anonymousStep(own.step)) return { ...vouchedFields(identity), step: null };
	return { ...own, ...vouchedFields(identity) };
}

/** An awareness update (the y-protocols encoding) carrying `entries` with vouched states. */
export function encodeVouched(
	entries: readonly AwarenessEntry[],
	identity: Identity,
	anonymousStep?: (step: unknown) => boolean
): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const { clientId, clock, state } of entries) {
		encoding.writeVarUint(encoder, clientId);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, JSON.stringify(vouch(state, identity, anonymousStep)));
	}
	return encoding.toUint8Array(encoder);
}
