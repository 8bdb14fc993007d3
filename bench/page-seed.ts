/**
 * Seeds what the page benchmark and the byte-budget test load: a facilitator, a trajectory
 * ("Gemeente Kampen", partner De Kern), a started session on its theme and one participant who
 * joined it. Works on the database under KOMPAS_DATA_DIR, like the admin CLI (also while the
 * server runs). Prints one JSON line: { boardId, code, token, facilitator } (token: the
 * participant's cookie; facilitator: email and password of the session's facilitator).
 *
 *   KOMPAS_DATA_DIR=… npx tsx bench/page-seed.ts
 */
import { randomBytes } from 'node:crypto';
import { configFromEnv, createAppContext } from '../src/lib/server/context.ts';
import { createAccount } from '../src/lib/server/auth/index.ts';

export interface PageSeed {
	boardId: string;
	code: string;
	token: string;
	facilitator: { email: string; password: string };
}

const app = await createAppContext(configFromEnv());
try {
	const facilitator = {
		email: `bench-${randomBytes(6).toString('hex')}@bench.example`,
		password: randomBytes(18).toString('base64url')
	};
	const user = await createAccount(app, {
		...facilitator,
		name: 'Bench begeleider',
		kind: 'facilitator'
	});
	const trajectory = await app.trajectories.create(user.id, {
		municipality: 'Gemeente Kampen',
		title: 'Sociaal domein Kampen',
		description: '',
		partners: [{ name: 'De Kern', perspective: 'aanbieder' }],
		themes: ['werk']
	});
	const theme = trajectory.themes[0];
	const sessions = app.liveSessions;
	const session = await sessions.create({
		trajectoryId: trajectory.id,
		themeId: theme.id,
		title: 'Werk',
		date: '2026-12-01',
		agenda: [{ step: 'ambition', minutes: 20 }],
		createdBy: user.id
	});
	await sessions.start(session.id);
	const { token } = await app.participants.join({
		liveSessionId: session.id,
		name: 'Fatima',
		organisation: 'De Kern',
		perspective: 'aanbieder'
	});
	const seed: PageSeed = {
		boardId: session.boardId,
		code: session.joinCode,
		token,
		facilitator
	};
	console.log(JSON.stringify(seed));
} finally {
	await app.close();
}
