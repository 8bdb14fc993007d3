import { maybeDate, millis, type ReadRow } from './db/tables.ts';
import { generateToken, hashToken } from './auth/tokens.ts';
import type { MemberRole } from '../domain/roles.ts';
import type { KyselyInvitations } from './invitations.kysely.ts';

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

/** The invitations repository as `AppContext` holds it: its Kysely form (invitations.kysely.ts), SQLite or PostgreSQL. */
export type Invitations = KyselyInvitations;
