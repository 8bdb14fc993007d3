/**
 * A participant's phone as the bench plays it, thin enough that 3,000 of them fit in one load
 * process beside the server. A stock `WebsocketProvider` applies every update and presence state
 * of its board to a whole Y.Doc: at 1 × 300 that is 60 edits a second times 300 receivers, and the
 * quiet run of 2026-11-27 showed the generator at a full core with its event loop seconds behind
 * while the server used 7 % of one (the latencies were the generator's).
 *
 * The thin client speaks the same y-websocket protocol on the wire (a server cannot tell it from a
 * provider that happens to hold no other cards), but keeps only what it writes:
 * - its own card lives in a document of its own; every edit is that document's update, valid on the
 *   board because it refers to nothing else;
 * - incoming updates are not applied: the bench's marker `bench|<writer>|<seq>|<sentAt>|` is found
 *   in the raw frame (Yjs stores strings as plain UTF-8), which is all the latency needs;
 * - presence is written as y-protocols' awareness message by hand, and read (for the latency of
 *   presence) only by the few clients asked to sample it.
 * `sentAt` is `performance.timeOrigin + performance.now()`, comparable across load processes.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const MARKER = Buffer.from('bench|');

/** Milliseconds on a clock that all load processes on this machine share. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** An edit seen by a receiver: who wrote it, its number, and how long it took. */
export interface Seen {
	writer: string;
	seq: number;
	ms: number;
}

export interface ThinOptions {
	url: string;
	headers: Record<string, string>;
	/** Called with every bench edit found in an incoming update (not for the sender's own). */
	onEdit?: (seen: Seen) => void;
	/** Called with the age of every other client's presence state (only for samplers). */
	onPresence?: (ms: number) => void;
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** Finds every bench marker in `frame` and reports it. */
export function scanEdits(frame: Buffer, onEdit: (seen: Seen) => void, now = clock()): void {
	for (let at = frame.indexOf(MARKER); at >= 0; at = frame.indexOf(MARKER, at + 1)) {
		const end = Math.min(frame.length, at + 160);
		const fields: string[] = [];
		let start = at + MARKER.length;
		for (let i = start; i < end && fields.length < 3; i++)
			if (frame[i] === 0x7c /* | */) {
				fields.push(frame.toString('latin1', start, i));
				start = i + 1;
			}
		if (fields.length < 3) continue;
		const [writer, seq, sentAt] = fields;
		onEdit({ writer, seq: Number(seq), ms: now - Number(sentAt) });
	}
}

/** Reads the `at` of every state in an awareness update except `self`'s. */
export function scanPresence(update: Uint8Array, self: number, onPresence: (ms: number) => void) {
	const now = clock();
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		decoding.readVarUint(decoder); // clock
		const json = decoding.readVarString(decoder);
		if (clientId === self || json === 'null') continue;
		const sent = (JSON.parse(json) as { at?: unknown }).at;
		if (typeof sent === 'number' && sent > 0) onPresence(now - sent);
	}
}

export class ThinClient {
	/** The document holding what this client writes (its card), nothing else. */
	readonly doc = new Y.Doc();
	readonly ws: WebSocket;
	readonly synced: Promise<void>;
	private presenceClock = 0;

	constructor(private readonly options: ThinOptions) {
		this.ws = new WebSocket(options.url, { headers: options.headers });
		this.ws.binaryType = 'nodebuffer';
		this.synced = new Promise((resolve, reject) => {
			this.ws.once('error', reject);
			this.ws.once('close', (code) => reject(new Error(`closed before sync (${code})`)));
			this.ws.on('message', (data: Buffer) => {
				if (this.receive(data)) resolve();
			});
		});
		this.ws.once('open', () =>
			this.send(
				message((e) => {
					encoding.writeVarUint(e, MESSAGE_SYNC);
					encoding.writeVarUint(e, STEP1);
					encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
				})
			)
		);
		// What this client writes goes out as y-websocket update messages, as a provider sends them.
		this.doc.on('update', (update: Uint8Array) =>
			this.send(
				message((e) => {
					encoding.writeVarUint(e, MESSAGE_SYNC);
					encoding.writeVarUint(e, UPDATE);
					encoding.writeVarUint8Array(e, update);
				})
			)
		);
	}

	private send(data: Uint8Array): void {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
	}

	/** Handles one frame; true when it was the server's sync step 2 (the client is synced). */
	private receive(frame: Buffer): boolean {
		const type = frame[0];
		if (type === MESSAGE_SYNC) {
			const decoder = decoding.createDecoder(frame);
			decoding.readVarUint(decoder);
			const sub = decoding.readVarUint(decoder);
			if (sub === STEP1) {
				const stateVector = decoding.readVarUint8Array(decoder);
				this.send(
					message((e) => {
						encoding.writeVarUint(e, MESSAGE_SYNC);
						encoding.writeVarUint(e, STEP2);
						encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, stateVector));
					})
				);
				return false;
			}
			if (sub === UPDATE && this.options.onEdit) scanEdits(frame, this.options.onEdit);
			return sub === STEP2;
		}
		if (type === MESSAGE_AWARENESS && this.options.onPresence) {
			const decoder = decoding.createDecoder(frame);
			decoding.readVarUint(decoder);
			scanPresence(decoding.readVarUint8Array(decoder), this.doc.clientID, this.options.onPresence);
		}
		return false;
	}

	/** Publishes this client's presence state (y-protocols' awareness message for one client). */
	setPresence(state: Record<string, unknown>): void {
		this.presenceClock++;
		const update = message((e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, this.doc.clientID);
			encoding.writeVarUint(e, this.presenceClock);
			encoding.writeVarString(e, JSON.stringify(state));
		});
		this.send(
			message((e) => {
				encoding.writeVarUint(e, MESSAGE_AWARENESS);
				encoding.writeVarUint8Array(e, update);
			})
		);
	}

	close(): void {
		this.ws.terminate();
		this.doc.destroy();
	}
}
