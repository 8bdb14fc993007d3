import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { frameOf } from './frames.ts';

let server: Server;
let url: string;
/** Each new connection's upgraded socket, written raw frames by the test. */
const sockets: Duplex[] = [];

beforeAll(async () => {
	const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
	server = createServer();
	server.on('upgrade', (req, socket, head) =>
		wss.handleUpgrade(req, socket, head, () => sockets.push(socket))
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** What a real `ws` client receives when its server socket is written `frames`. */
async function receive(...frames: Buffer[]): Promise<Buffer[]> {
	const client = new WebSocket(url, { perMessageDeflate: false });
	const messages: Buffer[] = [];
	const done = new Promise<void>((resolve, reject) => {
		client.on('message', (data: Buffer, isBinary) => {
			if (!isBinary) reject(new Error('not binary'));
			messages.push(data);
			if (messages.length === frames.length) resolve();
		});
		client.on('close', (code) => reject(new Error(`closed ${code}`)));
	});
	await new Promise((resolve) => client.once('open', resolve));
	await expect.poll(() => sockets.length).toBeGreaterThan(0);
	const socket = sockets.shift() as Duplex;
	for (const frame of frames) socket.write(frame);
	await done;
	client.terminate();
	return messages;
}

describe('frameOf', () => {
	it.each([0, 1, 125, 126, 300, 65535, 65536, 200_000])(
		'frames %i bytes as one binary message a client reads back',
		async (length) => {
			const message = new Uint8Array(length).map((_, i) => (i * 7) % 251);
			expect(await receive(frameOf(message))).toEqual([Buffer.from(message)]);
		}
	);

	it('frames a view on a larger buffer by its own bytes only', async () => {
		const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
		expect(await receive(frameOf(backing.subarray(2, 5)))).toEqual([Buffer.from([1, 2, 3])]);
	});

	it('builds the frame once for every receiver of the same message', () => {
		const message = new Uint8Array([1, 2, 3]);
		expect(frameOf(message)).toBe(frameOf(message));
		expect(frameOf(new Uint8Array([1, 2, 3]))).not.toBe(frameOf(message));
	});

	it('delivers frames written one after the other in order', async () => {
		expect(await receive(frameOf(new Uint8Array([1])), frameOf(new Uint8Array([2, 2])))).toEqual([
			Buffer.from([1]),
			Buffer.from([2, 2])
		]);
	});
});
