/**
 * The `since` query parameter of the overview and the exports ("wat is er veranderd sinds …"): a
 * calendar day, `YYYY-MM-DD`, read as the start of that day in UTC. Anything else: null (then each
 * theme shows what changed since its latest session).
 */
export function parseSince(value: string | null): number | null {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const ms = Date.parse(`${value}T00:00:00.000Z`);
	return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(value) ? ms : null;
}
