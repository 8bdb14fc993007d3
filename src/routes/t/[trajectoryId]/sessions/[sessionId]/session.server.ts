import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { requireTrajectory } from '$lib/server/guard';
import { formatJoinCode } from '$lib/server/join-codes';
import type { Action } from '$lib/domain/roles';

/**
 * The session of this trajectory, after checking that the user may do `action` on the trajectory.
 * A session of another trajectory gets 404, like a trajectory the user is no member of.
 */
export async function requireSession(
	locals: App.Locals,
	url: URL,
	params: { trajectoryId: string; sessionId: string },
	action: Action
) {
	const access = await requireTrajectory(locals, url, params.trajectoryId, action);
	const { liveSessions } = locals.app;
	const session = await liveSessions.get(params.sessionId);
	if (!session || session.trajectoryId !== access.trajectory.id)
		error(404, { message: 'not-found' });
	const theme = access.trajectory.themes.find((t) => t.id === session.themeId);
	if (!theme) error(404, { message: 'not-found' });
	return { ...access, session, theme, liveSessions };
}

/** The join link, its readable form and a QR code for it, made here (no outside service). */
export async function joinInfo(app: App.Locals['app'], url: URL, code: string) {
	const origin = app.config.origin ?? url.origin;
	const joinUrl = `${origin}/join/${code}`;
	const qrSvg = await QRCode.toString(joinUrl, {
		type: 'svg',
		errorCorrectionLevel: 'M',
		margin: 2,
		color: { dark: '#000000', light: '#ffffff' }
	});
	return {
		joinUrl,
		code: formatJoinCode(code),
		qrSvg
	};
}
