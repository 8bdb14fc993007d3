/**
 * The export module's input: a plain, typed picture of what a trajectory agreed.
 *
 * Deliberately independent of the board's Yjs schema: a separate mapper turns a board snapshot
 * (plus the trajectory's record) into a `TrajectoryReport`; every exporter (DOCX, PDF, Markdown,
 * CSV, JSON, annex) only reads this model. Pure data: no Yjs, no Svelte, no I/O.
 */
import type { Perspective } from '../../domain/roles.ts';
import type { StepId } from '../../domain/steps.ts';
import type { ConsentAnswer, ConsentStatus, ConsentSubject } from '../../domain/consent.ts';
import type { GlossaryStatus } from '../../domain/glossary.ts';
import type { locales } from '../../paraglide/runtime.js';

export { PERSPECTIVES, type Perspective } from '../../domain/roles.ts';
export { GLOSSARY_STATUSES, type GlossaryStatus } from '../../domain/glossary.ts';

/** NJI's three kinds of societal result; content results come first. */
export const OUTCOME_KINDS = ['inhoudelijk', 'proces', 'randvoorwaardelijk'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** "Tellen en vertellen": figures or stories. */
export const MEASURE_KINDS = ['tellen', 'vertellen'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** Community level (step 2, population monitors) or service level (step 5, one provider's outcome). */
export const INDICATOR_LEVELS = ['community', 'service'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

export interface ReportOrganisation {
	name: string;
	perspective: Perspective;
}

/** A named participant; only in the report when the facilitator chose to include names. */
export interface ReportPerson {
	name: string;
	organisation: string;
	perspective: Perspective;
}

/** What one perspective reads in a glossary term. */
export interface GlossaryReadingEntry {
	perspective: Perspective;
	text: string;
}

/** A card of a theme that uses a glossary term. */
export interface GlossaryUse {
	theme: string;
	card: string;
}

export interface GlossaryEntry {
	term: string;
	/** The agreed meaning ('' while the group has none). */
	definition: string;
	/** `open`: still talked about; `agreed`: vastgesteld. Absent in exports before readings existed. */
	status?: GlossaryStatus;
	/** An open question beside the term ("doel of middel?"). */
	note?: string;
	/** Readings per perspective, in the order they were given. */
	readings?: GlossaryReadingEntry[];
	/** The cards that use the term (derived from the boards; not imported). */
	usedIn?: GlossaryUse[];
}

/** A societal result ("over N jaar willen we dat onze inwoners…"). */
export interface ReportOutcome {
	text: string;
	/** Years until the result should be reached; null when the group set none. */
	horizonYears: number | null;
	outcomeKind: OutcomeKind;
	votesTotal: number;
	/** Votes from each perspective shown apart; every perspective present (0 when none). */
	votesByPerspective: Record<Perspective, number>;
	/**
	 * An anonymous round (domain/votes.ts, `MIN_VOTERS_APART`): votes of the perspectives too small
	 * to show apart, together ("andere perspectieven").
	 */
	votesOtherPerspectives?: number;
	/** An anonymous round in which no perspective could be shown apart: only the total. */
	votesNotSplit?: number;
	/** The facilitator marked this priority as agreed (vastgesteld). */
	agreed: boolean;
	/** Agreed by consent: in which round, with how many bezwaren (always 0). */
	consent?: ReportProvenance;
}

/** "Vastgesteld bij consent, ronde 2, 0 bezwaren". */
export interface ReportProvenance {
	round: number;
	objections: number;
}

/** One shown round of a consent proposal: counts per answer per perspective, reasons and notes. */
export interface ReportConsentRound {
	round: number;
	/** The wording the group answered to in this round. */
	text: string;
	counts: Record<ConsentAnswer, Record<Perspective, number>>;
	/** Reasons (bezwaar) and notes (parkeren) with their perspective, never a name. */
	notes: { answer: Exclude<ConsentAnswer, 'akkoord'>; perspective: Perspective; text: string }[];
}

/** A proposal put to the group in a consent round, with every round and how it ended. */
export interface ReportConsentProposal {
	subject: ConsentSubject;
	/** Texts of the cards it is about: the ambition, the outcomes in order, or the activity. */
	items: string[];
	status: ConsentStatus;
	/** The current (last) round and wording. */
	round: number;
	text: string;
	/** The facilitator's note when parked. */
	note: string;
	rounds: ReportConsentRound[];
}

export interface ReportActivity {
	text: string;
	/** Organisations that carry it out. */
	owners: string[];
	/** Texts of the outcomes (same theme) this activity serves; empty means "doel of middel?". */
	servesOutcomes: string[];
	/** A new activity rather than existing provision. */
	isNew: boolean;
	/** Quality conditions (input kwaliteit): training, method, evidence… Empty when none given. */
	quality: string[];
	/** Agreed by consent. */
	consent?: ReportProvenance;
}

export interface ReportIndicator {
	name: string;
	measureKind: MeasureKind;
	/** Instrument or source (ZRM, CEO, Gezondheidsmonitor, interviews…). */
	instrument: string;
	/** Free text, because baselines may be figures ("65%") or stories. Empty when unknown. */
	baseline: string;
	target: string;
	horizonYears: number | null;
	/** Measurement moments, e.g. "nulmeting 2026", "jaarlijks in juni". */
	moments: string[];
	/** Who measures and reports. */
	owner: string;
	/** Text of the outcome or activity (same theme) this indicator belongs to; null when unlinked. */
	linkedTo: string | null;
	level: IndicatorLevel;
	/** Written in an anonymous round: shown as "anoniem", never with a name. */
	anonymous?: boolean;
}

/** A card named by its step and text (anonymous input, changes, agreements). */
export interface ReportCardRef {
	step: StepId;
	text: string;
}

/** An agreed card and the session in which it was agreed ("vastgesteld in bijeenkomst N"). */
export interface ReportAgreement extends ReportCardRef {
	session: number;
}

/** "Wat is er veranderd sinds …" for one theme (domain/history.ts). */
export interface ReportChanges {
	/** Since when: an ISO date-time (UTC). */
	since: string;
	/** The session that started then, when the moment is a session's start; else null. */
	session: number | null;
	added: ReportCardRef[];
	changed: ReportCardRef[];
	agreed: ReportCardRef[];
}

/** A card written in an anonymous round (domain/anonymity.ts): its step and text, no author. */
export interface ReportAnonymousCard {
	step: StepId;
	text: string;
}

export interface ReflectionAction {
	text: string;
	owner: string;
}

export interface ReportReflection {
	well: string[];
	better: string[];
	actions: ReflectionAction[];
}

export interface ThemeReport {
	name: string;
	/** 1-based number of the cycle this report describes. */
	cycle: number;
	/** The agreed (vastgestelde) ambition, or null when none is agreed yet. */
	ambition: string | null;
	/** The ambition was agreed by consent. */
	ambitionConsent?: ReportProvenance;
	/** Situation notes (stand van zaken): figures and signals. */
	situation: string[];
	/** In the agreed priority order, highest first. */
	outcomes: ReportOutcome[];
	activities: ReportActivity[];
	indicators: ReportIndicator[];
	reflection: ReportReflection;
	/** Open compass checks in the reader's words, e.g. "Activiteit X draagt aan geen resultaat bij". */
	openChecks: string[];
	/** Cards written in anonymous rounds, in board order (absent when there are none). */
	anonymousCards?: ReportAnonymousCard[];
	/** Agreed cards with the session that agreed them, in step order (absent when none is known). */
	agreements?: ReportAgreement[];
	/** What changed since the previous session or a chosen moment (absent when there is none). */
	changes?: ReportChanges;
	/** Consent rounds held on this board (absent: none). */
	consent?: ReportConsentProposal[];
}

export interface TrajectoryReport {
	municipality: string;
	title: string;
	description: string;
	/** ISO calendar date (YYYY-MM-DD) the report describes. */
	date: string;
	organisations: ReportOrganisation[];
	/** Only present when the facilitator chose to name people. */
	people?: ReportPerson[];
	glossary?: GlossaryEntry[];
	themes: ThemeReport[];
}

/** A language the documents can be written in (the app's locales). */
export type Locale = (typeof locales)[number];

/** How a document is rendered. */
export interface ExportOptions {
	/** Language of headings and labels; Dutch by default. The report's own text is not translated. */
	locale?: Locale;
	/** Print people's names on the cover (and keep them in JSON). Off by default (AVG: minimise). */
	includePeople?: boolean;
}

/** A copy of `report` with only the theme at `index` (for a per-theme export). */
export function reportForTheme(report: TrajectoryReport, index: number): TrajectoryReport {
	const theme = report.themes[index];
	if (!theme) throw new RangeError(`No theme at index ${index}`);
	return { ...report, themes: [theme] };
}
