import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the OWASP minimum: 19 MiB memory, 2 iterations, 1 lane (OWASP Password Storage Cheat Sheet). */
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** Hashes a password with Argon2id; the result holds its own salt and parameters. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

/** True when `password` matches `passwordHash`; false (never throws) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

export type PasswordProblem = 'too-short' | 'too-long';

/** Why a new password is not acceptable, or null when it is. */
export function checkNewPassword(password: string): PasswordProblem | null {
	if (password.length < PASSWORD_MIN_LENGTH) return 'too-short';
	if (password.length > PASSWORD_MAX_LENGTH) return 'too-long';
	return null;
}
