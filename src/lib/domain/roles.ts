/**
 * Who may do what. The UI hides with `can`, the server refuses with `can`: one predicate, two doors.
 * Pure: imports nothing outside `domain/`.
 */

/** A person's role on one trajectory (and so on each of its boards). */
export const ROLES = ['facilitator', 'observer', 'participant'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an account can hold on a trajectory; participants have no account. */
export const MEMBER_ROLES = ['facilitator', 'observer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The voices at the table; colour and filters on the board follow them. */
export const PERSPECTIVES = ['gemeente', 'aanbieder', 'professional', 'inwoner', 'anders'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

export const ACTIONS = [
	// trajectory level
	'trajectory.view',
	'trajectory.edit',
	'trajectory.archive',
	'trajectory.delete',
	'members.view',
	'members.manage',
	'export.download',
	// board content
	'board.view',
	'card.create',
	'card.edit',
	'card.delete',
	'vote.cast',
	'comment.create',
	// the live glossary: a reading for one's own perspective, changing one's own reading, and
	// deciding (terms, the agreed meaning, agreed or open: facilitators only)
	'glossary.propose',
	'glossary.edit',
	'glossary.decide',
	// facilitator control of a live session
	'session.control',
	'session.manage'
] as const;
export type Action = (typeof ACTIONS)[number];

/** Facts about the target that some rules need. */
export interface ActionContext {
	/** The acting person wrote the target (a card, a comment). */
	isOwn?: boolean;
	/** The step the target lives in is locked by the facilitator. */
	stepLocked?: boolean;
	/** The live session has ended: everything is read-only history. */
	sessionEnded?: boolean;
}

const READ_ACTIONS: ReadonlySet<Action> = new Set([
	'trajectory.view',
	'members.view',
	'export.download',
	'board.view'
]);

const CONTENT_ACTIONS: ReadonlySet<Action> = new Set([
	'card.create',
	'card.edit',
	'card.delete',
	'vote.cast',
	'comment.create',
	'glossary.propose',
	'glossary.edit'
]);

/**
 * Whether `role` may perform `action` in `ctx`. Unknown combinations are refused.
 * - facilitators may do everything, except writing into an ended session;
 * - observers read and export, and write nothing;
 * - participants read the board and write content (only their own for edits and deletes), never
 *   into a locked step, and nothing at trajectory level.
 */
export function can(role: Role, action: Action, ctx: ActionContext = {}): boolean {
	const writes = !READ_ACTIONS.has(action);
	if (
		writes &&
		ctx.sessionEnded &&
		(CONTENT_ACTIONS.has(action) || action === 'session.control' || action === 'glossary.decide')
	)
		return false;
	switch (role) {
		case 'facilitator':
			return true;
		case 'observer':
			return READ_ACTIONS.has(action);
		case 'participant':
			if (action === 'board.view') return true;
			if (!CONTENT_ACTIONS.has(action)) return false;
			if (ctx.stepLocked) return false;
			if (action === 'card.edit' || action === 'card.delete' || action === 'glossary.edit')
				return ctx.isOwn === true;
			return true;
	}
}

export function isPerspective(value: unknown): value is Perspective {
	return typeof value === 'string' && (PERSPECTIVES as readonly string[]).includes(value);
}

export function isMemberRole(value: unknown): value is MemberRole {
	return typeof value === 'string' && (MEMBER_ROLES as readonly string[]).includes(value);
}
