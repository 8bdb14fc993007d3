/**
 * Labels of the live board: board messages named by the domain (step titles, guiding questions,
 * compass checks) and small formatters. Components call these instead of spelling keys.
 */
import { m } from '$lib/paraglide/messages.js';
import type { CardKind, OutcomeKind, MeasureKind } from '$lib/domain/cards';
import type { BoardMessageKey, StepId } from '$lib/domain/steps';
import { refusalOf } from '$lib/domain/close-codes';
import { getStep } from '$lib/domain/steps';
import type { RefusalReason, ConnectionStatus } from '$lib/board/connection.svelte';

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

/**
 * Why the connection stopped: the kind of refusal the server named in its close reason
 * (`detail`, e.g. `quota-text: …`) when there is one, else the close code's reason.
 */
export const refusalText = (reason: RefusalReason | null, detail?: string | null): string => {
	const kind = refusalOf(detail);
	if (kind) return boardText(`board_refusal_${kind.replace('-', '_')}`);
	return reason ? boardText(`board_refused_${reason}`) : m.board_connection_refused();
};

/** `mm:ss` of a number of milliseconds (rounded up to whole seconds). */
export function formatClock(ms: number): string {
	const total = Math.ceil(ms / 1000);
	const minutes = Math.floor(total / 60);
	const seconds = total % 60;
	return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
