/**
 * A database as an installation has it after use: the Kampen demo (what `seed-demo` makes), the
 * finished Kampen "werk" trajectory imported with its boards full of cards, and a busy board of
 * 300 cards on the demo's first theme. For tests that start Kompas on existing data
 * (tests/server/populated-start.spec.ts and `npm run test:node`).
 *
 * As a script, `tsx tests/server/helpers/populate.ts <dataDir>` populates that folder's database
 * and prints the result as one line of JSON.
 */
import { pathToFileURL } from 'node:url';
import { addCard, createBoardDoc, readCards } from '../../../src/lib/board/schema/index.ts';
import { CARD_KINDS } from '../../../src/lib/domain/cards.ts';
import { boardIdOf } from '../../../src/lib/server/boards.ts';
import { createAppContext, type AppContext } from '../../../src/lib/server/context.ts';
import { seedKampenDemo } from '../../../src/lib/server/demo.ts';
import { kampenWerkReport } from '../../../src/lib/server/export/fixtures.ts';
import { importReport } from '../../../src/lib/server/import.ts';

export interface Populated {
	/** The demo facilitator's login. */
	email: string;
	password: string;
	/** Boards with content, and how many cards each holds. */
	boards: { boardId: string; cards: number }[];
}

export const BUSY_BOARD_CARDS = 300;

export async function populate(app: AppContext): Promise<Populated> {
	const { user, password, trajectory } = await seedKampenDemo(app, 'een lang demo wachtwoord');

	const werk = await app.trajectories.get(await importReport(app, user.id, kampenWerkReport()));
	if (!werk) throw new Error('the imported trajectory is missing');

	const theme = trajectory.themes[0];
	const busyId = boardIdOf(theme.id, 1);
	const busy = createBoardDoc({ boardId: busyId, themeName: theme.name });
	for (let i = 0; i < BUSY_BOARD_CARDS; i++)
		addCard(busy, {
			kind: CARD_KINDS[i % CARD_KINDS.length],
			text: `Kaart ${i + 1}: wat we samen willen bereiken voor de inwoners van Kampen`,
			author: { id: `p${i % 30}`, name: `Deelnemer ${i % 30}`, perspective: 'inwoner' }
		});
	await app.boards.write(busyId, busy);

	const boards = [
		{ boardId: busyId, cards: readCards(busy).length },
		...(await Promise.all(
			werk.themes.map(async (t) => ({
				boardId: boardIdOf(t.id, 1),
				cards: (await app.boards.snapshot(boardIdOf(t.id, 1), t.name)).cards.length
			}))
		))
	];
	return { email: user.email, password, boards };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const dataDir = process.argv[2];
	if (!dataDir) throw new Error('usage: tsx tests/server/helpers/populate.ts <dataDir>');
	const app = await createAppContext({ dataDir, secureCookies: false, origin: null });
	try {
		console.log(JSON.stringify(await populate(app)));
	} finally {
		await app.close();
	}
}
