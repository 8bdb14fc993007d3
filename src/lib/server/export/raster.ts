/**
 * SVG → PNG on the server, for documents whose readers may not draw SVG (Word before 2016 and
 * other word processors read the PNG that a DOCX keeps beside an SVG). resvg compiled to
 * WebAssembly: no native binary, no browser, no network; text is set in the Roboto that pdfmake
 * ships, so the PNG and the PDF use the same font.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

const FONT_FILES = ['Roboto-Regular.ttf', 'Roboto-Medium.ttf', 'Roboto-Italic.ttf'] as const;

/** The compiled module and fonts, loaded on first use (about 2 s once per process). */
let ready: Promise<Uint8Array[]> | null = null;

function prepare(): Promise<Uint8Array[]> {
	ready ??= (async () => {
		const require = createRequire(import.meta.url);
		await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
		const fontDir = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
		return FONT_FILES.map((file) => new Uint8Array(readFileSync(join(fontDir, file))));
	})();
	return ready;
}

/** Renders a standalone SVG document as a PNG, `scale` times its own size (2: sharp when printed). */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
	const fontBuffers = await prepare();
	const resvg = new Resvg(svg, {
		font: { fontBuffers, defaultFontFamily: 'Roboto', sansSerifFamily: 'Roboto' },
		fitTo: { mode: 'zoom', value: scale },
		background: '#ffffff'
	});
	try {
		const image = resvg.render();
		const png = Buffer.from(image.asPng());
		image.free();
		return png;
	} finally {
		resvg.free();
	}
}
