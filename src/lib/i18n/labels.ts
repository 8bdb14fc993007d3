import { m } from '$lib/paraglide/messages.js';
import type { MemberRole, Perspective } from '$lib/domain/roles';

export const perspectiveLabel = (p: Perspective): string =>
	({
		gemeente: m.perspective_gemeente,
		aanbieder: m.perspective_aanbieder,
		professional: m.perspective_professional,
		inwoner: m.perspective_inwoner,
		anders: m.perspective_anders
	})[p]();

export const roleLabel = (role: MemberRole): string =>
	role === 'facilitator' ? m.role_facilitator() : m.role_observer();

/** A date and time in the user's language. */
export const formatDateTime = (date: Date, locale: string): string =>
	new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'long',
		timeStyle: 'short'
	}).format(date);
