import { tick } from 'svelte';

type Candidate = () => HTMLElement | null | undefined;

/**
 * After an action that replaces or disables the control it was on, moves focus to the first of
 * `candidates` that is on the page and enabled, once the DOM has caught up: focus never drops to
 * `<body>` (keyboard and screen-reader users keep their place).
 */
export async function focusNext(...candidates: Candidate[]): Promise<HTMLElement | null> {
	await tick();
	for (const candidate of candidates) {
		const element = candidate();
		if (element?.isConnected && !element.hasAttribute('disabled')) {
			element.focus();
			return element;
		}
	}
	return null;
}
