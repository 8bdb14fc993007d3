import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { boardAccess } from '$lib/server/board-access';

/**
 * Why this browser can or cannot open the board's websocket (`{ access: BoardAccess }`): asked by
 * the board after a refused upgrade, which the browser only sees as close code 1006.
 */
export const GET: RequestHandler = async ({ locals, params, request }) =>
	json(
		{
			access: await boardAccess(
				locals.app,
				request.headers.get('cookie') ?? undefined,
				params.boardId
			)
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
