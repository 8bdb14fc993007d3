import type { AppContext } from '$lib/server/context';
import type { Session, SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** The process's services (database, repositories, limits). */
			app: AppContext;
			/** The signed-in account, or null. */
			user: SessionUser | null;
			session: Session | null;
		}
	}
}

export {};
