import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { localPath } from '$lib/server/request';

/** Switches the language and remembers it in Paraglide's cookie; works without JavaScript. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const data = await request.formData();
	const locale = data.get('locale');
	const target = data.get('redirectTo');
	if (typeof locale === 'string' && isLocale(locale))
		cookies.set(cookieName, locale, {
			path: '/',
			maxAge: cookieMaxAge,
			httpOnly: false,
			sameSite: 'lax'
		});
	redirect(303, localPath(target, '/'));
};
