import { describe, expect, it } from 'vitest';
import { municipalityPlace } from './municipality';

describe('municipalityPlace', () => {
	it('drops a leading "gemeente" in any case, keeps a bare place name', () => {
		expect(municipalityPlace('Gemeente Kampen')).toBe('Kampen');
		expect(municipalityPlace('gemeente  Kampen ')).toBe('Kampen');
		expect(municipalityPlace('Kampen')).toBe('Kampen');
		expect(municipalityPlace('Gemeentehuis')).toBe('Gemeentehuis');
		expect(municipalityPlace('Gemeente')).toBe('Gemeente');
	});
});
