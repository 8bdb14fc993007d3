/**
 * The Kampen "werk" example of the Kwaliteitskompas as a board snapshot, for tests and demo data.
 * Paraphrased; figures of the leerwerkplaats are from the Movisie article (8 young people, 2 to
 * paid work, 2 to further education); the baseline and target percentages are illustrative.
 */
import type { Card, CardDetails, CardKind } from './cards.ts';
import type { Link } from './links.ts';
import type { Perspective } from './roles.ts';
import { emptySnapshot, type BoardSnapshot } from './snapshot.ts';
import { stepOfKind } from './steps.ts';

const people = {
	anouk: { authorId: 'p-anouk', authorName: 'Anouk (gemeente)', perspective: 'gemeente' },
	bram: { authorId: 'p-bram', authorName: 'Bram (De Kern)', perspective: 'aanbieder' },
	cor: { authorId: 'p-cor', authorName: 'Cor (Welzijn Kampen)', perspective: 'professional' },
	dewi: { authorId: 'p-dewi', authorName: 'Dewi', perspective: 'inwoner' }
} as const satisfies Record<
	string,
	{ authorId: string; authorName: string; perspective: Perspective }
>;

let clock = 0;
function card(
	id: string,
	kind: CardKind,
	text: string,
	who: keyof typeof people,
	details: CardDetails = {}
): Card {
	clock += 1;
	return {
		id,
		step: stepOfKind(kind),
		kind,
		text,
		...people[who],
		createdAt: 1_550_000_000_000 + clock * 1000,
		order: `a${clock.toString(36)}`,
		coAuthors: [],
		mergedInto: null,
		...details
	};
}

/** A fresh copy of the example board (safe to mutate). */
export function kampenWerk(): BoardSnapshot {
	clock = 0;
	const cards: Card[] = [
		card(
			'sit-leerwerk',
			'situation',
			'Leerwerkplaats: 8 jongeren, 2 naar betaald werk, 2 naar een opleiding',
			'anouk'
		),
		card(
			'sit-terugval',
			'situation',
			'Wie net werk heeft, valt vaak terug in de uitkering',
			'bram'
		),
		card(
			'amb-werk',
			'ambition',
			'De beroepsbevolking van Kampen doet mee naar eigen vermogen en voorziet duurzaam in een eigen inkomen',
			'anouk'
		),
		card('amb-iedereen', 'ambition', 'Iedereen in Kampen heeft werk', 'dewi'),
		card(
			'out-terugval',
			'outcome',
			'Over 3 jaar vallen minder inwoners terug in de uitkering',
			'anouk',
			{
				horizonYears: 3,
				outcomeKind: 'inhoudelijk'
			}
		),
		card(
			'out-doorstroom',
			'outcome',
			'Over 3 jaar stromen meer jongeren van de leerwerkplaats door naar werk of opleiding',
			'cor',
			{ horizonYears: 3, outcomeKind: 'inhoudelijk' }
		),
		card(
			'act-maatje',
			'activity',
			'Een maatje helpt wie net werk heeft thuis te regelen: kinderopvang, een rooster met tijd voor boodschappen en papieren',
			'bram',
			{ owners: ['De Kern'], isNew: true, quality: 'Training voor vrijwilligers' }
		),
		card('act-reintegratie', 'activity', 'Re-integratie naar werk', 'anouk', {
			owners: ['Gemeente Kampen'],
			isNew: false
		}),
		card('act-bingo', 'activity', 'Bingomiddag in het buurthuis', 'cor', {
			owners: ['Welzijn Kampen'],
			isNew: false
		}),
		card(
			'ind-terugval',
			'indicator',
			'Aandeel inwoners dat binnen een jaar terugvalt in de uitkering',
			'anouk',
			{
				measureKind: 'tellen',
				instrument: 'Registratie gemeente',
				baseline: '18%',
				target: '12%',
				horizonYears: 3,
				moments: 'nulmeting, jaarlijks',
				owner: 'Gemeente Kampen'
			}
		),
		card(
			'ind-verhalen',
			'indicator',
			'Verhalen van deelnemers over hun eerste jaar aan het werk',
			'bram',
			{
				measureKind: 'vertellen',
				instrument: 'Gesprek met maatje en deelnemer',
				owner: 'De Kern'
			}
		),
		card('well-samen', 'well', 'Gemeente en aanbieders praten over hetzelfde doel', 'cor'),
		card('better-cijfers', 'better', 'We hebben nog geen nulmeting van de doorstroom', 'anouk'),
		card('action-nulmeting', 'action', 'Nulmeting doorstroom leerwerkplaats', 'anouk', {
			owner: 'Gemeente Kampen'
		})
	];
	const links: Link[] = [
		{ id: 'l1', from: 'act-maatje', to: 'out-terugval', authorId: 'p-bram' },
		{ id: 'l2', from: 'act-reintegratie', to: 'out-terugval', authorId: 'p-anouk' },
		{ id: 'l3', from: 'ind-terugval', to: 'out-terugval', authorId: 'p-anouk' },
		{ id: 'l4', from: 'ind-verhalen', to: 'act-maatje', authorId: 'p-bram' }
	];
	const snapshot = emptySnapshot({ schemaVersion: 1, boardId: 'werk.1', themeName: 'Werk' });
	snapshot.cards = cards;
	snapshot.links = links;
	snapshot.control.agreed = ['amb-werk'];
	snapshot.control.priorityOrder = ['out-terugval', 'out-doorstroom'];
	snapshot.control.currentStep = 'reflection';
	return snapshot;
}
