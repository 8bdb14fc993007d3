/**
 * The Kompas realtime server as a process of its own (helpers/serve.ts), for tests about what
 * happens to a process: SIGKILL, SIGTERM, a start on existing data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
	child: ChildProcess;
	port: number;
	/** With KOMPAS_PROCESSES: the children's process ids, by index (serve.ts). */
	pids?: number[];
	/** Resolves with the exit code and signal once the process is gone. */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `tests/server/helpers/serve.ts` on `dataDir` and resolves once it listens.
 * `nodeOptions` are flags for that Node (e.g. a small young generation for frequent GCs).
 * @throws (rejects) when the process exits before it listens.
 */
export function spawnServer(
	dataDir: string,
	port = 0,
	env: Record<string, string> = {},
	nodeOptions: string[] = []
): Promise<ServerProcess> {
	const child = spawn(
		process.execPath,
		[...nodeOptions, '--import', 'tsx', 'tests/server/helpers/serve.ts'],
		{
			env: { ...process.env, ...env, KOMPAS_DATA_DIR: dataDir, PORT: String(port) },
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	return new Promise((resolve, reject) => {
		void exited.then(({ code, signal }) =>
			reject(new Error(`server exited with ${code ?? signal} before it listened`))
		);
		createInterface({ input: child.stdout! }).once('line', (line) => {
			const { port, pids } = JSON.parse(line) as { port: number; pids?: number[] };
			resolve({ child, port, pids, exited });
		});
	});
}
