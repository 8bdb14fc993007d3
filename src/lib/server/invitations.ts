import type { Db } from './db/open.ts';
import { maybeDate, millis, type ReadRow } from './db/tables.ts';
import { generateToken, hashToken } from './auth/tokens.ts';
import type { MemberRole } from '../domain/roles.ts';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface Invitation {
	id: string;
	/** Null: an invitation to become a facilitator on this Kompas, without a trajectory. */
	trajectoryId: string | null;
	role: MemberRole;
	createdBy: string;
	createdAt: Date;
	expiresAt: Date;
	usedAt: Date | null;
}

export interface InvitationRow {
	id: string;
	trajectory_id: string | null;
	role: MemberRole;
	created_by: string;
	created_at: number;
	expires_at: number;
	used_at: number | null;
}

/** A row as the invitation record (both forms of the repository). */
export const toInvitation = (
	row: ReadRow<InvitationRow, 'created_at' | 'expires_at' | 'used_at'>
): Invitation => ({
	id: row.id,
	trajectoryId: row.trajectory_id,
	role: row.role,
	createdBy: row.created_by,
	createdAt: new Date(millis(row.created_at)),
	expiresAt: new Date(millis(row.expires_at)),
	usedAt: maybeDate(row.used_at)
});

export type InvitationState = 'valid' | 'expired' | 'used' | 'unknown';

/** A new invitation: the link's token and the row holding only its hash (both forms of the repository). */
export function newInvitation(
	input: { trajectoryId: string | null; role: MemberRole; createdBy: string },
	at: number
): { token: string; row: InvitationRow } {
	const token = generateToken();
	return {
		token,
		row: {
			id: hashToken(token),
			trajectory_id: input.trajectoryId,
			role: input.role,
			created_by: input.createdBy,
			created_at: at,
			expires_at: at + INVITATION_LIFETIME_MS,
			used_at: null
		}
	};
}

/** Single-use, expiring invitation links. Only the token's hash is stored. */
export function createInvitations(db: Db, now: () => Date = () => new Date()) {
	return {
		/** Creates an invitation; returns the token that goes into the link (shown only now). */
		create(input: { trajectoryId: string | null; role: MemberRole; createdBy: string }): {
			token: string;
			invitation: Invitation;
		} {
			const { token, row } = newInvitation(input, now().getTime());
			db.prepare(
				'INSERT INTO invitations (id, trajectory_id, role, created_by, created_at, expires_at, used_at) VALUES (@id, @trajectory_id, @role, @created_by, @created_at, @expires_at, @used_at)'
			).run(row);
			return { token, invitation: toInvitation(row) };
		},

		/** Looks up the invitation behind a link token and says whether it can still be used. */
		check(token: string): { state: InvitationState; invitation: Invitation | null } {
			const row = db.prepare('SELECT * FROM invitations WHERE id = ?').get(hashToken(token)) as
				InvitationRow | undefined;
			if (!row) return { state: 'unknown', invitation: null };
			const invitation = toInvitation(row);
			if (row.used_at !== null) return { state: 'used', invitation };
			if (row.expires_at <= now().getTime()) return { state: 'expired', invitation };
			return { state: 'valid', invitation };
		},

		/**
		 * Marks the invitation used by `userId`, atomically: of two simultaneous uses only one wins.
		 * @returns false when it was already used or has expired.
		 */
		consume(token: string, userId: string): boolean {
			const at = now().getTime();
			return (
				db
					.prepare(
						'UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?'
					)
					.run(at, userId, hashToken(token), at).changes === 1
			);
		},

		/** Open (unused, unexpired) invitations of a trajectory, for the members page. */
		openFor(trajectoryId: string): Invitation[] {
			const rows = db
				.prepare(
					'SELECT * FROM invitations WHERE trajectory_id = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC'
				)
				.all(trajectoryId, now().getTime()) as InvitationRow[];
			return rows.map(toInvitation);
		},

		/** Withdraws an open invitation of a trajectory. */
		revoke(trajectoryId: string, id: string): boolean {
			return (
				db
					.prepare('DELETE FROM invitations WHERE id = ? AND trajectory_id = ? AND used_at IS NULL')
					.run(id, trajectoryId).changes === 1
			);
		}
	};
}

export type Invitations = ReturnType<typeof createInvitations>;
