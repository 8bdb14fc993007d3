/**
 * JSON of everything, and its import.
 *
 * The file is `{ format: 'kompas-export', version: 1, report: TrajectoryReport }`. `parseImport`
 * validates a file completely (shape, limits, and that every link points at an outcome or activity
 * of the same theme) and returns either the whole typed report or every problem with its field
 * path: never a partial result.
 */
import { z } from 'zod';
import { STEP_IDS } from '../../domain/steps.ts';
import { GLOSSARY_LIMITS } from '../../domain/glossary.ts';
import { m } from '../../paraglide/messages.js';
import {
	CONSENT_ANSWERS,
	CONSENT_LIMITS,
	CONSENT_STATUSES,
	CONSENT_SUBJECTS
} from '../../domain/consent.ts';
import {
	INDICATOR_LEVELS,
	MEASURE_KINDS,
	OUTCOME_KINDS,
	GLOSSARY_STATUSES,
	PERSPECTIVES,
	type ExportOptions,
	type Locale,
	type Perspective,
	type TrajectoryReport
} from './report.ts';

export const EXPORT_FORMAT = 'kompas-export';
export const EXPORT_VERSION = 1;

/** Upper bounds that keep a hostile file from exhausting memory; far above any real trajectory. */
const LIMITS = { shortText: 500, longText: 5000, items: 500, themes: 100, votes: 100_000 } as const;

const shortText = z.string().max(LIMITS.shortText);
const longText = z.string().max(LIMITS.longText);
const required = (schema: z.ZodString) => schema.trim().min(1);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.items);
const years = z.number().int().min(0).max(100).nullable();
const perspective = z.enum(PERSPECTIVES);
const voteCount = z.number().int().min(0).max(LIMITS.votes);

const votesByPerspective = z.strictObject(
	Object.fromEntries(PERSPECTIVES.map((p) => [p, voteCount])) as Record<
		Perspective,
		typeof voteCount
	>
);

/** "Vastgesteld bij consent, ronde 2, 0 bezwaren". */
const provenanceSchema = z.strictObject({
	round: z.number().int().min(1).max(CONSENT_LIMITS.roundsMax),
	objections: voteCount
});

const consentCounts = z.strictObject(
	Object.fromEntries(CONSENT_ANSWERS.map((a) => [a, votesByPerspective])) as Record<
		(typeof CONSENT_ANSWERS)[number],
		typeof votesByPerspective
	>
);

const consentRoundSchema = z.strictObject({
	round: z.number().int().min(1).max(CONSENT_LIMITS.roundsMax),
	text: longText,
	counts: consentCounts,
	notes: list(
		z.strictObject({
			answer: z.enum(['bezwaar', 'parkeren']),
			perspective,
			text: required(z.string().max(CONSENT_LIMITS.reasonMax))
		})
	)
});

const consentProposalSchema = z.strictObject({
	subject: z.enum(CONSENT_SUBJECTS),
	items: list(longText),
	status: z.enum(CONSENT_STATUSES),
	round: z.number().int().min(1).max(CONSENT_LIMITS.roundsMax),
	text: required(longText),
	note: z.string().max(CONSENT_LIMITS.reasonMax),
	rounds: z.array(consentRoundSchema).max(CONSENT_LIMITS.roundsMax)
});

const outcomeSchema = z.strictObject({
	text: required(longText),
	horizonYears: years,
	outcomeKind: z.enum(OUTCOME_KINDS),
	votesTotal: voteCount,
	votesByPerspective,
	votesOtherPerspectives: voteCount.optional(),
	votesNotSplit: voteCount.optional(),
	agreed: z.boolean(),
	consent: provenanceSchema.optional()
});

const activitySchema = z.strictObject({
	text: required(longText),
	owners: list(required(shortText)),
	servesOutcomes: list(longText),
	isNew: z.boolean(),
	quality: list(longText),
	consent: provenanceSchema.optional()
});

const indicatorSchema = z.strictObject({
	name: required(longText),
	measureKind: z.enum(MEASURE_KINDS),
	instrument: longText,
	baseline: longText,
	target: longText,
	horizonYears: years,
	moments: list(shortText),
	owner: shortText,
	linkedTo: longText.nullable(),
	level: z.enum(INDICATOR_LEVELS),
	anonymous: z.literal(true).optional()
});

const cardRef = z.strictObject({ step: z.enum(STEP_IDS), text: required(longText) });

const themeSchema = z.strictObject({
	name: required(shortText),
	cycle: z.number().int().min(1).max(1000),
	ambition: longText.nullable(),
	ambitionConsent: provenanceSchema.optional(),
	situation: list(longText),
	outcomes: list(outcomeSchema),
	activities: list(activitySchema),
	indicators: list(indicatorSchema),
	reflection: z.strictObject({
		well: list(longText),
		better: list(longText),
		actions: list(z.strictObject({ text: required(longText), owner: shortText }))
	}),
	openChecks: list(longText),
	anonymousCards: list(cardRef).optional(),
	agreements: list(
		z.strictObject({ ...cardRef.shape, session: z.number().int().min(1).max(9999) })
	).optional(),
	changes: z
		.strictObject({
			since: z.iso.datetime(),
			session: z.number().int().min(1).max(9999).nullable(),
			added: list(cardRef),
			changed: list(cardRef),
			agreed: list(cardRef)
		})
		.optional(),
	consent: list(consentProposalSchema).optional()
});

/** The report's shape and limits, without cross-references (those need a locale for messages). */
export const reportSchema = z.strictObject({
	municipality: required(shortText),
	title: required(shortText),
	description: longText,
	date: z.iso.date(),
	organisations: list(z.strictObject({ name: required(shortText), perspective })),
	people: list(
		z.strictObject({ name: required(shortText), organisation: shortText, perspective })
	).optional(),
	glossary: list(
		z.strictObject({
			term: required(z.string().max(GLOSSARY_LIMITS.term)),
			definition: z.string().max(GLOSSARY_LIMITS.meaning),
			status: z.enum(GLOSSARY_STATUSES).optional(),
			note: z.string().max(GLOSSARY_LIMITS.note).optional(),
			readings: list(
				z.strictObject({ perspective, text: required(z.string().max(GLOSSARY_LIMITS.meaning)) })
			).optional(),
			usedIn: list(z.strictObject({ theme: shortText, card: longText })).optional()
		})
	).optional(),
	themes: z.array(themeSchema).max(LIMITS.themes)
});

// Keep the schema and the hand-written model in step: this fails to compile if they drift.
const _sameShape: (r: z.output<typeof reportSchema>) => TrajectoryReport = (r) => r;
void _sameShape;

function withReferenceChecks(locale: Locale) {
	return reportSchema.superRefine((report, ctx) => {
		report.themes.forEach((theme, t) => {
			const outcomes = new Set(theme.outcomes.map((o) => o.text));
			const activities = new Set(theme.activities.map((a) => a.text));
			theme.outcomes.forEach((outcome, i) => {
				const sum = PERSPECTIVES.reduce(
					(s, p) => s + outcome.votesByPerspective[p],
					(outcome.votesOtherPerspectives ?? 0) + (outcome.votesNotSplit ?? 0)
				);
				if (sum !== outcome.votesTotal) {
					ctx.addIssue({
						code: 'custom',
						path: ['themes', t, 'outcomes', i, 'votesTotal'],
						message: m.export_import_votes_total({ total: outcome.votesTotal, sum }, { locale })
					});
				}
			});
			theme.activities.forEach((activity, i) => {
				activity.servesOutcomes.forEach((text, j) => {
					if (!outcomes.has(text)) {
						ctx.addIssue({
							code: 'custom',
							path: ['themes', t, 'activities', i, 'servesOutcomes', j],
							message: m.export_import_unknown_outcome({ text: preview(text) }, { locale })
						});
					}
				});
			});
			theme.indicators.forEach((indicator, i) => {
				const link = indicator.linkedTo;
				if (link !== null && !outcomes.has(link) && !activities.has(link)) {
					ctx.addIssue({
						code: 'custom',
						path: ['themes', t, 'indicators', i, 'linkedTo'],
						message: m.export_import_unknown_link({ text: preview(link) }, { locale })
					});
				}
			});
		});
	});
}

function preview(text: string): string {
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The report as a Kompas export file (pretty-printed JSON). People's names are only written when
 * `options.includePeople` is set, as on the cover of the documents.
 */
export function exportJson(report: TrajectoryReport, options: ExportOptions = {}): string {
	const { people, ...rest } = report;
	const body: TrajectoryReport = options.includePeople && people ? { ...rest, people } : rest;
	// Through the schema for a canonical key order (so export → import → export is stable), but
	// never refuse to export: a report that does not fit is written as it is.
	const canonical = reportSchema.safeParse(body);
	const envelope = {
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		report: canonical.success ? canonical.data : body
	};
	return `${JSON.stringify(envelope, null, '\t')}\n`;
}

export interface ImportError {
	/** Dotted path to the field, e.g. "report.themes[0].outcomes[2].text"; "" for the whole file. */
	path: string;
	message: string;
}

export type ImportResult =
	{ ok: true; report: TrajectoryReport } | { ok: false; errors: ImportError[] };

function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const key of path) {
		if (typeof key === 'number') out += `[${key}]`;
		else out += out === '' ? String(key) : `.${String(key)}`;
	}
	return out;
}

/**
 * Validates a Kompas export (its text, or an already parsed value) and returns the typed report,
 * or every problem found with its field path and a message in `locale`. Never a partial report.
 */
export function parseImport(input: unknown, options: { locale?: Locale } = {}): ImportResult {
	const locale = options.locale ?? 'nl';
	let data: unknown = input;
	if (typeof input === 'string') {
		try {
			data = JSON.parse(input.replace(/^\uFEFF/, ''));
		} catch {
			return {
				ok: false,
				errors: [{ path: '', message: m.export_import_not_json({}, { locale }) }]
			};
		}
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return {
			ok: false,
			errors: [{ path: '', message: m.export_import_wrong_format({}, { locale }) }]
		};
	}
	const envelope = data as Record<string, unknown>;
	if (envelope.format !== EXPORT_FORMAT) {
		return {
			ok: false,
			errors: [{ path: 'format', message: m.export_import_wrong_format({}, { locale }) }]
		};
	}
	if (envelope.version !== EXPORT_VERSION) {
		return {
			ok: false,
			errors: [{ path: 'version', message: m.export_import_wrong_version({}, { locale }) }]
		};
	}
	const envelopeSchema = z.strictObject({
		format: z.literal(EXPORT_FORMAT),
		version: z.literal(EXPORT_VERSION),
		report: withReferenceChecks(locale)
	});
	const zodLocale = locale === 'en' ? z.locales.en() : z.locales.nl();
	const result = envelopeSchema.safeParse(envelope, { error: zodLocale.localeError });
	if (result.success) return { ok: true, report: result.data.report };
	const errors = result.error.issues.map((issue) => ({
		path: formatPath(issue.path),
		message:
			issue.code === 'invalid_format' && issue.format === 'date'
				? m.export_import_date({}, { locale })
				: issue.message
	}));
	return { ok: false, errors };
}
