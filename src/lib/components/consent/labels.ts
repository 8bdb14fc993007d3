/** Words of the consent round (messages/consent): answers, subjects, provenance. */
import { m } from '$lib/paraglide/messages.js';
import type { ConsentAnswer, ConsentProvenance, ConsentSubject } from '$lib/domain/consent';

export const answerText = (answer: ConsentAnswer): string =>
	({
		akkoord: m.consent_answer_akkoord,
		bezwaar: m.consent_answer_bezwaar,
		parkeren: m.consent_answer_parkeren
	})[answer]();

export const answerHint = (answer: ConsentAnswer): string =>
	({
		akkoord: m.consent_answer_akkoord_hint,
		bezwaar: m.consent_answer_bezwaar_hint,
		parkeren: m.consent_answer_parkeren_hint
	})[answer]();

/** "de ambitie", "een activiteit" (inside a sentence). */
export const subjectText = (subject: ConsentSubject): string =>
	({
		ambition: m.consent_subject_ambition,
		priorities: m.consent_subject_priorities,
		activity: m.consent_subject_activity
	})[subject]();

/** "De ambitie" (an option, a label). */
export const subjectOption = (subject: ConsentSubject): string => {
	const text = subjectText(subject);
	return text.charAt(0).toUpperCase() + text.slice(1);
};

/** "Vastgesteld bij consent, ronde 2, 0 bezwaren". */
export const provenanceText = (p: ConsentProvenance): string =>
	m.consent_provenance({ round: p.round, objections: p.objections });
