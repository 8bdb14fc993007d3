/**
 * The one "create an account" flow, shared by the first-run setup and an invitation: read name,
 * e-mail and password from the form, check them, create the account inside the caller's
 * transaction (`claim` decides whether this person may have one: the first visitor, or the holder
 * of an unused invitation), and sign the new person in.
 */
import type { Cookies } from '@sveltejs/kit';
import { checkNewAccount, hashPassword } from './auth/index.ts';
import type { AppContext } from './context.ts';
import { setSessionCookie } from './cookies.ts';
import { FormReader, type Problems } from './forms.ts';
import type { UserKind, UserRecord } from './users.ts';
import type { Executor } from './db/repository.ts';

export type SignUpResult =
	| { ok: true; user: UserRecord }
	/** The form has problems: show them with what was typed (never the password). */
	| { ok: false; values: { name: string; email: string }; problems: Problems }
	/** `claim` refused: nobody was created. */
	| { ok: false; refused: true };

export async function signUp(
	app: AppContext,
	request: Request,
	cookies: Cookies,
	/**
	 * Runs inside one unit of work `tx` (pass it to every call): create the account with
	 * `create(kind)`, or resolve to null.
	 */
	claim: (
		create: (kind: UserKind) => Promise<UserRecord>,
		tx: Executor
	) => Promise<UserRecord | null>
): Promise<SignUpResult> {
	const form = new FormReader(await request.formData());
	const values = { name: form.text('name'), email: form.text('email', { max: 254 }) };
	const password = form.password('password');
	const problems = { ...form.problems, ...(await checkNewAccount(app, { ...values, password })) };
	if (Object.keys(problems).length) return { ok: false, values, problems };
	const passwordHash = await hashPassword(password);
	const user = await app.atomically((tx) =>
		claim((kind) => app.users.create({ ...values, passwordHash, kind }, tx), tx)
	);
	if (!user) return { ok: false, refused: true };
	const { token, session } = await app.sessions.create(
		user.id,
		request.headers.get('user-agent') ?? ''
	);
	setSessionCookie(cookies, app, token, session.expiresAt);
	return { ok: true, user };
}
