import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { kampenWerkReport } from './fixtures.ts';
import { exportOdt, ODT_MIME_TYPE } from './odt.ts';

/** One entry of a zip's central directory, read by hand (what fflate's unzip does not report). */
interface ZipEntry {
	name: string;
	/** 0 = stored, 8 = deflated. */
	method: number;
	localHeaderOffset: number;
	extraLength: number;
}

/** The central directory, in order (APPNOTE.TXT 4.3.12), enough to check how `mimetype` is stored. */
function centralDirectory(zip: Buffer): ZipEntry[] {
	const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	const count = zip.readUInt16LE(end + 10);
	let at = zip.readUInt32LE(end + 16);
	const entries: ZipEntry[] = [];
	for (let i = 0; i < count; i++) {
		expect(zip.readUInt32LE(at)).toBe(0x02014b50);
		const nameLength = zip.readUInt16LE(at + 28);
		const extra = zip.readUInt16LE(at + 30);
		const comment = zip.readUInt16LE(at + 32);
		const localHeaderOffset = zip.readUInt32LE(at + 42);
		entries.push({
			name: zip.toString('utf8', at + 46, at + 46 + nameLength),
			method: zip.readUInt16LE(at + 10),
			localHeaderOffset,
			extraLength: zip.readUInt16LE(localHeaderOffset + 28)
		});
		at += 46 + nameLength + extra + comment;
	}
	return entries;
}

/** The text inside each element `tag` (markup stripped), in document order. */
function texts(xml: string, tag: string): string[] {
	return [...xml.matchAll(new RegExp(`<${tag}\\b[^>]*>(.*?)</${tag}>`, 'g'))].map((match) =>
		(match[1] ?? '').replace(/<text:line-break\/>/g, '\n').replace(/<[^>]+>/g, '')
	);
}

let zip: Buffer;
let parts: Record<string, string>;
let files: Record<string, Uint8Array>;

beforeAll(async () => {
	const report = kampenWerkReport();
	report.themes[0]!.activities.push({
		text: 'Bingomiddag in het buurthuis',
		owners: [],
		servesOutcomes: [],
		isNew: false,
		quality: []
	});
	zip = await exportOdt(report);
	files = unzipSync(new Uint8Array(zip));
	parts = Object.fromEntries(
		Object.entries(files)
			.filter(([name]) => !name.startsWith('Pictures/'))
			.map(([name, data]) => [name, strFromU8(data)])
	);
}, 60_000);

describe('exportOdt', { timeout: 60_000 }, () => {
	it('is an ODF package: mimetype first, stored, without extra field', () => {
		const entries = centralDirectory(zip);
		expect(entries[0]).toEqual({
			name: 'mimetype',
			method: 0,
			localHeaderOffset: 0,
			extraLength: 0
		});
		// The bytes a file sniffer reads at offset 30 and 38.
		expect(zip.toString('latin1', 30, 38)).toBe('mimetype');
		expect(zip.toString('latin1', 38, 38 + ODT_MIME_TYPE.length)).toBe(ODT_MIME_TYPE);
		expect(entries.map((e) => e.name)).toEqual(
			expect.arrayContaining(['content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml'])
		);
		expect(entries.find((e) => e.name === 'content.xml')?.method).toBe(8);
		const manifest = parts['META-INF/manifest.xml']!;
		expect(manifest).toContain(
			`manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODT_MIME_TYPE}"`
		);
		for (const name of Object.keys(files).filter(
			(n) => n !== 'mimetype' && !n.startsWith('META-INF')
		))
			expect(manifest, name).toContain(`manifest:full-path="${name}"`);
	});

	it('has real headings with outline levels, in the budget-question order', () => {
		const xml = parts['content.xml']!;
		expect(xml).toContain('office:version="1.3"');
		const headings = [
			...xml.matchAll(/<text:h [^>]*text:outline-level="(\d)"[^>]*>(.*?)<\/text:h>/g)
		];
		const level = (n: string) => headings.filter((h) => h[1] === n).map((h) => h[2]);
		expect(level('1')).toEqual(['Kwaliteitskompas sociaal domein Kampen - gemeente Kampen']);
		expect(level('2')).toEqual(['Deelnemende organisaties', 'Thema Werk', 'Begrippenlijst']);
		expect(level('3')).toEqual([
			'Wat willen we bereiken?',
			'Wat gaan we daarvoor doen?',
			'Hoe meten we het? Indicatoren',
			'Resultatenketen',
			'Wat leren we? Verbeteracties',
			'Nog open vragen van het kompas'
		]);
		expect(level('4')).toContain('Maatschappelijke resultaten, in volgorde van prioriteit');
		// The heading styles exist and carry the same outline level.
		expect(parts['styles.xml']).toContain(
			'style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2"'
		);
	});

	it('has tables with a header row and the agreed content', () => {
		const xml = parts['content.xml']!;
		const tables = xml.match(/<table:table .*?<\/table:table>/g) ?? [];
		// outcomes, activities, indicators, results chain, actions, glossary
		expect(tables).toHaveLength(6);
		for (const table of tables) {
			const header = /<table:table-header-rows>(.*?)<\/table:table-header-rows>/.exec(table)?.[1];
			expect(header).toMatch(/^<table:table-row>.*<\/table:table-row>$/);
			// Exactly one header row, then the body rows after it.
			expect(header?.match(/<table:table-row>/g)).toHaveLength(1);
		}
		const indicators = tables.find((t) => t.includes('>Nulmeting<'))!;
		const header = texts(
			/<table:table-header-rows>.*<\/table:table-header-rows>/.exec(indicators)![0],
			'text:p'
		);
		expect(header).toEqual([
			'Indicator',
			'Tellen of vertellen',
			'Instrument of bron',
			'Nulmeting',
			'Streefwaarde',
			'Termijn',
			'Meetmomenten',
			'Eigenaar'
		]);
		expect(indicators).toContain('>28% (2025)<');
		expect(xml).toContain(
			'De beroepsbevolking van Kampen doet naar vermogen mee en voorziet duurzaam in een eigen inkomen'
		);
		const chain = tables.find((t) => t.includes('>Let op<'))!;
		expect(chain).toContain('Bingomiddag in het buurthuis (! Doel of middel?)');
	});

	it('carries title and language in meta.xml and the default style', async () => {
		expect(parts['meta.xml']).toContain(
			'<dc:title>Kwaliteitskompas sociaal domein Kampen - gemeente Kampen</dc:title>'
		);
		expect(parts['meta.xml']).toContain('<dc:language>nl-NL</dc:language>');
		expect(parts['styles.xml']).toMatch(
			/<style:default-style style:family="paragraph">.*fo:language="nl" fo:country="NL"/
		);
		expect(parts['styles.xml']).toContain('Pagina <text:page-number');
		const en = unzipSync(new Uint8Array(await exportOdt(kampenWerkReport(), { locale: 'en' })));
		expect(strFromU8(en['meta.xml']!)).toContain('<dc:language>en-GB</dc:language>');
		expect(strFromU8(en['styles.xml']!)).toContain('fo:language="en" fo:country="GB"');
		expect(strFromU8(en['content.xml']!)).toContain('What do we want to achieve?');
	});

	it('puts the wide tables on landscape pages and returns to portrait', () => {
		const xml = parts['content.xml']!;
		expect(parts['styles.xml']).toMatch(
			/<style:master-page style:name="Landscape" style:page-layout-name="LandscapePage">/
		);
		expect(parts['styles.xml']).toMatch(/style:page-layout-name="LandscapePage".*?/);
		// The indicators heading opens a landscape page; the reflection heading a portrait one.
		expect(xml).toMatch(
			/<text:h text:style-name="Heading_20_3_Landscape" text:outline-level="3">Hoe meten we het\? Indicatoren</
		);
		expect(xml).toMatch(
			/<text:h text:style-name="Heading_20_3_Standard" text:outline-level="3">Wat leren we\? Verbeteracties</
		);
		expect(xml).toContain(
			'style:name="Heading_20_3_Landscape" style:family="paragraph" style:parent-style-name="Heading_20_3" style:master-page-name="Landscape"'
		);
	});

	it('embeds the results chain as SVG with a PNG fallback and a text alternative', () => {
		const xml = parts['content.xml']!;
		const frame = /<draw:frame .*?<\/draw:frame>/.exec(xml)?.[0];
		expect(frame).toContain('xlink:href="Pictures/figure-1.svg"');
		expect(frame).toContain('xlink:href="Pictures/figure-1.png"');
		expect(frame).toMatch(/<svg:title>Tekening van de resultatenketen.*<\/svg:title><svg:desc>/);
		expect(strFromU8(files['Pictures/figure-1.svg']!)).toContain('Doel of middel?');
		expect(strFromU8(files['Pictures/figure-1.png']!.subarray(1, 4))).toBe('PNG');
		// The chain's table follows the drawing.
		expect(xml.indexOf('Pictures/figure-1.png')).toBeLessThan(xml.indexOf('>Let op<'));
	});

	it('escapes card text and keeps line breaks and spaces', async () => {
		const report = kampenWerkReport();
		report.themes[0]!.ambition = 'Samen <sterk> & "duurzaam"\nTweede  regel\u0007';
		const xml = strFromU8(unzipSync(new Uint8Array(await exportOdt(report)))['content.xml']!);
		expect(xml).toContain(
			'Samen &#60;sterk&#62; &#38; &#34;duurzaam&#34;<text:line-break/>Tweede <text:s text:c="1"/>regel'
		);
		expect(xml).not.toContain('<sterk>');
		expect(xml).not.toContain('\u0007');
	});

	it('names people only when asked to', async () => {
		expect(parts['content.xml']).not.toContain('Anne de Vries');
		const withPeople = unzipSync(
			new Uint8Array(await exportOdt(kampenWerkReport(), { includePeople: true }))
		);
		expect(strFromU8(withPeople['content.xml']!)).toContain('Anne de Vries, Gemeente Kampen');
	});
});
