/**
 * The glossary owner's records and helpers (its repository is glossary.kysely.ts; tables `glossary` and `glossary_readings`): per trajectory, each term
 * with its agreed meaning (`definition`), an open question (`note`), its status and the readings
 * per perspective. The trajectory page writes it through `add`/`update`/`remove`; the realtime
 * server writes a live board's changes back through `saveTerm`/`saveReading`/`delete*`
 * (server/realtime/glossary-sync.ts). Callers authorise first.
 */
import { millis, type ReadRow } from './db/tables.ts';
import {
	isGlossaryStatus,
	type GlossaryReading,
	type GlossaryStatus,
	type GlossaryTerm
} from '../domain/glossary.ts';
import { isPerspective } from '../domain/roles.ts';
import type { KyselyGlossary } from './glossary.kysely.ts';

interface TermRow {
	id: string;
	term: string;
	definition: string;
	note: string;
	status: string;
	created_at: number;
}

interface ReadingRow {
	id: string;
	glossary_id: string;
	perspective: string;
	text: string;
	author_id: string;
	author_name: string;
	created_at: number;
}

/**
 * The terms with their readings, from the rows of one trajectory in list order (both forms of the
 * repository); a reading of an unknown perspective is left out.
 */
export function glossaryOf(
	terms: readonly ReadRow<TermRow, 'created_at'>[],
	readings: readonly ReadRow<ReadingRow, 'created_at'>[]
): GlossaryTerm[] {
	const byTerm = new Map<string, GlossaryReading[]>();
	for (const r of readings) {
		if (!isPerspective(r.perspective)) continue;
		const list = byTerm.get(r.glossary_id) ?? [];
		list.push({
			id: r.id,
			termId: r.glossary_id,
			perspective: r.perspective,
			text: r.text,
			authorId: r.author_id,
			authorName: r.author_name,
			createdAt: millis(r.created_at)
		});
		byTerm.set(r.glossary_id, list);
	}
	return terms.map((row) => ({
		id: row.id,
		term: row.term,
		meaning: row.definition,
		note: row.note,
		status: isGlossaryStatus(row.status) ? row.status : 'open',
		createdAt: millis(row.created_at),
		readings: byTerm.get(row.id) ?? []
	}));
}

/** What the trajectory page or an import adds. */
export interface TermInput {
	term: string;
	/** The agreed meaning ('' when none). */
	definition: string;
	note?: string;
	/** Default: agreed when a meaning is given, else open. */
	status?: GlossaryStatus;
	readings?: Omit<GlossaryReading, 'id' | 'termId' | 'authorId' | 'createdAt'>[];
}

/** The glossary repository as `AppContext` holds it: its Kysely form (glossary.kysely.ts), SQLite or PostgreSQL. */
export type Glossary = KyselyGlossary;
