/**
 * Word (.docx) rendering with the `docx` package: real Heading 1–4 styles (so Word's navigation
 * pane and a table of contents work), real tables with a repeating header row, the document's
 * title, subject and language in its properties and default style, and page numbers.
 */
import {
	AlignmentType,
	Document,
	Footer,
	HeadingLevel,
	ImageRun,
	Packer,
	PageBreak,
	PageNumber,
	PageOrientation,
	Paragraph,
	ShadingType,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
	type FileChild
} from 'docx';
import { m } from '../../paraglide/messages.js';
import { buildReportDocument, type Block, type ExportDocument } from './document.ts';
import type { ExportOptions, TrajectoryReport } from './report.ts';
import { svgToPng } from './raster.ts';

/** A4 in twips, with 2 cm margins. */
const PAGE = { width: 11906, height: 16838, margin: 1134 } as const;
const PORTRAIT_WIDTH = PAGE.width - 2 * PAGE.margin;
const LANDSCAPE_WIDTH = PAGE.height - 2 * PAGE.margin;
/** Twips per CSS pixel (1440 per inch, 96 px per inch). */
const TWIPS_PER_PX = 15;
/** Room for a drawing under its heading, in twips. */
const FIGURE_HEIGHT = {
	portrait: PAGE.height - 2 * PAGE.margin - 1400,
	landscape: PAGE.width - 2 * PAGE.margin - 1400
};
/** Half-points. */
const BODY_SIZE = 22;
const TABLE_SIZE = 18;

const HEADINGS = {
	1: HeadingLevel.HEADING_1,
	2: HeadingLevel.HEADING_2,
	3: HeadingLevel.HEADING_3,
	4: HeadingLevel.HEADING_4
} as const;

/** Runs for text that may hold line breaks (multi-line card text): one run per line. */
function textRuns(text: string, style: { bold?: boolean; italics?: boolean; size?: number } = {}) {
	return text
		.split(/\r\n?|\n/)
		.map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, ...style }));
}

function tableCell(lines: readonly string[], header: boolean, width: number): TableCell {
	return new TableCell({
		width: { size: width, type: WidthType.DXA },
		shading: header ? { type: ShadingType.CLEAR, fill: 'DCE6F0', color: 'auto' } : undefined,
		margins: { top: 60, bottom: 60, left: 80, right: 80 },
		children: (lines.length > 0 ? lines : ['']).map(
			(line) =>
				new Paragraph({
					children: textRuns(line, { bold: header, size: TABLE_SIZE })
				})
		)
	});
}

function renderTable(block: Extract<Block, { kind: 'table' }>, contentWidth: number): Table {
	const total = block.columns.reduce((sum, c) => sum + c.weight, 0);
	const widths = block.columns.map((c) => Math.floor((c.weight / total) * contentWidth));
	return new Table({
		width: { size: contentWidth, type: WidthType.DXA },
		columnWidths: widths,
		rows: [
			new TableRow({
				tableHeader: true,
				cantSplit: true,
				children: block.columns.map((c, i) => tableCell([c.header], true, widths[i] ?? 0))
			}),
			...block.rows.map(
				(row) =>
					new TableRow({
						cantSplit: true,
						children: row.map((cell, i) => tableCell(cell, false, widths[i] ?? 0))
					})
			)
		]
	});
}

type FigureBlock = Extract<Block, { kind: 'figure' }>;

/**
 * A drawing as an SVG picture with its PNG fallback (Word 2016 and later draw the SVG, other
 * readers the PNG), scaled down to the page, with its text alternative as the picture's alt text.
 */
function renderFigure(
	block: FigureBlock,
	png: Buffer,
	contentWidth: number,
	maxHeight: number
): Paragraph {
	const scale = Math.min(
		1,
		contentWidth / (block.width * TWIPS_PER_PX),
		maxHeight / (block.height * TWIPS_PER_PX)
	);
	return new Paragraph({
		children: [
			new ImageRun({
				type: 'svg',
				data: Buffer.from(block.svg, 'utf8'),
				fallback: { type: 'png', data: png },
				transformation: {
					width: Math.round(block.width * scale),
					height: Math.round(block.height * scale)
				},
				altText: { name: block.alt, title: block.alt, description: block.alt }
			})
		],
		spacing: { after: 120 }
	});
}

function renderBlock(
	block: Block,
	contentWidth: number,
	pngs: ReadonlyMap<FigureBlock, Buffer>
): FileChild[] {
	switch (block.kind) {
		case 'figure': {
			const png = pngs.get(block);
			const landscape = contentWidth === LANDSCAPE_WIDTH;
			return png
				? [
						renderFigure(
							block,
							png,
							contentWidth,
							landscape ? FIGURE_HEIGHT.landscape : FIGURE_HEIGHT.portrait
						)
					]
				: [];
		}
		case 'heading':
			return [new Paragraph({ heading: HEADINGS[block.level], text: block.text })];
		case 'paragraph': {
			const runs: TextRun[] = [];
			if (block.label) runs.push(new TextRun({ text: `${block.label}: `, bold: true }));
			runs.push(...textRuns(block.text, block.emphasis ? { italics: true } : {}));
			return [new Paragraph({ children: runs, spacing: { after: 120 } })];
		}
		case 'list':
			return block.items.map(
				(item) => new Paragraph({ children: textRuns(item), bullet: { level: 0 } })
			);
		case 'table':
			// An empty paragraph after a table keeps two tables (or a table and a heading) apart.
			return [renderTable(block, contentWidth), new Paragraph({ text: '' })];
		case 'pageBreak':
			return [new Paragraph({ children: [new PageBreak()] })];
		case 'orientation':
			return [];
	}
}

/**
 * A heading style with an explicit outline level: Word, LibreOffice and PDF converters build the
 * navigation pane, the table of contents and bookmarks from it. Sizes in half-points.
 */
function heading(outlineLevel: number, size: number, before: number) {
	return {
		run: { size, bold: true, italics: false, color: '1F4E79' },
		paragraph: { outlineLevel, keepNext: true, spacing: { before, after: 80 } }
	};
}

/** "Pagina 3 van 7" with live page fields, built from the translated message. */
function pageFooter(doc: ExportDocument): Footer {
	const PAGE_MARK = '\uE000';
	const PAGES_MARK = '\uE001';
	const template = m.export_page({ page: PAGE_MARK, pages: PAGES_MARK }, { locale: doc.locale });
	const children: (string | (typeof PageNumber)[keyof typeof PageNumber])[] = [];
	for (const part of template.split(/(\uE000|\uE001)/)) {
		if (part === PAGE_MARK) children.push(PageNumber.CURRENT);
		else if (part === PAGES_MARK) children.push(PageNumber.TOTAL_PAGES);
		else if (part !== '') children.push(part);
	}
	return new Footer({
		children: [
			new Paragraph({
				alignment: AlignmentType.CENTER,
				children: [new TextRun({ children, size: TABLE_SIZE })]
			})
		]
	});
}

/** Renders any export document (report or annex) as a .docx file. */
export async function renderDocx(doc: ExportDocument): Promise<Buffer> {
	const figures = doc.blocks.filter((b): b is FigureBlock => b.kind === 'figure');
	const pngs = new Map(
		await Promise.all(figures.map(async (f) => [f, await svgToPng(f.svg)] as const))
	);
	// Each change of orientation starts a new section (which also starts a new page).
	const sections: { landscape: boolean; children: FileChild[] }[] = [
		{ landscape: false, children: [] }
	];
	for (const block of doc.blocks) {
		const current = sections[sections.length - 1]!;
		if (block.kind === 'orientation') {
			if (block.landscape === current.landscape) continue;
			if (current.children.length === 0) current.landscape = block.landscape;
			else sections.push({ landscape: block.landscape, children: [] });
			continue;
		}
		// A section already starts on a new page.
		if (block.kind === 'pageBreak' && current.children.length === 0) continue;
		current.children.push(
			...renderBlock(block, current.landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH, pngs)
		);
	}
	const footer = pageFooter(doc);
	const document = new Document({
		title: doc.title,
		subject: doc.subject,
		creator: 'Kompas',
		lastModifiedBy: 'Kompas',
		description: doc.subject,
		styles: {
			default: {
				document: {
					run: { font: 'Calibri', size: BODY_SIZE, language: { value: doc.language } }
				},
				heading1: heading(0, 36, 240),
				heading2: heading(1, 30, 240),
				heading3: heading(2, 26, 200),
				heading4: heading(3, 22, 160)
			}
		},
		sections: sections.map((section) => ({
			properties: {
				page: {
					size: {
						width: PAGE.width,
						height: PAGE.height,
						orientation: section.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT
					},
					margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin }
				}
			},
			footers: { default: footer },
			children: section.children
		}))
	});
	return Packer.toBuffer(document);
}

/** The trajectory report as a Word document, in `options.locale` (Dutch by default). */
export async function exportDocx(
	report: TrajectoryReport,
	options: ExportOptions = {}
): Promise<Buffer> {
	return renderDocx(buildReportDocument(report, options));
}
