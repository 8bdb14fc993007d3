/** Form problems as the server reports them and the pages show them (shared, no server code). */
export type FieldProblem =
	| { code: 'missing' }
	| { code: 'too-long'; max: number }
	| { code: 'perspective-invalid' }
	| { code: 'confirm-mismatch'; expected: string }
	| { code: 'name-missing' | 'email-invalid' | 'email-taken' | 'too-short' | 'password-wrong' };

export type Problems = Record<string, FieldProblem>;
