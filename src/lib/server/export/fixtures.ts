/**
 * A finished Kampen "werk" trajectory (the worked example of the Kwaliteitskompas for Kampen), for tests and demos.
 * Paraphrased public example; organisations are real Kampen parties, people and figures are invented.
 */
import type { TrajectoryReport } from './report.ts';

const RELAPSE = 'Over 3 jaar vallen minder inwoners die aan het werk gaan terug in de uitkering';
const YOUTH =
	'Over 3 jaar hebben meer jongeren zonder startkwalificatie betaald werk of volgen ze een opleiding';
const TOGETHER =
	'Over 2 jaar werken gemeente, De Kern en Welzijn Kampen met één gezamenlijk plan per inwoner';
const KNOW_WHERE = 'Inwoners weten waar ze terechtkunnen met vragen over werk en geld';

const REINTEGRATION = 'Re-integratietraject van de gemeente naar betaald werk';
const BUDDY =
	'Een vrijwilliger of maatje van De Kern helpt wie net aan het werk gaat om het thuis te regelen: opvang voor de kinderen en een weekrooster met tijd voor boodschappen en papierwerk';
const WORKPLACE = 'Leerwerkplaats voor jongeren';
const CONSULT = 'Maandelijks casusoverleg van werkconsulenten en sociaal werkers';

/** A fresh copy each call, so tests may change it freely. */
export function kampenWerkReport(): TrajectoryReport {
	return {
		municipality: 'Kampen',
		title: 'Kwaliteitskompas sociaal domein Kampen',
		description:
			'Gemeente, aanbieders, professionals en inwoners spreken per thema af wat ze willen bereiken, wat ze daarvoor doen en hoe ze zien of het werkt.',
		date: '2026-03-12',
		organisations: [
			{ name: 'Gemeente Kampen', perspective: 'gemeente' },
			{ name: 'De Kern', perspective: 'aanbieder' },
			{ name: 'Welzijn Kampen', perspective: 'aanbieder' },
			{ name: 'Adviesraad Sociaal Domein', perspective: 'inwoner' }
		],
		people: [
			{ name: 'Anne de Vries', organisation: 'Gemeente Kampen', perspective: 'gemeente' },
			{ name: 'Youssef El Amrani', organisation: 'De Kern', perspective: 'professional' },
			{ name: 'Marieke Bosch', organisation: 'Welzijn Kampen', perspective: 'aanbieder' },
			{ name: 'Henk Jansen', organisation: 'Adviesraad Sociaal Domein', perspective: 'inwoner' }
		],
		glossary: [
			{
				term: 'Terugval',
				definition:
					'Een inwoner die binnen 12 maanden nadat hij of zij aan het werk ging, weer een uitkering krijgt.'
			},
			{
				term: 'Naar vermogen',
				definition: 'Zoveel als iemand kan, met de steun die daarbij nodig is.'
			},
			{
				term: 'Preventie',
				definition:
					'Voorkomen dat problemen groter worden. Voor dit thema: voorkomen dat iemand die net werkt, uitvalt.',
				status: 'agreed',
				note: '',
				readings: [
					{
						perspective: 'gemeente',
						text: 'Een dure voorziening later voorkomen: een besparing op de kosten.'
					},
					{ perspective: 'aanbieder', text: 'Voorkomen dat mensen eenzaam worden.' }
				]
			},
			{
				term: 'Bingo',
				definition: '',
				status: 'open',
				note: 'Doel of middel?',
				readings: [
					{ perspective: 'gemeente', text: 'Een middel: ontmoeting die later dure zorg voorkomt.' },
					{
						perspective: 'aanbieder',
						text: 'Een doel op zich: een middag waarop mensen niet alleen zijn.'
					}
				]
			}
		],
		themes: [
			{
				name: 'Werk',
				cycle: 1,
				ambition:
					'De beroepsbevolking van Kampen doet naar vermogen mee en voorziet duurzaam in een eigen inkomen',
				situation: [
					'De leerwerkplaats nam 8 jongeren op: 2 vonden betaald werk en 2 gingen naar een vervolgopleiding.',
					'Signaal van werkconsulenten: wie net aan het werk gaat, loopt vaak vast op opvang, rooster en papierwerk.'
				],
				outcomes: [
					{
						text: RELAPSE,
						horizonYears: 3,
						outcomeKind: 'inhoudelijk',
						votesTotal: 18,
						votesByPerspective: {
							gemeente: 4,
							aanbieder: 5,
							professional: 6,
							inwoner: 3,
							anders: 0
						},
						agreed: true
					},
					{
						text: YOUTH,
						horizonYears: 3,
						outcomeKind: 'inhoudelijk',
						votesTotal: 13,
						votesByPerspective: {
							gemeente: 5,
							aanbieder: 2,
							professional: 3,
							inwoner: 2,
							anders: 1
						},
						agreed: true
					},
					{
						text: TOGETHER,
						horizonYears: 2,
						outcomeKind: 'proces',
						votesTotal: 9,
						votesByPerspective: {
							gemeente: 2,
							aanbieder: 3,
							professional: 4,
							inwoner: 0,
							anders: 0
						},
						agreed: true
					},
					{
						text: KNOW_WHERE,
						horizonYears: null,
						outcomeKind: 'randvoorwaardelijk',
						votesTotal: 4,
						votesByPerspective: {
							gemeente: 0,
							aanbieder: 1,
							professional: 0,
							inwoner: 3,
							anders: 0
						},
						agreed: false
					}
				],
				activities: [
					{
						text: REINTEGRATION,
						owners: ['Gemeente Kampen'],
						servesOutcomes: [RELAPSE, YOUTH],
						isNew: false,
						quality: []
					},
					{
						text: BUDDY,
						owners: ['De Kern'],
						servesOutcomes: [RELAPSE],
						isNew: true,
						quality: ['Training voor maatjes', 'Intervisie elke 6 weken']
					},
					{
						text: WORKPLACE,
						owners: ['Gemeente Kampen', 'Welzijn Kampen'],
						servesOutcomes: [YOUTH],
						isNew: false,
						quality: ['Werkmeesters met een erkende leermeesteropleiding']
					},
					{
						text: CONSULT,
						owners: ['Gemeente Kampen', 'De Kern', 'Welzijn Kampen'],
						servesOutcomes: [TOGETHER],
						isNew: true,
						quality: []
					}
				],
				indicators: [
					{
						name: 'Aandeel inwoners dat binnen 12 maanden na werkaanvaarding terugvalt in de uitkering',
						measureKind: 'tellen',
						instrument: 'Uitkeringsregistratie gemeente',
						baseline: '28% (2025)',
						target: '20%',
						horizonYears: 3,
						moments: ['Nulmeting januari 2026', 'Jaarlijks in januari'],
						owner: 'Gemeente Kampen',
						linkedTo: RELAPSE,
						level: 'community'
					},
					{
						name: 'Deelnemers met een maatje die na 6 maanden nog werken',
						measureKind: 'tellen',
						instrument: 'Registratie De Kern',
						baseline: '',
						target: '70%',
						horizonYears: 2,
						moments: ['Elk half jaar'],
						owner: 'De Kern',
						linkedTo: BUDDY,
						level: 'service'
					},
					{
						name: 'Ervaringen van deelnemers met hun maatje',
						measureKind: 'vertellen',
						instrument: 'Verhalen uit gesprekken (Wat telt)',
						baseline: 'Nog niet opgehaald',
						target: 'Deelnemers vertellen dat werk en thuis samen te doen zijn',
						horizonYears: 2,
						moments: ['Elk half jaar', 'Week van het meten'],
						owner: 'De Kern',
						linkedTo: BUDDY,
						level: 'service'
					},
					{
						name: 'Jongeren van de leerwerkplaats met betaald werk of een vervolgopleiding',
						measureKind: 'tellen',
						instrument: 'Registratie leerwerkplaats',
						baseline: '4 van 8 (2019)',
						target: '6 van 8 per groep',
						horizonYears: 3,
						moments: ['Na elke groep'],
						owner: 'Welzijn Kampen',
						linkedTo: WORKPLACE,
						level: 'service'
					}
				],
				reflection: {
					well: ['Gemeente en aanbieders bedoelen hetzelfde met "terugval".'],
					better: ['Cijfers over terugval komen pas laat beschikbaar.'],
					actions: [
						{
							text: 'Elk kwartaal de cijfers over terugval delen met De Kern en Welzijn Kampen',
							owner: 'Gemeente Kampen'
						},
						{ text: 'Nieuwe maatjes werven onder oud-deelnemers', owner: 'De Kern' }
					]
				},
				openChecks: [
					'De indicator "Deelnemers met een maatje die na 6 maanden nog werken" heeft geen nulmeting.',
					`Het resultaat "${KNOW_WHERE}" is nog niet vastgesteld en heeft geen indicator.`
				]
			}
		]
	};
}
