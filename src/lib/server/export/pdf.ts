/**
 * Tagged PDF rendering with PDFKit on the server (PDF 1.7, identified as PDF/UA-1).
 *
 * What the PDF carries for navigation and assistive technology:
 * - a structure tree: Document › H1–H4, P, L › LI › Lbl + LBody, Table › TR › TH (scope Column) / TD,
 *   and the results chain as a Figure with its text alternative; page numbers, table lines and
 *   repeated header rows are marked as artifacts, so a screen reader reads every piece of content
 *   once, in order;
 * - a real text layer in embedded, subset Roboto (`fonts.ts`, nothing downloaded) with ToUnicode
 *   maps, so text can be searched, copied and read aloud;
 * - the document title in the Info dictionary and XMP metadata, shown in the title bar
 *   (/DisplayDocTitle); the document language (/Lang in the catalog); the PDF/UA identifier in XMP;
 * - a bookmark (outline) tree with one entry per heading, nested by heading level.
 */
import PDFDocument from 'pdfkit';
import { m } from '../../paraglide/messages.js';
import { buildReportDocument, type Block, type ExportDocument } from './document.ts';
import { robotoPaths } from './fonts.ts';
import { svgToPng } from './raster.ts';
import type { ExportOptions, TrajectoryReport } from './report.ts';

export interface PdfRenderOptions {
	/**
	 * Compress content streams (default true). Tests turn it off to read the text, title and
	 * language straight from the bytes.
	 */
	compress?: boolean;
}

type Doc = PDFKit.PDFDocument;
type StructElement = PDFKit.PDFStructureElement;
type Outline = PDFKit.PDFOutline;
type FigureBlock = Extract<Block, { kind: 'figure' }>;
type TableBlock = Extract<Block, { kind: 'table' }>;

/** A4 in points, 2 cm margins. */
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56.7;
const MARGINS = { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
const HEADING_COLOR = '#1F4E79';
const TEXT_COLOR = '#000000';
const BODY = { size: 10, gap: 2 };
const TABLE = {
	size: 8,
	gap: 1,
	padding: 4,
	line: 0.5,
	lineColor: '#808080',
	headerFill: '#DCE6F0'
};
const HEADING = {
	1: { size: 20, before: 0, after: 12, color: HEADING_COLOR },
	2: { size: 16, before: 12, after: 8, color: HEADING_COLOR },
	3: { size: 13, before: 12, after: 6, color: HEADING_COLOR },
	4: { size: 11, before: 8, after: 4, color: TEXT_COLOR }
} as const;
/** Room kept under a heading so that it never ends a page alone. */
const KEEP_WITH_NEXT = 48;
/** Room for a drawing below its heading and intro, in points. */
const FIGURE_MAX_HEIGHT = {
	portrait: A4.height - 2 * MARGIN - 80,
	landscape: A4.width - 2 * MARGIN - 80
};

/**
 * Options of a structure element as PDFKit 0.20 reads them. `@types/pdfkit` (written for 0.17)
 * lacks `scope` (the TH's /Scope attribute) and `bbox` (a Figure's /BBox layout attribute).
 */
interface StructOptions {
	alt?: string;
	scope?: 'Column' | 'Row' | 'Both';
	bbox?: [number, number, number, number];
}

/** Lays blocks out on pages, tagging every piece as it is drawn. */
class TaggedWriter {
	private readonly fonts = robotoPaths();
	private readonly root: StructElement;
	/** The latest bookmark at each heading level, to nest the outline. */
	private readonly outlineParents: (Outline | undefined)[] = [];
	private landscape = false;
	/** Whether anything was drawn on the current page (a break on an empty page is skipped). */
	private pageHasContent = false;
	private pendingBreak = false;

	constructor(
		private readonly doc: Doc,
		private readonly pngs: ReadonlyMap<FigureBlock, Buffer>
	) {
		this.root = doc.struct('Document');
		doc.addStructure(this.root);
	}

	/** A structure element; see `StructOptions` for why the options are cast. */
	private struct(
		type: string,
		options: StructOptions,
		draw?: () => void
	): PDFKit.PDFStructureElement {
		return this.doc.struct(
			type,
			options as PDFKit.Mixins.StructureElementOptions,
			draw ? [draw] : undefined
		);
	}

	private get left(): number {
		return this.doc.page.margins.left;
	}
	private get width(): number {
		return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
	}
	private get bottom(): number {
		return this.doc.page.height - this.doc.page.margins.bottom;
	}

	private newPage(): void {
		this.doc.addPage({
			size: 'A4',
			layout: this.landscape ? 'landscape' : 'portrait',
			margins: MARGINS
		});
		this.pageHasContent = false;
	}

	/** Starts a new page unless `height` points still fit on this one. */
	private ensureRoom(height: number): void {
		if (this.pageHasContent && this.doc.y + height > this.bottom) this.newPage();
	}

	private font(style: 'regular' | 'bold' | 'italic', size: number, color = TEXT_COLOR): Doc {
		return this.doc.font(this.fonts[style]).fontSize(size).fillColor(color);
	}

	/** Draws decoration that is not content (lines, fills, repeated headers) as an artifact. */
	private artifact(type: 'Layout' | 'Pagination', draw: () => void): void {
		this.doc.markContent('Artifact', { type });
		draw();
		this.doc.endMarkedContent();
	}

	write(blocks: readonly Block[]): void {
		for (const block of blocks) {
			if (block.kind === 'pageBreak') {
				this.pendingBreak = true;
				continue;
			}
			if (block.kind === 'orientation') {
				if (block.landscape !== this.landscape) {
					this.landscape = block.landscape;
					this.pendingBreak = true;
				}
				continue;
			}
			if (this.pendingBreak) {
				// A new orientation needs a new page even when this one is empty.
				const orientationChanged = this.doc.page.width > this.doc.page.height !== this.landscape;
				if (this.pageHasContent || orientationChanged) this.newPage();
				this.pendingBreak = false;
			}
			this.block(block);
			this.pageHasContent = true;
		}
		this.root.end();
	}

	private block(block: Exclude<Block, { kind: 'pageBreak' | 'orientation' }>): void {
		switch (block.kind) {
			case 'heading':
				return this.heading(block.level, block.text);
			case 'paragraph':
				return this.paragraph(block);
			case 'list':
				return this.list(block.items);
			case 'table':
				return this.table(block);
			case 'figure':
				return this.figure(block);
		}
	}

	private heading(level: 1 | 2 | 3 | 4, text: string): void {
		const style = HEADING[level];
		this.font('bold', style.size, style.color);
		const height = this.doc.heightOfString(text, { width: this.width });
		if (this.pageHasContent) this.doc.y += style.before;
		this.ensureRoom(height + KEEP_WITH_NEXT);
		const y = this.doc.y;
		this.root.add(
			this.struct(`H${level}`, {}, () => {
				this.doc.text(text, this.left, y, { width: this.width });
			})
		);
		this.doc.y += style.after;
		// Bookmarks: under the latest heading of a higher level.
		const parent = this.outlineParents.slice(0, level - 1).findLast((p) => p !== undefined);
		// PDFKit writes the destination as [page /XYZ (width - left) (height - top)]; `left` = the page
		// width puts the view at the page's left edge, `top` at the heading (options @types lacks).
		const destination = { expanded: level <= 2, top: y, left: this.doc.page.width };
		const item = (parent ?? this.doc.outline).addItem(text, destination);
		this.outlineParents[level - 1] = item;
		this.outlineParents.length = level;
	}

	private paragraph(block: Extract<Block, { kind: 'paragraph' }>): void {
		const label = block.label ? `${block.label}: ` : '';
		this.font('regular', BODY.size);
		this.ensureRoom(this.doc.heightOfString(label + block.text, { width: this.width }));
		const y = this.doc.y;
		this.root.add(
			this.struct('P', {}, () => {
				const options = { width: this.width, lineGap: BODY.gap };
				if (label) {
					this.font('bold', BODY.size).text(label, this.left, y, {
						...options,
						continued: block.text !== ''
					});
					if (block.text !== '')
						this.font(block.emphasis ? 'italic' : 'regular', BODY.size).text(block.text, options);
				} else {
					this.font(block.emphasis ? 'italic' : 'regular', BODY.size).text(
						block.text,
						this.left,
						y,
						options
					);
				}
			})
		);
		this.doc.y += 6;
	}

	private list(items: readonly string[]): void {
		// An empty list (a trajectory without organisations yet) would be an empty L element.
		if (items.length === 0) return;
		const indent = 14;
		const list = this.struct('L', {});
		this.root.add(list);
		for (const text of items) {
			this.font('regular', BODY.size);
			this.ensureRoom(this.doc.heightOfString(text, { width: this.width - indent }));
			const y = this.doc.y;
			const item = this.struct('LI', {});
			list.add(item);
			item.add(
				this.struct('Lbl', {}, () => {
					this.doc.text('•', this.left + 3, y, { lineBreak: false });
				})
			);
			item.add(
				this.struct('LBody', {}, () => {
					this.doc.text(text, this.left + indent, y, {
						width: this.width - indent,
						lineGap: BODY.gap
					});
				})
			);
			item.end();
			this.doc.y += 2;
		}
		list.end();
		this.doc.y += 6;
	}

	private table(block: TableBlock): void {
		const total = block.columns.reduce((sum, c) => sum + c.weight, 0);
		const widths = block.columns.map((c) => (c.weight / total) * this.width);
		const pad = TABLE.padding;
		const cellHeight = (lines: readonly string[], bold: boolean, width: number) => {
			this.font(bold ? 'bold' : 'regular', TABLE.size);
			return this.doc.heightOfString(lines.join('\n') || ' ', {
				width: width - 2 * pad,
				lineGap: TABLE.gap
			});
		};
		const rowHeight = (cells: readonly (readonly string[])[], bold: boolean) =>
			Math.max(...cells.map((cell, i) => cellHeight(cell, bold, widths[i] ?? 0))) + 2 * pad;
		const header = block.columns.map((c) => [c.header]);
		const headerHeight = rowHeight(header, true);

		/** Draws one row at the current y; `tag` says how its cells enter the structure tree. */
		const drawRow = (
			cells: readonly (readonly string[])[],
			height: number,
			tag: { row: StructElement; cell: 'TH' | 'TD' } | null
		) => {
			const y = this.doc.y;
			const bold = tag === null || tag.cell === 'TH';
			this.artifact('Layout', () => {
				let x = this.left;
				for (const width of widths) {
					if (bold) this.doc.rect(x, y, width, height).fill(TABLE.headerFill);
					this.doc.lineWidth(TABLE.line).rect(x, y, width, height).stroke(TABLE.lineColor);
					x += width;
				}
			});
			let x = this.left;
			cells.forEach((cell, i) => {
				const width = widths[i] ?? 0;
				const cellX = x;
				const draw = () => {
					this.font(bold ? 'bold' : 'regular', TABLE.size).text(
						cell.join('\n'),
						cellX + pad,
						y + pad,
						{
							width: width - 2 * pad,
							lineGap: TABLE.gap
						}
					);
				};
				if (tag)
					tag.row.add(this.struct(tag.cell, tag.cell === 'TH' ? { scope: 'Column' } : {}, draw));
				else this.artifact('Pagination', draw);
				x += width;
			});
			this.doc.y = y + height;
		};

		const firstRow = block.rows[0];
		this.ensureRoom(headerHeight + (firstRow ? rowHeight(firstRow, false) : 0));
		const table = this.struct('Table', {});
		this.root.add(table);
		const headRow = this.struct('TR', {});
		table.add(headRow);
		drawRow(header, headerHeight, { row: headRow, cell: 'TH' });
		headRow.end();
		for (const cells of block.rows) {
			const height = rowHeight(cells, false);
			if (this.doc.y + height > this.bottom) {
				// The header row again on the next page, as decoration: it was read once already.
				this.newPage();
				drawRow(header, headerHeight, null);
			}
			const row = this.struct('TR', {});
			table.add(row);
			drawRow(cells, height, { row, cell: 'TD' });
			row.end();
		}
		table.end();
		this.doc.x = this.left;
		this.doc.y += 10;
	}

	private figure(block: FigureBlock): void {
		const png = this.pngs.get(block);
		if (!png) return;
		// CSS pixels to points (3/4), never wider or taller than the page allows.
		const maxHeight = this.landscape ? FIGURE_MAX_HEIGHT.landscape : FIGURE_MAX_HEIGHT.portrait;
		const scale = Math.min(0.75, this.width / block.width, maxHeight / block.height);
		const width = block.width * scale;
		const height = block.height * scale;
		this.ensureRoom(height + 4);
		const x = this.left;
		const y = this.doc.y + 4;
		this.root.add(
			this.struct('Figure', { alt: block.alt, bbox: [x, y, x + width, y + height] }, () => {
				this.doc.image(png, x, y, { width, height });
			})
		);
		this.doc.x = this.left;
		this.doc.y = y + height + 10;
	}

	/** "Pagina 3 van 7" at the foot of every page, as a pagination artifact. */
	pageNumbers(locale: ExportDocument['locale']): void {
		const range = this.doc.bufferedPageRange();
		for (let i = range.start; i < range.start + range.count; i++) {
			this.doc.switchToPage(i);
			const page = this.doc.page;
			// Writing below the bottom margin would otherwise start a new page.
			const bottom = page.margins.bottom;
			page.margins.bottom = 0;
			this.artifact('Pagination', () => {
				this.font('regular', 8).text(
					m.export_page({ page: i + 1, pages: range.count }, { locale }),
					page.margins.left,
					page.height - bottom + 20,
					{
						width: page.width - page.margins.left - page.margins.right,
						align: 'center',
						lineBreak: false
					}
				);
			});
			page.margins.bottom = bottom;
		}
	}
}

/** Escapes text for the XMP packet, which PDFKit writes without escaping. */
function escapeXml(text: string): string {
	return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders any export document (report or annex) as a tagged PDF. */
export async function renderPdf(
	doc: ExportDocument,
	options: PdfRenderOptions = {}
): Promise<Buffer> {
	const figures = doc.blocks.filter((b): b is FigureBlock => b.kind === 'figure');
	const pngs = new Map(
		await Promise.all(figures.map(async (f) => [f, await svgToPng(f.svg)] as const))
	);
	const pdf = new PDFDocument({
		size: 'A4',
		margins: MARGINS,
		pdfVersion: '1.7',
		// @types/pdfkit 0.17 lists only the PDF/A subsets; PDFKit has written PDF/UA since 0.14.
		subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
		tagged: true,
		lang: doc.language,
		displayTitle: true,
		compress: options.compress ?? true,
		bufferPages: true,
		// Start in Roboto, so that PDFKit's unembedded Helvetica never enters the file.
		font: robotoPaths().regular,
		info: {
			Title: doc.title,
			Subject: doc.subject,
			Author: 'Kompas',
			Creator: 'Kompas',
			Producer: 'Kompas (PDFKit)'
		}
	});
	const chunks: Buffer[] = [];
	pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<Buffer>((resolve, reject) => {
		pdf.on('end', () => resolve(Buffer.concat(chunks)));
		pdf.on('error', reject);
	});
	// PDFKit copies the Info strings into the XMP packet unescaped: escape them there only.
	const xmp = pdf as unknown as { _addInfo(): void; info: Record<string, unknown> };
	const addInfo = xmp._addInfo.bind(pdf);
	xmp._addInfo = () => {
		const info = xmp.info;
		xmp.info = Object.fromEntries(
			Object.entries(info).map(([k, v]) => [k, typeof v === 'string' ? escapeXml(v) : v])
		);
		addInfo();
		xmp.info = info;
	};
	const writer = new TaggedWriter(pdf, pngs);
	writer.write(doc.blocks);
	writer.pageNumbers(doc.locale);
	pdf.end();
	return done;
}

/** The trajectory report as a tagged PDF, in `options.locale` (Dutch by default). */
export async function exportPdf(
	report: TrajectoryReport,
	options: ExportOptions & PdfRenderOptions = {}
): Promise<Buffer> {
	return renderPdf(buildReportDocument(report, options), options);
}
