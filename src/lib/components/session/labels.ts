import { m } from '$lib/paraglide/messages.js';
import type { Perspective } from '$lib/domain/roles';
import type { StepId } from '$lib/domain/steps';
import type { ResultGroup } from '$lib/domain/votes';

/** Labels of the session pages (messages/session). */

export const stepLabel = (step: StepId): string =>
	({
		ambition: m.session_step_ambition,
		outcomes: m.session_step_outcomes,
		priorities: m.session_step_priorities,
		activities: m.session_step_activities,
		measurement: m.session_step_measurement,
		reflection: m.session_step_reflection
	})[step]();

export const statusLabel = (status: 'planned' | 'live' | 'ended'): string =>
	({
		planned: m.session_status_planned,
		live: m.session_status_live,
		ended: m.session_status_ended
	})[status]();

/** A perspective as participants read it, with a one-line explanation in plain language. */
export const perspectiveText = (p: Perspective): { label: string; hint: string } =>
	({
		gemeente: {
			label: m.session_perspective_gemeente(),
			hint: m.session_perspective_gemeente_hint()
		},
		aanbieder: {
			label: m.session_perspective_aanbieder(),
			hint: m.session_perspective_aanbieder_hint()
		},
		professional: {
			label: m.session_perspective_professional(),
			hint: m.session_perspective_professional_hint()
		},
		inwoner: { label: m.session_perspective_inwoner(), hint: m.session_perspective_inwoner_hint() },
		anders: { label: m.session_perspective_anders(), hint: m.session_perspective_anders_hint() }
	})[p];

/** A `YYYY-MM-DD` day in the user's language, e.g. "1 december 2026". */
export const formatDay = (day: string, locale: string): string =>
	new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(new Date(`${day}T00:00:00Z`));

export const formatTime = (date: Date, locale: string): string =>
	new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nl-NL', { timeStyle: 'short' }).format(date);

export const formatDateTime = (date: Date, locale: string): string =>
	new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'long',
		timeStyle: 'short'
	}).format(date);

/**
 * Whose votes a count holds: a perspective, or a group of an anonymous round (`OTHER_GROUP`,
 * `ALL_GROUP` in domain/votes.ts; spelled out here so that this module, which every page loads,
 * does not pull the voting module into a chunk of its own).
 */
export const groupLabel = (group: ResultGroup): string =>
	group === 'overig'
		? m.anon_group_other()
		: group === 'samen'
			? m.anon_group_all()
			: perspectiveText(group).label;
