import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, svgToPng } from './raster.ts';

/** Width, height and the decoded rows (without filter bytes) of one of our own PNGs. */
function readPng(png: Buffer) {
	expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const width = png.readUInt32BE(16);
	const height = png.readUInt32BE(20);
	const chunks: Buffer[] = [];
	for (let at = 8; at < png.length;) {
		const length = png.readUInt32BE(at);
		if (png.toString('latin1', at + 4, at + 8) === 'IDAT')
			chunks.push(png.subarray(at + 8, at + 8 + length));
		at += length + 12;
	}
	return { width, height, raw: inflateSync(Buffer.concat(chunks)) };
}

describe('PNG for the DOCX fallback', () => {
	it('encodes RGBA pixels row by row', () => {
		const pixels = new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255, 0, 255, 0, 255, 1, 2, 3, 255]);
		const { width, height, raw } = readPng(encodePng(2, 2, pixels));
		expect([width, height]).toEqual([2, 2]);
		expect([...raw]).toEqual([0, ...pixels.subarray(0, 8), 0, ...pixels.subarray(8)]);
		expect(() => encodePng(3, 2, pixels)).toThrow(RangeError);
	});

	it('draws an SVG: shapes and text in Roboto', { timeout: 60_000 }, async () => {
		const svg =
			'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">' +
			'<rect x="0" y="0" width="20" height="20" fill="#0b5c8a"/>' +
			'<text x="22" y="15" font-family="Roboto" font-size="14" fill="#000">A</text></svg>';
		const { width, height, raw } = readPng(await svgToPng(svg, 1));
		expect([width, height]).toEqual([40, 20]);
		const pixel = (x: number, y: number) => [
			...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)
		];
		expect(pixel(5, 5)).toEqual([0x0b, 0x5c, 0x8a, 255]);
		// The letter left dark pixels right of the square; the background is white.
		const textArea = Array.from({ length: 18 * 20 }, (_, i) =>
			pixel(22 + (i % 18), Math.floor(i / 18))
		);
		expect(textArea.some(([r]) => r! < 128)).toBe(true);
		expect(pixel(39, 0)).toEqual([255, 255, 255, 255]);
	});
});
