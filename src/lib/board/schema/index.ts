/**
 * The board documents' schema: the ONLY code that spells Yjs root names and field keys. Browser
 * (`board.svelte.ts`) and server (`server/realtime/`) both read, write and judge boards through it.
 * server/realtime/README.md says how the server applies it (write rules, limits, close codes).
 *
 * One module per record family, each owning its fields (type, allowed values, limits, who may
 * write them), readers and writers:
 * - `keys.ts`            root names, field keys, record-map helpers
 * - `fields.ts`          the vocabulary of field declarations
 * - `document.ts`        the shared document: roots, creation, migration, `meta`, snapshot
 * - `cards.ts`           card records (shared cards and drafts)
 * - `links-comments.ts`  links, comments, and the facilitator's merge that moves them
 * - `control.ts`         the facilitator's control state and voting rounds
 * - `private.ts`         a participant's private document: drafts and ballots
 * - `glossary.ts`        the live glossary: terms (facilitator) and readings per perspective
 * - `consent-fields.ts`  consent proposals, their shown results, participants' answers: fields;
 *                        `consent.ts` (readers, a participant's answer) and `consent-writers.ts`
 *                        (facilitators, server) are NOT re-exported here: import them directly,
 *                        so that a participant's first load (which imports this index) skips them
 * - `validate.ts`        judges a client's changes against the declarations (the server's check)
 *
 * Every writer runs in one `doc.transact(fn, origin)`; pass your own origin object to make the edit
 * undoable by a `Y.UndoManager` that tracks it, or {@link SERVER_ORIGIN} on the server. Readers
 * never throw on bad data: malformed records are skipped.
 */
export {
	BoardWriteError,
	CARD,
	COMMENT,
	CONTROL,
	LINK,
	mapIn,
	META,
	PRIVATE_ROOT,
	ROOT,
	ROUND,
	SERVER_ORIGIN,
	type Author,
	type FieldValue,
	type PrivateRootName,
	type RootName
} from './keys.ts';
export {
	type Byline,
	type FieldSpec,
	type MapSpec,
	type RootSpec,
	type Shape,
	type Writer
} from './fields.ts';
export {
	BOARD_DOC,
	createBoardDoc,
	META_FIELDS,
	migrate,
	readBoardSnapshot,
	readMeta,
	SCHEMA_VERSION,
	sharedTypes,
	type BoardInit
} from './document.ts';
export {
	addCard,
	CARD_FIELDS,
	deleteCard,
	MAX_CO_AUTHORS,
	moveCard,
	readCard,
	readCardRecord,
	readCards,
	updateCard,
	type CardChange,
	type NewCard
} from './cards.ts';
export {
	addComment,
	addLink,
	COMMENT_FIELDS,
	deleteComment,
	LINK_FIELDS,
	mergeCards,
	readComments,
	readLinks,
	removeLink,
	unmergeCard
} from './links-comments.ts';
export {
	closeRound,
	CONTROL_FIELDS,
	controlFacts,
	isAnonymousStep,
	endSession,
	lockStep,
	markAgreed,
	openRound,
	pauseTimer,
	privateStepsOf,
	readControl,
	resumeTimer,
	revealRound,
	ROUND_FIELDS,
	roundStatusesOf,
	setCurrentStep,
	setEnded,
	setFollow,
	setJoiningOpen,
	setPriorityOrder,
	setPrivate,
	spotlight,
	startTimer,
	stopTimer,
	writeRoundResults,
	writeRoundVoters
} from './control.ts';
export {
	addDraft,
	createPrivateDoc,
	deleteDraft,
	PRIVATE_DOC,
	privateTypes,
	readBallot,
	readBallots,
	readDrafts,
	revealDrafts,
	revealStep,
	setVotes,
	updateDraft
} from './private.ts';
export { ANSWER_FIELDS, PROPOSAL_FIELDS } from './consent-fields.ts';
export {
	addTerm,
	proposeReading,
	READING,
	READING_FIELDS,
	readGlossary,
	removeReading,
	removeTerm,
	replaceGlossary,
	TERM,
	TERM_FIELDS,
	touchedGlossary,
	updateReading,
	updateTerm,
	type NewTerm,
	type TermChange
} from './glossary.ts';
export {
	judgeChanges,
	type AuthoredRecord,
	type DocKind,
	type Judgement,
	type RefusalCode,
	type SchemaChange,
	type SchemaWriter
} from './validate.ts';
export {
	anonymousStepsOf,
	authoredType,
	readAuthored,
	roundAnonymityOf,
	setAnonymous
} from './anonymity.ts';
export { readSessionStarts, recordSessionStarts, stampAgreements, stampCards } from './history.ts';
