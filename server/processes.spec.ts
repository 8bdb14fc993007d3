import { describe, expect, it } from 'vitest';
import { boardOfRequest, processCountFromEnv, processFor } from './processes.ts';

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
