import { createAccount, hashPassword } from './auth/index.ts';
import type { AppContext } from './context.ts';
import type { TrajectoryInput } from './trajectories.ts';
import type { TermInput } from './glossary.ts';

/**
 * The Kampen example of the Kwaliteitskompas: four themes and the three parties that
 * formulated the shared ambitions. Used by `npm run kompas -- seed-demo` and by tests.
 */
export const KAMPEN_DEMO = {
	facilitator: { email: 'begeleider@kampen.example', name: 'Karin Demo' },
	trajectory: {
		municipality: 'Gemeente Kampen',
		title: 'Sociaal domein Kampen: samen werken aan outcome',
		description:
			'Per thema stellen gemeente, De Kern en Welzijn Kampen samen één ambitie vast, vertalen die met professionals naar maatschappelijke resultaten en koppelen er activiteiten aan.',
		partners: [
			{ name: 'Gemeente Kampen', perspective: 'gemeente' },
			{ name: 'De Kern', perspective: 'aanbieder' },
			{ name: 'Welzijn Kampen', perspective: 'aanbieder' }
		],
		themes: ['jong', 'werk', 'meedoen', 'vitaal']
	} satisfies TrajectoryInput & { themes: string[] },
	/**
	 * "Eenheid van taal" in Kampen (the method's shared language): to the municipality "preventie" meant a saving,
	 * to social work less loneliness; the bingo afternoon served both, so: goal or means?
	 */
	glossary: [
		{
			term: 'preventie',
			definition: '',
			status: 'open',
			readings: [
				{
					perspective: 'gemeente',
					text: 'Een dure voorziening later voorkomen: een besparing op de kosten.',
					authorName: 'Gemeente Kampen'
				},
				{
					perspective: 'aanbieder',
					text: 'Voorkomen dat mensen eenzaam worden.',
					authorName: 'De Kern'
				}
			]
		},
		{
			term: 'bingo',
			definition: '',
			note: 'Doel of middel?',
			status: 'open',
			readings: [
				{
					perspective: 'gemeente',
					text: 'Een middel: ontmoeting die later dure zorg voorkomt.',
					authorName: 'Gemeente Kampen'
				},
				{
					perspective: 'aanbieder',
					text: 'Een doel op zich: een middag waarop mensen niet alleen zijn.',
					authorName: 'Welzijn Kampen'
				}
			]
		}
	] satisfies TermInput[]
};

/**
 * Creates the Kampen demo trajectory with its facilitator (made once; a later call gives that
 * account `password` and adds another trajectory). Used by `npm run kompas -- seed-demo` and tests.
 */
export async function seedKampenDemo(app: AppContext, password: string) {
	const demo = KAMPEN_DEMO;
	let user = await app.users.byEmail(demo.facilitator.email);
	if (user) await app.users.setPassword(user.id, await hashPassword(password));
	else user = await createAccount(app, { ...demo.facilitator, password, kind: 'facilitator' });
	const trajectory = await app.trajectories.create(user.id, demo.trajectory);
	for (const term of demo.glossary) await app.trajectories.glossary.add(trajectory.id, term);
	return { user, password, trajectory };
}
