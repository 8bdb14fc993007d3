/**
 * OpenDocument Text (.odt, ODF 1.3) rendering of the export document, with the same structure as
 * the DOCX: headings as `text:h` with outline levels (navigator, table of contents, PDF bookmarks
 * in LibreOffice), tables whose first row is a `table:table-header-rows` (repeated on every page and
 * read as column headers), bulleted lists, the results chain as an embedded picture (SVG with a PNG
 * fallback) with its text alternative in `svg:title`/`svg:desc`, landscape pages around the wide
 * tables, page numbers in the footer, and title, subject and language in `meta.xml` and the default
 * style.
 *
 * The package is a zip whose first entry is `mimetype`, stored uncompressed, as ODF requires
 * (part 3, section 3.3); fflate writes it.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { m } from '../../paraglide/messages.js';
import { buildReportDocument, type Block, type ExportDocument } from './document.ts';
import { svgToPng } from './raster.ts';
import type { ExportOptions, TrajectoryReport } from './report.ts';

export const ODT_MIME_TYPE = 'application/vnd.oasis.opendocument.text';

type FigureBlock = Extract<Block, { kind: 'figure' }>;
type TableBlock = Extract<Block, { kind: 'table' }>;

/** A4 with 2 cm margins, in centimetres. */
const PAGE = { width: 21, height: 29.7, margin: 2 } as const;
const CONTENT_WIDTH = {
	portrait: PAGE.width - 2 * PAGE.margin,
	landscape: PAGE.height - 2 * PAGE.margin
};
/** Room for a drawing under its heading, in centimetres. */
const FIGURE_HEIGHT = {
	portrait: PAGE.height - 2 * PAGE.margin - 3,
	landscape: PAGE.width - 2 * PAGE.margin - 3
};
const CM_PER_PX = 2.54 / 96;
const MASTER = { portrait: 'Standard', landscape: 'Landscape' } as const;

const NS = [
	'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
	'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
	'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
	'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
	'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
	'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
	'xmlns:xlink="http://www.w3.org/1999/xlink"',
	'xmlns:dc="http://purl.org/dc/elements/1.1/"',
	'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
	'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
].join(' ');

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
	return (
		text
			// eslint-disable-next-line no-control-regex -- exactly the control characters XML forbids
			.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
			.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
	);
}

/** Inline text: line breaks, tabs and runs of spaces as ODF elements (ODF collapses white space). */
function inline(text: string): string {
	return escapeXml(text)
		.replace(/\r\n?|\n/g, '<text:line-break/>')
		.replace(/\t/g, '<text:tab/>')
		.replace(/ {2,}/g, (spaces) => ` <text:s text:c="${spaces.length - 1}"/>`)
		.replace(/^ /, '<text:s/>');
}

const cm = (value: number) => `${value.toFixed(3)}cm`;

/** "nl-NL" → fo:language="nl" fo:country="NL". */
function languageAttributes(tag: string): string {
	const [language, country] = tag.split('-');
	return `fo:language="${escapeXml(language ?? 'nl')}"${country ? ` fo:country="${escapeXml(country)}"` : ''}`;
}

/** What the next block must start with: nothing, a new page, or a new page of another kind. */
type Break = null | { kind: 'page' } | { kind: 'master'; landscape: boolean };

/** Builds content.xml's body and the automatic styles it needs. */
class ContentWriter {
	private readonly body: string[] = [];
	private readonly automatic = new Map<string, string>();
	private tableCount = 0;
	private landscape = false;
	private pending: Break = null;
	readonly pictures: { path: string; data: Uint8Array; mediaType: string }[] = [];

	constructor(private readonly pngs: ReadonlyMap<FigureBlock, Buffer>) {}

	/** A paragraph style that carries the pending break, derived from `parent` (or `parent`). */
	private paragraphStyle(parent: string): string {
		const pending = this.pending;
		this.pending = null;
		if (!pending) return parent;
		if (pending.kind === 'page') {
			const name = `${parent}_break`;
			this.automatic.set(
				name,
				`<style:style style:name="${name}" style:family="paragraph" style:parent-style-name="${parent}"><style:paragraph-properties fo:break-before="page"/></style:style>`
			);
			return name;
		}
		const master = pending.landscape ? MASTER.landscape : MASTER.portrait;
		const name = `${parent}_${master}`;
		this.automatic.set(
			name,
			`<style:style style:name="${name}" style:family="paragraph" style:parent-style-name="${parent}" style:master-page-name="${master}"/>`
		);
		return name;
	}

	private get contentWidth(): number {
		return this.landscape ? CONTENT_WIDTH.landscape : CONTENT_WIDTH.portrait;
	}

	write(blocks: readonly Block[]): void {
		for (const block of blocks) {
			switch (block.kind) {
				case 'pageBreak':
					// A page break before anything else would open the document with an empty page.
					if (this.body.length > 0 && !this.pending) this.pending = { kind: 'page' };
					break;
				case 'orientation':
					if (block.landscape !== this.landscape) {
						this.landscape = block.landscape;
						this.pending = { kind: 'master', landscape: block.landscape };
					}
					break;
				case 'heading':
					this.body.push(
						`<text:h text:style-name="${this.paragraphStyle(`Heading_20_${block.level}`)}" text:outline-level="${block.level}">${inline(block.text)}</text:h>`
					);
					break;
				case 'paragraph': {
					const label = block.label
						? `<text:span text:style-name="Strong_20_Emphasis">${inline(`${block.label}: `)}</text:span>`
						: '';
					const text = block.emphasis
						? `<text:span text:style-name="Emphasis">${inline(block.text)}</text:span>`
						: inline(block.text);
					this.body.push(
						`<text:p text:style-name="${this.paragraphStyle('Text_20_body')}">${label}${text}</text:p>`
					);
					break;
				}
				case 'list':
					this.body.push(
						`<text:list text:style-name="List_20_1">${block.items
							.map(
								(item) =>
									`<text:list-item><text:p text:style-name="${this.paragraphStyle('List_20_Contents')}">${inline(item)}</text:p></text:list-item>`
							)
							.join('')}</text:list>`
					);
					break;
				case 'table':
					this.table(block);
					break;
				case 'figure':
					this.figure(block);
					break;
			}
		}
	}

	private table(block: TableBlock): void {
		const n = ++this.tableCount;
		const name = `Tabel${n}`;
		const width = this.contentWidth;
		const total = block.columns.reduce((sum, c) => sum + c.weight, 0);
		const pending = this.pending;
		this.pending = null;
		const master =
			pending?.kind === 'master'
				? ` style:master-page-name="${pending.landscape ? MASTER.landscape : MASTER.portrait}"`
				: '';
		const breakBefore = pending?.kind === 'page' ? ' fo:break-before="page"' : '';
		this.automatic.set(
			name,
			`<style:style style:name="${name}" style:family="table"${master}><style:table-properties style:width="${cm(width)}" table:align="left" fo:margin-bottom="0.2cm"${breakBefore}/></style:style>` +
				block.columns
					.map(
						(c, i) =>
							`<style:style style:name="${name}.C${i}" style:family="table-column"><style:table-column-properties style:column-width="${cm((c.weight / total) * width)}"/></style:style>`
					)
					.join('')
		);
		const cell = (lines: readonly string[], header: boolean) =>
			`<table:table-cell table:style-name="${header ? 'CellHead' : 'Cell'}" office:value-type="string">${(lines.length >
			0
				? lines
				: ['']
			)
				.map(
					(line) =>
						`<text:p text:style-name="${header ? 'Table_20_Heading' : 'Table_20_Contents'}">${inline(line)}</text:p>`
				)
				.join('')}</table:table-cell>`;
		this.body.push(
			`<table:table table:name="${name}" table:style-name="${name}">` +
				block.columns
					.map((_, i) => `<table:table-column table:style-name="${name}.C${i}"/>`)
					.join('') +
				`<table:table-header-rows><table:table-row>${block.columns.map((c) => cell([c.header], true)).join('')}</table:table-row></table:table-header-rows>` +
				block.rows
					.map(
						(row) => `<table:table-row>${row.map((c) => cell(c, false)).join('')}</table:table-row>`
					)
					.join('') +
				`</table:table>`
		);
	}

	/** The drawing as SVG with a PNG beside it (readers without SVG use the PNG), scaled to the page. */
	private figure(block: FigureBlock): void {
		const png = this.pngs.get(block);
		if (!png) return;
		const n = this.pictures.length / 2 + 1;
		const svgPath = `Pictures/figure-${n}.svg`;
		const pngPath = `Pictures/figure-${n}.png`;
		this.pictures.push(
			{ path: svgPath, data: strToU8(block.svg), mediaType: 'image/svg+xml' },
			{ path: pngPath, data: new Uint8Array(png), mediaType: 'image/png' }
		);
		const maxHeight = this.landscape ? FIGURE_HEIGHT.landscape : FIGURE_HEIGHT.portrait;
		const scale = Math.min(
			1,
			this.contentWidth / (block.width * CM_PER_PX),
			maxHeight / (block.height * CM_PER_PX)
		);
		const image = (path: string, type: string) =>
			`<draw:image xlink:href="${path}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad" draw:mime-type="${type}"/>`;
		this.body.push(
			`<text:p text:style-name="${this.paragraphStyle('Figure')}"><draw:frame draw:style-name="FigureFrame" draw:name="${escapeXml(`${block.alt.slice(0, 40)} ${n}`)}" text:anchor-type="as-char" svg:width="${cm(block.width * CM_PER_PX * scale)}" svg:height="${cm(block.height * CM_PER_PX * scale)}" draw:z-index="0">` +
				image(svgPath, 'image/svg+xml') +
				image(pngPath, 'image/png') +
				`<svg:title>${escapeXml(block.alt)}</svg:title><svg:desc>${escapeXml(block.alt)}</svg:desc></draw:frame></text:p>`
		);
	}

	xml(): string {
		return (
			XML_HEADER +
			`<office:document-content ${NS} office:version="1.3">` +
			`<office:automatic-styles>` +
			`<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #808080"/></style:style>` +
			`<style:style style:name="CellHead" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #808080" fo:background-color="#dce6f0"/></style:style>` +
			`<style:style style:name="FigureFrame" style:family="graphic"><style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline" fo:border="none"/></style:style>` +
			[...this.automatic.values()].join('') +
			`</office:automatic-styles>` +
			`<office:body><office:text>${this.body.join('')}</office:text></office:body>` +
			`</office:document-content>`
		);
	}
}

/** Common styles, page layouts and the footer with "Pagina X van Y". */
function stylesXml(doc: ExportDocument): string {
	const PAGE_MARK = '\uE000';
	const PAGES_MARK = '\uE001';
	const template = m.export_page({ page: PAGE_MARK, pages: PAGES_MARK }, { locale: doc.locale });
	const footerText = escapeXml(template)
		.replace(PAGE_MARK, '<text:page-number text:select-page="current">1</text:page-number>')
		.replace(PAGES_MARK, '<text:page-count>1</text:page-count>');
	const footer = `<style:footer><text:p text:style-name="Footer">${footerText}</text:p></style:footer>`;
	const layout = (name: string, landscape: boolean) =>
		`<style:page-layout style:name="${name}"><style:page-layout-properties fo:page-width="${cm(landscape ? PAGE.height : PAGE.width)}" fo:page-height="${cm(landscape ? PAGE.width : PAGE.height)}" style:print-orientation="${landscape ? 'landscape' : 'portrait'}" fo:margin-top="${cm(PAGE.margin)}" fo:margin-bottom="${cm(PAGE.margin - 0.8)}" fo:margin-left="${cm(PAGE.margin)}" fo:margin-right="${cm(PAGE.margin)}"/><style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>`;
	const heading = (level: number, size: number) =>
		`<style:style style:name="Heading_20_${level}" style:display-name="Heading ${level}" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="${level}" style:class="text"><style:paragraph-properties fo:margin-top="${level <= 2 ? '0.42cm' : '0.3cm'}" fo:margin-bottom="0.14cm"/><style:text-properties fo:font-size="${size}pt"${level === 4 ? ' fo:color="#000000"' : ''}/></style:style>`;
	return (
		XML_HEADER +
		`<office:document-styles ${NS} office:version="1.3">` +
		`<office:font-face-decls><style:font-face style:name="Calibri" svg:font-family="Calibri" style:font-family-generic="swiss" style:font-pitch="variable"/></office:font-face-decls>` +
		`<office:styles>` +
		`<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2"/><style:text-properties style:font-name="Calibri" fo:font-size="11pt" ${languageAttributes(doc.language)}/></style:default-style>` +
		`<style:style style:name="Standard" style:family="paragraph" style:class="text"/>` +
		`<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.21cm"/></style:style>` +
		`<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold" fo:color="#1f4e79"/></style:style>` +
		heading(1, 18) +
		heading(2, 15) +
		heading(3, 13) +
		heading(4, 11) +
		`<style:style style:name="List_20_Contents" style:display-name="List Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="list"/>` +
		`<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="9pt"/></style:style>` +
		`<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>` +
		`<style:style style:name="Figure" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-bottom="0.21cm"/></style:style>` +
		`<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt"/></style:style>` +
		`<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>` +
		`<style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>` +
		`<text:outline-style style:name="Outline">${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
			.map((level) => `<text:outline-level-style text:level="${level}" style:num-format=""/>`)
			.join('')}</text:outline-style>` +
		`<text:list-style style:name="List_20_1" style:display-name="List 1"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>` +
		`</office:styles>` +
		`<office:automatic-styles>${layout('PortraitPage', false)}${layout('LandscapePage', true)}</office:automatic-styles>` +
		`<office:master-styles>` +
		`<style:master-page style:name="${MASTER.portrait}" style:page-layout-name="PortraitPage">${footer}</style:master-page>` +
		`<style:master-page style:name="${MASTER.landscape}" style:page-layout-name="LandscapePage">${footer}</style:master-page>` +
		`</office:master-styles>` +
		`</office:document-styles>`
	);
}

function metaXml(doc: ExportDocument): string {
	return (
		XML_HEADER +
		`<office:document-meta ${NS} office:version="1.3"><office:meta>` +
		`<meta:generator>Kompas</meta:generator>` +
		`<dc:title>${escapeXml(doc.title)}</dc:title>` +
		`<dc:subject>${escapeXml(doc.subject)}</dc:subject>` +
		`<dc:description>${escapeXml(doc.subject)}</dc:description>` +
		`<dc:language>${escapeXml(doc.language)}</dc:language>` +
		`<meta:initial-creator>Kompas</meta:initial-creator>` +
		`</office:meta></office:document-meta>`
	);
}

function manifestXml(pictures: readonly { path: string; mediaType: string }[]): string {
	const entry = (path: string, type: string) =>
		`<manifest:file-entry manifest:full-path="${path}" manifest:media-type="${type}"/>`;
	return (
		XML_HEADER +
		`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODT_MIME_TYPE}"/>` +
		entry('content.xml', 'text/xml') +
		entry('styles.xml', 'text/xml') +
		entry('meta.xml', 'text/xml') +
		pictures.map((p) => entry(p.path, p.mediaType)).join('') +
		`</manifest:manifest>`
	);
}

/** Renders any export document (report or annex) as an .odt file. */
export async function renderOdt(doc: ExportDocument): Promise<Buffer> {
	const figures = doc.blocks.filter((b): b is FigureBlock => b.kind === 'figure');
	const pngs = new Map(
		await Promise.all(figures.map(async (f) => [f, await svgToPng(f.svg)] as const))
	);
	const content = new ContentWriter(pngs);
	content.write(doc.blocks);
	// Insertion order is zip order: `mimetype` first, stored (level 0), as ODF requires.
	const files: Zippable = {
		mimetype: [strToU8(ODT_MIME_TYPE), { level: 0 }],
		'content.xml': strToU8(content.xml()),
		'styles.xml': strToU8(stylesXml(doc)),
		'meta.xml': strToU8(metaXml(doc)),
		'META-INF/manifest.xml': strToU8(manifestXml(content.pictures))
	};
	// PNGs are compressed already; the SVG is text and deflates well.
	for (const picture of content.pictures)
		files[picture.path] =
			picture.mediaType === 'image/png' ? [picture.data, { level: 0 }] : picture.data;
	return Buffer.from(zipSync(files, { level: 6 }));
}

/** The trajectory report as an OpenDocument text, in `options.locale` (Dutch by default). */
export async function exportOdt(
	report: TrajectoryReport,
	options: ExportOptions = {}
): Promise<Buffer> {
	return renderOdt(buildReportDocument(report, options));
}
