import { describe, expect, it } from 'vitest';
import { kampenWerkReport } from './fixtures.ts';
import { exportJson, parseImport } from './json.ts';

describe('exportJson / parseImport', () => {
	it('writes a versioned Kompas export', () => {
		const data = JSON.parse(exportJson(kampenWerkReport()));
		expect(data.format).toBe('kompas-export');
		expect(data.version).toBe(1);
		expect(data.report.themes[0].ambition).toBe(
			'De beroepsbevolking van Kampen doet naar vermogen mee en voorziet duurzaam in een eigen inkomen'
		);
	});

	it('export, import, export again gives the same content', () => {
		for (const includePeople of [false, true]) {
			const first = exportJson(kampenWerkReport(), { includePeople });
			const imported = parseImport(first);
			if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
			expect(exportJson(imported.report, { includePeople })).toBe(first);
		}
		const imported = parseImport(exportJson(kampenWerkReport(), { includePeople: true }));
		expect(imported.ok && imported.report).toEqual(kampenWerkReport());
	});

	it('leaves people out unless asked to include them', () => {
		expect(exportJson(kampenWerkReport())).not.toContain('Anne de Vries');
		expect(exportJson(kampenWerkReport(), { includePeople: true })).toContain('Anne de Vries');
	});

	it('accepts a file with a byte-order mark, or an already parsed value', () => {
		const text = exportJson(kampenWerkReport());
		expect(parseImport(`\uFEFF${text}`).ok).toBe(true);
		expect(parseImport(JSON.parse(text)).ok).toBe(true);
	});

	it('refuses text that is not JSON, or not a Kompas export, with one clear error', () => {
		expect(parseImport('{ "format": ')).toEqual({
			ok: false,
			errors: [{ path: '', message: 'Dit bestand is geen geldige JSON.' }]
		});
		expect(parseImport('[1,2]')).toMatchObject({ ok: false, errors: [{ path: '' }] });
		expect(parseImport({ format: 'something-else', version: 1 })).toEqual({
			ok: false,
			errors: [{ path: 'format', message: 'Dit bestand is geen Kompas-export.' }]
		});
		expect(parseImport({ format: 'kompas-export', version: 2, report: {} })).toMatchObject({
			ok: false,
			errors: [{ path: 'version' }]
		});
	});

	it('lists every problem with its field path and returns no report', () => {
		const data = JSON.parse(exportJson(kampenWerkReport()));
		data.report.themes[0].outcomes[0].outcomeKind = 'belangrijk';
		data.report.themes[0].indicators[1].measureKind = 'meten';
		data.report.date = '12-03-2026';
		delete data.report.municipality;
		data.report.themes[0].unexpected = true;
		const result = parseImport(JSON.stringify(data), { locale: 'en' });
		expect(result.ok).toBe(false);
		expect('report' in result).toBe(false);
		if (result.ok) return;
		const paths = result.errors.map((e) => e.path);
		expect(paths).toEqual(
			expect.arrayContaining([
				'report.municipality',
				'report.date',
				'report.themes[0].outcomes[0].outcomeKind',
				'report.themes[0].indicators[1].measureKind',
				'report.themes[0]'
			])
		);
		expect(result.errors.find((e) => e.path === 'report.date')?.message).toBe(
			'Enter a date as YYYY-MM-DD.'
		);
		for (const error of result.errors) expect(error.message.length).toBeGreaterThan(5);
	});

	it('refuses links to outcomes or activities that are not in the theme, and wrong vote totals', () => {
		const data = JSON.parse(exportJson(kampenWerkReport()));
		data.report.themes[0].activities[1].servesOutcomes.push('Een resultaat dat niet bestaat');
		data.report.themes[0].indicators[0].linkedTo = 'Verdwenen kaart';
		data.report.themes[0].outcomes[1].votesTotal = 99;
		const result = parseImport(data);
		expect(result).toEqual({
			ok: false,
			errors: [
				{
					path: 'report.themes[0].outcomes[1].votesTotal',
					message:
						'Het totaal van de stemmen (99) is niet gelijk aan de stemmen per perspectief samen (13).'
				},
				{
					path: 'report.themes[0].activities[1].servesOutcomes[1]',
					message: 'Dit resultaat staat niet bij dit thema: "Een resultaat dat niet bestaat".'
				},
				{
					path: 'report.themes[0].indicators[0].linkedTo',
					message: 'Dit resultaat of deze activiteit staat niet bij dit thema: "Verdwenen kaart".'
				}
			]
		});
	});

	it('refuses oversized content', () => {
		const data = JSON.parse(exportJson(kampenWerkReport()));
		data.report.themes[0].ambition = 'x'.repeat(10_000);
		const result = parseImport(data);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.errors[0]?.path).toBe('report.themes[0].ambition');
	});
});
