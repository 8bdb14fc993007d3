/**
 * `ConsentBoard`: what the consent components read and do (domain/consent.ts, schema/consent.ts).
 * Proposals and shown results come from the shared board; this participant's answers from their
 * private document (nobody else receives it before the result is shown). Facilitators also count
 * the answers in the private documents they watch (`attach`), to see how many have answered.
 *
 * Loaded and created by `openLiveBoard` only once the board holds a consent proposal (at once for
 * facilitators): a phone's first load does not carry it. Components reach it through
 * `consent-context.svelte.ts`. `destroy()` with the board.
 */
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
	type ConsentState
} from '../domain/consent.ts';
import type { CardId, RoundId } from '../domain/ids.ts';
import { BoardActionError, YReader, type BoardUser } from './board.svelte.ts';
import * as schema from './schema/index.ts';
import { answerConsent, readConsent, readConsentAnswers } from './schema/consent.ts';

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
		this.#state = new YReader([control], () => readConsent(this.#doc));
		this.#ended = new YReader([control], () => schema.readControl(this.#doc).ended);
		const privateDoc = this.#privateDoc;
		this.#mine = privateDoc
			? new YReader([schema.privateTypes(privateDoc).consent], () => readConsentAnswers(privateDoc))
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
			readConsentAnswers(privateDoc)
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
		answerConsent(this.#privateDoc, open.roundId, { answer, text, now: this.#now() }, this.#origin);
	}

	/**
	 * Facilitators: runs a writer of the shared board with this person's origin (the intents are in
	 * `consent-facilitator.ts`, loaded with the console only, so phones never download them).
	 */
	writeShared(write: (doc: Y.Doc, origin: object, now: number) => void): void {
		if (!this.isFacilitator) throw new BoardActionError('forbidden');
		if (this.#ended.current) throw new BoardActionError('ended');
		write(this.#doc, this.#origin, this.#now());
	}

	canAdopt(proposal: ConsentProposal): boolean {
		return adoptProblem(this.state, proposal) === null;
	}

	destroy(): void {
		this.#state.destroy();
		this.#ended.destroy();
		this.#mine?.destroy();
		for (const reader of this.#others.values()) reader.destroy();
		this.#others.clear();
	}
}
