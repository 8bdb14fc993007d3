import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { can } from '$lib/domain/roles';
import { joinInfo, requireSession } from './session.server';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { session, theme, role, liveSessions, trajectory } = await requireSession(
		locals,
		url,
		params,
		'trajectory.view'
	);
	const participants = (await locals.app.participants.list(session.id)).map((p) => ({
		id: p.id,
		name: p.name,
		organisation: p.organisation,
		perspective: p.perspective,
		removed: p.revokedAt !== null,
		left: p.leftAt !== null
	}));
	return {
		trajectory: { id: trajectory.id, title: trajectory.title },
		theme: { id: theme.id, name: theme.name },
		session: {
			id: session.id,
			title: session.title,
			date: session.date,
			agenda: session.agenda,
			status: session.status,
			joiningOpen: session.joiningOpen,
			boardId: session.boardId,
			startedAt: session.startedAt,
			endedAt: session.endedAt
		},
		join: await joinInfo(locals.app, url, session.joinCode),
		participants,
		reopenings: (await liveSessions.reopenings(session.id)).map((r) => ({
			id: r.id,
			name: r.userName,
			at: r.at,
			endedAt: r.endedAt
		})),
		canManage: can(role, 'session.manage')
	};
};

export const actions: Actions = {
	start: async ({ locals, url, params }) => {
		const { session, liveSessions } = await requireSession(locals, url, params, 'session.manage');
		if (!(await liveSessions.start(session.id))) return fail(409, { failed: true });
		return { done: 'started' as const };
	},
	end: async ({ locals, url, params }) => {
		const { session, liveSessions } = await requireSession(locals, url, params, 'session.manage');
		if (!(await liveSessions.end(session.id))) return fail(409, { failed: true });
		return { done: 'ended' as const };
	},
	/** Reopening an ended session is a deliberate act: recorded with who and when. */
	reopen: async ({ locals, url, params }) => {
		const { session, liveSessions, user } = await requireSession(
			locals,
			url,
			params,
			'session.manage'
		);
		const result = await liveSessions.reopen(session.id, { id: user.id, name: user.name });
		if (!result.ok) return fail(409, { failed: true, reopenRefused: result.reason });
		return { done: 'reopened' as const };
	},
	joining: async ({ locals, url, params, request }) => {
		const { session, liveSessions } = await requireSession(locals, url, params, 'session.manage');
		const open = (await request.formData()).get('open') === '1';
		if (!(await liveSessions.setJoiningOpen(session.id, open))) return fail(409, { failed: true });
		return { done: open ? ('opened' as const) : ('closed' as const) };
	},
	remove: async ({ locals, url, params, request }) => {
		const { session } = await requireSession(locals, url, params, 'session.manage');
		const participantId = String((await request.formData()).get('participantId') ?? '');
		const participant = (await locals.app.participants.list(session.id)).find(
			(p) => p.id === participantId
		);
		if (!participant || !(await locals.app.participants.remove(session.id, participantId)))
			return fail(409, { failed: true });
		return { done: 'removed' as const, name: participant.name };
	}
};
