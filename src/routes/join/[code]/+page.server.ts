import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { JoinError } from '$lib/server/participants';
import { lookupJoinCode } from '$lib/server/join-codes';
import { PARTICIPANT_COOKIE, setParticipantCookie } from '$lib/server/cookies';
import { SESSION_LIMITS as LIMITS } from '$lib/domain/agenda';
import { isPerspective, PERSPECTIVES, type Perspective } from '$lib/domain/roles';
import { joinAttemptKey } from '$lib/server/request';

/** The session behind the code in the URL (rate-limited like the code form), or an error state. */
async function sessionOf(event: RequestEvent) {
	const result = await lookupJoinCode(
		{ liveSessions: event.locals.app.liveSessions, limiter: event.locals.app.limits.joinPerIp },
		event.params.code,
		joinAttemptKey(event)
	);
	return { result };
}

export const load: PageServerLoad = async (event) => {
	const { result } = await sessionOf(event);
	if (!result.ok) {
		if (result.reason === 'rate-limited')
			return { state: 'rate-limited' as const, retryAfterSeconds: result.retryAfterSeconds };
		return { state: 'not-found' as const };
	}
	const session = result.session;
	if (event.params.code !== session.joinCode) redirect(303, `/join/${session.joinCode}`);
	const base = { title: session.title };
	if (session.status === 'ended') return { ...base, state: 'ended' as const };

	const device = await event.locals.app.participants.byDevice(
		session.id,
		event.cookies.get(PARTICIPANT_COOKIE)
	);
	if (device?.revokedAt) return { ...base, state: 'removed' as const };
	if (device && !event.url.searchParams.has('nieuw'))
		return { ...base, state: 'known' as const, name: device.name, boardId: session.boardId };
	if (!session.joiningOpen) return { ...base, state: 'closed' as const };

	const trajectory = await event.locals.app.trajectories.get(session.trajectoryId);
	return {
		...base,
		state: 'form' as const,
		fresh: device !== null,
		partners: (trajectory?.partners ?? []).map((p) => ({
			id: p.id,
			name: p.name,
			perspective: p.perspective
		})),
		perspectives: PERSPECTIVES
	};
};

type Problem = 'missing' | 'too-long' | 'organisation' | 'perspective';

export const actions: Actions = {
	default: async (event) => {
		const { result } = await sessionOf(event);
		if (!result.ok) {
			if (result.reason === 'rate-limited')
				return fail(429, {
					refused: 'rate-limited' as const,
					retryAfterSeconds: result.retryAfterSeconds
				});
			return fail(404, { refused: 'not-found' as const });
		}
		const session = result.session;
		const data = await event.request.formData();
		const text = (name: string) => {
			const value = data.get(name);
			return typeof value === 'string' ? value.trim() : '';
		};
		const name = text('name');
		const choice = text('organisationChoice');
		const other = text('organisationOther');
		const chosenPerspective = text('perspective');
		const fresh = text('fresh') === '1';

		const partners =
			(await event.locals.app.trajectories.get(session.trajectoryId))?.partners ?? [];
		const partner = partners.find((p) => p.id === choice);
		const organisation = partner ? partner.name : choice === 'none' ? '' : other; // 'other', or nothing chosen but a name typed
		// Without scripts the form cannot pre-select the partner's perspective: the server does.
		const perspective = chosenPerspective || partner?.perspective || '';

		const problems: Record<string, Problem> = {};
		if (!name) problems.name = 'missing';
		else if (name.length > LIMITS.name) problems.name = 'too-long';
		if (!partner && choice !== 'none' && !other) problems.organisation = 'organisation';
		else if (organisation.length > LIMITS.organisation) problems.organisation = 'too-long';
		if (!isPerspective(perspective)) problems.perspective = 'perspective';

		const values = { name, organisationChoice: choice, organisationOther: other, perspective };
		if (Object.keys(problems).length) return fail(400, { problems, values });

		const device = await event.locals.app.participants.byDevice(
			session.id,
			event.cookies.get(PARTICIPANT_COOKIE)
		);
		if (device?.revokedAt) return fail(403, { refused: 'removed' as const, values });
		try {
			const { token } = await event.locals.app.participants.join({
				liveSessionId: session.id,
				name,
				organisation,
				perspective: perspective as Perspective,
				deviceToken: fresh ? null : event.cookies.get(PARTICIPANT_COOKIE)
			});
			setParticipantCookie(event.cookies, event.locals.app, token);
		} catch (e) {
			if (e instanceof JoinError) return fail(409, { refused: e.reason, values });
			throw e;
		}
		redirect(303, `/b/${session.boardId}`);
	}
};
