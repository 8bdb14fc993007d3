import { describe, expect, it } from 'vitest';
import {
	ANNEX_FORMATS,
	EXPORT_CONTENT_TYPES,
	EXPORT_FORMATS,
	isAnnexFormat,
	isExportFormat
} from './export-formats.ts';

describe('export formats', () => {
	it('knows every format once, each with a content type', () => {
		expect(new Set(EXPORT_FORMATS).size).toBe(EXPORT_FORMATS.length);
		expect(Object.keys(EXPORT_CONTENT_TYPES).sort()).toEqual([...EXPORT_FORMATS].sort());
	});
	it('tells formats and annex formats from other text', () => {
		expect(isExportFormat('csv')).toBe(true);
		expect(isExportFormat('toString')).toBe(false);
		expect(isExportFormat('exe')).toBe(false);
		expect(ANNEX_FORMATS.every(isExportFormat)).toBe(true);
		expect(isAnnexFormat('csv')).toBe(false);
		expect(isAnnexFormat('pdf')).toBe(true);
	});
});
