import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { FormReader } from '$lib/server/forms';
import { isMemberRole } from '$lib/domain/roles';
import { MAX_THEMES } from '$lib/server/trajectory-form';
import { boardIdOf } from '$lib/server/boards';
import { boardProgress } from '$lib/domain/progress';
import { nextMove } from '$lib/domain/agenda';
import { GLOSSARY_LIMITS } from '$lib/domain/glossary';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, trajectory, role } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'trajectory.view'
	);
	const canManage = role === 'facilitator';
	const { liveSessions } = locals.app;
	// Per theme, what to do next: prepare a session, or carry on (on the running board, if any).
	const next = Object.fromEntries(
		await Promise.all(
			trajectory.themes.map(async (theme) => {
				const cycle = await locals.app.boards.currentCycle(theme.id);
				const boardId = boardIdOf(theme.id, cycle);
				const snapshot = await locals.app.boards.snapshot(boardId, theme.name);
				const running = (await liveSessions.listForTheme(theme.id)).find(
					(s) => s.trajectoryId === trajectory.id && s.status === 'live'
				);
				const move = nextMove(
					boardProgress(snapshot).agreedSteps,
					running ? { currentStep: snapshot.control.currentStep } : null
				);
				return [theme.id, { ...move, boardId: running?.boardId ?? boardId }] as const;
			})
		)
	);
	return {
		next,
		role,
		userId: user.id,
		trajectory: {
			id: trajectory.id,
			municipality: trajectory.municipality,
			title: trajectory.title,
			description: trajectory.description,
			archived: trajectory.archivedAt !== null,
			partners: trajectory.partners,
			themes: trajectory.themes
		},
		glossary: await locals.app.trajectories.glossary.list(trajectory.id),
		members: (await locals.app.trajectories.members.list(trajectory.id)).map((mb) => ({
			userId: mb.userId,
			name: mb.name,
			email: mb.email,
			role: mb.role
		})),
		invitations: canManage
			? (await locals.app.invitations.openFor(trajectory.id)).map((i) => ({
					id: i.id,
					role: i.role,
					expiresAt: i.expiresAt
				}))
			: []
	};
};

/** Every action re-checks membership and role itself: a layout load does not guard actions. */
const edit = (event: RequestEvent) =>
	requireTrajectory(event.locals, event.url, event.params.trajectoryId, 'trajectory.edit');
const manageMembers = (event: RequestEvent) =>
	requireTrajectory(event.locals, event.url, event.params.trajectoryId, 'members.manage');

async function setArchived(event: RequestEvent, archived: boolean) {
	const { trajectory } = await requireTrajectory(
		event.locals,
		event.url,
		event.params.trajectoryId,
		'trajectory.archive'
	);
	await event.locals.app.trajectories.setArchived(trajectory.id, archived);
	return { archived };
}

export const actions: Actions = {
	addTheme: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		const name = form.text('name', { max: 80 });
		if (!form.ok) return fail(400, { themeProblems: form.problems, themeName: name });
		if (trajectory.themes.length >= MAX_THEMES)
			return fail(400, { themeProblems: { name: { code: 'too-long' as const, max: MAX_THEMES } } });
		await event.locals.app.trajectories.themes.add(trajectory.id, name);
		return { themeAdded: name };
	},
	renameTheme: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		const themeId = form.text('themeId');
		const name = form.text('name', { max: 80 });
		if (!form.ok) return fail(400, { renameProblems: form.problems, themeId });
		if (!(await event.locals.app.trajectories.themes.rename(trajectory.id, themeId, name)))
			error(404, { message: 'not-found' });
		return { themeRenamed: themeId };
	},
	moveTheme: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		const themeId = form.text('themeId');
		const direction = form.text('direction') === 'up' ? -1 : 1;
		await event.locals.app.trajectories.themes.move(trajectory.id, themeId, direction);
		return { themeMoved: themeId };
	},
	removeTheme: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		if (!(await event.locals.app.trajectories.themes.remove(trajectory.id, form.text('themeId'))))
			error(404, { message: 'not-found' });
		return { themeRemoved: true };
	},
	addTerm: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		const term = form.text('term', { max: GLOSSARY_LIMITS.term });
		const definition = form.text('definition', { max: GLOSSARY_LIMITS.meaning, required: false });
		if (!form.ok) return fail(400, { termProblems: form.problems, term, definition });
		await event.locals.app.trajectories.glossary.add(trajectory.id, { term, definition });
		event.locals.app.events.emit('glossaryChanged', { trajectoryId: trajectory.id });
		return { termAdded: true };
	},
	updateTerm: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		const id = form.text('termId');
		const term = form.text('term', { max: GLOSSARY_LIMITS.term });
		const definition = form.text('definition', { max: GLOSSARY_LIMITS.meaning, required: false });
		if (!form.ok) return fail(400, { termProblems: form.problems, termId: id });
		if (!(await event.locals.app.trajectories.glossary.update(trajectory.id, id, term, definition)))
			error(404, { message: 'not-found' });
		event.locals.app.events.emit('glossaryChanged', { trajectoryId: trajectory.id });
		return { termUpdated: true };
	},
	removeTerm: async (event) => {
		const { trajectory } = await edit(event);
		const form = new FormReader(await event.request.formData());
		if (!(await event.locals.app.trajectories.glossary.remove(trajectory.id, form.text('termId'))))
			error(404, { message: 'not-found' });
		event.locals.app.events.emit('glossaryChanged', { trajectoryId: trajectory.id });
		return { termRemoved: true };
	},
	archive: (event) => setArchived(event, true),
	unarchive: (event) => setArchived(event, false),
	invite: async (event) => {
		const { trajectory, user } = await manageMembers(event);
		const form = new FormReader(await event.request.formData());
		const role = form.text('role');
		if (!isMemberRole(role)) return fail(400, { inviteProblem: true });
		const { token } = await event.locals.app.invitations.create({
			trajectoryId: trajectory.id,
			role,
			createdBy: user.id
		});
		return {
			inviteLink: new URL(`/invite/${token}`, event.locals.app.config.origin ?? event.url.origin)
				.href
		};
	},
	revokeInvitation: async (event) => {
		const { trajectory } = await manageMembers(event);
		const form = new FormReader(await event.request.formData());
		if (!(await event.locals.app.invitations.revoke(trajectory.id, form.text('invitationId'))))
			error(404, { message: 'not-found' });
		return { invitationRevoked: true };
	},
	removeMember: async (event) => {
		const { trajectory } = await manageMembers(event);
		const form = new FormReader(await event.request.formData());
		const userId = form.text('userId');
		const result = await event.locals.app.trajectories.members.remove(trajectory.id, userId);
		if (result === 'not-found') error(404, { message: 'not-found' });
		if (result === 'last-facilitator') return fail(400, { memberProblem: 'last-facilitator' });
		event.locals.app.events.emit('accessRevoked', { userId, trajectoryId: trajectory.id });
		return { memberRemoved: true };
	}
};
