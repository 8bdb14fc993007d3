/**
 * Where components find the board's consent rounds: a holder whose `current` is the
 * `ConsentBoard` once `openLiveBoard` has loaded it (consent.svelte.ts is its own chunk), else null.
 * Type-only import of the class, so this module costs a phone nothing.
 */
import { getContext, setContext } from 'svelte';
import type { ConsentBoard } from './consent.svelte.ts';

export class ConsentHolder {
	current = $state.raw<ConsentBoard | null>(null);
}

const CONSENT_KEY = Symbol('kompas.consent');

export function setConsentContext(holder: ConsentHolder): ConsentHolder {
	return setContext(CONSENT_KEY, holder);
}

/** The consent of the board provided by an ancestor (its `current` may still be null), or null. */
export function getConsentContext(): ConsentHolder | null {
	return getContext<ConsentHolder | undefined>(CONSENT_KEY) ?? null;
}
