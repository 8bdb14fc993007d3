/**
 * The `since` query parameter of the overview and the exports ("wat is er veranderd sinds …"): a
 * calendar day, `YYYY-MM-DD`, read as the start of that day in the Netherlands (midnight in
 * {@link SINCE_TIME_ZONE}, CET or CEST as daylight saving has it that day). Anything else: null (then
 * each theme shows what changed since its latest session).
 */

/** The time zone whose midnight starts a "since" day: the workshops happen in the Netherlands. */
export const SINCE_TIME_ZONE = 'Europe/Amsterdam';

const clock = new Intl.DateTimeFormat('en-US', {
	timeZone: SINCE_TIME_ZONE,
	hourCycle: 'h23',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	second: 'numeric'
});

/** How far the zone's clock is ahead of UTC at `utcMs` (one or two hours), in ms. */
function zoneOffset(utcMs: number): number {
	const part: Record<string, number> = {};
	for (const { type, value } of clock.formatToParts(new Date(utcMs))) part[type] = Number(value);
	const wall = Date.UTC(
		part.year!,
		part.month! - 1,
		part.day!,
		part.hour!,
		part.minute!,
		part.second!
	);
	return wall - Math.floor(utcMs / 1000) * 1000;
}

export function parseSince(value: string | null): number | null {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const utcMidnight = Date.parse(`${value}T00:00:00.000Z`);
	if (!Number.isFinite(utcMidnight) || !new Date(utcMidnight).toISOString().startsWith(value))
		return null;
	// The clocks change at 02:00/03:00, never at midnight: the offset one guess away is the day's.
	return utcMidnight - zoneOffset(utcMidnight - zoneOffset(utcMidnight));
}

const dayParts = new Intl.DateTimeFormat('en-US', {
	timeZone: SINCE_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/**
 * The calendar day (`YYYY-MM-DD`) a moment falls on in the Netherlands: how a "since" day (or a
 * session's start) is named again, so that `parseSince(day)` read back gives the same day.
 */
export function dayInNetherlands(ms: number): string {
	const part: Record<string, string> = {};
	for (const { type, value } of dayParts.formatToParts(new Date(ms))) part[type] = value;
	return `${part.year}-${part.month}-${part.day}`;
}
