/**
 * The y-websocket wire protocol (what the stock `y-websocket` v2 and v3 providers speak): every
 * message starts with a varuint type; sync messages carry y-protocols/sync sub-messages. This
 * module decodes incoming messages into typed values (throwing on anything malformed) and encodes
 * outgoing ones. It holds no state.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SYNC = {
	step1: syncProtocol.messageYjsSyncStep1,
	step2: syncProtocol.messageYjsSyncStep2,
	update: syncProtocol.messageYjsUpdate
} as const;

export type Incoming =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'sync-step2' | 'sync-update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array; clients: AwarenessEntry[] }
	| { type: 'query-awareness' }
	| { type: 'auth' };

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** The JSON state, or null when the client left. */
	state: unknown;
}

export class MalformedMessage extends Error {}

/**
 * Decodes one message from a client.
 * @throws MalformedMessage on an unknown type, a truncated body or invalid awareness JSON.
 */
export function decodeIncoming(data: Uint8Array): Incoming {
	try {
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MESSAGE.sync: {
				const sub = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (sub === SYNC.step1) return { type: 'sync-step1', stateVector: payload };
				if (sub === SYNC.step2) return { type: 'sync-step2', update: payload };
				if (sub === SYNC.update) return { type: 'sync-update', update: payload };
				throw new MalformedMessage(`unknown sync message ${sub}`);
			}
			case MESSAGE.awareness: {
				const update = decoding.readVarUint8Array(decoder);
				return { type: 'awareness', update, clients: decodeAwarenessUpdate(update) };
			}
			case MESSAGE.queryAwareness:
				return { type: 'query-awareness' };
			case MESSAGE.auth:
				return { type: 'auth' };
			default:
				throw new MalformedMessage(`unknown message type ${type}`);
		}
	} catch (error) {
		if (error instanceof MalformedMessage) throw error;
		throw new MalformedMessage('truncated or malformed message');
	}
}

/**
 * The entries of an awareness update (y-protocols encoding).
 * @throws on a truncated update or invalid JSON.
 */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const state: unknown = JSON.parse(decoding.readVarString(decoder));
		entries.push({ clientId, clock, state });
	}
	return entries;
}

/** Sync step 1 of the server: "here is my state vector, send me what I miss". */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/**
 * Sync step 2: what `doc` has beyond `stateVector`.
 * @throws on a malformed state vector.
 */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	encoding.writeVarUint(encoder, SYNC.step2);
	encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
	return encoding.toUint8Array(encoder);
}

/** A document update for the clients. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** Awareness states of `clients` (all known ones when omitted); null when there are none. */
export function encodeAwareness(
	awareness: awarenessProtocol.Awareness,
	clients: number[] = [...awareness.getStates().keys()]
): Uint8Array | null {
	if (clients.length === 0) return null;
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.awareness);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}
