import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireFacilitatorAccount } from '$lib/server/guard';
import { parseImport } from '$lib/server/export/json';
import { importReport } from '$lib/server/import';
import { getLocale } from '$lib/paraglide/runtime';

const MAX_BYTES = 5 * 1024 * 1024;

export const load: PageServerLoad = ({ locals, url }) => {
	requireFacilitatorAccount(locals, url);
	return {};
};

export const actions: Actions = {
	/** Validates the whole file first; a bad file changes nothing and says what is wrong. */
	default: async ({ request, locals, url }) => {
		const user = requireFacilitatorAccount(locals, url);
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { problem: 'no-file' as const });
		if (file.size > MAX_BYTES) return fail(400, { problem: 'too-large' as const });
		let json: unknown;
		try {
			json = JSON.parse(await file.text());
		} catch {
			return fail(400, { problem: 'not-json' as const });
		}
		const result = parseImport(json, { locale: getLocale() });
		if (!result.ok)
			return fail(400, { problem: 'invalid' as const, errors: result.errors.slice(0, 50) });
		const id = await importReport(locals.app, user.id, result.report);
		redirect(303, `/t/${id}`);
	}
};
