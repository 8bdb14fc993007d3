/**
 * The glossary owner (issue 12 item 2), what `AppContext` holds: every method async, the records of
 * glossary.ts, written once with Kysely for SQLite and PostgreSQL; part of the
 * trajectories' Kysely form, as glossary.ts is of trajectories.ts. glossary.spec.ts holds it to its contract on both.
 *
 * The live board's writes (`saveTerm`, `saveReading`) are one upsert each whose update applies
 * only to a row of the same trajectory: two nodes saving one new term cannot both insert it, and an
 * id of another trajectory is never overwritten.
 */
import { sql } from 'kysely';
import { newId } from './auth/tokens.ts';
import { inTransaction } from './db/postgres.ts';
import { type Executor } from './db/repository.ts';
import type { GlossaryReading, GlossaryTerm } from '../domain/glossary.ts';
import { glossaryOf, type TermInput } from './glossary.ts';

/** Marks a trajectory changed (the trajectories' Kysely form), in `tx` when given. */
type Touch = (trajectoryId: string, tx?: Executor) => Promise<void>;

export function createKyselyGlossary(db: Executor, touch: Touch, now: () => Date) {
	const nextPosition = async (tx: Executor, trajectoryId: string) => {
		const { max } = await tx
			.selectFrom('glossary')
			.select((eb) => eb.fn.max('position').as('max'))
			.where('trajectory_id', '=', trajectoryId)
			.executeTakeFirstOrThrow();
		return max === null ? 0 : Number(max) + 1;
	};
	const touchWhen = async (changed: bigint, trajectoryId: string, tx: Executor = db) => {
		if (changed > 0n) await touch(trajectoryId, tx);
		return changed > 0n;
	};

	const list = async (trajectoryId: string, tx: Executor = db): Promise<GlossaryTerm[]> => {
		const rows = await tx
			.selectFrom('glossary')
			.select(['id', 'term', 'definition', 'note', 'status', 'created_at'])
			.where('trajectory_id', '=', trajectoryId)
			.orderBy('created_at')
			.orderBy('position')
			.orderBy('id')
			.execute();
		const readings = await tx
			.selectFrom('glossary_readings as r')
			.innerJoin('glossary as g', 'g.id', 'r.glossary_id')
			.select([
				'r.id',
				'r.glossary_id',
				'r.perspective',
				'r.text',
				'r.author_id',
				'r.author_name',
				'r.created_at'
			])
			.where('g.trajectory_id', '=', trajectoryId)
			.orderBy('r.created_at')
			.orderBy('r.id')
			.execute();
		return glossaryOf(rows, readings);
	};

	return {
		/** Every term of the trajectory with its readings, in the order they were added. */
		list: (trajectoryId: string): Promise<GlossaryTerm[]> => list(trajectoryId),

		/** Adds a term (with readings, e.g. from an import or the demo), in `tx` when given. */
		add: (trajectoryId: string, input: TermInput, tx?: Executor): Promise<GlossaryTerm> =>
			inTransaction(db, tx, async (trx) => {
				const id = newId();
				const at = now().getTime();
				await trx
					.insertInto('glossary')
					.values({
						id,
						trajectory_id: trajectoryId,
						term: input.term,
						definition: input.definition,
						note: input.note ?? '',
						status: input.status ?? (input.definition.trim() ? 'agreed' : 'open'),
						created_at: at,
						position: await nextPosition(trx, trajectoryId)
					})
					.execute();
				const readings = input.readings ?? [];
				if (readings.length)
					await trx
						.insertInto('glossary_readings')
						.values(
							readings.map((reading, i) => ({
								id: newId(),
								glossary_id: id,
								perspective: reading.perspective,
								text: reading.text,
								author_id: '',
								author_name: reading.authorName,
								created_at: at + i
							}))
						)
						.execute();
				await touch(trajectoryId, trx);
				return (await list(trajectoryId, trx)).find((t) => t.id === id) as GlossaryTerm;
			}),

		/**
		 * Changes a term's name and agreed meaning (the trajectory page); a meaning makes it agreed.
		 * @returns false when the term is not part of this trajectory.
		 */
		async update(trajectoryId: string, id: string, term: string, definition: string) {
			const { numUpdatedRows } = await db
				.updateTable('glossary')
				.set({
					term,
					definition,
					status: sql<string>`case when trim(${definition}) = '' then status else 'agreed' end`
				})
				.where('id', '=', id)
				.where('trajectory_id', '=', trajectoryId)
				.executeTakeFirst();
			return touchWhen(numUpdatedRows, trajectoryId);
		},

		/** @returns false when the term is not part of this trajectory. */
		async remove(trajectoryId: string, id: string) {
			const { numDeletedRows } = await db
				.deleteFrom('glossary')
				.where('id', '=', id)
				.where('trajectory_id', '=', trajectoryId)
				.executeTakeFirst();
			return touchWhen(numDeletedRows, trajectoryId);
		},

		/**
		 * Stores a term as a live board has it (the realtime server), creating it when new.
		 * @returns false when the id belongs to another trajectory (nothing is written).
		 */
		saveTerm: (trajectoryId: string, term: Omit<GlossaryTerm, 'readings'>): Promise<boolean> =>
			inTransaction(db, undefined, async (trx) => {
				const fields = {
					term: term.term,
					definition: term.meaning,
					note: term.note,
					status: term.status,
					created_at: term.createdAt
				};
				const { numInsertedOrUpdatedRows } = await trx
					.insertInto('glossary')
					.values({
						id: term.id,
						trajectory_id: trajectoryId,
						position: await nextPosition(trx, trajectoryId),
						...fields
					})
					.onConflict((conflict) =>
						conflict
							.column('id')
							.doUpdateSet(fields)
							.where('glossary.trajectory_id', '=', trajectoryId)
					)
					.executeTakeFirst();
				return touchWhen(numInsertedOrUpdatedRows ?? 0n, trajectoryId, trx);
			}),

		/** Stores a reading as a live board has it. @returns false when its term is not the trajectory's. */
		saveReading: (trajectoryId: string, reading: GlossaryReading): Promise<boolean> =>
			inTransaction(db, undefined, async (trx) => {
				const owned = await trx
					.selectFrom('glossary')
					.select('id')
					.where('id', '=', reading.termId)
					.where('trajectory_id', '=', trajectoryId)
					.executeTakeFirst();
				if (!owned) return false;
				const fields = {
					glossary_id: reading.termId,
					perspective: reading.perspective,
					text: reading.text,
					author_id: reading.authorId,
					author_name: reading.authorName,
					created_at: reading.createdAt
				};
				const { numInsertedOrUpdatedRows } = await trx
					.insertInto('glossary_readings')
					.values({ id: reading.id, ...fields })
					.onConflict((conflict) =>
						conflict
							.column('id')
							.doUpdateSet(fields)
							// Only a reading of a term of this trajectory.
							.where('glossary_readings.glossary_id', 'in', (eb) =>
								eb.selectFrom('glossary').select('id').where('trajectory_id', '=', trajectoryId)
							)
					)
					.executeTakeFirst();
				return touchWhen(numInsertedOrUpdatedRows ?? 0n, trajectoryId, trx);
			}),

		/** Gives readings a new byline per author id (retention: anonymised participants). */
		renameAuthors: (names: ReadonlyMap<string, string>): Promise<void> =>
			inTransaction(db, undefined, async (trx) => {
				for (const [authorId, name] of names)
					await trx
						.updateTable('glossary_readings')
						.set({ author_name: name })
						.where('author_id', '=', authorId)
						.execute();
			}),

		async deleteReading(trajectoryId: string, id: string) {
			const { numDeletedRows } = await db
				.deleteFrom('glossary_readings')
				.where('id', '=', id)
				.where('glossary_id', 'in', (eb) =>
					eb.selectFrom('glossary').select('id').where('trajectory_id', '=', trajectoryId)
				)
				.executeTakeFirst();
			return touchWhen(numDeletedRows, trajectoryId);
		}
	};
}

export type KyselyGlossary = ReturnType<typeof createKyselyGlossary>;
