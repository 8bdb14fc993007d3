/**
 * Markdown (CommonMark + GFM tables) rendering of the export document.
 * Every piece of user text is escaped, so a card cannot inject links, HTML or break a table.
 */
import { buildReportDocument, type Block, type ExportDocument } from './document.ts';
import type { ExportOptions, TrajectoryReport } from './report.ts';

/** Escapes Markdown/HTML syntax in inline text and folds line breaks into spaces. */
export function escapeInline(text: string): string {
	return text
		.replace(/\r\n?|\n/g, ' ')
		.replace(/[\\`*_[\]<>|#~!&]/g, (c) => `\\${c}`)
		.replace(/^(\s*)([-+=]|\d+[.)])(?=\s|$)/, (_all, space: string, marker: string) =>
			marker.length === 1
				? `${space}\\${marker}`
				: `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`
		);
}

function cellText(lines: readonly string[]): string {
	// GFM table cells are one line; <br> keeps the lines apart in rendered output.
	return lines.map(escapeInline).join('<br>');
}

function renderBlock(block: Block): string {
	switch (block.kind) {
		case 'heading':
			return `${'#'.repeat(block.level)} ${escapeInline(block.text)}`;
		case 'paragraph': {
			const text = escapeInline(block.text);
			const body = block.emphasis ? `*${text}*` : text;
			return block.label ? `**${escapeInline(block.label)}:** ${body}`.trimEnd() : body;
		}
		case 'list':
			return block.items.map((item) => `- ${escapeInline(item)}`).join('\n');
		case 'table': {
			const header = `| ${block.columns.map((c) => escapeInline(c.header)).join(' | ')} |`;
			const rule = `| ${block.columns.map(() => '---').join(' | ')} |`;
			const rows = block.rows.map((row) => `| ${row.map(cellText).join(' | ')} |`);
			return [header, rule, ...rows].join('\n');
		}
		case 'pageBreak':
			return '---';
		case 'figure':
			// A drawing does not fit plain text; the table after it says the same.
			return '';
		case 'orientation':
			return '';
	}
}

/** Renders any export document (report or annex) as Markdown text ending in a newline. */
export function renderMarkdown(doc: ExportDocument): string {
	const parts: string[] = [];
	for (const block of doc.blocks) {
		// A page break before the first block would open the file with a rule: skip it.
		if (block.kind === 'pageBreak' && parts.length === 0) continue;
		const text = renderBlock(block);
		if (text !== '') parts.push(text);
	}
	return `${parts.join('\n\n')}\n`;
}

/** The trajectory report as Markdown, in `options.locale` (Dutch by default). */
export function exportMarkdown(report: TrajectoryReport, options: ExportOptions = {}): string {
	return renderMarkdown(buildReportDocument(report, options));
}
