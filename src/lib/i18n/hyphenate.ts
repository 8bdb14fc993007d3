/**
 * Soft hyphens (U+00AD) at the right places in the long Dutch words of the interface, for narrow
 * boxes (step buttons on a phone). Browsers break a word only at a soft hyphen when they have no
 * Dutch hyphenation dictionary (Chromium on Linux often has none), so "Maatschappelijke" can
 * become "Maat-|schappelijke" but never "Maatschapp|elijke". Screen readers ignore soft hyphens.
 */
const SHY = '\u00ad';

/** Syllable breaks of long words, as they are hyphenated in Dutch ("·" marks a break). */
const WORDS = [
	'Maat·schap·pe·lij·ke',
	'maat·schap·pe·lij·ke',
	'Maat·schap·pe·lijk',
	'maat·schap·pe·lijk',
	'Prio·ri·te·ren',
	'Ac·ti·vi·tei·ten',
	'ac·ti·vi·tei·ten',
	'ervarings·des·kun·di·ge',
	'Rand·voor·waar·de·lijk',
	'rand·voor·waar·de·lijk'
].map((w) => ({ word: w.replaceAll('·', ''), hyphenated: w.replaceAll('·', SHY) }));

export function hyphenate(text: string): string {
	let out = text;
	for (const { word, hyphenated } of WORDS) out = out.replaceAll(word, hyphenated);
	return out;
}
