import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';

/** Counts go through the message format's plural selection, in both languages. */
describe('plural messages', () => {
	it('says "1 stem" and "2 stemmen"', () => {
		expect(m.board_votes_left({ count: 1 }, { locale: 'nl' })).toBe('Je hebt nog 1 stem.');
		expect(m.board_votes_left({ count: 2 }, { locale: 'nl' })).toBe('Je hebt nog 2 stemmen.');
		expect(m.board_votes_left({ count: 0 }, { locale: 'nl' })).toBe('Je hebt nog 0 stemmen.');
		expect(m.board_votes_left({ count: 1 }, { locale: 'en' })).toBe('You have 1 vote left.');
		expect(m.board_votes_left({ count: 3 }, { locale: 'en' })).toBe('You have 3 votes left.');
	});

	it('counts cards, minutes and themes', () => {
		expect(m.workshop_console_reveal({ count: 1 }, { locale: 'nl' })).toBe(
			'Laat alles zien (1 kaart)'
		);
		expect(m.workshop_console_reveal({ count: 4 }, { locale: 'nl' })).toBe(
			'Laat alles zien (4 kaarten)'
		);
		expect(m.session_agenda_total({ minutes: 1 }, { locale: 'nl' })).toBe('Totaal 1 minuut');
		expect(m.trajectories_themes_count({ count: 1 }, { locale: 'nl' })).toBe('1 thema');
		expect(m.trajectories_themes_count({ count: 2 }, { locale: 'nl' })).toBe("2 thema's");
	});
});
