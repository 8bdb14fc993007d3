import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
	it('hashes with Argon2id and the agreed parameters, never storing the password', async () => {
		const hash = await hashPassword('samen werken aan outcome');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(hash).not.toContain('samen');
	});

	it('verifies the right password and refuses a wrong one', async () => {
		const hash = await hashPassword('samen werken aan outcome');
		expect(await verifyPassword(hash, 'samen werken aan outcome')).toBe(true);
		expect(await verifyPassword(hash, 'samen werken aan income')).toBe(false);
	});

	it('salts: the same password gives different hashes', async () => {
		expect(await hashPassword('hetzelfde wachtwoord')).not.toBe(
			await hashPassword('hetzelfde wachtwoord')
		);
	});

	it('returns false for a malformed hash instead of throwing', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
	});

	it('asks for at least 10 characters', () => {
		expect(checkNewPassword('kort')).toBe('too-short');
		expect(checkNewPassword('x'.repeat(257))).toBe('too-long');
		expect(checkNewPassword('lang genoeg nu')).toBeNull();
	});
});
