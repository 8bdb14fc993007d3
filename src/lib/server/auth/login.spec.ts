import { describe, expect, it } from 'vitest';
import { createAppContext } from '../context.ts';
import { createAccount, login, readCookie } from './index.ts';

const app = () => createAppContext({ dataDir: ':memory:', secureCookies: false, origin: null });

describe('login', () => {
	it('creates a session for the right password', async () => {
		const ctx = await app();
		await createAccount(ctx, {
			name: 'Karin',
			email: 'Karin@Kampen.nl',
			password: 'een goed wachtwoord',
			kind: 'facilitator'
		});
		const result = await login(ctx, {
			email: 'karin@kampen.nl',
			password: 'een goed wachtwoord',
			ip: '1.1.1.1',
			userAgent: 'test'
		});
		expect(result.ok).toBe(true);
		if (result.ok) expect((await ctx.sessions.validate(result.token))?.user.name).toBe('Karin');
	});

	it('blocks an account after 5 failures, even with the right password, and says how long', async () => {
		const ctx = await app();
		await createAccount(ctx, {
			name: 'K',
			email: 'k@kampen.nl',
			password: 'een goed wachtwoord',
			kind: 'facilitator'
		});
		for (let i = 0; i < 5; i++) {
			const r = await login(ctx, {
				email: 'k@kampen.nl',
				password: 'fout wachtwoord',
				ip: `10.0.0.${i}`,
				userAgent: ''
			});
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const blocked = await login(ctx, {
			email: 'k@kampen.nl',
			password: 'een goed wachtwoord',
			ip: '10.0.0.9',
			userAgent: ''
		});
		expect(blocked.ok).toBe(false);
		if (!blocked.ok && blocked.reason === 'rate-limited')
			expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
		else expect.fail('expected rate-limited');
	});

	it('blocks an IP after 20 failures across accounts', async () => {
		const ctx = await app();
		for (let i = 0; i < 20; i++)
			await login(ctx, {
				email: `x${i}@kampen.nl`,
				password: 'fout',
				ip: '9.9.9.9',
				userAgent: ''
			});
		const r = await login(ctx, {
			email: 'nieuw@kampen.nl',
			password: 'fout',
			ip: '9.9.9.9',
			userAgent: ''
		});
		expect(r).toMatchObject({ ok: false, reason: 'rate-limited' });
	});
});

describe('readCookie', () => {
	it('reads one cookie from a header', () => {
		expect(readCookie('a=1; kompas_session=abc%3D; b=2', 'kompas_session')).toBe('abc=');
		expect(readCookie(undefined, 'x')).toBeNull();
		expect(readCookie('a=1', 'x')).toBeNull();
		expect(readCookie('kompas_session=%E0%A4%A', 'kompas_session')).toBeNull();
	});
});
