import { describe, expect, it } from 'vitest';
import { exportIndicatorCsv, neutraliseFormula } from './csv.ts';
import { kampenWerkReport } from './fixtures.ts';

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF), enough to check our output. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += c;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

describe('exportIndicatorCsv', () => {
	it('starts with a UTF-8 byte-order mark and a header row', () => {
		const csv = exportIndicatorCsv(kampenWerkReport());
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
		const [header] = parseCsv(csv.slice(1));
		expect(header).toEqual([
			'Thema',
			'Indicator',
			'Tellen of vertellen',
			'Instrument of bron',
			'Nulmeting',
			'Streefwaarde',
			'Termijn',
			'Meetmomenten',
			'Eigenaar',
			'Hoort bij',
			'Niveau',
			'Door',
			'Vastgesteld in',
			'Veranderd sinds'
		]);
	});

	it('has one row per indicator with the agreed values', () => {
		const rows = parseCsv(exportIndicatorCsv(kampenWerkReport()).slice(1));
		expect(rows).toHaveLength(5);
		expect(rows[1]).toEqual([
			'Werk',
			'Aandeel inwoners dat binnen 12 maanden na werkaanvaarding terugvalt in de uitkering',
			'Tellen',
			'Uitkeringsregistratie gemeente',
			'28% (2025)',
			'20%',
			'3',
			'Nulmeting januari 2026; Jaarlijks in januari',
			'Gemeente Kampen',
			'Over 3 jaar vallen minder inwoners die aan het werk gaan terug in de uitkering',
			'Samenleving',
			'',
			'',
			''
		]);
	});

	it('shows "anoniem" for an indicator written in an anonymous round', () => {
		const report = kampenWerkReport();
		report.themes[0]!.indicators[0]!.anonymous = true;
		const rows = parseCsv(exportIndicatorCsv(report).slice(1));
		expect(rows[1]![11]).toBe('anoniem');
		expect(rows[2]![11]).toBe('');
	});

	it('neutralises formulas and keeps quotes, commas and line breaks inside their cell', () => {
		const report = kampenWerkReport();
		const ind = report.themes[0]!.indicators[0]!;
		ind.baseline = '=SUM(A1)';
		ind.target = '+31 6 1234';
		ind.instrument = '@cmd';
		ind.owner = '-1+1';
		ind.name = 'Naam, met "aanhalingstekens"\nen een regel';
		ind.moments = ['\tgetabd', '\rcr'];
		const rows = parseCsv(exportIndicatorCsv(report, { locale: 'en' }).slice(1));
		const row = rows[1]!;
		expect(rows[0]![0]).toBe('Theme');
		expect(row[4]).toBe("'=SUM(A1)");
		expect(row[5]).toBe("'+31 6 1234");
		expect(row[3]).toBe("'@cmd");
		expect(row[8]).toBe("'-1+1");
		expect(row[1]).toBe('Naam, met "aanhalingstekens"\nen een regel');
		expect(row[7]).toBe("'\tgetabd; \rcr");
		expect(row[2]).toBe('Count');
		for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
	});

	it('leaves ordinary text alone', () => {
		expect(neutraliseFormula('28% (2025)')).toBe('28% (2025)');
		expect(neutraliseFormula('a=b')).toBe('a=b');
		expect(neutraliseFormula('')).toBe('');
	});
});
