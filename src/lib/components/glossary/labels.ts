/**
 * Words of the live glossary: problems, status, and the short text a marked term shows.
 */
import { m } from '$lib/paraglide/messages.js';
import {
	GLOSSARY_LIMITS,
	readingProblem,
	readingsByPerspective,
	termProblem,
	type GlossaryProblem,
	type GlossaryStatus,
	type GlossaryTerm
} from '$lib/domain/glossary';
import { perspectiveText } from '$lib/components/session/labels';

export function glossaryProblemText(problem: GlossaryProblem): string {
	switch (problem) {
		case 'term_empty':
			return m.glossary_error_term_empty();
		case 'term_too_long':
			return m.glossary_error_term_too_long({ max: GLOSSARY_LIMITS.term });
		case 'text_empty':
			return m.glossary_error_text_empty();
		case 'text_too_long':
			return m.glossary_error_text_too_long({ max: GLOSSARY_LIMITS.meaning });
	}
}

/** The problem with a term's name in words, or null. */
export const termError = (term: string) => {
	const problem = termProblem(term);
	return problem ? glossaryProblemText(problem) : null;
};

/** The problem with a reading (or an agreed meaning: `allowEmpty`) in words, or null. */
export const readingError = (text: string, allowEmpty = false) => {
	const problem = readingProblem(text, allowEmpty);
	return problem ? glossaryProblemText(problem) : null;
};

export const statusText = (status: GlossaryStatus) =>
	status === 'agreed' ? m.glossary_status_agreed() : m.glossary_status_open();

/**
 * What a marked term on a card says: the agreed meaning, or (open) each perspective's readings,
 * and the open question.
 */
export function termSummary(term: GlossaryTerm): { label: string; text: string }[] {
	const lines: { label: string; text: string }[] = [];
	if (term.status === 'agreed' && term.meaning)
		lines.push({ label: m.glossary_agreed_meaning(), text: term.meaning });
	else {
		lines.push({ label: m.glossary_status_label({ status: statusText(term.status) }), text: '' });
		for (const group of readingsByPerspective(term))
			lines.push({
				label: perspectiveText(group.perspective).label,
				text: group.readings.map((r) => r.text).join(' / ')
			});
		if (term.readings.length === 0) lines.push({ label: '', text: m.glossary_no_readings() });
	}
	if (term.note) lines.push({ label: '', text: m.glossary_open_question({ note: term.note }) });
	return lines;
}
