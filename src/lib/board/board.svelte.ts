/**
 * `BoardState`: the one object components use to read and change a board. Components see domain
 * objects (cards, links, control), never Yjs types; every change goes through an intent method.
 *
 * Reactivity: each root type is observed with `observeDeep`; a getter re-reads its part only after
 * that part changed, and `createSubscriber` re-runs the effects that read it. Undo/redo covers only
 * this person's own edits (a `Y.UndoManager` tracking this state's origin).
 *
 * Create one per board page (never at import time) and call `destroy()` on leave.
 */
import { getContext, setContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import {
	hiddenFromFacilitators,
	isAnonymousCard,
	type AnonymityMode
} from '../domain/anonymity.ts';
import { cardsOf, unrevealed, visibleCards, type Card, type CardInput } from '../domain/cards.ts';
import { checksUpTo, type CompassCheck } from '../domain/checks.ts';
import type { GlossaryStatus, GlossaryTerm } from '../domain/glossary.ts';
import type { AuthorId, CardId, RoundId } from '../domain/ids.ts';
import { liveLinks, type Link } from '../domain/links.ts';
import { can, type Action, type Perspective, type Role } from '../domain/roles.ts';
import { assembleSnapshot, type BoardControl, type BoardSnapshot } from '../domain/snapshot.ts';
import { stepOfKind, type StepId } from '../domain/steps.ts';
import {
	adjustBallot,
	openRound as currentRound,
	votesLeft,
	type Ballot,
	type RoundResults,
	type VotingRound
} from '../domain/votes.ts';
import * as schema from './schema/index.ts';

/** The person using this board on this device. */
export interface BoardUser {
	/** Participant session id, or user id for facilitators and observers: stored as `authorId`. */
	id: AuthorId;
	name: string;
	perspective: Perspective | null;
	role: Role;
}

/** A card as the board shows it: shared, or one of this person's private drafts. */
export type BoardCard = Card & { draft: boolean };

export interface BoardStateOptions {
	/** The shared board document (synced by `BoardConnection`). */
	doc: Y.Doc;
	/** This participant's private document (drafts, ballots); absent for observers. */
	privateDoc?: Y.Doc | null;
	user: BoardUser;
	/** Clock, injectable for tests. */
	now?: () => number;
}

/** Thrown by an intent the user's role or the board's state does not allow right now. */
export class BoardActionError extends Error {
	constructor(readonly code: 'forbidden' | 'locked' | 'ended' | 'no_round' | 'no_private_doc') {
		super(code);
		this.name = 'BoardActionError';
	}
}

/** A Yjs type that reports deep changes. */
interface Observable {
	observeDeep(f: () => void): void;
	unobserveDeep(f: () => void): void;
}

/** A cached read of some Yjs types, invalidated by `observeDeep`, reactive through `createSubscriber`. */
export class YReader<T> {
	#dirty = true;
	#value: T | undefined;
	#notify: (() => void) | null = null;
	readonly #read: () => T;
	readonly #subscribe: () => void;
	readonly #off: () => void;

	constructor(types: Observable[], read: () => T) {
		this.#read = read;
		const changed = () => {
			this.#dirty = true;
			this.#notify?.();
		};
		for (const type of types) type.observeDeep(changed);
		this.#off = () => {
			for (const type of types) type.unobserveDeep(changed);
		};
		this.#subscribe = createSubscriber((update) => {
			this.#notify = update;
			return () => {
				if (this.#notify === update) this.#notify = null;
			};
		});
	}

	get current(): T {
		this.#subscribe();
		if (this.#dirty) {
			this.#value = this.#read();
			this.#dirty = false;
		}
		return this.#value as T;
	}

	destroy(): void {
		this.#off();
		this.#notify = null;
	}
}

/** Recomputes only when one of its inputs is a different object than last time. */
function memo<I extends readonly unknown[], T>(compute: (...inputs: I) => T): (...inputs: I) => T {
	let last: I | null = null;
	let value: T;
	return (...inputs: I) => {
		if (!last || inputs.length !== last.length || inputs.some((x, i) => x !== last![i])) {
			value = compute(...inputs);
			last = inputs;
		}
		return value;
	};
}

const NO_DRAFTS: Card[] = [];
const NO_BALLOTS: Record<RoundId, Ballot> = {};

export class BoardState {
	readonly user: BoardUser;
	readonly #doc: Y.Doc;
	readonly #privateDoc: Y.Doc | null;
	readonly #now: () => number;
	/** The origin of this person's own writes: what undo tracks. */
	readonly #origin: object;

	readonly #meta: YReader<BoardSnapshot['meta']>;
	readonly #cards: YReader<Card[]>;
	readonly #links: YReader<Link[]>;
	readonly #comments: YReader<BoardSnapshot['comments']>;
	readonly #control: YReader<BoardControl>;
	readonly #glossary: YReader<GlossaryTerm[]>;
	readonly #drafts: YReader<Card[]> | null;
	readonly #ballots: YReader<Record<RoundId, Ballot>> | null;

	readonly #undoShared: Y.UndoManager;
	readonly #undoPrivate: Y.UndoManager | null;
	/** Order in which stack items were added across both managers (undo picks the newest). */
	readonly #stackSeq = new WeakMap<object, number>();
	#seq = 0;

	/** The step this person looks at while not following the facilitator (or looking back). */
	#viewedStep = $state<StepId | null>(null);
	/** Facilitators: other participants' private docs being watched (participant id → reader). */
	// Not reactive itself: `#draftSources` below signals attach/detach.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #foreignDrafts = new Map<string, YReader<Card[]>>();
	// Who wrote which anonymous card (facilitators, from the watched private documents).
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #foreignAuthored = new Map<string, YReader<Map<CardId, string>>>();
	/** Which anonymous cards this participant wrote (their private doc), when facilitators may know. */
	readonly #ownAuthored: YReader<Map<CardId, string>> | null;
	#draftSources = $state(0);
	#canUndo = $state(false);
	#canRedo = $state(false);

	constructor(options: BoardStateOptions) {
		this.user = options.user;
		this.#doc = options.doc;
		this.#privateDoc = options.privateDoc ?? null;
		this.#now = options.now ?? Date.now;
		this.#origin = { board: 'local', user: options.user.id };

		const shared = schema.sharedTypes(this.#doc);
		this.#meta = new YReader([shared.meta], () => schema.readMeta(this.#doc));
		this.#cards = new YReader([shared.cards], () => schema.readCards(this.#doc));
		this.#links = new YReader([shared.links], () => schema.readLinks(this.#doc));
		this.#comments = new YReader([shared.comments], () => schema.readComments(this.#doc));
		this.#control = new YReader([shared.control], () => schema.readControl(this.#doc));
		this.#glossary = new YReader([shared.glossary, shared.readings], () =>
			schema.readGlossary(this.#doc)
		);

		// Not reactive state: Yjs wants a Set of origins.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const trackedOrigins = new Set<unknown>([this.#origin]);
		this.#undoShared = new Y.UndoManager([shared.cards, shared.links, shared.comments], {
			trackedOrigins
		});
		this.#watchUndo(this.#undoShared);

		if (this.#privateDoc) {
			const mine = schema.privateTypes(this.#privateDoc);
			const privateDoc = this.#privateDoc;
			this.#drafts = new YReader([mine.drafts], () => schema.readDrafts(privateDoc));
			this.#ballots = new YReader([mine.ballots], () => schema.readBallots(privateDoc));
			this.#undoPrivate = new Y.UndoManager([mine.drafts], {
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs wants a Set
				trackedOrigins: new Set<unknown>([this.#origin])
			});
			this.#watchUndo(this.#undoPrivate);
			this.#ownAuthored = new YReader([schema.authoredType(privateDoc)], () =>
				schema.readAuthored(privateDoc)
			);
		} else {
			this.#ownAuthored = null;
			this.#drafts = null;
			this.#ballots = null;
			this.#undoPrivate = null;
		}
	}

	#watchUndo(manager: Y.UndoManager): void {
		const refresh = () => {
			this.#canUndo = this.#undoShared.canUndo() || (this.#undoPrivate?.canUndo() ?? false);
			this.#canRedo = this.#undoShared.canRedo() || (this.#undoPrivate?.canRedo() ?? false);
		};
		manager.on('stack-item-added', (event) => {
			this.#stackSeq.set(event.stackItem, ++this.#seq);
			refresh();
		});
		manager.on('stack-item-popped', refresh);
		manager.on('stack-cleared', refresh);
	}

	// -------------------------------------------------------------------------------------------
	// Reading

	get meta(): BoardSnapshot['meta'] {
		return this.#meta.current;
	}

	get control(): BoardControl {
		return this.#control.current;
	}

	/** Every shared card, merged-away ones included. */
	get sharedCards(): Card[] {
		return this.#cards.current;
	}

	/** This person's private drafts (cards written while their step is private). */
	get drafts(): Card[] {
		return this.#drafts?.current ?? NO_DRAFTS;
	}

	/**
	 * Drafts this device may see: this person's own, and (facilitators) those of every participant
	 * doc attached with {@link attachDrafts}.
	 */
	get allDrafts(): Card[] {
		void this.#draftSources;
		if (this.#foreignDrafts.size === 0) return this.drafts;
		const lists = [this.drafts, ...[...this.#foreignDrafts.values()].map((r) => r.current)];
		return this.#draftsMemo(...lists);
	}

	readonly #draftsMemo = memo((...lists: Card[][]): Card[] => lists.flat());

	/** Visible cards (shared, not merged away) plus the drafts this device sees, in board order. */
	get cards(): BoardCard[] {
		return this.#cardsMemo(this.sharedCards, this.allDrafts);
	}

	readonly #cardsMemo = memo((shared: Card[], drafts: Card[]): BoardCard[] => [
		...visibleCards(shared).map((c) => ({ ...c, draft: false })),
		...unrevealed(drafts, shared).map((c) => ({ ...c, draft: true }))
	]);

	/**
	 * Facilitators: shows a participant's private drafts live (their private doc, synced by its own
	 * `BoardConnection`). Returns a function that stops watching.
	 */
	attachDrafts(participantId: string, privateDoc: Y.Doc): () => void {
		this.#foreignDrafts.get(participantId)?.destroy();
		const reader = new YReader([schema.privateTypes(privateDoc).drafts], () =>
			schema.readDrafts(privateDoc)
		);
		this.#foreignDrafts.set(participantId, reader);
		this.#foreignAuthored.get(participantId)?.destroy();
		const authored = new YReader([schema.authoredType(privateDoc)], () =>
			schema.readAuthored(privateDoc)
		);
		this.#foreignAuthored.set(participantId, authored);
		this.#draftSources++;
		return () => {
			if (this.#foreignDrafts.get(participantId) !== reader) return;
			reader.destroy();
			authored.destroy();
			this.#foreignDrafts.delete(participantId);
			this.#foreignAuthored.delete(participantId);
			this.#draftSources++;
		};
	}

	/** How `step` is anonymous (domain/anonymity.ts), or null. */
	anonymity(step: StepId): AnonymityMode | null {
		return this.control.anonymousSteps[step] ?? null;
	}

	/** Facilitators may not watch private documents now (an anonymous round hides authors). */
	get authorsHidden(): boolean {
		return hiddenFromFacilitators(this.control);
	}

	/**
	 * Who wrote an anonymous card, as far as this device may know: facilitators of a round that
	 * shows them the authors (from the participants' private documents), the author themself.
	 * Null for everyone else, and for cards that are not anonymous.
	 */
	anonymousAuthor(card: Pick<Card, 'id' | 'authorId' | 'authorName'>): string | null {
		if (!isAnonymousCard(card)) return null;
		void this.#draftSources;
		for (const reader of this.#foreignAuthored.values()) {
			const name = reader.current.get(card.id);
			if (name !== undefined) return name;
		}
		return this.#ownAuthored?.current.get(card.id) ?? null;
	}

	/** Links between visible cards. */
	get links(): Link[] {
		return liveLinks(this.sharedCards, this.#links.current);
	}

	get comments(): BoardSnapshot['comments'] {
		return this.#comments.current;
	}

	/** The board's live glossary: terms with their readings per perspective. */
	get glossary(): GlossaryTerm[] {
		return this.#glossary.current;
	}

	/** The whole shared board as plain data (for checks and exports). */
	get snapshot(): BoardSnapshot {
		return this.#snapshotMemo(
			this.meta,
			this.sharedCards,
			this.#links.current,
			this.comments,
			this.control,
			this.glossary
		);
	}

	readonly #snapshotMemo = memo(
		(
			meta: BoardSnapshot['meta'],
			cards: Card[],
			links: Link[],
			comments: BoardSnapshot['comments'],
			control: BoardControl,
			glossary: GlossaryTerm[]
		): BoardSnapshot => assembleSnapshot({ meta, cards, links, comments, control, glossary })
	);

	/** Visible cards of one step (and kind), drafts included, in board order. */
	cardsOf(step: StepId, kind?: Card['kind']): BoardCard[] {
		const shared = cardsOf(this.sharedCards, step, kind);
		const drafts = unrevealed(cardsOf(this.allDrafts, step, kind), this.sharedCards);
		return [
			...shared.map((c) => ({ ...c, draft: false })),
			...drafts.map((c) => ({ ...c, draft: true }))
		];
	}

	card(id: CardId): BoardCard | null {
		return this.cards.find((c) => c.id === id) ?? null;
	}

	commentsOn(cardId: CardId): BoardSnapshot['comments'] {
		return this.comments.filter((c) => c.cardId === cardId);
	}

	/** Open compass checks up to the facilitator's current step. */
	get checks(): CompassCheck[] {
		return this.#checksMemo(this.snapshot, this.control.currentStep);
	}

	readonly #checksMemo = memo(checksUpTo);

	/** The step this person sees: the facilitator's while following, else the one they chose. */
	get step(): StepId {
		const control = this.control;
		return this.#viewedStep ?? control.currentStep;
	}

	/** Whether this person is looking at another step than the facilitator's. */
	get lookingAway(): boolean {
		return this.#viewedStep !== null && this.#viewedStep !== this.control.currentStep;
	}

	/** Looks at another step (participants: a look back; facilitators: see `setCurrentStep`). */
	viewStep(step: StepId): void {
		this.#viewedStep = step === this.control.currentStep ? null : step;
	}

	/** Goes back to following the facilitator's step. */
	followFacilitator(): void {
		this.#viewedStep = null;
	}

	isLocked(step: StepId): boolean {
		return this.control.lockedSteps.includes(step);
	}

	isPrivate(step: StepId): boolean {
		return this.control.privateSteps.includes(step);
	}

	isAgreed(cardId: CardId): boolean {
		return this.control.agreed.includes(cardId);
	}

	/** The round open for voting now, if any. */
	get round(): VotingRound | null {
		return currentRound(this.control.rounds);
	}

	/** This person's ballot in the open round. */
	get ballot(): Ballot {
		const round = this.round;
		if (!round) return {};
		return (this.#ballots?.current ?? NO_BALLOTS)[round.id] ?? {};
	}

	get votesLeft(): number {
		const round = this.round;
		return round ? votesLeft(round, this.ballot) : 0;
	}

	/** Revealed results of a round. */
	results(roundId: RoundId): RoundResults {
		return this.control.results[roundId] ?? {};
	}

	/** Milliseconds left on the timer at `now` (paused: the time left; none: `null`). */
	timerLeft(now: number = this.#now()): number | null {
		const { timerEndsAt, timerPausedLeft } = this.control;
		if (timerEndsAt !== null) return Math.max(0, timerEndsAt - now);
		return timerPausedLeft;
	}

	get canUndo(): boolean {
		return this.#canUndo;
	}

	get canRedo(): boolean {
		return this.#canRedo;
	}

	// -------------------------------------------------------------------------------------------
	// Permissions (the UI hides with these; the server refuses with the same `can`)

	/** Whether this person may do `action` on something in `step` (own: they wrote it). */
	may(action: Action, step?: StepId, isOwn?: boolean): boolean {
		const control = this.control;
		return can(this.user.role, action, {
			isOwn,
			stepLocked: step !== undefined && control.lockedSteps.includes(step),
			sessionEnded: control.ended
		});
	}

	/** A participant in an anonymous step that is not private: nothing to write (the server refuses). */
	#anonymousClosed(step: StepId): boolean {
		return (
			this.user.role === 'participant' && this.anonymity(step) !== null && !this.isPrivate(step)
		);
	}

	canAdd(step: StepId): boolean {
		return this.may('card.create', step) && !this.#anonymousClosed(step);
	}

	canEdit(card: Pick<Card, 'step' | 'authorId'>): boolean {
		return (
			this.may('card.edit', card.step, card.authorId === this.user.id) &&
			!this.#anonymousClosed(card.step)
		);
	}

	canDelete(card: Pick<Card, 'step' | 'authorId'>): boolean {
		return (
			this.may('card.delete', card.step, card.authorId === this.user.id) &&
			!this.#anonymousClosed(card.step)
		);
	}

	get isFacilitator(): boolean {
		return this.user.role === 'facilitator';
	}

	#require(action: Action, step?: StepId, isOwn?: boolean): void {
		if (this.may(action, step, isOwn)) return;
		const control = this.control;
		if (control.ended) throw new BoardActionError('ended');
		if (step !== undefined && control.lockedSteps.includes(step))
			throw new BoardActionError('locked');
		throw new BoardActionError('forbidden');
	}

	#author(): schema.Author {
		return { id: this.user.id, name: this.user.name, perspective: this.user.perspective };
	}

	#isDraft(id: CardId): boolean {
		return this.drafts.some((c) => c.id === id);
	}

	// -------------------------------------------------------------------------------------------
	// Intents: content

	/**
	 * Adds a card in its kind's step. While that step is private and this person is a participant,
	 * it goes to their private drafts (not sent to others until the facilitator reveals).
	 * Throws `BoardWriteError` on invalid input, `BoardActionError` when not allowed.
	 */
	addCard(input: CardInput & { step?: StepId }): CardId {
		const step = input.step ?? stepOfKind(input.kind);
		this.#require('card.create', step);
		const card = { ...input, step, author: this.#author(), createdAt: this.#now() };
		if (this.isPrivate(step) && this.user.role === 'participant') {
			if (!this.#privateDoc) throw new BoardActionError('no_private_doc');
			return schema.addDraft(this.#privateDoc, card, this.#origin);
		}
		return schema.addCard(this.#doc, card, this.#origin);
	}

	updateCard(id: CardId, change: schema.CardChange): void {
		if (this.#privateDoc && this.#isDraft(id)) {
			schema.updateDraft(this.#privateDoc, id, change, this.#origin);
			return;
		}
		const card = schema.readCard(this.#doc, id);
		if (!card) return;
		this.#require('card.edit', card.step, card.authorId === this.user.id);
		schema.updateCard(this.#doc, id, change, this.#origin);
	}

	deleteCard(id: CardId): void {
		if (this.#privateDoc && this.#isDraft(id)) {
			schema.deleteDraft(this.#privateDoc, id, this.#origin);
			return;
		}
		const card = schema.readCard(this.#doc, id);
		if (!card) return;
		this.#require('card.delete', card.step, card.authorId === this.user.id);
		schema.deleteCard(this.#doc, id, this.#origin);
	}

	/** Moves a card between two neighbours (ids or `null`); only one's own, or as facilitator. */
	moveCard(id: CardId, between: { after: CardId | null; before: CardId | null }): void {
		const card = schema.readCard(this.#doc, id);
		if (!card) return;
		this.#require('card.edit', card.step, card.authorId === this.user.id);
		schema.moveCard(this.#doc, id, between, this.#origin);
	}

	/** Links means to an end (activity → outcome, indicator → outcome | activity). */
	link(from: CardId, to: CardId): string {
		const source = schema.readCard(this.#doc, from);
		this.#require('card.create', source?.step);
		return schema.addLink(this.#doc, { from, to, authorId: this.user.id }, this.#origin);
	}

	unlink(linkId: string): void {
		const link = this.#links.current.find((l) => l.id === linkId);
		if (!link) return;
		const source = schema.readCard(this.#doc, link.from);
		this.#require('card.delete', source?.step, link.authorId === this.user.id);
		schema.removeLink(this.#doc, linkId, this.#origin);
	}

	comment(cardId: CardId, text: string): string {
		this.#require('comment.create', schema.readCard(this.#doc, cardId)?.step);
		return schema.addComment(
			this.#doc,
			{ cardId, text, author: this.#author(), createdAt: this.#now() },
			this.#origin
		);
	}

	deleteComment(commentId: string): void {
		const comment = this.comments.find((c) => c.id === commentId);
		if (!comment) return;
		this.#require('card.delete', undefined, comment.authorId === this.user.id);
		schema.deleteComment(this.#doc, commentId, this.#origin);
	}

	/**
	 * Adds `delta` dots to a card in the open round, within the budget (kept in the private doc,
	 * so nobody else sees it before the reveal). Returns the ballot after the change.
	 */
	castVote(cardId: CardId, delta: number): Ballot {
		this.#require('vote.cast');
		const round = this.round;
		if (!round) throw new BoardActionError('no_round');
		if (!this.#privateDoc) throw new BoardActionError('no_private_doc');
		const before = this.ballot;
		const after = adjustBallot(round, before, cardId, delta);
		if (after !== before)
			schema.setVotes(this.#privateDoc, round.id, cardId, after[cardId] ?? 0, this.#origin);
		return after;
	}

	/** Undoes this person's last own edit (cards, links, comments, drafts). */
	undo(): void {
		const manager = this.#newest('undoStack');
		manager?.undo();
	}

	redo(): void {
		const manager = this.#newest('redoStack');
		manager?.redo();
	}

	#newest(stack: 'undoStack' | 'redoStack'): Y.UndoManager | null {
		const seqOf = (m: Y.UndoManager | null) => {
			const items = m?.[stack];
			const top = items?.[items.length - 1];
			return top ? (this.#stackSeq.get(top) ?? 0) : -1;
		};
		const a = seqOf(this.#undoShared);
		const b = seqOf(this.#undoPrivate);
		if (a < 0 && b < 0) return null;
		return a >= b ? this.#undoShared : this.#undoPrivate;
	}

	// -------------------------------------------------------------------------------------------
	// Intents: the live glossary

	/** Whether this person may propose a reading (participants: only with a perspective). */
	get canProposeReading(): boolean {
		return (
			this.may('glossary.propose') &&
			(this.user.role === 'facilitator' || this.user.perspective !== null)
		);
	}

	get canDecideGlossary(): boolean {
		return this.may('glossary.decide');
	}

	canEditReading(reading: { authorId: string }): boolean {
		return this.may('glossary.edit', undefined, reading.authorId === this.user.id);
	}

	/**
	 * Proposes what `termId` means to this person's perspective; a facilitator writes down the
	 * reading of `perspective`. Returns the reading's id. Throws `BoardWriteError` on bad input.
	 */
	proposeReading(termId: string, text: string, perspective?: Perspective): string {
		this.#require('glossary.propose');
		const author = this.#author();
		if (perspective && this.isFacilitator) author.perspective = perspective;
		return schema.proposeReading(
			this.#doc,
			{ termId, text, author, createdAt: this.#now() },
			this.#origin
		);
	}

	updateReading(readingId: string, text: string): void {
		const reading = this.glossary.flatMap((t) => t.readings).find((r) => r.id === readingId);
		if (!reading) return;
		this.#require('glossary.edit', undefined, reading.authorId === this.user.id);
		schema.updateReading(this.#doc, readingId, text, this.#origin);
	}

	removeReading(readingId: string): void {
		const reading = this.glossary.flatMap((t) => t.readings).find((r) => r.id === readingId);
		if (!reading) return;
		this.#require('glossary.edit', undefined, reading.authorId === this.user.id);
		schema.removeReading(this.#doc, readingId, this.#origin);
	}

	/** Adds a term (facilitator). Returns its id. */
	addTerm(term: string, note = ''): string {
		this.#require('glossary.decide');
		return schema.addTerm(this.#doc, { term, note, createdAt: this.#now() }, this.#origin);
	}

	/** Changes a term's name, agreed meaning or open question (facilitator). */
	updateTerm(termId: string, change: schema.TermChange): void {
		this.#require('glossary.decide');
		schema.updateTerm(this.#doc, termId, change, this.#origin);
	}

	/** Marks a term agreed (with its meaning) or open again (facilitator). */
	setTermStatus(termId: string, status: GlossaryStatus): void {
		this.updateTerm(termId, { status });
	}

	removeTerm(termId: string): void {
		this.#require('glossary.decide');
		schema.removeTerm(this.#doc, termId, this.#origin);
	}

	// -------------------------------------------------------------------------------------------
	// Intents: facilitator control (the server refuses these from anyone else)

	#control_(): void {
		this.#require('session.control');
	}

	setCurrentStep(step: StepId): void {
		this.#control_();
		schema.setCurrentStep(this.#doc, step, this.#origin);
		this.#viewedStep = null;
	}

	setFollow(follow: boolean): void {
		this.#control_();
		schema.setFollow(this.#doc, follow, this.#origin);
	}

	startTimer(minutes: number): void {
		this.#control_();
		schema.startTimer(this.#doc, Math.round(minutes * 60_000), this.#now(), this.#origin);
	}

	pauseTimer(): void {
		this.#control_();
		schema.pauseTimer(this.#doc, this.#now(), this.#origin);
	}

	resumeTimer(): void {
		this.#control_();
		schema.resumeTimer(this.#doc, this.#now(), this.#origin);
	}

	stopTimer(): void {
		this.#control_();
		schema.stopTimer(this.#doc, this.#origin);
	}

	lockStep(step: StepId, locked = true): void {
		this.#control_();
		schema.lockStep(this.#doc, step, locked, this.#origin);
	}

	/** Private brainstorm on; turning it off makes the server reveal the drafts of that step. */
	setPrivate(step: StepId, on = true): void {
		this.#control_();
		schema.setPrivate(this.#doc, step, on, this.#origin);
	}

	spotlight(cardId: CardId | null): void {
		this.#control_();
		schema.spotlight(this.#doc, cardId, this.#origin);
	}

	markAgreed(cardId: CardId, agreed = true): void {
		this.#control_();
		schema.markAgreed(this.#doc, cardId, agreed, this.#origin);
	}

	setPriorityOrder(cardIds: readonly CardId[]): void {
		this.#control_();
		schema.setPriorityOrder(this.#doc, cardIds, this.#origin);
	}

	mergeCards(targetId: CardId, sourceIds: readonly CardId[]): void {
		this.#control_();
		schema.mergeCards(this.#doc, targetId, sourceIds, this.#origin);
	}

	openRound(votesPerPerson: number, anonymous?: AnonymityMode): RoundId {
		this.#control_();
		return schema.openRound(
			this.#doc,
			{ votesPerPerson, now: this.#now(), anonymous },
			this.#origin
		);
	}

	/** Makes a step anonymous (`facilitator`: facilitators see authors; `hidden`: nobody), or not. */
	setAnonymous(step: StepId, mode: AnonymityMode | null): void {
		this.#control_();
		schema.setAnonymous(this.#doc, step, mode, this.#origin);
	}

	closeRound(roundId: RoundId): void {
		this.#control_();
		schema.closeRound(this.#doc, roundId, this.#origin);
	}

	/** Flips the round to revealed; the server tallies the ballots into the results. */
	revealRound(roundId: RoundId): void {
		this.#control_();
		schema.revealRound(this.#doc, roundId, undefined, this.#origin);
	}

	setJoiningOpen(open: boolean): void {
		this.#require('session.manage');
		schema.setJoiningOpen(this.#doc, open, this.#origin);
	}

	endSession(): void {
		this.#require('session.manage');
		schema.endSession(this.#doc, this.#origin);
	}

	/** Stops observing the documents (it does not destroy them: the connection owns them). */
	destroy(): void {
		for (const reader of [this.#meta, this.#cards, this.#links, this.#comments, this.#control])
			reader.destroy();
		this.#glossary.destroy();
		this.#drafts?.destroy();
		this.#ballots?.destroy();
		this.#ownAuthored?.destroy();
		for (const reader of this.#foreignDrafts.values()) reader.destroy();
		this.#foreignDrafts.clear();
		for (const reader of this.#foreignAuthored.values()) reader.destroy();
		this.#foreignAuthored.clear();
		this.#undoShared.destroy();
		this.#undoPrivate?.destroy();
	}
}

const BOARD_KEY = Symbol('kompas.board');

/** Provides the board to the components below (call during component init). */
export function setBoardContext(board: BoardState): BoardState {
	return setContext(BOARD_KEY, board);
}

/** The board provided by an ancestor; throws when there is none. */
export function getBoardContext(): BoardState {
	const board = getContext<BoardState | undefined>(BOARD_KEY);
	if (!board) throw new Error('getBoardContext: no BoardState was provided (setBoardContext)');
	return board;
}
