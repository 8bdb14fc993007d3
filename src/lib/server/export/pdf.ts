/**
 * PDF rendering with pdfmake 0.3 on the server.
 *
 * What the PDF carries for navigation and assistive technology:
 * - a real text layer in an embedded, subset Roboto (shipped inside the pdfmake package, so
 *   nothing is downloaded) with ToUnicode maps, so text can be searched, copied and read aloud;
 * - the document title in the Info dictionary, shown in the title bar (/DisplayDocTitle);
 * - the document language (/Lang in the catalog);
 * - a bookmark (outline) tree with one entry per heading, nested by heading level.
 * What it does NOT carry: a structure tree. pdfmake 0.3 writes no structure elements or marked
 * content, so headings and tables are not tagged as H1/Table/TH for screen readers, and the file
 * is not PDF/UA. We leave `tagged` off on purpose: a /MarkInfo claiming tags over an empty
 * structure tree would mislead checkers and readers.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pdfmake, { type PdfContent, type PdfDocDefinition, type PdfNode } from 'pdfmake';
import { m } from '../../paraglide/messages.js';
import { buildReportDocument, type Block, type ExportDocument } from './document.ts';
import type { ExportOptions, TrajectoryReport } from './report.ts';

export interface PdfRenderOptions {
	/**
	 * Compress content streams (default true). Tests turn it off to read the text, title and
	 * language straight from the bytes.
	 */
	compress?: boolean;
}

/** A4 in points, 2 cm margins. */
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56.7;
const PORTRAIT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const LANDSCAPE_WIDTH = PAGE_HEIGHT - 2 * MARGIN;
/** Room for a drawing: the content height less space for a heading above it. */
const PORTRAIT_FIGURE_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - 80;
const LANDSCAPE_FIGURE_HEIGHT = PAGE_WIDTH - 2 * MARGIN - 80;
/** pdfmake's default table layout: 4pt padding left and right, 1pt lines. */
const CELL_CHROME = 9;

const FONT_FILES = {
	normal: 'Roboto-Regular.ttf',
	bold: 'Roboto-Medium.ttf',
	italics: 'Roboto-Italic.ttf',
	bolditalics: 'Roboto-MediumItalic.ttf'
} as const;

let fonts: Record<keyof typeof FONT_FILES, string> | null = null;

/**
 * Points pdfmake at the Roboto files inside the pdfmake package, and closes every other door:
 * documents may not fetch URLs or read any local file but these four. Real paths, not pdfmake's
 * in-memory file system: the SVG renderer inside pdfmake (for the results chain) opens fonts through
 * PDFKit, which only reads real files.
 */
function preparePdfmake(): void {
	if (!fonts) {
		const require = createRequire(import.meta.url);
		const fontDir = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
		fonts = {
			normal: join(fontDir, FONT_FILES.normal),
			bold: join(fontDir, FONT_FILES.bold),
			italics: join(fontDir, FONT_FILES.italics),
			bolditalics: join(fontDir, FONT_FILES.bolditalics)
		};
	}
	const allowed = new Set(Object.values(fonts));
	pdfmake.setUrlAccessPolicy(() => false);
	pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
	pdfmake.setFonts({ Roboto: fonts });
}

function renderTable(block: Extract<Block, { kind: 'table' }>, contentWidth: number): PdfNode {
	const total = block.columns.reduce((sum, c) => sum + c.weight, 0);
	const available = contentWidth - block.columns.length * CELL_CHROME - 1;
	return {
		style: 'table',
		margin: [0, 2, 0, 10],
		table: {
			headerRows: 1,
			dontBreakRows: true,
			keepWithHeaderRows: 1,
			widths: block.columns.map((c) => Math.floor((c.weight / total) * available)),
			body: [
				block.columns.map((c) => ({ text: c.header, style: 'tableHeader' })),
				...block.rows.map((row) => row.map((cell) => ({ text: cell.join('\n') })))
			]
		}
	};
}

/** Turns blocks into pdfmake content; headings become nested bookmarks. */
function renderContent(blocks: readonly Block[]): PdfContent[] {
	const content: PdfContent[] = [];
	/** Outline id of the latest heading at each level, to nest bookmarks. */
	const parents: (string | undefined)[] = [];
	let breakBefore = false;
	let landscape = false;
	let orientationChange: 'landscape' | 'portrait' | undefined;
	let headingCount = 0;
	for (const block of blocks) {
		if (block.kind === 'pageBreak') {
			breakBefore = content.length > 0;
			continue;
		}
		if (block.kind === 'orientation') {
			if (block.landscape !== landscape) {
				landscape = block.landscape;
				orientationChange = landscape ? 'landscape' : 'portrait';
			}
			continue;
		}
		let node: PdfNode;
		switch (block.kind) {
			case 'heading': {
				const id = `h${headingCount++}`;
				const parent = parents.slice(0, block.level - 1).findLast((p) => p !== undefined);
				parents[block.level - 1] = id;
				parents.length = block.level;
				node = {
					text: block.text,
					style: `h${block.level}`,
					headlineLevel: block.level,
					id,
					outline: true,
					outlineExpanded: block.level <= 2,
					...(parent ? { outlineParentId: parent } : {})
				};
				break;
			}
			case 'paragraph':
				node = {
					text: [
						...(block.label ? [{ text: `${block.label}: `, bold: true }] : []),
						{ text: block.text, italics: block.emphasis ?? false }
					],
					margin: [0, 0, 0, 6]
				};
				break;
			case 'list':
				node = { ul: [...block.items], margin: [0, 0, 0, 8] };
				break;
			case 'table':
				node = renderTable(block, landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH);
				break;
			case 'figure': {
				// CSS pixels to points (3/4), never wider or taller than the page allows.
				const width = Math.min(block.width * 0.75, landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH);
				const height = landscape ? LANDSCAPE_FIGURE_HEIGHT : PORTRAIT_FIGURE_HEIGHT;
				node = { svg: block.svg, fit: [width, height], margin: [0, 4, 0, 10] };
				break;
			}
		}
		if (orientationChange) {
			// A new orientation always starts a new page.
			node.pageOrientation = orientationChange;
			node.pageBreak = 'before';
		} else if (breakBefore) {
			node.pageBreak = 'before';
		}
		orientationChange = undefined;
		breakBefore = false;
		content.push(node);
	}
	return content;
}

/** The pdfmake definition for a document (exported for inspection in tests). */
export function pdfDefinition(
	doc: ExportDocument,
	options: PdfRenderOptions = {}
): PdfDocDefinition {
	return {
		info: {
			title: doc.title,
			subject: doc.subject,
			author: 'Kompas',
			creator: 'Kompas',
			producer: 'Kompas (pdfmake)'
		},
		language: doc.language,
		displayTitle: true,
		tagged: false,
		compress: options.compress ?? true,
		version: '1.7',
		pageSize: 'A4',
		pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN],
		defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
		styles: {
			h1: { fontSize: 20, bold: true, color: '#1F4E79', margin: [0, 0, 0, 12] },
			h2: { fontSize: 16, bold: true, color: '#1F4E79', margin: [0, 12, 0, 8] },
			h3: { fontSize: 13, bold: true, color: '#1F4E79', margin: [0, 12, 0, 6] },
			h4: { fontSize: 11, bold: true, margin: [0, 8, 0, 4] },
			table: { fontSize: 8, lineHeight: 1.1 },
			tableHeader: { bold: true, fillColor: '#DCE6F0' }
		},
		footer: (currentPage, pageCount) => ({
			text: m.export_page({ page: currentPage, pages: pageCount }, { locale: doc.locale }),
			alignment: 'center',
			fontSize: 8,
			margin: [0, 20, 0, 0]
		}),
		content: renderContent(doc.blocks)
	};
}

/** Renders any export document (report or annex) as a PDF. */
export async function renderPdf(
	doc: ExportDocument,
	options: PdfRenderOptions = {}
): Promise<Buffer> {
	preparePdfmake();
	return pdfmake.createPdf(pdfDefinition(doc, options)).getBuffer();
}

/** The trajectory report as a PDF, in `options.locale` (Dutch by default). */
export async function exportPdf(
	report: TrajectoryReport,
	options: ExportOptions & PdfRenderOptions = {}
): Promise<Buffer> {
	return renderPdf(buildReportDocument(report, options), options);
}
