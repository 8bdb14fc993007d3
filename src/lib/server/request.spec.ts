import { describe, expect, it } from 'vitest';
import { localPath } from './request.ts';

describe('localPath', () => {
	it('keeps paths on this site', () => {
		expect(localPath('/t/abc?x=1', '/')).toBe('/t/abc?x=1');
	});

	it('refuses other sites, however they are spelled', () => {
		for (const bad of [
			'//evil.example',
			'/\\evil.example',
			'https://evil.example',
			'evil',
			'',
			null
		])
			expect(localPath(bad, '/fallback')).toBe('/fallback');
		expect(localPath('/ok\r\nSet-Cookie: x=1', '/fallback')).toBe('/fallback');
	});
});
