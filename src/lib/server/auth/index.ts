/**
 * The one auth module every door calls: SvelteKit hooks and actions, the websocket upgrade
 * (server/upgrade.ts) and the admin command line. No `$env` or `$app` inside, so that code outside
 * SvelteKit can import it by relative path.
 */
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE, type SessionValidation } from './sessions.ts';
import {
	checkNewPassword,
	hashPassword,
	verifyPassword,
	PASSWORD_MAX_LENGTH
} from './passwords.ts';
import type { FieldProblem } from '../../forms.ts';
import { isEmail, type UserRecord } from '../users.ts';

export { SESSION_COOKIE } from './sessions.ts';
export { hashPassword, verifyPassword, checkNewPassword } from './passwords.ts';

/** Reads one cookie from a raw `Cookie` header (for websocket upgrades, where there is no Kit); never throws. */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const [key, ...rest] = part.trim().split('=');
		if (key !== name) continue;
		try {
			return decodeURIComponent(rest.join('='));
		} catch {
			return null; // malformed percent-encoding: treat as no cookie
		}
	}
	return null;
}

/** Validates the session behind a `Cookie` header, or null. */
export async function authenticateCookieHeader(
	app: AppContext,
	cookieHeader: string | undefined
): Promise<SessionValidation | null> {
	const token = readCookie(cookieHeader, SESSION_COOKIE);
	return token ? app.sessions.validate(token) : null;
}

export type LoginResult =
	| { ok: true; user: UserRecord; token: string; expiresAt: Date }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Checks e-mail and password, rate-limited per account and per IP (only failures count; a success
 * clears the account's counter). On success a session is created.
 */
export async function login(
	app: AppContext,
	input: { email: string; password: string; ip: string; userAgent: string }
): Promise<LoginResult> {
	const accountKey = input.email.trim().toLowerCase();
	for (const check of [
		await app.limits.loginPerAccount.blocked(accountKey),
		await app.limits.loginPerIp.blocked(input.ip)
	])
		if (!check.allowed)
			return { ok: false, reason: 'rate-limited', retryAfterSeconds: check.retryAfterSeconds };

	const user = await app.users.byEmail(input.email);
	// Verify against a dummy hash when the account does not exist, so timing does not tell.
	const valid = user
		? await verifyPassword(user.passwordHash, input.password)
		: (await verifyPassword(await dummyHash(), input.password), false);
	if (!user || !valid) {
		await app.limits.loginPerAccount.consume(accountKey);
		await app.limits.loginPerIp.consume(input.ip);
		return { ok: false, reason: 'invalid' };
	}
	await app.limits.loginPerAccount.reset(accountKey);
	const { token, session } = await app.sessions.create(user.id, input.userAgent);
	return { ok: true, user, token, expiresAt: session.expiresAt };
}

// A hash of a random string, made once: only used to spend the same time on unknown accounts.
let dummy: Promise<string> | null = null;
const dummyHash = () => (dummy ??= hashPassword(crypto.randomUUID()));

/** Validates the fields of a new account; returns the problems per field (empty when fine). */
export async function checkNewAccount(
	app: AppContext,
	input: { name: string; email: string; password: string }
): Promise<Partial<Record<'name' | 'email' | 'password', FieldProblem>>> {
	const problems: Partial<Record<'name' | 'email' | 'password', FieldProblem>> = {};
	if (!input.name.trim()) problems.name = { code: 'name-missing' };
	if (!isEmail(input.email.trim())) problems.email = { code: 'email-invalid' };
	else if (await app.users.byEmail(input.email)) problems.email = { code: 'email-taken' };
	const password = checkNewPassword(input.password);
	if (password === 'too-short') problems.password = { code: 'too-short' };
	if (password === 'too-long') problems.password = { code: 'too-long', max: PASSWORD_MAX_LENGTH };
	return problems;
}

/** Creates an account (password hashed here). Call `checkNewAccount` first. */
export async function createAccount(
	app: AppContext,
	input: { name: string; email: string; password: string; kind: UserRecord['kind'] }
): Promise<UserRecord> {
	return app.users.create({
		name: input.name,
		email: input.email,
		kind: input.kind,
		passwordHash: await hashPassword(input.password)
	});
}
