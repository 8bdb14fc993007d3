/**
 * Join codes for live sessions: short, easy to read aloud and type on a phone.
 *
 * The alphabet leaves out the look-alikes 0/O, 1/I/L, so a code read from a projector cannot be
 * mistyped into another valid code. Codes are case-insensitive: input is normalised (upper case,
 * spaces and dashes removed) before lookup. `lookupJoinCode` looks a typed code up, rate-limited.
 */
import type { Limiter } from './auth/rate-limit.ts';
import type { LiveSession, LiveSessions } from './live-sessions.ts';

/** 31 symbols: A–Z without I, L, O, and 2–9. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** 31^6 ≈ 887 million codes; with a per-IP rate limit on misses, guessing one is impractical. */
export const JOIN_CODE_LENGTH = 6;

const VALID = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/** A fresh random join code (uniform over the alphabet: rejection sampling, no modulo bias). */
export function generateJoinCode(
	random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = fillRandom
): string {
	const limit = 256 - (256 % JOIN_CODE_ALPHABET.length);
	let code = '';
	while (code.length < JOIN_CODE_LENGTH) {
		for (const byte of random(new Uint8Array(JOIN_CODE_LENGTH * 2))) {
			if (byte >= limit) continue;
			code += JOIN_CODE_ALPHABET[byte % JOIN_CODE_ALPHABET.length];
			if (code.length === JOIN_CODE_LENGTH) break;
		}
	}
	return code;
}

const fillRandom = (bytes: Uint8Array<ArrayBuffer>): Uint8Array => crypto.getRandomValues(bytes);

/** What the user typed, as a code: upper case, without spaces, dashes or dots. */
export function normaliseJoinCode(input: string): string {
	return input.toUpperCase().replace(/[\s\-.]/g, '');
}

/** Whether `code` (already normalised) could be a join code. */
export function isJoinCode(code: string): boolean {
	return VALID.test(code);
}

/** A code as shown on screen, in two groups of three: `ABC DEF`. */
export function formatJoinCode(code: string): string {
	return `${code.slice(0, 3)} ${code.slice(3)}`;
}

/**
 * Generates codes until `isTaken` says one is free. With 887 million codes a collision is rare; after
 * `attempts` tries it gives up rather than loop forever.
 * @throws Error when no free code was found.
 */
export function uniqueJoinCode(
	isTaken: (code: string) => boolean,
	generate: () => string = () => generateJoinCode(),
	attempts = 20
): string {
	for (let i = 0; i < attempts; i++) {
		const code = generate();
		if (!isTaken(code)) return code;
	}
	throw new Error('no free join code found');
}

export type CodeLookup =
	| { ok: true; session: LiveSession }
	| { ok: false; reason: 'invalid' | 'not-found' }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Looks a typed code up, rate-limited per `key` (request.ts `joinAttemptKey`: the account, or the
 * address for everyone else): only misses count (a room full of people behind one Wi-Fi address
 * must be able to join), and a blocked key gets no answer, not even for a right code, until its
 * wait is over (else the answers would still tell a guesser which code exists).
 */
export async function lookupJoinCode(
	deps: { liveSessions: Pick<LiveSessions, 'byJoinCode'>; limiter: Limiter },
	input: string,
	key: string
): Promise<CodeLookup> {
	const blocked = await deps.limiter.blocked(key);
	if (!blocked.allowed)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: blocked.retryAfterSeconds };
	const code = normaliseJoinCode(input);
	const session = isJoinCode(code) ? await deps.liveSessions.byJoinCode(code) : null;
	if (session) return { ok: true, session };
	const attempt = await deps.limiter.consume(key);
	if (!attempt.allowed)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: attempt.retryAfterSeconds };
	return { ok: false, reason: isJoinCode(code) ? 'not-found' : 'invalid' };
}
