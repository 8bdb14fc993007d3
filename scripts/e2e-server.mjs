// Starts the built production server for Playwright with a fresh data folder: empty, or with
// E2E_POPULATE=1 a populated one (the Kampen demo, an imported trajectory and a board of 300 cards,
// see tests/server/helpers/populate.ts), as `npm run test:node` uses to start on existing data.
import { rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';

const dataDir = process.env.KOMPAS_DATA_DIR;
if (!dataDir) throw new Error('KOMPAS_DATA_DIR must be set for the e2e server');
rmSync(dataDir, { recursive: true, force: true });

if (process.env.E2E_POPULATE === '1') {
	const seeded = spawnSync('npx', ['tsx', 'tests/server/helpers/populate.ts', dataDir], {
		stdio: ['ignore', 'inherit', 'inherit']
	});
	if (seeded.status !== 0) process.exit(seeded.status ?? 1);
}

const child = spawn('npx', ['tsx', 'server/index.ts'], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
