/** Types and helpers shared by the benchmark's orchestrator, servers and load generator. */
import { readFileSync } from 'node:fs';
import {
	constants,
	monitorEventLoopDelay,
	PerformanceObserver,
	type IntervalHistogram
} from 'node:perf_hooks';

/** What a bench server prints on stdout (one JSON line) once it listens. */
export interface ServerReady {
	port: number;
	/** Cookie header of a facilitator (empty for the reference server, which has no auth). */
	cookie: string;
	/** Board ids the server knows (Kompas: real themes of a seeded trajectory). */
	boards: string[];
	/**
	 * Live sessions participants join by code, one per board of `boards` (Kompas). Absent for the
	 * reference server: there everyone simply connects.
	 */
	sessions?: { boardId: string; joinCode: string }[];
	/** At least 1,000 board ids for the churn scenario (Kompas: themes of ten trajectories). */
	churnBoards: string[];
}

/** `GET /bench/stats` on a bench server: after a forced GC unless `?gc=0`. */
export interface ServerStats {
	heapUsedMb: number;
	/** The V8 heap's committed size: pages it holds whether used or not. */
	heapTotalMb: number;
	rssMb: number;
	/** Memory outside the V8 heap held by ArrayBuffers (Yjs updates, socket buffers). */
	arrayBuffersMb: number;
	externalMb: number;
	cpuUserMs: number;
	cpuSystemMs: number;
	/** Documents held in memory. */
	loadedDocs: number;
	/** Write system calls of the process so far (Linux `/proc/self/io` syscw: socket writes, mostly). */
	writeCalls: number | null;
	/** The main thread's time on a CPU and waiting for one so far (ms; Linux only, else null). */
	mainThread: MainThreadTimes | null;
	/**
	 * The server's own event-loop delay since the last `loop=reset` (ms beyond the 10 ms sampling
	 * interval): whether a latency was spent waiting in the server's loop or elsewhere.
	 */
	loopDelayP99Ms: number;
	loopDelayMaxMs: number;
	/**
	 * Garbage collection since the last `loop=reset`: its longest pause, the longest full
	 * (mark-compact) one, and all pauses together (ms): whether a stall was the collector's.
	 */
	gcMaxMs: number;
	gcMajorMaxMs: number;
	gcTotalMs: number;
}

/** Write system calls of this process so far (Linux only; null elsewhere). */
function writeCalls(): number | null {
	try {
		const match = /^syscw: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
		return match ? Number(match[1]) : null;
	} catch {
		return null;
	}
}

export interface MainThreadTimes {
	runMs: number;
	/** Runnable but waiting for a CPU (another process or thread held both cores). */
	waitMs: number;
}

/**
 * The main thread's scheduler times (Linux `/proc/self/task/<pid>/schedstat`): whether a stall of
 * the event loop was work, or the thread waiting for a core that the machine gave to someone else.
 */
export function mainThreadTimes(): MainThreadTimes | null {
	try {
		const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8')
			.trim()
			.split(/\s+/)
			.map(Number);
		return { runMs: run / 1e6, waitMs: wait / 1e6 };
	} catch {
		return null;
	}
}

/** The server's event-loop delay and collector pauses, watched from the first stats request. */
let watching: { loop: IntervalHistogram; gc: GcWatch } | null = null;

/** Garbage-collection pauses of this process: the longest, the longest full one, and the sum (ms). */
export interface GcPauses {
	gcMaxMs: number;
	gcMajorMaxMs: number;
	gcTotalMs: number;
}

export type GcWatch = ReturnType<typeof watchGc>;

/** Watches this process's garbage-collection pauses from now; `take` reads them and starts over. */
export function watchGc() {
	let pauses: GcPauses = { gcMaxMs: 0, gcMajorMaxMs: 0, gcTotalMs: 0 };
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			pauses.gcTotalMs += entry.duration;
			pauses.gcMaxMs = Math.max(pauses.gcMaxMs, entry.duration);
			const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
			if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
				pauses.gcMajorMaxMs = Math.max(pauses.gcMajorMaxMs, entry.duration);
		}
	});
	observer.observe({ entryTypes: ['gc'] });
	return {
		take(reset = true): GcPauses {
			const taken = {
				gcMaxMs: round(pauses.gcMaxMs, 1),
				gcMajorMaxMs: round(pauses.gcMajorMaxMs, 1),
				gcTotalMs: round(pauses.gcTotalMs, 1)
			};
			if (reset) pauses = { gcMaxMs: 0, gcMajorMaxMs: 0, gcTotalMs: 0 };
			return taken;
		},
		stop: () => observer.disconnect()
	};
}

/**
 * The server's own numbers, after a forced GC unless `force` is false (run with --expose-gc).
 * `resetLoop` starts the event-loop delay over (after reading it), for a period that starts now.
 */
export function serverStats(loadedDocs: number, force = true, resetLoop = false): ServerStats {
	if (!watching) {
		watching = { loop: monitorEventLoopDelay({ resolution: 10 }), gc: watchGc() };
		watching.loop.enable();
	}
	const { loop, gc } = watching;
	// The histogram holds whole sampling intervals: the lag is what exceeds the resolution.
	const lag = (ns: number) => round(Math.max(0, ns / 1e6 - 10), 1);
	const loopDelayP99Ms = lag(loop.percentile(99));
	const loopDelayMaxMs = lag(loop.max);
	const collected = gc.take(resetLoop);
	if (resetLoop) loop.reset();
	if (force) (globalThis as { gc?: () => void }).gc?.();
	const memory = process.memoryUsage();
	const cpu = process.cpuUsage();
	return {
		heapUsedMb: memory.heapUsed / 2 ** 20,
		heapTotalMb: memory.heapTotal / 2 ** 20,
		rssMb: memory.rss / 2 ** 20,
		arrayBuffersMb: memory.arrayBuffers / 2 ** 20,
		externalMb: memory.external / 2 ** 20,
		cpuUserMs: cpu.user / 1000,
		cpuSystemMs: cpu.system / 1000,
		loadedDocs,
		writeCalls: writeCalls(),
		mainThread: mainThreadTimes(),
		loopDelayP99Ms,
		loopDelayMaxMs,
		...collected
	};
}

/**
 * A stats request: `/bench/stats`, with `?gc=0` to skip the forced GC and `loop=reset` to start the
 * event-loop delay over; null for any other path.
 */
export function statsPath(url: string | undefined) {
	if (!url) return null;
	const parsed = new URL(url, 'http://bench');
	if (parsed.pathname !== '/bench/stats') return null;
	return {
		gc: parsed.searchParams.get('gc') !== '0',
		resetLoop: parsed.searchParams.get('loop') === 'reset'
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
	| {
			/**
			 * Participants as on a workshop day: each joins through the join flow (Kompas: the join
			 * form with the session's code, then the cookie), holds a board socket and a private socket,
			 * edits its own card every `editEveryMs` and moves its cursor (presence) every `moveEveryMs`
			 * (0: never).
			 */
			kind: 'participants';
			boards: number;
			participantsPerBoard: number;
			editEveryMs: number;
			moveEveryMs: number;
			durationMs: number;
	  }
	| { kind: 'join'; cards: number; joins: number }
	| { kind: 'memory'; boards: number; cardsPerBoard: number; unloadWaitMs: number }
	| {
			/**
			 * Boards that come and go: `boards` boards, `concurrent` at a time, each opened by
			 * `clientsPerBoard` clients that write `cardsPerBoard` cards, then closed. Server RSS is read
			 * before, right after, `settleMs` later without a forced GC, and then with one.
			 */
			kind: 'churn';
			boards: number;
			concurrent: number;
			clientsPerBoard: number;
			cardsPerBoard: number;
			settleMs: number;
	  };

export interface LoadConfig {
	/** The server's base URL, `http://127.0.0.1:<port>`. */
	base: string;
	wsUrl: string;
	origin: string;
	cookie: string;
	statsUrl: string;
	/** The room path prefix: Kompas and the reference both serve `/ws/board/<id>`. */
	boards: string[];
	sessions?: ServerReady['sessions'];
	churnBoards: string[];
	/** Several nodes (issue 12): their addresses, and which participant goes to which. */
	nodes?: { placement: Placement; urls: { base: string; wsUrl: string; statsUrl: string }[] };
	scenario: Scenario;
}

/**
 * How participants are spread over several nodes: `spread` sends a board's people to every node
 * (participant n to node n mod N: each update crosses the bus); `by-board` keeps a board on one node
 * (board b on node b mod N), as a balancer hashing the board id in the path does; `hash` keeps it
 * on the process its id hashes to, as the primary of KOMPAS_PROCESSES does (server/processes.ts).
 */
export type Placement = 'spread' | 'by-board' | 'hash';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)];
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
