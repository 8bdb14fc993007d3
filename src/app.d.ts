import type { AppContext } from '$lib/server/context';
import type { Session, SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** The storage could not be reached: +error.svelte shows the maintenance message. */
			maintenance?: boolean;
		}
		interface Locals {
			/** The process's services (database, repositories, limits). */
			app: AppContext;
			/** The signed-in account, or null. */
			user: SessionUser | null;
			session: Session | null;
			/** Set by handleError when the storage could not be reached: the answer becomes 503. */
			storageUnavailable?: boolean;
		}
	}
}

export {};
