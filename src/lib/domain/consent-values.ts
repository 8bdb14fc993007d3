/**
 * The values of consent rounds (domain/consent.ts): answers, subjects, statuses, limits. A module
 * of their own so that the board's field declarations need only these, not the rules.
 */
export const CONSENT_ANSWERS = ['akkoord', 'bezwaar', 'parkeren'] as const;
export type ConsentAnswer = (typeof CONSENT_ANSWERS)[number];

/** What a proposal is about. */
export const CONSENT_SUBJECTS = ['ambition', 'priorities', 'activity'] as const;
export type ConsentSubject = (typeof CONSENT_SUBJECTS)[number];

/**
 * `open`: participants answer (answers hidden); `revealed`: the result is shown, no more answers;
 * `adopted`: agreed by consent; `parked`: put aside with a note.
 */
export const CONSENT_STATUSES = ['open', 'revealed', 'adopted', 'parked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CONSENT_LIMITS = {
	/** The proposal's wording. */
	textMax: 2000,
	/** A bezwaar's reason or a parkeren note (participants), a parking note (facilitator). */
	reasonMax: 1000,
	roundsMax: 20,
	cardIdsMax: 200
} as const;
