import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireTrajectory } from '$lib/server/guard';
import { can } from '$lib/domain/roles';
import type { Trajectory } from '$lib/server/trajectories';
import { startNextCycle } from '$lib/server/cycles';
import { boardIdOf } from '$lib/server/boards';
import { boardProgress } from '$lib/domain/progress';
import {
	AGENDA_STEPS,
	isIsoDate,
	SESSION_LIMITS as LIMITS,
	suggestedAgenda,
	type AgendaItem
} from '$lib/domain/agenda';

/** The theme of this trajectory, or 404: a theme of another trajectory is not revealed. */
const themeOf = (trajectory: Trajectory, themeId: string) => {
	const theme = trajectory.themes.find((t) => t.id === themeId);
	if (!theme) error(404, { message: 'not-found' });
	return theme;
};

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { trajectory, role } = await requireTrajectory(
		locals,
		url,
		params.trajectoryId,
		'trajectory.view'
	);
	const theme = themeOf(trajectory, params.themeId);
	const sessions = (await locals.app.liveSessions.listForTheme(theme.id)).filter(
		(s) => s.trajectoryId === trajectory.id
	);
	const current = await locals.app.boards.currentCycle(theme.id);
	const cycles = [
		...new Set([
			...Array.from({ length: current }, (_, i) => i + 1),
			...sessions.map((s) => s.cycle)
		])
	].sort((a, b) => a - b);
	// A new session starts from the steps this cycle has not finished, each with its usual time.
	const finished = boardProgress(
		await locals.app.boards.snapshot(boardIdOf(theme.id, current), theme.name)
	).agreedSteps;
	return {
		suggested: suggestedAgenda(finished),
		sessionNumber: sessions.length + 1,
		trajectory: { id: trajectory.id, title: trajectory.title },
		theme: { id: theme.id, name: theme.name },
		boards: cycles.map((cycle) => ({ cycle, boardId: `${theme.id}.${cycle}` })),
		sessions: sessions.map((s) => ({
			id: s.id,
			title: s.title,
			date: s.date,
			status: s.status,
			cycle: s.cycle,
			minutes: s.agenda.reduce((sum, item) => sum + item.minutes, 0)
		})),
		currentCycle: current,
		canManage: can(role, 'session.manage'),
		today: locals.app.now().toISOString().slice(0, 10)
	};
};

type Problem =
	| { code: 'missing' }
	| { code: 'too-long'; max: number }
	| { code: 'date' }
	| { code: 'agenda' }
	| { code: 'minutes' };

export const actions: Actions = {
	create: async ({ locals, url, params, request }) => {
		const { user, trajectory } = await requireTrajectory(
			locals,
			url,
			params.trajectoryId,
			'session.manage'
		);
		const theme = themeOf(trajectory, params.themeId);
		const data = await request.formData();
		const text = (name: string) => {
			const value = data.get(name);
			return typeof value === 'string' ? value.trim() : '';
		};
		const title = text('title');
		const date = text('date');
		const chosen = new Set(data.getAll('step').filter((s) => typeof s === 'string'));
		const minutes = Object.fromEntries(AGENDA_STEPS.map((step) => [step, text(`minutes-${step}`)]));

		const problems: Record<string, Problem> = {};
		if (!title) problems.title = { code: 'missing' };
		else if (title.length > LIMITS.title) problems.title = { code: 'too-long', max: LIMITS.title };
		if (!isIsoDate(date)) problems.date = { code: 'date' };
		const agenda: AgendaItem[] = [];
		for (const step of AGENDA_STEPS) {
			if (!chosen.has(step)) continue;
			const value = Number(minutes[step]);
			if (!/^\d+$/.test(minutes[step]) || value < 1 || value > LIMITS.minutes)
				problems.agenda ??= { code: 'minutes' };
			agenda.push({ step, minutes: value });
		}
		if (agenda.length === 0) problems.agenda = { code: 'agenda' };

		if (Object.keys(problems).length)
			return fail(400, {
				problems,
				values: { title, date, steps: [...chosen].map(String), minutes }
			});
		const { liveSessions } = locals.app;
		const session = await liveSessions.create({
			trajectoryId: trajectory.id,
			themeId: theme.id,
			cycle: await locals.app.boards.currentCycle(theme.id),
			title,
			date,
			agenda,
			createdBy: user.id
		});
		// "Start now": the session runs and the facilitator lands on the board, join code on screen.
		if (data.get('then') === 'start' && (await liveSessions.start(session.id)))
			redirect(303, `/b/${session.boardId}`);
		redirect(303, `/t/${trajectory.id}/sessions/${session.id}`);
	},

	/** Reflection done: a new cycle carries the agreed ambition and outcomes forward. */
	nextCycle: async ({ locals, url, params }) => {
		const { trajectory } = await requireTrajectory(
			locals,
			url,
			params.trajectoryId,
			'session.manage'
		);
		const theme = themeOf(trajectory, params.themeId);
		const result = await startNextCycle(locals.app, { id: theme.id, name: theme.name });
		if (!result.ok) return fail(409, { cycleProblem: result.reason });
		return { cycleStarted: result.cycle };
	}
};
