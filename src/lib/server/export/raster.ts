/**
 * SVG → PNG on the server, for documents whose readers may not draw SVG (Word before 2016 and
 * other word processors read the PNG that a DOCX keeps beside an SVG). resvg compiled to
 * WebAssembly draws the pixels (no native binary, no browser, no network; text in the documents'
 * Roboto from `fonts.ts`, so the PNG and the text around it use the same font); Node's zlib packs
 * them as a PNG, which is several times faster than resvg's own encoder inside WebAssembly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { robotoPaths } from './fonts.ts';

/** The compiled module and the fonts, loaded on first use (once per process). */
let ready: Promise<Uint8Array[]> | null = null;

function prepare(): Promise<Uint8Array[]> {
	ready ??= (async () => {
		const require = createRequire(import.meta.url);
		await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
		// The drawing uses regular and bold (Medium) text only.
		const fonts = robotoPaths();
		return [fonts.regular, fonts.bold].map((path) => new Uint8Array(readFileSync(path)));
	})();
	return ready;
}

/**
 * Renders a standalone SVG document as a PNG, `scale` times its own size (1.5: sharp enough on
 * paper at the size the DOCX prints it). The background is white, so every pixel is opaque.
 */
export async function svgToPng(svg: string, scale = 1.5): Promise<Buffer> {
	const fontBuffers = await prepare();
	const resvg = new Resvg(svg, {
		font: { fontBuffers, defaultFontFamily: 'Roboto', sansSerifFamily: 'Roboto' },
		fitTo: { mode: 'zoom', value: scale },
		background: '#ffffff'
	});
	try {
		const image = resvg.render();
		try {
			return encodePng(image.width, image.height, image.pixels);
		} finally {
			image.free();
		}
	} finally {
		resvg.free();
	}
}

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(data: Uint8Array): number {
	let c = 0xffffffff;
	for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const out = Buffer.alloc(body.length + 8);
	out.writeUInt32BE(data.length, 0);
	body.copy(out, 4);
	out.writeUInt32BE(crc32(body), body.length + 4);
	return out;
}

/** An 8-bit RGBA PNG from straight (not premultiplied) RGBA pixels, rows top to bottom. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
	const stride = width * 4;
	if (rgba.length !== stride * height) throw new RangeError('pixel data does not match the size');
	// Each row starts with its filter type (0: none); zlib does the rest.
	const raw = Buffer.alloc((stride + 1) * height);
	for (let y = 0; y < height; y++)
		Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 6, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}
