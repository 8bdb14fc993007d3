/**
 * Reading form posts: every field trimmed and bounded, problems collected per field as codes that
 * the page turns into messages (src/lib/i18n/problems.ts). What the user typed goes back as
 * `values`, passwords never.
 */
import type { FieldProblem, Problems } from '../forms.ts';

export type { FieldProblem, Problems };

export class FormReader {
	readonly problems: Problems = {};
	constructor(private readonly data: FormData) {}

	/** A text field, trimmed; records 'missing' or 'too-long'. */
	text(name: string, options: { max?: number; required?: boolean } = {}): string {
		const { max = 200, required = true } = options;
		const raw = this.data.get(name);
		const value = typeof raw === 'string' ? raw.trim() : '';
		if (required && !value) this.problems[name] = { code: 'missing' };
		else if (value.length > max) this.problems[name] = { code: 'too-long', max };
		return value;
	}

	/** A password field: not trimmed (spaces are part of it). */
	password(name: string): string {
		const raw = this.data.get(name);
		return typeof raw === 'string' ? raw : '';
	}

	/** All values of a repeated field, trimmed, in order. */
	all(name: string): string[] {
		return this.data.getAll(name).map((v) => (typeof v === 'string' ? v.trim() : ''));
	}

	problem(name: string, problem: FieldProblem): void {
		this.problems[name] ??= problem;
	}

	get ok(): boolean {
		return Object.keys(this.problems).length === 0;
	}
}
