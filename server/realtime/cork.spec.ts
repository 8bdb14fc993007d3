import { describe, expect, it } from 'vitest';
import { corkForThisTurn } from './cork.ts';

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
			corkForThisTurn(a);
			a.write(message);
			corkForThisTurn(b);
			b.write(message);
		}
		expect(a.log).toEqual(['cork']);
		await nextTurn();
		expect(a.log).toEqual(['cork', 'uncork', 'writev update 1+presence+update 2']);
		expect(b.log).toEqual(['cork', 'uncork', 'writev update 1+presence+update 2']);
	});

	it('corks again in a later turn', async () => {
		const a = fakeSocket();
		corkForThisTurn(a);
		a.write('one');
		await nextTurn();
		corkForThisTurn(a);
		a.write('two');
		await nextTurn();
		expect(a.log).toEqual(['cork', 'uncork', 'writev one', 'cork', 'uncork', 'writev two']);
	});
});
