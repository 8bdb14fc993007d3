import { describe, expect, it } from 'vitest';
import { MAX_HOLD_MS, corkForThisTurn } from './cork.ts';

/** A socket that records what happens to it, as `net.Socket` would: writes wait while corked. */
function fakeSocket() {
	const log: string[] = [];
	let corks = 0;
	let held: string[] = [];
	return {
		log,
		cork() {
			corks++;
			log.push('cork');
		},
		uncork() {
			corks--;
			log.push('uncork');
			if (corks === 0 && held.length) {
				log.push(`writev ${held.join('+')}`);
				held = [];
			}
		},
		write(message: string) {
			if (corks > 0) held.push(message);
			else log.push(`write ${message}`);
		}
	};
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('corkForThisTurn', () => {
	it('sends everything a socket gets in one turn in one write, in order, at the end of the turn', async () => {
		const a = fakeSocket();
		const b = fakeSocket();
		for (const message of ['update 1', 'presence', 'update 2']) {
			corkForThisTurn(a, 0);
			a.write(message);
			corkForThisTurn(b, 0);
			b.write(message);
		}
		expect(a.log).toEqual(['cork']);
		await nextTurn();
		expect(a.log).toEqual(['cork', 'uncork', 'writev update 1+presence+update 2']);
		expect(b.log).toEqual(['cork', 'uncork', 'writev update 1+presence+update 2']);
	});

	it('corks again in a later turn', async () => {
		const a = fakeSocket();
		corkForThisTurn(a, 0);
		a.write('one');
		await nextTurn();
		corkForThisTurn(a, 50);
		a.write('two');
		await nextTurn();
		expect(a.log).toEqual(['cork', 'uncork', 'writev one', 'cork', 'uncork', 'writev two']);
	});
});

describe('corkForThisTurn on a long turn', () => {
	it(`sends what waited ${MAX_HOLD_MS} ms before the next write is corked, and keeps the order`, async () => {
		const a = fakeSocket();
		const b = fakeSocket();
		corkForThisTurn(a, 100);
		a.write('edit 1');
		corkForThisTurn(b, 100.5);
		b.write('edit 1');
		corkForThisTurn(a, 100 + MAX_HOLD_MS / 2);
		a.write('presence');
		expect(a.log).toEqual(['cork']);
		// The same turn, later: the first batch leaves before the second write to b is corked.
		corkForThisTurn(b, 100 + MAX_HOLD_MS);
		b.write('edit 2');
		expect(a.log).toEqual(['cork', 'uncork', 'writev edit 1+presence']);
		expect(b.log).toEqual(['cork', 'uncork', 'writev edit 1', 'cork']);
		await nextTurn();
		expect(b.log).toEqual(['cork', 'uncork', 'writev edit 1', 'cork', 'uncork', 'writev edit 2']);
		expect(a.log).toEqual(['cork', 'uncork', 'writev edit 1+presence']);
	});
});
