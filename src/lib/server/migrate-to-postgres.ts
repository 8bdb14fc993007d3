/**
 * `npm run kompas -- migrate-to-postgres [--to postgres://…]`: copies the SQLite installation under
 * KOMPAS_DATA_DIR into an empty PostgreSQL database (KOMPAS_DATABASE_URL, or `--to`) and verifies
 * the copy (db/copy-to-postgres.ts does the work; this is the operator's side: what to say).
 * Exit code 0 only when every count and every document matches and nothing was written to SQLite
 * meanwhile.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
	copySqliteToPostgres,
	SchemaMismatchError,
	TargetNotEmptyError,
	VerificationError,
	type CopyReport
} from './db/copy-to-postgres.ts';
import { createDb } from './db/open.ts';
import { connectPostgres, isUnavailable } from './db/postgres.ts';

export interface MigrateResult {
	code: number;
	text: string;
	json: Record<string, unknown>;
}

/** `url` without its password, for the output. */
export function hidePassword(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(ongeldige URL)';
	}
}

const number = (n: number) => n.toLocaleString('nl-NL');
const megabytes = (bytes: number) =>
	`${(bytes / 1024 / 1024).toLocaleString('nl-NL', { maximumFractionDigits: 1 })} MB`;

/** The counts as a table: one line per table, with a mark where the two differ. */
export function countsTable(report: Pick<CopyReport, 'tables'>): string {
	const width = Math.max(...report.tables.map((t) => t.table.length), 5);
	const lines = report.tables.map(
		(t) =>
			`${t.table.padEnd(width)}  ${number(t.sqlite).padStart(9)}  ${number(t.postgres).padStart(10)}` +
			(t.sqlite !== t.postgres
				? '  ← aantal verschilt'
				: t.equal
					? '  gelijk'
					: '  ← inhoud verschilt')
	);
	return [
		`${'tabel'.padEnd(width)}  ${'SQLite'.padStart(9)}  ${'PostgreSQL'.padStart(10)}`,
		...lines
	].join('\n');
}

/** Exit code 1; in JSON `error` is a code (`target-not-empty`, `mismatch`, `failed`), `message` the text. */
const fail = (text: string, json: Record<string, unknown> = {}): MigrateResult => ({
	code: 1,
	text,
	json: { ok: false, error: 'failed', message: text, ...json }
});

export async function migrateToPostgres(
	dataDir: string,
	options: {
		to: string | undefined;
		json?: boolean;
		/** Progress and warnings while it runs (stderr in the CLI). */
		log?: (line: string) => void;
	}
): Promise<MigrateResult> {
	const log = options.log ?? ((line: string) => console.error(line));
	const url = options.to;
	if (!url)
		return fail(
			'Geef de doeldatabase op: --to postgres://gebruiker:wachtwoord@host:5432/kompas of KOMPAS_DATABASE_URL.'
		);
	if (!/^postgres(ql)?:\/\//.test(url))
		return fail(`De doeldatabase moet een postgres://-adres zijn, niet "${hidePassword(url)}".`);
	const file = join(dataDir, 'kompas.sqlite');
	if (!existsSync(file))
		return fail(
			`Geen Kompas-database gevonden: ${file} bestaat niet. Zet KOMPAS_DATA_DIR op de map met kompas.sqlite.`
		);

	if (!options.json) {
		log(`Kompas: van SQLite naar PostgreSQL`);
		log(`  van:  ${file}`);
		log(`  naar: ${hidePassword(url)}`);
		log(
			'Stop Kompas voordat je dit doet: wat Kompas schrijft nadat het kopiëren is begonnen, gaat niet mee.'
		);
	}
	// Opening migrates the source to this Kompas's schema, as starting Kompas would.
	const source = createDb(file);
	const target = connectPostgres(url, { max: 2, logError: () => {} });
	const lastStep = new Map<string, number>();
	try {
		const report = await copySqliteToPostgres(source, target.db, {
			onProgress: ({ table, copied, total }) => {
				if (options.json) return;
				// At most about ten lines per table.
				const step = Math.floor((copied / Math.max(total, 1)) * 10);
				if (copied === total || step > (lastStep.get(table) ?? 0)) {
					lastStep.set(table, step);
					if (copied === total || total > 5_000)
						log(`  ${table}: ${number(copied)} van ${number(total)}`);
				}
			}
		});
		const seconds = (report.ms / 1000).toLocaleString('nl-NL', { maximumFractionDigits: 1 });
		const lines = [
			countsTable(report),
			'',
			`Update-log: ${number(report.updateLog.documents)} documenten, ${megabytes(report.updateLog.bytes)}; per document dezelfde rijen en bytes (md5).`,
			`Klaar in ${seconds} s. Alle aantallen kloppen en elke rij is gelijk.`
		];
		const json = {
			ok: true,
			tables: report.tables,
			updateLog: report.updateLog,
			ms: Math.round(report.ms),
			sourceChanged: report.sourceChanged
		};
		if (report.sourceChanged)
			return {
				code: 1,
				text: [
					...lines,
					'',
					'Let op: Kompas heeft tijdens het kopiëren in SQLite geschreven. Die wijzigingen staan niet in PostgreSQL.',
					'Stop Kompas, maak de doeldatabase leeg (of neem een nieuwe) en voer deze opdracht opnieuw uit.',
					'(Kompas wrote to SQLite during the copy; stop Kompas, empty the target and run this again.)'
				].join('\n'),
				json: {
					...json,
					ok: false,
					error: 'source-changed',
					message: 'Kompas wrote to SQLite during the copy'
				}
			};
		return {
			code: 0,
			text: [...lines, 'Start Kompas nu met KOMPAS_DATABASE_URL op deze database.'].join('\n'),
			json
		};
	} catch (error) {
		if (error instanceof TargetNotEmptyError)
			return fail(
				[
					`De doeldatabase is niet leeg: ${error.tables.map((t) => `${t.table} (${number(t.rows)} rijen)`).join(', ')}.`,
					'Er is niets veranderd. Kies een lege database.',
					'(The target database is not empty; nothing was changed. Use an empty database.)'
				].join('\n'),
				{ error: 'target-not-empty', tables: error.tables }
			);
		if (error instanceof VerificationError)
			return fail(
				[
					countsTable(error.report),
					'',
					error.report.updateLog.mismatched.length
						? `Documenten die verschillen: ${error.report.updateLog.mismatched.join(', ')}`
						: '',
					'De kopie klopt niet met SQLite, dus is niets bewaard: de doeldatabase is leeg gebleven.',
					'(The copy does not match SQLite; it was rolled back and the target is still empty.)'
				]
					.filter(Boolean)
					.join('\n'),
				{ error: 'mismatch', tables: error.report.tables, updateLog: error.report.updateLog }
			);
		if (error instanceof SchemaMismatchError)
			return fail(
				`De schema's van SQLite en PostgreSQL verschillen (${error.message}). Er is niets veranderd.`
			);
		if (isUnavailable(error) || (error instanceof Error && isUnavailable(error.cause)))
			return fail(
				[
					`PostgreSQL op ${hidePassword(url)} is niet bereikbaar: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}.`,
					'Er zijn geen gegevens in de doeldatabase gezet. Controleer het adres en of PostgreSQL draait, en probeer opnieuw.',
					'(PostgreSQL cannot be reached; no data was written to the target.)'
				].join('\n'),
				{ error: 'unreachable' }
			);
		const reason = error instanceof Error ? error.message : String(error);
		const cause =
			error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
		return fail(
			[
				`Kopiëren mislukt: ${reason}${cause}.`,
				'Alles is teruggedraaid: er staan geen gegevens in de doeldatabase. Los het op en probeer opnieuw.',
				'(The copy failed and was rolled back; the target holds no data.)'
			].join('\n')
		);
	} finally {
		source.close();
		await target.close();
	}
}
