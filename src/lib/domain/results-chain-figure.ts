/**
 * The results chain as a drawing: a layout (boxes, lines, column headers in pixels) and one
 * standalone SVG string made from it. The live board, the projector, the print page and the PDF
 * all draw the same string, so the room and the municipality's document show the same picture.
 * Pure: imports nothing outside `domain/`, measures no fonts (text wraps by an average character
 * width that is generous for Roboto, Arial and the system sans-serif fonts), writes no styles, only
 * presentation attributes (the Content Security Policy allows no inline styles).
 *
 * Layout: three columns (ambition, outcomes in priority order, activities). Each prioritised
 * outcome opens a band; the activities that serve it first sit in its band. An indicator hangs under
 * the outcome or activity it measures, joined by a line; loose activities and indicators come last.
 * The compass's questions (flags) are written inside the card they are about.
 */
import type { CardId } from './ids.ts';
import type { ChainCard, ChainFlag, ChainIndicator, ResultsChain } from './results-chain.ts';

/** The words the drawing needs, in the reader's language. */
export interface ChainTexts {
	/** Read by assistive technology when the SVG stands alone (document title). */
	title: string;
	columns: { ambition: string; outcomes: string; activities: string };
	flags: Record<ChainFlag, string>;
	/** In the ambition's place while none is agreed. */
	noAmbition: string;
	/** Under an outcome the group did not prioritise. */
	notPrioritised: string;
	/** Over the loose activities and indicators at the bottom. */
	loose: string;
}

export type FigureBoxKind = 'ambition' | 'outcome' | 'activity' | 'indicator' | 'placeholder';

export interface FigureBox {
	/** Card id, or `null` for the ambition's placeholder. */
	cardId: CardId | null;
	kind: FigureBoxKind;
	x: number;
	y: number;
	w: number;
	h: number;
	lines: string[];
	/** Flag texts written inside the box, after the card text. */
	flags: ChainFlag[];
	/** A note under the text in a muted colour (e.g. "geen prioriteit"). */
	note: string | null;
	muted: boolean;
}

export interface FigureEdge {
	kind: 'aims' | 'serves' | 'measures';
	from: CardId | null;
	to: CardId | null;
	/** SVG path data. */
	d: string;
}

export interface FigureLabel {
	x: number;
	y: number;
	text: string;
}

export interface ChainFigure {
	width: number;
	height: number;
	labels: FigureLabel[];
	boxes: FigureBox[];
	edges: FigureEdge[];
}

const G = {
	margin: 12,
	header: 30,
	colW: 250,
	gap: 64,
	font: 14,
	chipFont: 13,
	line: 18,
	chipLine: 17,
	padX: 10,
	padY: 8,
	flagLine: 22,
	chipIndent: 20,
	chipGap: 6,
	blockGap: 14,
	bandGap: 24,
	/** Average advance of a character, in ems, on the generous side. */
	charEm: 0.52
} as const;

const MAX_LINES: Record<FigureBoxKind, number> = {
	ambition: 12,
	placeholder: 4,
	outcome: 6,
	activity: 5,
	indicator: 4
};

/** Splits text into at most `maxLines` lines of at most `maxChars` characters ("…" when cut). */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
	const words = text.trim().split(/\s+/).filter(Boolean);
	const lines: string[] = [];
	let current = '';
	const push = (line: string) => lines.push(line);
	for (let word of words) {
		while (word.length > maxChars) {
			if (current) {
				push(current);
				current = '';
			}
			push(word.slice(0, maxChars - 1) + '-');
			word = word.slice(maxChars - 1);
		}
		if (!current) current = word;
		else if (current.length + 1 + word.length <= maxChars) current += ' ' + word;
		else {
			push(current);
			current = word;
		}
	}
	if (current) push(current);
	if (lines.length <= maxLines) return lines;
	const kept = lines.slice(0, maxLines);
	const last = kept[maxLines - 1]!;
	kept[maxLines - 1] =
		(last.length >= maxChars ? last.slice(0, maxChars - 1) : last).trimEnd() + '…';
	return kept;
}

const charsIn = (width: number, font: number) => Math.floor(width / (font * G.charEm));

export interface LayoutOptions {
	/**
	 * Width of a column in pixels (default 250). Wider columns wrap text into fewer lines: a wider,
	 * lower drawing, which a landscape screen can show larger.
	 */
	columnWidth?: number;
}

/** Lays out the chain; `texts` gives the words (their length decides the box heights). */
export function layoutChain(
	chain: ResultsChain,
	texts: ChainTexts,
	options: LayoutOptions = {}
): ChainFigure {
	const colW = Math.max(160, options.columnWidth ?? G.colW);
	const xs = [G.margin, G.margin + colW + G.gap, G.margin + 2 * (colW + G.gap)] as const;
	const top = G.margin + G.header;
	const boxes: FigureBox[] = [];
	const edges: FigureEdge[] = [];
	const labels: FigureLabel[] = [
		{ x: xs[0], y: G.margin + 18, text: texts.columns.ambition },
		{ x: xs[1], y: G.margin + 18, text: texts.columns.outcomes },
		{ x: xs[2], y: G.margin + 18, text: texts.columns.activities }
	];
	const indicatorById = new Map(chain.indicators.map((i) => [i.id, i]));

	function box(
		kind: FigureBoxKind,
		card: ChainCard | null,
		text: string,
		x: number,
		y: number,
		w: number,
		extra: { note?: string | null; muted?: boolean; flags?: ChainFlag[] } = {}
	): FigureBox {
		const chip = kind === 'indicator';
		const font = chip ? G.chipFont : G.font;
		const lineH = chip ? G.chipLine : G.line;
		const lines = wrapText(text, charsIn(w - 2 * G.padX, font), MAX_LINES[kind]);
		const flags = extra.flags ?? card?.flags ?? [];
		const note = extra.note ?? null;
		const h = 2 * G.padY + lines.length * lineH + (note ? lineH : 0) + flags.length * G.flagLine;
		const b: FigureBox = {
			cardId: card?.id ?? null,
			kind,
			x,
			y,
			w,
			h,
			lines,
			flags,
			note,
			muted: extra.muted ?? false
		};
		boxes.push(b);
		return b;
	}

	/** A card with the indicators that measure it hanging under it; returns its box and height. */
	function block(
		kind: 'outcome' | 'activity',
		card: ChainCard,
		text: string,
		indicatorIds: readonly CardId[],
		x: number,
		y: number,
		extra: { note?: string | null; muted?: boolean } = {}
	) {
		const main = box(kind, card, text, x, y, colW, extra);
		let bottom = y + main.h;
		for (const indicator of indicatorIds.map((id) => indicatorById.get(id))) {
			if (!indicator) continue;
			const chip = chipBox(indicator, x + G.chipIndent, bottom + G.chipGap);
			const stem = x + G.chipIndent / 2;
			edges.push({
				kind: 'measures',
				from: indicator.id,
				to: card.id,
				d: `M ${stem} ${y + main.h} V ${chip.y + chip.h / 2} H ${chip.x}`
			});
			bottom = chip.y + chip.h;
		}
		return { main, height: bottom - y };
	}

	const chipBox = (indicator: ChainIndicator, x: number, y: number) =>
		box('indicator', indicator, indicator.text, x, y, colW - G.chipIndent);

	// The ambition (or its empty place), at the top of the first column.
	const ambition = chain.ambition
		? box('ambition', chain.ambition, chain.ambition.text, xs[0], top, colW)
		: box('placeholder', null, texts.noAmbition, xs[0], top, colW, {
				flags: chain.boardFlags.filter((f) => f === 'no_agreed_ambition'),
				muted: true
			});

	// One band per outcome: the outcome, and beside it the activities that serve it first.
	const outcomeBox = new Map<CardId, FigureBox>();
	const activityBox = new Map<CardId, FigureBox>();
	let y = top;
	for (const outcome of chain.outcomes) {
		const prefix = outcome.rank !== null ? `${outcome.rank}. ` : '';
		const { main, height } = block(
			'outcome',
			outcome,
			prefix + outcome.text,
			outcome.indicators,
			xs[1],
			y,
			outcome.rank === null ? { note: texts.notPrioritised, muted: true } : {}
		);
		outcomeBox.set(outcome.id, main);
		let ay = y;
		for (const activity of chain.activities.filter((a) => a.serves[0] === outcome.id)) {
			const placed = block('activity', activity, activity.text, activity.indicators, xs[2], ay);
			activityBox.set(activity.id, placed.main);
			ay += placed.height + G.blockGap;
		}
		y += Math.max(height, ay - y - G.blockGap) + G.bandGap;
	}

	// Loose activities (serving no outcome) and indicators (measuring nothing) come last.
	const looseActivities = chain.activities.filter((a) => a.serves.length === 0);
	const looseIndicators = chain.indicators.filter((i) => i.measures.length === 0);
	if (looseActivities.length || looseIndicators.length) {
		labels.push({ x: looseIndicators.length ? xs[1] : xs[2], y: y + 16, text: texts.loose });
		y += G.header;
		let ay = y;
		for (const activity of looseActivities) {
			const placed = block('activity', activity, activity.text, activity.indicators, xs[2], ay);
			activityBox.set(activity.id, placed.main);
			ay += placed.height + G.blockGap;
		}
		let iy = y;
		for (const indicator of looseIndicators) {
			const chip = box('indicator', indicator, indicator.text, xs[1], iy, colW);
			iy += chip.h + G.blockGap;
		}
		y = Math.max(ay, iy) - G.blockGap + G.bandGap;
	}

	const curve = (sx: number, sy: number, tx: number, ty: number) => {
		const mid = (sx + tx) / 2;
		return `M ${sx} ${sy} C ${mid} ${sy} ${mid} ${ty} ${tx} ${ty}`;
	};
	const midY = (b: FigureBox) => b.y + Math.min(b.h / 2, G.padY + G.line);
	for (const outcome of chain.outcomes) {
		const target = outcomeBox.get(outcome.id);
		if (!target || outcome.rank === null || !chain.ambition) continue;
		edges.unshift({
			kind: 'aims',
			from: outcome.id,
			to: chain.ambition.id,
			d: curve(ambition.x + ambition.w, midY(ambition), target.x, midY(target))
		});
	}
	for (const activity of chain.activities) {
		const source = activityBox.get(activity.id);
		for (const outcomeId of activity.serves) {
			const target = outcomeBox.get(outcomeId);
			if (!source || !target) continue;
			edges.unshift({
				kind: 'serves',
				from: activity.id,
				to: outcomeId,
				d: curve(target.x + target.w, midY(target), source.x, midY(source))
			});
		}
	}

	const bottom = Math.max(y - G.bandGap, ambition.y + ambition.h, top) + G.margin;
	return { width: xs[2] + colW + G.margin, height: Math.ceil(bottom), labels, boxes, edges };
}

const COLORS: Record<FigureBoxKind, { fill: string; stroke: string }> = {
	ambition: { fill: '#e6f0f7', stroke: '#0b5c8a' },
	placeholder: { fill: '#ffffff', stroke: '#4a5560' },
	outcome: { fill: '#ffffff', stroke: '#0b5c8a' },
	activity: { fill: '#f5f0f9', stroke: '#7a3e9d' },
	indicator: { fill: '#eef7f0', stroke: '#1d6b34' }
};
const TEXT = '#1b1f24';
const MUTED = '#4a5560';
const FLAG = '#a4161a';
const FONT_FAMILY = "Roboto, 'Noto Sans', Arial, sans-serif";

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
	return (
		text
			// Control characters XML 1.0 cannot hold (a pasted card may carry one): an SVG with one
			// does not parse, and the documents that embed it would fail.
			// eslint-disable-next-line no-control-regex -- exactly the characters XML forbids
			.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
			.replace(
				/[&<>"']/g,
				(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!
			)
	);
}

/** The figure as a standalone SVG document (also valid inline in HTML). */
export function figureSvg(figure: ChainFigure, texts: ChainTexts): string {
	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${figure.width} ${figure.height}"` +
			` width="${figure.width}" height="${figure.height}" font-family="${FONT_FAMILY}"` +
			` font-size="${G.font}">`,
		`<title>${escapeXml(texts.title)}</title>`,
		`<rect x="0" y="0" width="${figure.width}" height="${figure.height}" fill="#ffffff"/>`
	);
	for (const label of figure.labels)
		out.push(
			`<text x="${label.x}" y="${label.y}" font-weight="bold" fill="${TEXT}">${escapeXml(label.text)}</text>`
		);
	for (const edge of figure.edges) {
		const dash = edge.kind === 'measures' ? ' stroke-dasharray="4 3"' : '';
		const color = edge.kind === 'measures' ? '#1d6b34' : MUTED;
		out.push(
			`<path data-edge="${edge.kind}" data-from="${escapeXml(edge.from ?? '')}" data-to="${escapeXml(edge.to ?? '')}"` +
				` d="${edge.d}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`
		);
	}
	for (const b of figure.boxes) {
		const chip = b.kind === 'indicator';
		const font = chip ? G.chipFont : G.font;
		const lineH = chip ? G.chipLine : G.line;
		const colors = COLORS[b.kind];
		const flagged = b.flags.length > 0;
		const stroke = flagged ? FLAG : colors.stroke;
		const dash = b.muted ? ' stroke-dasharray="6 4"' : '';
		out.push(
			`<g data-kind="${b.kind}" data-card-id="${escapeXml(b.cardId ?? '')}" data-flags="${b.flags.join(' ')}">`,
			`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="${chip ? 10 : 6}"` +
				` fill="${colors.fill}" stroke="${stroke}" stroke-width="${flagged ? 2.5 : 1.5}"${dash}/>`
		);
		let ty = b.y + G.padY + lineH * 0.78;
		for (const line of b.lines) {
			out.push(
				`<text x="${b.x + G.padX}" y="${ty.toFixed(1)}" font-size="${font}" fill="${b.muted ? MUTED : TEXT}">${escapeXml(line)}</text>`
			);
			ty += lineH;
		}
		if (b.note) {
			out.push(
				`<text x="${b.x + G.padX}" y="${ty.toFixed(1)}" font-size="${G.chipFont}" font-style="italic" fill="${MUTED}">${escapeXml(b.note)}</text>`
			);
			ty += lineH;
		}
		for (const flag of b.flags) {
			const cy = ty - 4;
			const cx = b.x + G.padX + 7;
			out.push(
				`<circle cx="${cx}" cy="${cy.toFixed(1)}" r="7" fill="${FLAG}"/>`,
				`<text x="${cx}" y="${(cy + 4.5).toFixed(1)}" font-size="12" font-weight="bold" fill="#ffffff" text-anchor="middle">!</text>`,
				`<text x="${cx + 12}" y="${(ty + 1).toFixed(1)}" font-size="${G.chipFont}" font-weight="bold" fill="${FLAG}">${escapeXml(texts.flags[flag])}</text>`
			);
			ty += G.flagLine;
		}
		out.push('</g>');
	}
	out.push('</svg>');
	return out.join('\n');
}

/** The results chain as a standalone SVG string (layout and drawing in one call). */
export function resultsChainSvg(chain: ResultsChain, texts: ChainTexts): string {
	return figureSvg(layoutChain(chain, texts), texts);
}
