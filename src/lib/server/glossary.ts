/**
 * The glossary repository (tables `glossary` and `glossary_readings`): per trajectory, each term
 * with its agreed meaning (`definition`), an open question (`note`), its status and the readings
 * per perspective. The trajectory page writes it through `add`/`update`/`remove`; the realtime
 * server writes a live board's changes back through `saveTerm`/`saveReading`/`delete*`
 * (server/realtime/glossary-sync.ts). Callers authorise first.
 */
import type { Db } from './db/open.ts';
import { millis, type ReadRow } from './db/tables.ts';
import { newId } from './auth/tokens.ts';
import {
	isGlossaryStatus,
	type GlossaryReading,
	type GlossaryStatus,
	type GlossaryTerm
} from '../domain/glossary.ts';
import { isPerspective } from '../domain/roles.ts';

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

export function createGlossary(db: Db, touch: (trajectoryId: string) => void, now: () => Date) {
	const nextPosition = (trajectoryId: string) =>
		(
			db
				.prepare('SELECT COALESCE(MAX(position) + 1, 0) AS p FROM glossary WHERE trajectory_id = ?')
				.get(trajectoryId) as { p: number }
		).p;
	const owns = (trajectoryId: string, termId: string) =>
		db
			.prepare('SELECT 1 FROM glossary WHERE id = ? AND trajectory_id = ?')
			.get(termId, trajectoryId) !== undefined;

	const repo = {
		/** Every term of the trajectory with its readings, in the order they were added. */
		list(trajectoryId: string): GlossaryTerm[] {
			const rows = db
				.prepare(
					`SELECT id, term, definition, note, status, created_at FROM glossary
					 WHERE trajectory_id = ? ORDER BY created_at, position, id`
				)
				.all(trajectoryId) as TermRow[];
			const readings = db
				.prepare(
					`SELECT r.id, r.glossary_id, r.perspective, r.text, r.author_id, r.author_name, r.created_at
					 FROM glossary_readings r JOIN glossary g ON g.id = r.glossary_id
					 WHERE g.trajectory_id = ? ORDER BY r.created_at, r.id`
				)
				.all(trajectoryId) as ReadingRow[];
			return glossaryOf(rows, readings);
		},

		/** Adds a term (with readings, e.g. from an import or the demo). */
		add(trajectoryId: string, input: TermInput): GlossaryTerm {
			const id = newId();
			const at = now().getTime();
			const status = input.status ?? (input.definition.trim() ? 'agreed' : 'open');
			db.prepare(
				`INSERT INTO glossary (id, trajectory_id, term, definition, note, status, created_at, position)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			).run(
				id,
				trajectoryId,
				input.term,
				input.definition,
				input.note ?? '',
				status,
				at,
				nextPosition(trajectoryId)
			);
			(input.readings ?? []).forEach((reading, i) =>
				db
					.prepare(
						`INSERT INTO glossary_readings (id, glossary_id, perspective, text, author_id, author_name, created_at)
						 VALUES (?, ?, ?, ?, '', ?, ?)`
					)
					.run(newId(), id, reading.perspective, reading.text, reading.authorName, at + i)
			);
			touch(trajectoryId);
			return repo.list(trajectoryId).find((t) => t.id === id) as GlossaryTerm;
		},

		/**
		 * Changes a term's name and agreed meaning (the trajectory page); a meaning makes it agreed.
		 * @returns false when the term is not part of this trajectory.
		 */
		update(trajectoryId: string, id: string, term: string, definition: string): boolean {
			const changed = db
				.prepare(
					`UPDATE glossary SET term = ?, definition = ?,
					 status = CASE WHEN trim(?) = '' THEN status ELSE 'agreed' END
					 WHERE id = ? AND trajectory_id = ?`
				)
				.run(term, definition, definition, id, trajectoryId).changes;
			if (changed) touch(trajectoryId);
			return changed > 0;
		},

		/** @returns false when the term is not part of this trajectory. */
		remove(trajectoryId: string, id: string): boolean {
			const changed = db
				.prepare('DELETE FROM glossary WHERE id = ? AND trajectory_id = ?')
				.run(id, trajectoryId).changes;
			if (changed) touch(trajectoryId);
			return changed > 0;
		},

		/**
		 * Stores a term as a live board has it (the realtime server), creating it when new.
		 * @returns false when the id belongs to another trajectory (nothing is written).
		 */
		saveTerm(trajectoryId: string, term: Omit<GlossaryTerm, 'readings'>): boolean {
			const row = db.prepare('SELECT trajectory_id FROM glossary WHERE id = ?').get(term.id) as
				{ trajectory_id: string } | undefined;
			if (row && row.trajectory_id !== trajectoryId) return false;
			if (row)
				db.prepare(
					'UPDATE glossary SET term = ?, definition = ?, note = ?, status = ?, created_at = ? WHERE id = ?'
				).run(term.term, term.meaning, term.note, term.status, term.createdAt, term.id);
			else
				db.prepare(
					`INSERT INTO glossary (id, trajectory_id, term, definition, note, status, created_at, position)
					 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
				).run(
					term.id,
					trajectoryId,
					term.term,
					term.meaning,
					term.note,
					term.status,
					term.createdAt,
					nextPosition(trajectoryId)
				);
			touch(trajectoryId);
			return true;
		},

		/** Stores a reading as a live board has it. @returns false when its term is not the trajectory's. */
		saveReading(trajectoryId: string, reading: GlossaryReading): boolean {
			if (!owns(trajectoryId, reading.termId)) return false;
			const row = db
				.prepare(
					'SELECT g.trajectory_id FROM glossary_readings r JOIN glossary g ON g.id = r.glossary_id WHERE r.id = ?'
				)
				.get(reading.id) as { trajectory_id: string } | undefined;
			if (row && row.trajectory_id !== trajectoryId) return false;
			if (row)
				db.prepare(
					`UPDATE glossary_readings SET glossary_id = ?, perspective = ?, text = ?, author_id = ?,
					 author_name = ?, created_at = ? WHERE id = ?`
				).run(
					reading.termId,
					reading.perspective,
					reading.text,
					reading.authorId,
					reading.authorName,
					reading.createdAt,
					reading.id
				);
			else
				db.prepare(
					`INSERT INTO glossary_readings (id, glossary_id, perspective, text, author_id, author_name, created_at)
					 VALUES (?, ?, ?, ?, ?, ?, ?)`
				).run(
					reading.id,
					reading.termId,
					reading.perspective,
					reading.text,
					reading.authorId,
					reading.authorName,
					reading.createdAt
				);
			touch(trajectoryId);
			return true;
		},

		/** Gives readings a new byline per author id (retention: anonymised participants). */
		renameAuthors(names: ReadonlyMap<string, string>): void {
			const rename = db.prepare('UPDATE glossary_readings SET author_name = ? WHERE author_id = ?');
			db.transaction(() => {
				for (const [authorId, name] of names) rename.run(name, authorId);
			})();
		},

		deleteReading(trajectoryId: string, id: string): boolean {
			const changed = db
				.prepare(
					`DELETE FROM glossary_readings WHERE id = ? AND glossary_id IN
					 (SELECT id FROM glossary WHERE trajectory_id = ?)`
				)
				.run(id, trajectoryId).changes;
			if (changed) touch(trajectoryId);
			return changed > 0;
		}
	};
	return repo;
}

export type Glossary = ReturnType<typeof createGlossary>;
