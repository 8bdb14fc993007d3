/**
 * `ConsentBoard`: what the consent components read and do (domain/consent.ts, schema/consent.ts).
 * Proposals and shown results come from the shared board; this participant's answers from their
 * private document (nobody else receives it before the result is shown). Facilitators also count
 * the answers in the private documents they watch (`attach`), to see how many have answered.
 *
 * Created by `openLiveBoard` next to `BoardState`; `destroy()` with the board.
 */
import { getContext, setContext } from 'svelte';
import type * as Y from 'yjs';
import {
	activeProposal,
	adoptProblem,
	currentResult,
	EMPTY_CONSENT,
	openProposal,
	provenanceForCard,
	roundsOf,
	type ConsentAnswer,
	type ConsentAnswerRecord,
	type ConsentProposal,
	type ConsentProvenance,
	type ConsentRoundResult,
	type ConsentState,
	type ConsentSubject
} from '../domain/consent.ts';
import type { CardId, RoundId } from '../domain/ids.ts';
import { BoardActionError, YReader, type BoardUser } from './board.svelte.ts';
import * as schema from './schema/index.ts';

export interface ConsentBoardOptions {
	doc: Y.Doc;
	privateDoc?: Y.Doc | null;
	user: BoardUser;
	now?: () => number;
}

const NO_ANSWERS: Record<RoundId, ConsentAnswerRecord> = {};

export class ConsentBoard {
	readonly user: BoardUser;
	readonly #doc: Y.Doc;
	readonly #privateDoc: Y.Doc | null;
	readonly #now: () => number;
	readonly #origin: object;
	readonly #state: YReader<ConsentState>;
	readonly #ended: YReader<boolean>;
	readonly #mine: YReader<Record<RoundId, ConsentAnswerRecord>> | null;
	// Not reactive itself: `#sources` signals attach/detach.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #others = new Map<string, YReader<Record<RoundId, ConsentAnswerRecord>>>();
	#sources = $state(0);

	constructor(options: ConsentBoardOptions) {
		this.user = options.user;
		this.#doc = options.doc;
		this.#privateDoc = options.privateDoc ?? null;
		this.#now = options.now ?? Date.now;
		this.#origin = { consent: 'local', user: options.user.id };
		const { control } = schema.sharedTypes(this.#doc);
		this.#state = new YReader([control], () => schema.readConsent(this.#doc));
		this.#ended = new YReader([control], () => schema.readControl(this.#doc).ended);
		const privateDoc = this.#privateDoc;
		this.#mine = privateDoc
			? new YReader([schema.privateTypes(privateDoc).consent], () =>
					schema.readConsentAnswers(privateDoc)
				)
			: null;
	}

	get state(): ConsentState {
		return this.#state.current ?? EMPTY_CONSENT;
	}

	/** The proposal open for answers now. */
	get open(): ConsentProposal | null {
		return openProposal(this.state);
	}

	/** The proposal the group looks at: open, else the newest with its result shown. */
	get active(): ConsentProposal | null {
		return activeProposal(this.state);
	}

	result(proposal: ConsentProposal): ConsentRoundResult | null {
		return currentResult(this.state, proposal);
	}

	rounds(proposalId: string): ConsentRoundResult[] {
		return roundsOf(this.state, proposalId);
	}

	/** "Vastgesteld bij consent, ronde N, 0 bezwaren" for an agreed card, or null. */
	provenance(cardId: CardId): ConsentProvenance | null {
		return provenanceForCard(this.state, cardId);
	}

	/** This participant's answer in round `roundId`. */
	myAnswer(roundId: RoundId): ConsentAnswerRecord | null {
		return (this.#mine?.current ?? NO_ANSWERS)[roundId] ?? null;
	}

	get canAnswer(): boolean {
		return this.user.role === 'participant' && this.#privateDoc !== null && !this.#ended.current;
	}

	get isFacilitator(): boolean {
		return this.user.role === 'facilitator';
	}

	/** Facilitators: how many watched participants answered in round `roundId`. */
	answeredCount(roundId: RoundId): number {
		void this.#sources;
		let n = 0;
		for (const reader of this.#others.values()) if (reader.current[roundId]) n++;
		return n;
	}

	/** Facilitators: the watched participants (their answers count towards `answeredCount`). */
	get watchedCount(): number {
		void this.#sources;
		return this.#others.size;
	}

	/** Facilitators: reads the answers of a participant's private doc. Returns the detach. */
	attach(participantId: string, privateDoc: Y.Doc): () => void {
		this.#others.get(participantId)?.destroy();
		const reader = new YReader([schema.privateTypes(privateDoc).consent], () =>
			schema.readConsentAnswers(privateDoc)
		);
		this.#others.set(participantId, reader);
		this.#sources++;
		return () => {
			if (this.#others.get(participantId) !== reader) return;
			reader.destroy();
			this.#others.delete(participantId);
			this.#sources++;
		};
	}

	// -------------------------------------------------------------------------------------------
	// Intents

	/** Answers the open proposal (once). Throws `BoardWriteError` for a bezwaar without reason. */
	answer(answer: ConsentAnswer, text: string): void {
		if (!this.canAnswer || !this.#privateDoc) throw new BoardActionError('forbidden');
		const open = this.open;
		if (!open) throw new BoardActionError('no_round');
		schema.answerConsent(
			this.#privateDoc,
			open.roundId,
			{ answer, text, now: this.#now() },
			this.#origin
		);
	}

	#facilitator(): void {
		if (!this.isFacilitator) throw new BoardActionError('forbidden');
		if (this.#ended.current) throw new BoardActionError('ended');
	}

	propose(subject: ConsentSubject, cardIds: readonly CardId[], text: string): string {
		this.#facilitator();
		return schema.proposeConsent(
			this.#doc,
			{ subject, cardIds, text, now: this.#now() },
			this.#origin
		);
	}

	reveal(proposalId: string): void {
		this.#facilitator();
		schema.revealConsent(this.#doc, proposalId, this.#origin);
	}

	amend(proposalId: string, text: string): number {
		this.#facilitator();
		return schema.amendConsent(this.#doc, proposalId, { text }, this.#origin);
	}

	canAdopt(proposal: ConsentProposal): boolean {
		return adoptProblem(this.state, proposal) === null;
	}

	adopt(proposalId: string): void {
		this.#facilitator();
		schema.adoptConsent(this.#doc, proposalId, this.#now(), this.#origin);
	}

	park(proposalId: string, note: string): void {
		this.#facilitator();
		schema.parkConsent(this.#doc, proposalId, note, this.#now(), this.#origin);
	}

	destroy(): void {
		this.#state.destroy();
		this.#ended.destroy();
		this.#mine?.destroy();
		for (const reader of this.#others.values()) reader.destroy();
		this.#others.clear();
	}
}

const CONSENT_KEY = Symbol('kompas.consent');

export function setConsentContext(consent: ConsentBoard): ConsentBoard {
	return setContext(CONSENT_KEY, consent);
}

/** The consent of the board provided by an ancestor, or null (pages without consent). */
export function getConsentContext(): ConsentBoard | null {
	return getContext<ConsentBoard | undefined>(CONSENT_KEY) ?? null;
}
