import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
	annexOrganisations,
	exportAnnexDocx,
	exportAnnexMarkdown,
	exportAnnexOdt,
	exportAnnexPdf,
	organisationShare
} from './annex.ts';
import { kampenWerkReport } from './fixtures.ts';

describe('per-organisation annex', { timeout: 60_000 }, () => {
	it('selects one provider’s activities, indicators, served outcomes and actions', () => {
		const share = organisationShare(kampenWerkReport().themes[0]!, 'de kern');
		expect(share.activities.map((a) => a.text.slice(0, 24))).toEqual([
			'Een vrijwilliger of maat',
			'Maandelijks casusoverleg'
		]);
		expect(share.indicators.map((i) => i.name)).toEqual([
			'Deelnemers met een maatje die na 6 maanden nog werken',
			'Ervaringen van deelnemers met hun maatje'
		]);
		// Outcomes keep their place in the agreed priority order.
		expect(share.outcomes.map((o) => o.rank)).toEqual([1, 3]);
		expect(share.actions.map((a) => a.text)).toEqual([
			'Nieuwe maatjes werven onder oud-deelnemers'
		]);
	});

	it('lists only organisations with something to report', () => {
		expect(annexOrganisations(kampenWerkReport())).toEqual([
			'Gemeente Kampen',
			'De Kern',
			'Welzijn Kampen'
		]);
	});

	it('renders as Markdown without other providers’ work', () => {
		const md = exportAnnexMarkdown(kampenWerkReport(), 'De Kern');
		expect(md.startsWith('# Bijlage: De Kern\n')).toBe(true);
		expect(md).toContain('### Activiteiten van De Kern');
		expect(md).toContain('Een vrijwilliger of maatje van De Kern helpt');
		expect(md).toContain('### Indicatoren van De Kern');
		expect(md).toContain('| Elk half jaar<br>Week van het meten | De Kern |');
		expect(md).not.toContain('Re-integratietraject');
		expect(md).not.toContain('Registratie leerwerkplaats');
		expect(md).not.toContain('Elk kwartaal de cijfers');
	});

	it('says so when an organisation has nothing in a theme', () => {
		const md = exportAnnexMarkdown(kampenWerkReport(), 'Adviesraad Sociaal Domein', {
			locale: 'en'
		});
		expect(md).toContain(
			'*No activities or indicators were agreed for Adviesraad Sociaal Domein in this theme.*'
		);
	});

	it('renders as a Word document with headings and tables', async () => {
		const files = unzipSync(new Uint8Array(await exportAnnexDocx(kampenWerkReport(), 'De Kern')));
		const xml = strFromU8(files['word/document.xml']!);
		expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/><\/w:pPr><w:r><w:t[^>]*>Bijlage: De Kern</);
		expect(xml).toContain('<w:tblHeader/>');
		expect(xml).toContain('Een vrijwilliger of maatje van De Kern helpt');
		expect(xml).not.toContain('Re-integratietraject');
		expect(strFromU8(files['docProps/core.xml']!)).toContain('<dc:title>Bijlage: De Kern');
	});

	it('renders as an OpenDocument text with headings and header rows', async () => {
		const files = unzipSync(new Uint8Array(await exportAnnexOdt(kampenWerkReport(), 'De Kern')));
		const xml = strFromU8(files['content.xml']!);
		expect(xml).toContain('text:outline-level="1">Bijlage: De Kern</text:h>');
		expect(xml).toContain('<table:table-header-rows>');
		expect(xml).toContain('Een vrijwilliger of maatje van De Kern helpt');
		expect(xml).not.toContain('Re-integratietraject');
		expect(strFromU8(files['meta.xml']!)).toContain('<dc:title>Bijlage: De Kern');
	});

	it('renders as a tagged PDF', async () => {
		const raw = (await exportAnnexPdf(kampenWerkReport(), 'De Kern', { compress: false })).toString(
			'latin1'
		);
		expect(raw).toContain('/StructTreeRoot');
		expect(raw).toMatch(/\/S \/H1\b/);
		expect(raw).toMatch(/\/S \/Table\b/);
	});
});
