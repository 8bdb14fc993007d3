import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from './auth/sessions.ts';
import type { Trajectory } from './trajectories.ts';
import { can, type Action, type MemberRole } from '../domain/roles.ts';

/**
 * The checks every page load, form action and endpoint starts with. A layout `load` does not guard
 * actions, so each door calls these itself.
 */

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
}

/**
 * The trajectory and the user's role on it, when the role allows `action`.
 * A non-member gets 404 (the trajectory's existence is not revealed); a member whose role does not
 * allow the action gets 403.
 */
export async function requireTrajectory(
	locals: App.Locals,
	url: URL,
	trajectoryId: string,
	action: Action
): Promise<{ user: SessionUser; trajectory: Trajectory; role: MemberRole }> {
	const user = requireUser(locals, url);
	const role = await locals.app.trajectories.roleOf(trajectoryId, user.id);
	const trajectory = role ? await locals.app.trajectories.get(trajectoryId) : null;
	if (!role || !trajectory) error(404, { message: 'not-found' });
	if (!can(role, action)) error(403, { message: 'forbidden' });
	return { user, trajectory, role };
}

/** Facilitator accounts may create trajectories and invite facilitators; observers may not. */
export function requireFacilitatorAccount(locals: App.Locals, url: URL): SessionUser {
	const user = requireUser(locals, url);
	if (user.kind !== 'facilitator') error(403, { message: 'forbidden' });
	return user;
}
