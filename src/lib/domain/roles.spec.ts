import { describe, expect, it } from 'vitest';
import { ACTIONS, can } from './roles.ts';

describe('can', () => {
	it('lets facilitators do everything in a live session', () => {
		for (const action of ACTIONS) expect(can('facilitator', action)).toBe(true);
	});

	it('lets observers read and export but write nothing', () => {
		expect(can('observer', 'trajectory.view')).toBe(true);
		expect(can('observer', 'export.download')).toBe(true);
		expect(can('observer', 'board.view')).toBe(true);
		for (const action of [
			'trajectory.edit',
			'trajectory.delete',
			'members.manage',
			'card.create',
			'vote.cast',
			'session.control'
		] as const)
			expect(can('observer', action)).toBe(false);
	});

	it('lets participants edit and delete only their own cards', () => {
		expect(can('participant', 'card.create')).toBe(true);
		expect(can('participant', 'card.edit', { isOwn: true })).toBe(true);
		expect(can('participant', 'card.edit', { isOwn: false })).toBe(false);
		expect(can('participant', 'card.delete')).toBe(false);
	});

	it('refuses participant writes into a locked step', () => {
		expect(can('participant', 'card.create', { stepLocked: true })).toBe(false);
		expect(can('participant', 'vote.cast', { stepLocked: true })).toBe(false);
		expect(can('facilitator', 'card.create', { stepLocked: true })).toBe(true);
	});

	it('keeps participants away from control and trajectory settings', () => {
		expect(can('participant', 'session.control')).toBe(false);
		expect(can('participant', 'trajectory.view')).toBe(false);
		expect(can('participant', 'export.download')).toBe(false);
	});

	it('makes an ended session read-only for everyone', () => {
		expect(can('facilitator', 'card.create', { sessionEnded: true })).toBe(false);
		expect(can('facilitator', 'session.control', { sessionEnded: true })).toBe(false);
		expect(can('facilitator', 'export.download', { sessionEnded: true })).toBe(true);
	});

	it('lets participants propose glossary readings and change only their own; deciding is for facilitators', () => {
		expect(can('participant', 'glossary.propose')).toBe(true);
		expect(can('participant', 'glossary.edit', { isOwn: true })).toBe(true);
		expect(can('participant', 'glossary.edit', { isOwn: false })).toBe(false);
		expect(can('participant', 'glossary.decide')).toBe(false);
		expect(can('observer', 'glossary.propose')).toBe(false);
		expect(can('facilitator', 'glossary.decide')).toBe(true);
		expect(can('facilitator', 'glossary.decide', { sessionEnded: true })).toBe(false);
		expect(can('participant', 'glossary.propose', { sessionEnded: true })).toBe(false);
	});
});
