/**
 * Presence (awareness) the server vouches for: whatever a client says about itself, the fields that
 * name a person (`name`, `role`, `perspective`, `participantId`) are replaced by what the server
 * knows of the socket's identity before the state is applied and broadcast. Nobody can appear in
 * the presence list under someone else's name. Other fields (the step someone looks at) pass as
 * they are; the awareness message size limit keeps them small.
 */
import * as encoding from 'lib0/encoding';
import { equalityDeep } from 'lib0/function';
import type { Awareness } from 'y-protocols/awareness';
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

/**
 * Applies `entries` with vouched states to `awareness`: what y-protocols' `applyAwarenessUpdate`
 * does with `encodeVouched(entries, identity)` (the same clock rules, the same `change` and `update`
 * events), without writing every state to JSON and parsing it back. Presence is the most frequent
 * message on a busy board (a cursor once a second per person).
 */
export function applyVouched(
	awareness: Awareness,
	entries: readonly AwarenessEntry[],
	identity: Identity,
	origin: unknown,
	anonymousStep?: (step: unknown) => boolean
): void {
	const timestamp = Date.now();
	const added: number[] = [];
	const updated: number[] = [];
	const filteredUpdated: number[] = [];
	const removed: number[] = [];
	for (const entry of entries) {
		const { clientId } = entry;
		let { clock } = entry;
		const state = vouch(entry.state, identity, anonymousStep);
		const meta = awareness.meta.get(clientId);
		const previous = awareness.states.get(clientId);
		const current = meta === undefined ? 0 : meta.clock;
		if (!(
			current < clock ||
			(current === clock && state === null && awareness.states.has(clientId))
		))
			continue;
		if (state === null) {
			// Never let a remote client remove the local state (the server has none; kept as upstream).
			if (clientId === awareness.clientID && awareness.getLocalState() != null) clock++;
			else awareness.states.delete(clientId);
		} else awareness.states.set(clientId, state as Record<string, unknown>);
		awareness.meta.set(clientId, { clock, lastUpdated: timestamp });
		if (meta === undefined && state !== null) added.push(clientId);
		else if (meta !== undefined && state === null) removed.push(clientId);
		else if (state !== null) {
			if (!equalityDeep(state, previous)) filteredUpdated.push(clientId);
			updated.push(clientId);
		}
	}
	if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0)
		awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin]);
	if (added.length > 0 || updated.length > 0 || removed.length > 0)
		awareness.emit('update', [{ added, updated, removed }, origin]);
}
