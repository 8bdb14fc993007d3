/**
 * What someone typed into a "new card" form but did not add yet, per card kind. It outlives the
 * form: when the facilitator moves the group, or the person looks back at an earlier step, the form
 * goes away and comes back with the text still in it. Local to this device; never on the board.
 */
import { getContext, setContext } from 'svelte';
import type { CardKind } from '$lib/domain/cards';

export class UnsentText {
	#texts = $state<Partial<Record<CardKind, string>>>({});

	get(kind: CardKind): string {
		return this.#texts[kind] ?? '';
	}

	set(kind: CardKind, text: string): void {
		this.#texts[kind] = text;
	}
}

const KEY = Symbol('kompas.unsent');

/** Provides a fresh store to the components below (call during component init). */
export function setUnsentText(): UnsentText {
	return setContext(KEY, new UnsentText());
}

/** The store of an ancestor, or a private one when there is none. */
export function getUnsentText(): UnsentText {
	return getContext<UnsentText | undefined>(KEY) ?? new UnsentText();
}
