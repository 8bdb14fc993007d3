/**
 * Test people and boards, made with the app's own repositories: accounts (createAccount),
 * trajectories with a theme, memberships, live sessions and participants (app.liveSessions,
 * app.participants). Every repository call is awaited, so the fixtures work on the synchronous
 * SQLite repositories and on their async forms (Kysely on SQLite or PostgreSQL).
 */
import type { AppContext } from '../../../src/lib/server/context.ts';
import { createAccount, SESSION_COOKIE } from '../../../src/lib/server/auth/index.ts';
import { PARTICIPANT_COOKIE } from '../../../src/lib/server/cookies.ts';
import type { Perspective } from '../../../src/lib/domain/roles.ts';

export interface Person {
	id: string;
	name: string;
	/** The `Cookie` header that identifies this person. */
	cookie: string;
}

export interface BoardFixture {
	trajectoryId: string;
	themeId: string;
	boardId: string;
	liveSessionId: string;
	facilitator: Person;
}

let counter = 0;

/** An account with a session; `kind` decides what it may become on trajectories. */
export async function account(
	app: AppContext,
	kind: 'facilitator' | 'observer',
	name = `${kind} ${++counter}`
): Promise<Person> {
	const user = await createAccount(app, {
		name,
		email: `${kind}${counter}-${Date.now()}@example.org`,
		password: 'correct horse battery staple',
		kind
	});
	const { token } = await app.sessions.create(user.id, 'test');
	return { id: user.id, name, cookie: `${SESSION_COOKIE}=${token}` };
}

/** A trajectory with one theme, its facilitator and a live session on cycle 1 of that theme. */
export async function board(app: AppContext): Promise<BoardFixture> {
	const facilitator = await account(app, 'facilitator');
	const trajectory = await app.trajectories.create(facilitator.id, {
		municipality: 'Testdorp',
		title: 'Jeugd',
		description: '',
		partners: [],
		themes: ['Thuis']
	});
	const themeId = trajectory.themes[0].id;
	const session = await app.liveSessions.create({
		trajectoryId: trajectory.id,
		themeId,
		title: 'Bijeenkomst',
		date: '2026-11-23',
		agenda: []
	});
	return {
		trajectoryId: trajectory.id,
		themeId,
		boardId: session.boardId,
		liveSessionId: session.id,
		facilitator
	};
}

/** A member account of the fixture's trajectory with `role`. */
export async function member(
	app: AppContext,
	fixture: BoardFixture,
	role: 'facilitator' | 'observer'
): Promise<Person> {
	const person = await account(app, role);
	await app.trajectories.members.add(fixture.trajectoryId, person.id, role);
	return person;
}

/** A participant who joined the fixture's live session by code. */
export async function participant(
	app: AppContext,
	fixture: Pick<BoardFixture, 'liveSessionId'>,
	perspective: Perspective = 'inwoner',
	name = `deelnemer ${++counter}`
): Promise<Person & { perspective: Perspective }> {
	const { token, participant } = await app.participants.join({
		liveSessionId: fixture.liveSessionId,
		name,
		organisation: 'Buurt',
		perspective
	});
	return {
		id: participant.id,
		name,
		perspective,
		cookie: `${PARTICIPANT_COOKIE}=${encodeURIComponent(token)}`
	};
}
