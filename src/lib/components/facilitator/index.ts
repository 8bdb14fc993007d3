/**
 * The facilitator's parts of the live board, loaded with a dynamic `import()` only when the person
 * is a facilitator: participants (on slow phones) never download the console, merge or draft watcher.
 */
export { default as DraftWatcher } from './DraftWatcher.svelte';
export { default as FacilitatorConsole } from './FacilitatorConsole.svelte';
