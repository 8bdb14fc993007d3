import { FormReader, type Problems } from './forms.ts';
import { isPerspective, type Perspective } from '../domain/roles.ts';
import type { TrajectoryInput } from './trajectories.ts';

export const MAX_PARTNERS = 30;
export const MAX_THEMES = 20;

export interface TrajectoryFormValues {
	municipality: string;
	title: string;
	description: string;
	themes: string;
	partners: { id: string; name: string; perspective: string }[];
}

/**
 * Reads the trajectory form (new and edit). Partners come as parallel lists partner_id[],
 * partner_name[], partner_perspective[]; a row with an empty name is dropped. Problems are keyed by
 * field name, partner rows as `partner_name_<i>` / `partner_perspective_<i>`.
 */
export function readTrajectoryForm(data: FormData): {
	input: TrajectoryInput & { themes: string[] };
	values: TrajectoryFormValues;
	problems: Problems;
} {
	const form = new FormReader(data);
	const municipality = form.text('municipality', { max: 120 });
	const title = form.text('title', { max: 160 });
	const description = form.text('description', { max: 4000, required: false });
	const themesText = form.text('themes', { max: 2000, required: false });
	const ids = form.all('partner_id');
	const names = form.all('partner_name');
	const perspectives = form.all('partner_perspective');
	const rows = names.map((name, i) => ({
		id: ids[i] ?? '',
		name,
		perspective: perspectives[i] ?? ''
	}));
	const partners: { id?: string; name: string; perspective: Perspective }[] = [];
	rows.slice(0, MAX_PARTNERS).forEach((row, i) => {
		if (!row.name) return;
		if (row.name.length > 160) form.problem(`partner_name_${i}`, { code: 'too-long', max: 160 });
		if (!isPerspective(row.perspective))
			form.problem(`partner_perspective_${i}`, { code: 'perspective-invalid' });
		else partners.push({ id: row.id || undefined, name: row.name, perspective: row.perspective });
	});
	const themes = themesText
		.split('\n')
		.map((t) => t.trim())
		.filter(Boolean)
		.slice(0, MAX_THEMES);
	if (themes.some((t) => t.length > 80)) form.problem('themes', { code: 'too-long', max: 80 });
	return {
		input: { municipality, title, description, partners, themes },
		values: { municipality, title, description, themes: themesText, partners: rows },
		problems: form.problems
	};
}
