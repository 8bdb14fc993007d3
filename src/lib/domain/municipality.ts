/**
 * The place name of a municipality as people type it ("Gemeente Kampen", "gemeente  Kampen",
 * "Kampen"): "Kampen". Titles say "gemeente {place}" themselves, so "Gemeente Kampen" must not
 * become "gemeente Gemeente Kampen".
 */
export function municipalityPlace(name: string): string {
	const place = name.trim().replace(/^(gemeente|municipality of)\s+/i, '');
	return place || name.trim();
}
