// Starts the built production server for Playwright with a fresh, empty data folder.
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

const dataDir = process.env.KOMPAS_DATA_DIR;
if (!dataDir) throw new Error('KOMPAS_DATA_DIR must be set for the e2e server');
rmSync(dataDir, { recursive: true, force: true });

const child = spawn('npx', ['tsx', 'server/index.ts'], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
