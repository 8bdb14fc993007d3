/**
 * The words of the results chain in one language, for the live view (current locale) and the
 * exports (the document's locale). Relative imports only: `src/lib/server/export` imports this too.
 */
import { m } from '../paraglide/messages.js';
import type { locales } from '../paraglide/runtime.js';
import type { ChainFlag } from '../domain/results-chain.ts';
import type { ChainTexts } from '../domain/results-chain-figure.ts';

type Locale = (typeof locales)[number];

/** Flag labels; `locale` omitted: the current one. */
export function chainFlagTexts(locale?: Locale): Record<ChainFlag, string> {
	const o = locale ? { locale } : {};
	return {
		no_agreed_ambition: m.chain_flag_no_agreed_ambition({}, o),
		outcome_without_activity: m.chain_flag_outcome_without_activity({}, o),
		outcome_without_indicator: m.chain_flag_outcome_without_indicator({}, o),
		activity_without_outcome: m.chain_flag_activity_without_outcome({}, o),
		indicator_unlinked: m.chain_flag_indicator_unlinked({}, o)
	};
}

/** Everything the drawing writes; `locale` omitted: the current one. */
export function chainTexts(locale?: Locale): ChainTexts {
	const o = locale ? { locale } : {};
	return {
		title: m.chain_title({}, o),
		columns: {
			ambition: m.chain_col_ambition({}, o),
			outcomes: m.chain_col_outcomes({}, o),
			activities: m.chain_col_activities({}, o)
		},
		flags: chainFlagTexts(locale),
		noAmbition: m.chain_no_ambition({}, o),
		notPrioritised: m.chain_not_prioritised({}, o),
		loose: m.chain_loose({}, o)
	};
}
