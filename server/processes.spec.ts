import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { boardOfRequest, processCountFromEnv, processFor, stopReading } from './processes.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const head = (line: string) => Buffer.from(`${line}\r\nHost: kompas\r\n\r\n`, 'latin1');

describe('boardOfRequest', () => {
	it('reads the board of a board or private websocket path', () => {
		expect(boardOfRequest(head('GET /ws/board/abc_DEF-1.2 HTTP/1.1'))).toBe('abc_DEF-1.2');
		expect(boardOfRequest(head('GET /ws/private/abc.1/p-9 HTTP/1.1'))).toBe('abc.1');
		expect(boardOfRequest(head('GET /ws/board/abc.1?x=1 HTTP/1.1'))).toBe('abc.1');
	});

	it('has no board for pages, other methods, bad paths and an unfinished first line', () => {
		expect(boardOfRequest(head('GET /trajecten HTTP/1.1'))).toBeNull();
		expect(boardOfRequest(head('POST /ws/board/abc.1 HTTP/1.1'))).toBeNull();
		expect(boardOfRequest(head('GET /ws/board/abc HTTP/1.1'))).toBeNull();
		expect(boardOfRequest(head('GET /ws/board/../../etc.1 HTTP/1.1'))).toBeNull();
		expect(boardOfRequest(Buffer.from('GET /ws/board/abc.1 HT'))).toBeNull();
		expect(boardOfRequest(Buffer.alloc(0))).toBeNull();
	});
});

describe('processFor', () => {
	it('places a board on the same process every time, and spreads boards over all of them', () => {
		const boards = Array.from({ length: 400 }, (_, i) => `thema${i}.1`);
		for (const board of boards) expect(processFor(board, 4)).toBe(processFor(board, 4));
		const perProcess = [0, 0, 0, 0];
		for (const board of boards) perProcess[processFor(board, 4)]++;
		for (const count of perProcess) expect(count).toBeGreaterThan(60);
		expect(processFor('thema1.1', 1)).toBe(0);
	});
});

describe('processCountFromEnv', () => {
	it('is 1 when unset and the number when valid', () => {
		expect(processCountFromEnv({})).toBe(1);
		expect(processCountFromEnv({ KOMPAS_PROCESSES: ' 4 ' })).toBe(4);
	});

	it('refuses what is not a whole number from 1 to 64, saying so', () => {
		for (const bad of ['0', '-1', '2.5', 'twee', '65'])
			expect(() => processCountFromEnv({ KOMPAS_PROCESSES: bad })).toThrow(/KOMPAS_PROCESSES/);
	});
});

describe('stopReading', () => {
	it('leaves what arrives after the first line to the process the socket is handed to', async () => {
		// A real child that writes back, on the connection it is given, every byte it reads from it.
		const child = spawn(
			process.execPath,
			[
				'-e',
				"process.on('message', (m, socket) => socket.on('data', (d) => socket.write('kind:' + d)));"
			],
			{ stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }
		);
		cleanups.push(() => child.kill());
		const accepted: Socket[] = [];
		const server = createServer({ pauseOnConnect: true }, (socket) => accepted.push(socket));
		cleanups.push(() => new Promise((resolve) => server.close(resolve)));
		cleanups.push(() => accepted.forEach((socket) => socket.destroy()));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const phone = connect((server.address() as AddressInfo).port, '127.0.0.1');
		cleanups.push(() => phone.destroy());
		await once(phone, 'connect');

		// As the primary does: read until the first line is in, then stop.
		const firstLine = 'GET /ws/board/b1 HTTP/1.1\r\n';
		phone.write(firstLine);
		await expect.poll(() => accepted.length).toBe(1);
		const [socket] = accepted;
		socket.resume();
		await once(socket, 'data');
		socket.pause();
		stopReading(socket);

		// The rest arrives while this process still holds the socket, and its event loop turns (a
		// timer, then the poll phase that would read it, then an immediate).
		await new Promise((resolve) => phone.write('Host: kompas\r\n\r\n', resolve));
		await new Promise((resolve) => setTimeout(resolve, 0));
		await new Promise((resolve) => setImmediate(resolve));
		expect(socket.bytesRead).toBe(firstLine.length);

		// Handed over, the child reads it from the connection.
		child.send('connection', socket);
		let answer = '';
		phone.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
		await expect.poll(() => answer).toBe('kind:Host: kompas\r\n\r\n');
	});
});
