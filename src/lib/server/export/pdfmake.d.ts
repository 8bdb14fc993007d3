/**
 * The slice of pdfmake 0.3's server API that `pdf.ts` uses (the package ships no types, and
 * `@types/pdfmake` describes 0.2). Content nodes are kept structural rather than exhaustive.
 */
declare module 'pdfmake' {
	export type PdfContent = string | PdfNode | PdfContent[];

	export interface PdfNode {
		text?: PdfContent;
		ul?: PdfContent[];
		table?: {
			headerRows?: number;
			dontBreakRows?: boolean;
			keepWithHeaderRows?: number;
			widths?: (number | '*' | 'auto')[];
			body: PdfContent[][];
		};
		/** A standalone SVG document, drawn as vectors (text in the document's fonts). */
		svg?: string;
		/** Scale an image or SVG to fit in [width, height] points, keeping its aspect ratio. */
		fit?: [number, number];
		layout?: string;
		style?: string | string[];
		bold?: boolean;
		italics?: boolean;
		fontSize?: number;
		fillColor?: string;
		margin?: number | [number, number] | [number, number, number, number];
		alignment?: 'left' | 'center' | 'right' | 'justify';
		pageBreak?: 'before' | 'after';
		pageOrientation?: 'portrait' | 'landscape';
		id?: string;
		outline?: boolean;
		outlineParentId?: string;
		outlineExpanded?: boolean;
		headlineLevel?: number;
	}

	export interface PdfStyle {
		font?: string;
		fontSize?: number;
		bold?: boolean;
		italics?: boolean;
		color?: string;
		fillColor?: string;
		lineHeight?: number;
		margin?: [number, number, number, number];
	}

	export interface PdfDocDefinition {
		content: PdfContent;
		info?: Record<string, string>;
		/** Written as the catalog's /Lang. */
		language?: string;
		displayTitle?: boolean;
		tagged?: boolean;
		compress?: boolean;
		version?: string;
		pageSize?: string;
		pageMargins?: [number, number, number, number];
		defaultStyle?: PdfStyle;
		styles?: Record<string, PdfStyle>;
		footer?: (currentPage: number, pageCount: number) => PdfContent;
	}

	export interface PdfFontFamily {
		normal: string;
		bold: string;
		italics: string;
		bolditalics: string;
	}

	export interface PdfOutputDocument {
		getBuffer(): Promise<Buffer>;
	}

	interface PdfMake {
		virtualfs: {
			writeFileSync(name: string, content: Buffer): void;
			existsSync(name: string): boolean;
		};
		setFonts(fonts: Record<string, PdfFontFamily>): void;
		setUrlAccessPolicy(policy: (url: string) => boolean): void;
		setLocalAccessPolicy(policy: (path: string) => boolean): void;
		createPdf(definition: PdfDocDefinition): PdfOutputDocument;
	}

	const pdfmake: PdfMake;
	export default pdfmake;
}
