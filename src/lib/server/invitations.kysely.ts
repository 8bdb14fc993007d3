/**
 * The invitations owner (issue 12 item 2), what `AppContext` holds: every method async, the records of
 * invitations.ts, written once with Kysely for SQLite and PostgreSQL.
 * invitations.spec.ts holds it to its contract on both.
 */
import { hashToken } from './auth/tokens.ts';
import { guarded, type Executor } from './db/repository.ts';
import type { MemberRole } from '../domain/roles.ts';
import {
	newInvitation,
	type Invitation,
	type InvitationState,
	toInvitation
} from './invitations.ts';

const columns = [
	'id',
	'trajectory_id',
	'role',
	'created_by',
	'created_at',
	'expires_at',
	'used_at'
] as const;

export function createKyselyInvitations(db: Executor, now: () => Date = () => new Date()) {
	const invitations = {
		/** Creates an invitation; returns the token that goes into the link (shown only now). */
		async create(input: {
			trajectoryId: string | null;
			role: MemberRole;
			createdBy: string;
		}): Promise<{ token: string; invitation: Invitation }> {
			const { token, row } = newInvitation(input, now().getTime());
			await db.insertInto('invitations').values(row).execute();
			return { token, invitation: toInvitation(row) };
		},

		/**
		 * Looks up the invitation behind a link token and says whether it can still be used (in `tx`
		 * when given: the check before a use in the same unit of work).
		 */
		async check(
			token: string,
			tx: Executor = db
		): Promise<{ state: InvitationState; invitation: Invitation | null }> {
			const row = await tx
				.selectFrom('invitations')
				.select(columns)
				.where('id', '=', hashToken(token))
				.executeTakeFirst();
			if (!row) return { state: 'unknown', invitation: null };
			const invitation = toInvitation(row);
			if (invitation.usedAt !== null) return { state: 'used', invitation };
			if (invitation.expiresAt.getTime() <= now().getTime())
				return { state: 'expired', invitation };
			return { state: 'valid', invitation };
		},

		/**
		 * Marks the invitation used by `userId`, atomically: of two simultaneous uses only one wins
		 * (one conditional UPDATE). Runs in `tx` when given (an account created or a membership
		 * granted with it).
		 * @returns false when it was already used or has expired.
		 */
		async consume(token: string, userId: string, tx: Executor = db): Promise<boolean> {
			const at = now().getTime();
			const { numUpdatedRows } = await tx
				.updateTable('invitations')
				.set({ used_at: at, used_by: userId })
				.where('id', '=', hashToken(token))
				.where('used_at', 'is', null)
				.where('expires_at', '>', at)
				.executeTakeFirst();
			return numUpdatedRows === 1n;
		},

		/** Open (unused, unexpired) invitations of a trajectory, for the members page. */
		async openFor(trajectoryId: string): Promise<Invitation[]> {
			const rows = await db
				.selectFrom('invitations')
				.select(columns)
				.where('trajectory_id', '=', trajectoryId)
				.where('used_at', 'is', null)
				.where('expires_at', '>', now().getTime())
				.orderBy('created_at', 'desc')
				.execute();
			return rows.map(toInvitation);
		},

		/** Withdraws an open invitation of a trajectory. */
		async revoke(trajectoryId: string, id: string): Promise<boolean> {
			const { numDeletedRows } = await db
				.deleteFrom('invitations')
				.where('id', '=', id)
				.where('trajectory_id', '=', trajectoryId)
				.where('used_at', 'is', null)
				.executeTakeFirst();
			return numDeletedRows === 1n;
		}
	};
	return guarded('invitations', invitations);
}

export type KyselyInvitations = ReturnType<typeof createKyselyInvitations>;
