/**
 * The extra fields of each card kind, as form fields: what the card editor shows, and how form
 * values become a new card or a change. Pure apart from the message lookups.
 */
import { m } from '$lib/paraglide/messages.js';
import {
	KIND_FIELDS,
	MEASURE_KINDS,
	OUTCOME_KINDS,
	type Card,
	type CardDetails,
	type CardInput,
	type CardKind
} from '$lib/domain/cards';
import type { CardChange } from '$lib/board/schema';
import { measureKindLabel, outcomeKindLabel } from './labels';

export type FieldKey = keyof CardDetails;
export type FieldType = 'text' | 'number' | 'select' | 'checkbox';

export interface FieldSpec {
	key: FieldKey;
	type: FieldType;
	/** The question the form asks ("Over hoeveel jaar?"). */
	label: () => string;
	/** The short name in a card's details, shown as "name: value" ("Termijn: 3 jaar"). */
	detail: () => string;
	hint?: () => string;
	options?: () => { value: string; label: string }[];
}

const SPECS: Record<FieldKey, FieldSpec> = {
	horizonYears: {
		key: 'horizonYears',
		type: 'number',
		label: () => m.workshop_field_horizon(),
		detail: () => m.workshop_detail_horizon(),
		hint: () => m.workshop_field_horizon_hint()
	},
	outcomeKind: {
		key: 'outcomeKind',
		type: 'select',
		label: () => m.workshop_field_outcome_kind(),
		detail: () => m.workshop_detail_outcome_kind(),
		options: () => OUTCOME_KINDS.map((k) => ({ value: k, label: outcomeKindLabel(k) }))
	},
	owners: {
		key: 'owners',
		type: 'text',
		label: () => m.workshop_field_owners(),
		detail: () => m.workshop_detail_owners(),
		hint: () => m.workshop_field_owners_hint()
	},
	isNew: {
		key: 'isNew',
		type: 'checkbox',
		label: () => m.workshop_field_is_new(),
		detail: () => m.workshop_detail_is_new()
	},
	quality: {
		key: 'quality',
		type: 'text',
		label: () => m.workshop_field_quality(),
		detail: () => m.workshop_detail_quality(),
		hint: () => m.workshop_field_quality_hint()
	},
	measureKind: {
		key: 'measureKind',
		type: 'select',
		label: () => m.workshop_field_measure_kind(),
		detail: () => m.workshop_detail_measure_kind(),
		options: () => MEASURE_KINDS.map((k) => ({ value: k, label: measureKindLabel(k) }))
	},
	instrument: {
		key: 'instrument',
		type: 'text',
		label: () => m.workshop_field_instrument(),
		detail: () => m.workshop_detail_instrument(),
		hint: () => m.workshop_field_instrument_hint()
	},
	baseline: {
		key: 'baseline',
		type: 'text',
		label: () => m.workshop_field_baseline(),
		detail: () => m.workshop_detail_baseline()
	},
	target: {
		key: 'target',
		type: 'text',
		label: () => m.workshop_field_target(),
		detail: () => m.workshop_detail_target()
	},
	moments: {
		key: 'moments',
		type: 'text',
		label: () => m.workshop_field_moments(),
		detail: () => m.workshop_detail_moments(),
		hint: () => m.workshop_field_moments_hint()
	},
	owner: {
		key: 'owner',
		type: 'text',
		label: () => m.workshop_field_owner(),
		detail: () => m.workshop_detail_owner()
	}
};

/** The extra fields of a kind, in form order. */
export const fieldsOf = (kind: CardKind): FieldSpec[] => KIND_FIELDS[kind].map((k) => SPECS[k]);

/** Form values: strings for inputs and selects, booleans for checkboxes. */
export type FieldValues = Partial<Record<FieldKey, string | boolean>>;

/** The form values showing a card's current fields. */
export function valuesOf(card: Card): FieldValues {
	const values: FieldValues = {};
	for (const spec of fieldsOf(card.kind)) {
		const value = card[spec.key];
		if (value === undefined) continue;
		if (spec.key === 'owners') values.owners = (value as string[]).join(', ');
		else if (typeof value === 'boolean') values[spec.key] = value;
		else values[spec.key] = String(value);
	}
	return values;
}

function parse(spec: FieldSpec, raw: string | boolean | undefined): CardDetails[FieldKey] | null {
	if (spec.type === 'checkbox') return raw === true;
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (!text) return null;
	if (spec.type === 'number') {
		const n = Number(text);
		return Number.isFinite(n) ? Math.round(n) : null;
	}
	if (spec.key === 'owners') return text.split(',').map((s) => s.trim());
	return text;
}

/** A new card of `kind` from the form. */
export function inputFrom(kind: CardKind, text: string, values: FieldValues): CardInput {
	const input: CardInput = { kind, text };
	for (const spec of fieldsOf(kind)) {
		const value = parse(spec, values[spec.key]);
		if (value !== null) Object.assign(input, { [spec.key]: value });
	}
	return input;
}

/** The change from `card` to the form's values (empty fields are removed). */
export function changeFrom(card: Card, text: string, values: FieldValues): CardChange {
	const change: CardChange = {};
	if (text.trim() !== card.text) change.text = text;
	const now = valuesOf(card);
	for (const spec of fieldsOf(card.kind)) {
		const before = now[spec.key] ?? (spec.type === 'checkbox' ? false : '');
		const after = values[spec.key] ?? (spec.type === 'checkbox' ? false : '');
		if (before === after) continue;
		Object.assign(change, { [spec.key]: parse(spec, after) });
	}
	return change;
}
