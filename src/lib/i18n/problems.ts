import { m } from '$lib/paraglide/messages.js';
import type { FieldProblem } from '$lib/forms';

/** The message for a form problem reported by the server. */
export function problemMessage(problem: FieldProblem | undefined): string | undefined {
	if (!problem) return undefined;
	switch (problem.code) {
		case 'missing':
			return m.error_field_missing();
		case 'too-long':
			return m.error_field_too_long({ max: problem.max });
		case 'perspective-invalid':
			return m.error_perspective_invalid();
		case 'confirm-mismatch':
			return m.error_confirm_mismatch({ expected: problem.expected });
		case 'name-missing':
			return m.error_name_missing();
		case 'email-invalid':
			return m.error_email_invalid();
		case 'email-taken':
			return m.error_email_taken();
		case 'too-short':
			return m.error_too_short();
		case 'password-wrong':
			return m.error_password_wrong();
	}
}
