/**
 * The facilitator's consent intents (propose, show the result, amend, adopt, park) on a
 * `ConsentBoard`. A module of its own, imported by the console only, so that participants' phones
 * never download the writers. The server refuses these writes from anyone but a facilitator.
 */
import type { ConsentSubject } from '../domain/consent.ts';
import type { CardId } from '../domain/ids.ts';
import type { ConsentBoard } from './consent.svelte.ts';
import {
	adoptConsent,
	amendConsent,
	parkConsent,
	proposeConsent,
	revealConsent
} from './schema/consent-writers.ts';

export function propose(
	consent: ConsentBoard,
	subject: ConsentSubject,
	cardIds: readonly CardId[],
	text: string
): void {
	consent.writeShared((doc, origin, now) =>
		proposeConsent(doc, { subject, cardIds, text, now }, origin)
	);
}

export function reveal(consent: ConsentBoard, proposalId: string): void {
	consent.writeShared((doc, origin) => revealConsent(doc, proposalId, origin));
}

export function amend(consent: ConsentBoard, proposalId: string, text: string): void {
	consent.writeShared((doc, origin) => amendConsent(doc, proposalId, { text }, origin));
}

export function adopt(consent: ConsentBoard, proposalId: string): void {
	consent.writeShared((doc, origin, now) => adoptConsent(doc, proposalId, now, origin));
}

export function park(consent: ConsentBoard, proposalId: string, note: string): void {
	consent.writeShared((doc, origin, now) => parkConsent(doc, proposalId, note, now, origin));
}
