/**
 * Admin command line for self-hosters: `npm run kompas -- <command> [options]`.
 * Works on the database under KOMPAS_DATA_DIR (./data), also while the server runs (SQLite WAL).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { configFromEnv, createAppContext, type AppContext } from '../src/lib/server/context.ts';
import { checkNewAccount, createAccount, hashPassword } from '../src/lib/server/auth/index.ts';
import { checkNewPassword } from '../src/lib/server/auth/passwords.ts';
import { seedKampenDemo } from '../src/lib/server/demo.ts';
import { migrateToPostgres } from '../src/lib/server/migrate-to-postgres.ts';

const USAGE = `Gebruik: npm run kompas -- <opdracht> [opties]

Opdrachten:
  create-facilitator --email E --name N [--password P]   Maakt een account voor een procesbegeleider.
  reset-password --email E [--password P]                Zet een nieuw wachtwoord en logt overal uit.
  seed-demo                                              Maakt het Kampen-voorbeeld (traject met 4 thema's).
  list-trajectories                                      Toont alle trajecten.
  migrate-to-postgres [--to postgres://…]                Kopieert alles naar een lege PostgreSQL-database
                                                         (standaard KOMPAS_DATABASE_URL) en controleert het.

Opties:
  --json   Schrijf het resultaat als één JSON-object.
Zonder --password wordt een sterk wachtwoord gemaakt en getoond.`;

class CliError extends Error {}

const generatePassword = () => randomBytes(12).toString('base64url');

type Result = { text: string; json: Record<string, unknown> };
type Values = { email?: string; name?: string; password?: string };

async function createFacilitator(app: AppContext, v: Values): Promise<Result> {
	const password = v.password ?? generatePassword();
	const input = { email: v.email ?? '', name: v.name ?? '', password };
	const problems = await checkNewAccount(app, input);
	if (Object.keys(problems).length)
		throw new CliError(
			`Kan het account niet maken: ${Object.entries(problems)
				.map(([field, problem]) => `${field}: ${problem?.code}`)
				.join(', ')}`
		);
	const user = await createAccount(app, { ...input, kind: 'facilitator' });
	return {
		text: `Account gemaakt voor ${user.name} <${user.email}>\nWachtwoord: ${password}`,
		json: { userId: user.id, email: user.email, name: user.name, password }
	};
}

async function resetPassword(app: AppContext, v: Values): Promise<Result> {
	const user = v.email ? await app.users.byEmail(v.email) : null;
	if (!user) throw new CliError(`Geen account gevonden voor "${v.email ?? ''}".`);
	const password = v.password ?? generatePassword();
	const problem = checkNewPassword(password);
	if (problem) throw new CliError(`Wachtwoord niet geschikt: ${problem}`);
	await app.users.setPassword(user.id, await hashPassword(password));
	await app.sessions.invalidateAll(user.id);
	return {
		text: `Nieuw wachtwoord voor ${user.email}: ${password}\nAlle sessies van dit account zijn beëindigd.`,
		json: { userId: user.id, email: user.email, password }
	};
}

async function seedDemo(app: AppContext): Promise<Result> {
	const { user, password, trajectory } = await seedKampenDemo(app, generatePassword());
	const themes = Object.fromEntries(trajectory.themes.map((t) => [t.name, t.id]));
	return {
		text: [
			`Demo-traject gemaakt: ${trajectory.title} (${trajectory.municipality})`,
			`Procesbegeleider: ${user.email}`,
			`Wachtwoord: ${password}`,
			`Traject-id: ${trajectory.id}`,
			...trajectory.themes.map((t) => `Thema ${t.name}: ${t.id}`)
		].join('\n'),
		json: {
			email: user.email,
			password,
			trajectoryId: trajectory.id,
			themes
		}
	};
}

async function listTrajectories(app: AppContext): Promise<Result> {
	const all = await app.trajectories.listAll();
	return {
		text: all.length
			? all
					.map(
						(t) =>
							`${t.id}  ${t.municipality} – ${t.title}  (${t.themeCount} thema's, ${t.memberCount} leden${t.archivedAt ? ', gearchiveerd' : ''})`
					)
					.join('\n')
			: 'Nog geen trajecten.',
		json: {
			trajectories: all.map((t) => ({
				id: t.id,
				municipality: t.municipality,
				title: t.title,
				themeCount: t.themeCount,
				memberCount: t.memberCount,
				archived: t.archivedAt !== null
			}))
		}
	};
}

async function main(argv: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			email: { type: 'string' },
			name: { type: 'string' },
			password: { type: 'string' },
			to: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const [command] = positionals;
	if (!command || values.help) {
		console.log(USAGE);
		return command || values.help ? 0 : 1;
	}
	if (command === 'migrate-to-postgres') {
		// Works on the SQLite file itself, not through the app's repositories.
		const { code, text, json } = await migrateToPostgres(configFromEnv().dataDir, {
			to: values.to ?? process.env.KOMPAS_DATABASE_URL,
			json: values.json
		});
		if (values.json) console.log(JSON.stringify(json));
		else if (code === 0) console.log(text);
		else console.error(text);
		return code;
	}
	const app = await createAppContext(configFromEnv());
	try {
		let result: Result;
		switch (command) {
			case 'create-facilitator':
				result = await createFacilitator(app, values);
				break;
			case 'reset-password':
				result = await resetPassword(app, values);
				break;
			case 'seed-demo':
				result = await seedDemo(app);
				break;
			case 'list-trajectories':
				result = await listTrajectories(app);
				break;
			default:
				throw new CliError(`Onbekende opdracht "${command}".\n\n${USAGE}`);
		}
		console.log(values.json ? JSON.stringify(result.json) : result.text);
		return 0;
	} catch (error) {
		if (!(error instanceof CliError)) throw error;
		if (values.json) console.log(JSON.stringify({ error: error.message }));
		else console.error(error.message);
		return 1;
	} finally {
		await app.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
