/**
 * Labels of the live board: board messages named by the domain (step titles, guiding questions,
 * compass checks) and small formatters. Components call these instead of spelling keys.
 */
import { m } from '$lib/paraglide/messages.js';
import type { CardKind, OutcomeKind, MeasureKind } from '$lib/domain/cards';
import type { BoardMessageKey, StepId } from '$lib/domain/steps';
import { getStep } from '$lib/domain/steps';
import type {
	RefusalReason,
	ConnectionStatus,
	RefusedChangeKind
} from '$lib/board/connection.svelte';

type MessageFn = (params?: Record<string, string | number | undefined>) => string;
// The Paraglide namespace as a lookup table: the domain names its messages by key.
const messages = m as unknown as Record<string, MessageFn | undefined>;

/** A message of messages/board named by the domain (`titleKey`, `questionKeys`, `messageKey`). */
export function boardText(
	key: BoardMessageKey,
	params?: Record<string, string | number | undefined>
): string {
	const fn = messages[key];
	return fn ? fn(params) : key;
}

export const stepTitle = (step: StepId): string => boardText(getStep(step).titleKey);

export const kindLabel = (kind: CardKind): string => boardText(`board_kind_${kind}`);

export const outcomeKindLabel = (kind: OutcomeKind): string =>
	boardText(`board_outcome_kind_${kind}`);

export const measureKindLabel = (kind: MeasureKind): string =>
	boardText(`board_measure_kind_${kind}`);

export const statusText = (status: ConnectionStatus, pending: boolean): string => {
	if (status === 'offline')
		return pending ? m.board_connection_offline_pending() : m.board_connection_offline();
	return boardText(`board_connection_${status}`);
};

export const refusalText = (reason: RefusalReason | null): string =>
	reason ? boardText(`board_refused_${reason}`) : m.board_connection_refused();

/** Why one change of this person was refused (RefusedChangeNotice). */
export const refusedChangeText = (kind: RefusedChangeKind): string =>
	boardText(`board_change_refused_${kind}`);

/** `mm:ss` of a number of milliseconds (rounded up to whole seconds). */
export function formatClock(ms: number): string {
	const total = Math.ceil(ms / 1000);
	const minutes = Math.floor(total / 60);
	const seconds = total % 60;
	return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
