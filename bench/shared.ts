/** Types and helpers shared by the benchmark's orchestrator, servers and load generator. */

/** What a bench server prints on stdout (one JSON line) once it listens. */
export interface ServerReady {
	port: number;
	/** Cookie header of a facilitator (empty for the reference server, which has no auth). */
	cookie: string;
	/** Board ids the server knows (Kompas: real themes of a seeded trajectory). */
	boards: string[];
}

/** `GET /bench/stats` on a bench server: after a forced GC. */
export interface ServerStats {
	heapUsedMb: number;
	rssMb: number;
	cpuUserMs: number;
	cpuSystemMs: number;
	/** Documents held in memory. */
	loadedDocs: number;
}

/** The server's own numbers after a forced GC (run with --expose-gc), for `GET /bench/stats`. */
export function serverStats(loadedDocs: number): ServerStats {
	(globalThis as { gc?: () => void }).gc?.();
	const memory = process.memoryUsage();
	const cpu = process.cpuUsage();
	return {
		heapUsedMb: memory.heapUsed / 2 ** 20,
		rssMb: memory.rss / 2 ** 20,
		cpuUserMs: cpu.user / 1000,
		cpuSystemMs: cpu.system / 1000,
		loadedDocs
	};
}

export type Scenario =
	| {
			kind: 'fanout';
			boards: number;
			clientsPerBoard: number;
			writersPerBoard: number;
			updatesPerSecond: number;
			durationMs: number;
	  }
	| { kind: 'join'; cards: number; joins: number }
	| { kind: 'memory'; boards: number; cardsPerBoard: number; unloadWaitMs: number };

export interface LoadConfig {
	wsUrl: string;
	origin: string;
	cookie: string;
	statsUrl: string;
	/** The room path prefix: Kompas and the reference both serve `/ws/board/<id>`. */
	boards: string[];
	scenario: Scenario;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)];
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
