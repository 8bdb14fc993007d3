/**
 * The load generator: a separate process of real `WebsocketProvider`s (y-websocket v3,
 * `WebSocketPolyfill: ws`, `disableBc: true`). Runs one scenario against one server and prints one
 * JSON line of results, including its own CPU and event-loop delay: when those are high, the
 * generator (not the server) limits the latency figures (run.ts marks such points).
 * Facilitator scenarios (fanout, join, memory, churn) send no presence. The participants scenario
 * joins through the join flow and plays each phone as a thin client (thin-client.ts: the same
 * protocol on the wire, but no whole document per phone), so that 3,000 of them fit in this process
 * and the figures are the server's.
 * Usage: `node --import tsx bench/load.ts '<LoadConfig JSON>'`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { unflatten } from 'devalue';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { processFor } from '../server/processes.ts';
import { addCard, updateCard } from '../src/lib/board/schema/index.ts';
import {
	mainThreadTimes,
	watchGc,
	percentile,
	round,
	type LoadConfig,
	type MainThreadTimes,
	type ServerStats
} from './shared.ts';
import { clock, ThinClient, type Seen } from './thin-client.ts';

const config = JSON.parse(process.argv[2]) as LoadConfig;
// Every provider adds a process 'exit' listener (y-websocket): a thousand of them is expected here.
process.setMaxListeners(0);

/** A `ws` WebSocket class that sends `cookie` and the server's origin (browsers do both). */
const socketWith = (cookie: string) =>
	class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin: config.origin } });
		}
	};
const Socket = socketWith(config.cookie);

interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
}

/** A client of `room` (`board/<id>` or `private/<id>/<participant>`), without presence by default. */
function connect(
	board: string,
	options: { room?: string; socket?: typeof Socket; presence?: boolean } = {}
): Client {
	const doc = new Y.Doc();
	const awareness = new Awareness(doc);
	if (!options.presence) awareness.setLocalState(null);
	const provider = new WebsocketProvider(config.wsUrl, options.room ?? `board/${board}`, doc, {
		WebSocketPolyfill: (options.socket ?? Socket) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		awareness
	});
	return { doc, provider };
}

/** The load process's own CPU and event-loop delay over a measured period. */
function selfMonitor() {
	const cpuBefore = process.cpuUsage();
	const threadBefore = mainThreadTimes();
	const gc = watchGc();
	const started = performance.now();
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();
	return () => {
		delay.disable();
		const pauses = gc.take();
		gc.stop();
		const cpu = process.cpuUsage(cpuBefore);
		const elapsed = performance.now() - started;
		const thread = mainThreadTimes();
		return {
			// Share of the period the main thread was runnable but had no core.
			loadWaitPct: threadPct(threadBefore, thread, 'waitMs', elapsed),
			loadCpuPct: round(((cpu.user + cpu.system) / 1000 / elapsed) * 100, 1),
			// The histogram holds whole sampling intervals: the lag is what exceeds the resolution.
			loadLoopDelayP99Ms: round(Math.max(0, delay.percentile(99) / 1e6 - 10), 1),
			loadLoopDelayMaxMs: round(Math.max(0, delay.max / 1e6 - 10), 1),
			// The generator's own longest collector pause (a stall of its loop delays what it reads).
			loadGcMaxMs: pauses.gcMaxMs
		};
	};
}

const synced = (client: Client, timeoutMs = 60_000) =>
	new Promise<void>((resolve, reject) => {
		if (client.provider.synced) return resolve();
		const timer = setTimeout(() => reject(new Error('sync timeout')), timeoutMs);
		client.provider.on('sync', (done: boolean) => {
			if (!done) return;
			clearTimeout(timer);
			resolve();
		});
	});

/** Connects clients in batches (a burst of 1,000 handshakes measures the OS, not the server). */
async function connectAll(boards: string[], perBoard: number): Promise<Client[][]> {
	const groups: Client[][] = boards.map(() => []);
	const all: [number, string][] = [];
	for (let b = 0; b < boards.length; b++)
		for (let i = 0; i < perBoard; i++) all.push([b, boards[b]]);
	for (let i = 0; i < all.length; i += 50) {
		const batch = all.slice(i, i + 50).map(([b, board]) => {
			const client = connect(board);
			groups[b].push(client);
			return client;
		});
		await Promise.all(batch.map((c) => synced(c)));
	}
	return groups;
}

/** The server's numbers; `gc: false` reads them without forcing a garbage collection. */
const stats = async (gc = true): Promise<ServerStats> =>
	(await (
		await fetchRetrying(gc ? config.statsUrl : `${config.statsUrl}?gc=0`, {})
	).json()) as ServerStats;
/**
 * The numbers of every node (one entry on one node), without a forced GC; `resetLoop` starts each
 * node's event-loop delay over for a measured period.
 */
const nodeStats = (resetLoop = false): Promise<ServerStats[]> =>
	Promise.all(
		(config.nodes?.urls.map((u) => u.statsUrl) ?? [config.statsUrl]).map(
			async (url) =>
				(await (
					await fetchRetrying(`${url}?gc=0${resetLoop ? '&loop=reset' : ''}`, {})
				).json()) as ServerStats
		)
	);
/** Write system calls per second of all nodes between two readings (null where not counted). */
function writesPerSecond(before: ServerStats[], after: ServerStats[], elapsedMs: number) {
	let calls = 0;
	for (const [i, node] of after.entries()) {
		const start = before[i]?.writeCalls;
		if (node.writeCalls == null || start == null) return null;
		calls += node.writeCalls - start;
	}
	return round((calls / elapsedMs) * 1000, 0);
}

/** A main-thread time between two readings, as a share of the period (%; null where not read). */
function threadPct(
	start: MainThreadTimes | null,
	end: MainThreadTimes | null,
	key: keyof MainThreadTimes,
	elapsedMs: number
): number | null {
	return start && end ? round(((end[key] - start[key]) / elapsedMs) * 100, 1) : null;
}

/** A main-thread time over the period as a share of it, for the worst node (null where not read). */
function worstThreadPct(
	before: ServerStats[],
	after: ServerStats[],
	elapsedMs: number,
	key: keyof MainThreadTimes
): number | null {
	const shares = after.map((node, i) =>
		threadPct(before[i]?.mainThread ?? null, node.mainThread, key, elapsedMs)
	);
	return shares.some((share) => share === null) ? null : Math.max(...(shares as number[]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const destroy = (clients: Client[]) =>
	clients.forEach((c) => {
		c.provider.destroy();
		c.doc.destroy();
	});

/** A card as the board schema has it (one nested map per card; a facilitator's byline). */
function card(id: string, n: number): Y.Map<unknown> {
	return new Y.Map<unknown>(
		Object.entries({
			id,
			step: 'outcomes',
			kind: 'outcome',
			text: `Kaart ${n}: jongeren vinden sneller passende hulp in de eigen buurt`,
			authorId: 'bench',
			authorName: 'Bench',
			perspective: 'gemeente',
			createdAt: Date.now(),
			order: `a${n.toString(36)}`,
			horizonYears: 2,
			outcomeKind: 'inhoudelijk'
		})
	);
}

async function fanout(s: Extract<LoadConfig['scenario'], { kind: 'fanout' }>) {
	const boards = config.boards.slice(0, s.boards);
	const groups = await connectAll(boards, s.clientsPerBoard);
	const latencies: number[] = [];
	let delivered = 0;
	let gaps = 0;
	const lastSeq = new Map<string, number>();
	groups.forEach((clients, b) =>
		clients.forEach((client, c) => {
			client.doc.getMap('cards').observeDeep((events) => {
				const at = performance.now();
				for (const event of events) {
					if (event.transaction.local) continue; // the writer's own edit
					if (!(event instanceof Y.YMapEvent) || !event.keysChanged.has('text')) continue;
					const value = (event.target as Y.Map<unknown>).get('text');
					if (typeof value !== 'string' || !value.startsWith('bench|')) continue;
					const [, writer, seq, sentAt] = value.split('|');
					latencies.push(at - Number(sentAt));
					delivered++;
					const key = `${b}:${c}:${writer}`;
					const previous = lastSeq.get(key) ?? 0;
					if (Number(seq) !== previous + 1) gaps++;
					lastSeq.set(key, Number(seq));
				}
			});
		})
	);
	// Each writer's own card, created before measuring.
	const writers = groups.flatMap((clients, b) =>
		clients.slice(0, s.writersPerBoard).map((client, w) => {
			const id = `writer-${b}-${w}`;
			client.doc.getMap('cards').set(id, card(id, w));
			return { client, id, seq: 0 };
		})
	);
	await sleep(1000);
	latencies.length = 0;
	delivered = 0;
	const before = await stats();
	const monitor = selfMonitor();
	const started = performance.now();
	const timers = writers.map((writer) => {
		const tick = () => {
			writer.seq++;
			const target = writer.client.doc.getMap('cards').get(writer.id) as Y.Map<unknown>;
			target.set('text', `bench|${writer.id}|${writer.seq}|${performance.now()}`);
		};
		// Open loop with a random phase per writer.
		const interval = 1000 / s.updatesPerSecond;
		let timer: NodeJS.Timeout;
		const start = setTimeout(() => {
			tick();
			timer = setInterval(tick, interval);
		}, Math.random() * interval);
		return () => {
			clearTimeout(start);
			clearInterval(timer);
		};
	});
	await sleep(s.durationMs);
	timers.forEach((stop) => stop());
	const elapsed = performance.now() - started;
	const self = monitor();
	await sleep(2000); // in-flight messages
	const after = await stats();
	const sent = writers.reduce((sum, w) => sum + w.seq, 0);
	const expected = sent * (s.clientsPerBoard - 1);
	latencies.sort((a, b) => a - b);
	const result = {
		clients: boards.length * s.clientsPerBoard,
		updatesSent: sent,
		expectedDeliveries: expected,
		delivered,
		dropped: expected - delivered,
		outOfOrder: gaps,
		p50Ms: round(percentile(latencies, 50)),
		p95Ms: round(percentile(latencies, 95)),
		p99Ms: round(percentile(latencies, 99)),
		maxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
		serverCpuPct: round(
			((after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) / elapsed) *
				100,
			1
		),
		serverRssMb: round(after.rssMb, 1),
		...self
	};
	destroy(groups.flat());
	return result;
}

async function join(s: Extract<LoadConfig['scenario'], { kind: 'join' }>) {
	const board = config.boards[config.boards.length - 1];
	const seeder = connect(board);
	await synced(seeder);
	for (let i = 0; i < s.cards; i += 100)
		seeder.doc.transact(() => {
			const cards = seeder.doc.getMap('cards');
			for (let n = i; n < Math.min(s.cards, i + 100); n++)
				cards.set(`card-${n}`, card(`card-${n}`, n));
		});
	// Wait until the server has everything: a fresh client sees every card.
	for (;;) {
		const probe = connect(board);
		await synced(probe);
		const size = probe.doc.getMap('cards').size;
		destroy([probe]);
		if (size >= s.cards) break;
		await sleep(200);
	}
	const bytes = Y.encodeStateAsUpdate(seeder.doc).byteLength;
	const times: number[] = [];
	for (let j = 0; j < s.joins; j++) {
		const started = performance.now();
		const joiner = connect(board);
		await synced(joiner);
		if (joiner.doc.getMap('cards').size < s.cards) throw new Error('joiner missed cards');
		times.push(performance.now() - started);
		destroy([joiner]);
	}
	destroy([seeder]);
	times.sort((a, b) => a - b);
	return {
		cards: s.cards,
		docBytes: bytes,
		joins: s.joins,
		medianMs: round(percentile(times, 50)),
		maxMs: round(times[times.length - 1])
	};
}

async function memory(s: Extract<LoadConfig['scenario'], { kind: 'memory' }>) {
	const boards = config.boards.slice(0, s.boards);
	const baseline = await stats();
	const clients: Client[] = [];
	for (const board of boards) {
		const client = connect(board);
		await synced(client);
		client.doc.transact(() => {
			const cards = client.doc.getMap('cards');
			for (let n = 0; n < s.cardsPerBoard; n++) cards.set(`m-${n}`, card(`m-${n}`, n));
		});
		clients.push(client);
	}
	await sleep(1000);
	const loaded = await stats();
	destroy(clients);
	await sleep(s.unloadWaitMs);
	const unloaded = await stats();
	return {
		boards: s.boards,
		cardsPerBoard: s.cardsPerBoard,
		baselineHeapMb: round(baseline.heapUsedMb),
		perBoardKb: round(((loaded.heapUsedMb - baseline.heapUsedMb) * 1024) / s.boards, 1),
		loadedDocs: loaded.loadedDocs,
		afterUnloadHeapMb: round(unloaded.heapUsedMb),
		afterUnloadRetainedMb: round(unloaded.heapUsedMb - baseline.heapUsedMb),
		docsAfterUnload: unloaded.loadedDocs
	};
}

interface Participant {
	board: number;
	id: string;
	name: string;
	cardId: string;
	seq: number;
	main: ThinClient;
	private: ThinClient;
	presence: Record<string, unknown>;
}

const PERSPECTIVE = 'inwoner';

/**
 * Joins like a phone does: the join form with the session's code (303 and the participant cookie),
 * then the board page's data for the participant id (the board and private sockets need it).
 * The reference server has no join flow: a participant there is a random id without a cookie.
 */
/** fetch, tried again when a kept-alive connection was closed under it (the server's idle timeout). */
async function fetchRetrying(url: string, init: RequestInit): Promise<Response> {
	for (let attempt = 1; ; attempt++)
		try {
			return await fetch(url, init);
		} catch (error) {
			if (attempt >= 3) throw error;
		}
}

/** Starts or stops the server's CPU profile (only Kompas bench servers with BENCH_PROFILE_DIR). */
async function profiler(command: 'start' | 'stop'): Promise<void> {
	if (!config.sessions) return; // the reference server
	const bases = config.nodes?.urls.map((u) => u.base) ?? [config.base];
	await Promise.all(
		bases.map((base) =>
			fetchRetrying(`${base}/bench/profile?${command}`, {}).then(
				(response) => response.text(),
				() => 'failed'
			)
		)
	);
}

async function joinFlow(
	board: number,
	name: string,
	base = config.base
): Promise<{ cookie: string; id: string }> {
	const session = config.sessions?.[board];
	if (!session) return { cookie: '', id: `p${Math.random().toString(36).slice(2, 12)}` };
	const response = await fetchRetrying(`${base}/join/${session.joinCode}`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			name,
			organisationChoice: 'none',
			organisationOther: '',
			perspective: PERSPECTIVE
		}),
		redirect: 'manual'
	});
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('kompas_participant='));
	// Without `accept: text/html` SvelteKit answers as to an enhanced form (use:enhance): 200 and
	// `{ type: 'redirect' }`; a plain form post gets the 303.
	const answer = response.status === 200 ? ((await response.json()) as { type?: string }) : null;
	if (!cookie || !(response.status === 303 || answer?.type === 'redirect'))
		throw new Error(`join refused: ${response.status}`);
	const page = await fetchRetrying(`${base}/b/${session.boardId}/__data.json`, {
		headers: { cookie }
	});
	const data = (await page.json()) as { nodes: ({ type: string; data: unknown } | null)[] };
	const node = data.nodes[data.nodes.length - 1];
	const user = (node ? unflatten(node.data as never) : null) as { user?: { id?: string } } | null;
	if (!user?.user?.id) throw new Error('the board page did not name the participant');
	return { cookie, id: user.user.id };
}

/**
 * One phone: the join flow, then a board socket and a private socket (thin clients, thin-client.ts),
 * its card on the board, and its presence. `onEdit` gets every other participant's edit it sees;
 * `onPresence` is set for the few participants per board that sample the latency of presence.
 */
async function participant(
	board: number,
	boardId: string,
	n: number,
	handlers: { onEdit: (receiver: string, seen: Seen) => void; onPresence?: (ms: number) => void }
): Promise<Participant> {
	const name = `Deelnemer ${board}-${n}`;
	// Several nodes: this phone's node, for its join and both sockets (shared.ts, Placement).
	const nodes = config.nodes;
	const node = nodes
		? nodes.urls[
				nodes.placement === 'hash'
					? processFor(boardId, nodes.urls.length)
					: (nodes.placement === 'by-board' ? board : n) % nodes.urls.length
			]
		: { base: config.base, wsUrl: config.wsUrl };
	const { cookie, id } = await joinFlow(board, name, node.base);
	const headers: Record<string, string> = { origin: node.base };
	if (cookie) headers.cookie = cookie;
	const main = new ThinClient({
		url: `${node.wsUrl}/board/${boardId}`,
		headers,
		onEdit: (seen) => handlers.onEdit(id, seen),
		onPresence: handlers.onPresence
	});
	const priv = new ThinClient({ url: `${node.wsUrl}/private/${boardId}/${id}`, headers });
	await Promise.all([main.synced, priv.synced]);
	const presence = { name, perspective: PERSPECTIVE, step: 'outcomes', x: 0, y: 0, at: 0 };
	main.setPresence(presence);
	const cardId = addCard(main.doc, {
		kind: 'outcome',
		text: `Kaart van ${name}`,
		author: { id, name, perspective: PERSPECTIVE }
	});
	return { board, id, name, cardId, seq: 0, main, private: priv, presence };
}

async function participants(s: Extract<LoadConfig['scenario'], { kind: 'participants' }>) {
	const boards = config.boards.slice(0, s.boards);
	const latencies: number[] = [];
	const presence: number[] = [];
	let delivered = 0;
	let gaps = 0;
	let measuring = false;
	const lastSeq = new Map<string, number>();
	const onEdit = (receiver: string, seen: Seen) => {
		if (seen.writer === receiver) return;
		const key = `${receiver}:${seen.writer}`;
		const previous = lastSeq.get(key);
		if (previous !== undefined && seen.seq !== previous + 1) gaps++;
		lastSeq.set(key, seen.seq);
		if (!measuring) return;
		latencies.push(seen.ms);
		delivered++;
	};
	const onPresence = (ms: number) => {
		if (measuring) presence.push(ms);
	};
	const joinStarted = performance.now();
	const all: Participant[] = [];
	const order: [number, number][] = [];
	for (let n = 0; n < s.participantsPerBoard; n++)
		for (let b = 0; b < boards.length; b++) order.push([b, n]);
	// In batches: a burst of 3,000 handshakes measures the OS, not the server. The first three
	// participants of each board sample the latency of presence.
	for (let i = 0; i < order.length; i += 50)
		all.push(
			...(await Promise.all(
				order
					.slice(i, i + 50)
					.map(([b, n]) =>
						participant(b, boards[b], n, { onEdit, onPresence: n < 3 ? onPresence : undefined })
					)
			))
		);
	const joinSeconds = round((performance.now() - joinStarted) / 1000, 1);
	await sleep(2000);

	const before = await nodeStats(true);
	await profiler('start');
	const monitor = selfMonitor();
	measuring = true;
	const started = performance.now();
	const peakRss = before.map((node) => node.rssMb);
	const sampler = setInterval(
		() =>
			void nodeStats().then(
				(now) => now.forEach((node, i) => (peakRss[i] = Math.max(peakRss[i], node.rssMb))),
				() => {} // a missed sample
			),
		2000
	);
	let sent = 0;
	let moves = 0;
	const stops = all.map((p) => {
		const edit = () => {
			p.seq++;
			sent++;
			updateCard(p.main.doc, p.cardId, { text: `bench|${p.id}|${p.seq}|${clock()}|` });
		};
		const move = () => {
			moves++;
			p.main.setPresence({
				...p.presence,
				x: Math.round(Math.random() * 1000),
				y: Math.round(Math.random() * 1000),
				at: clock()
			});
		};
		const timers: NodeJS.Timeout[] = [];
		timers.push(
			setTimeout(() => {
				edit();
				timers.push(setInterval(edit, s.editEveryMs));
			}, Math.random() * s.editEveryMs)
		);
		// 0: no moves (presence stays as it was set at joining).
		if (s.moveEveryMs > 0)
			timers.push(
				setTimeout(() => {
					move();
					timers.push(setInterval(move, s.moveEveryMs));
				}, Math.random() * s.moveEveryMs)
			);
		return () => timers.forEach((t) => clearTimeout(t));
	});
	await sleep(s.durationMs);
	stops.forEach((stop) => stop());
	const elapsed = performance.now() - started;
	const self = monitor();
	await sleep(3000); // in-flight messages
	await profiler('stop');
	measuring = false;
	clearInterval(sampler);
	const after = await nodeStats();
	const cpuMs = after.map(
		(node, i) => node.cpuUserMs + node.cpuSystemMs - before[i].cpuUserMs - before[i].cpuSystemMs
	);
	const totalCpuMs = cpuMs.reduce((a, b) => a + b, 0);
	const rss = after.map((node) => node.rssMb);
	const expected = sent * (s.participantsPerBoard - 1);
	latencies.sort((a, b) => a - b);
	presence.sort((a, b) => a - b);
	const result = {
		participants: all.length,
		joinSeconds,
		editsSent: sent,
		expectedDeliveries: expected,
		delivered,
		dropped: expected - delivered,
		outOfOrder: gaps,
		p50Ms: round(percentile(latencies, 50)),
		p95Ms: round(percentile(latencies, 95)),
		p99Ms: round(percentile(latencies, 99)),
		maxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
		presenceP50Ms: round(percentile(presence, 50)),
		presenceP99Ms: round(percentile(presence, 99)),
		// Several nodes: the sum of all of them (per node below).
		serverCpuPct: round((totalCpuMs / elapsed) * 100, 1),
		// Comparable when the generator lags: the server's CPU per 1,000 messages it was sent.
		serverCpuMsPer1kMessages: round(totalCpuMs / ((sent + moves) / 1000), 1),
		movesSent: moves,
		// Socket writes (write system calls) of the server(s) per second of the measured period.
		serverWritesPerSecond: writesPerSecond(before, after, elapsed),
		// The servers' main threads: share of the period on a core, and runnable without one (the worst node).
		serverMainRunPct: worstThreadPct(before, after, elapsed, 'runMs'),
		serverMainWaitPct: worstThreadPct(before, after, elapsed, 'waitMs'),
		serverRssMb: round(
			rss.reduce((a, b) => a + b, 0),
			1
		),
		// The servers' own event-loop delay over the period (the worst node).
		serverLoopDelayP99Ms: Math.max(...after.map((node) => node.loopDelayP99Ms)),
		serverLoopDelayMaxMs: Math.max(...after.map((node) => node.loopDelayMaxMs)),
		// The longest garbage-collection pause of any node, the longest full one, and their sum.
		serverGcMaxMs: Math.max(...after.map((node) => node.gcMaxMs)),
		serverGcMajorMaxMs: Math.max(...after.map((node) => node.gcMajorMaxMs)),
		serverGcTotalMs: round(
			after.reduce((sum, node) => sum + node.gcTotalMs, 0),
			1
		),
		serverPeakRssMb: round(
			peakRss.reduce((a, b, i) => a + Math.max(b, rss[i]), 0),
			1
		),
		nodes: after.length,
		...Object.fromEntries(
			after.flatMap((_, i) => [
				[`node${i + 1}CpuPct`, round((cpuMs[i] / elapsed) * 100, 1)],
				[`node${i + 1}RssMb`, round(rss[i], 1)]
			])
		),
		...self
	};
	for (const p of all) {
		p.main.close();
		p.private.close();
	}
	return result;
}

async function churn(s: Extract<LoadConfig['scenario'], { kind: 'churn' }>) {
	const boards = config.churnBoards.slice(0, s.boards);
	// One board opened and closed first, so that the start figure includes loaded code.
	const open = async (board: string) => {
		const clients = Array.from({ length: s.clientsPerBoard }, () => connect(board));
		await Promise.all(clients.map((c) => synced(c)));
		clients[0].doc.transact(() => {
			const cards = clients[0].doc.getMap('cards');
			for (let n = 0; n < s.cardsPerBoard; n++) cards.set(`c-${n}`, card(`c-${n}`, n));
		});
		// Everyone has every card: the server holds and relayed them.
		const last = clients[clients.length - 1];
		const until = performance.now() + 60_000;
		while (last.doc.getMap('cards').size < s.cardsPerBoard) {
			if (performance.now() > until) throw new Error(`${board}: cards never arrived`);
			await sleep(20);
		}
		destroy(clients);
	};
	await open(config.churnBoards[config.churnBoards.length - 1]);
	await sleep(s.settleMs / 3);
	const start = await stats(false);
	const began = performance.now();
	for (let i = 0; i < boards.length; i += s.concurrent)
		await Promise.all(boards.slice(i, i + s.concurrent).map(open));
	const churnSeconds = round((performance.now() - began) / 1000, 1);
	const right = await stats(false);
	await sleep(s.settleMs);
	const settled = await stats(false);
	await stats(true);
	await sleep(2000); // V8 gives freed pages back to the OS shortly after the collection
	const collected = await stats(false);
	const pct = (mb: number) => round(((mb - start.rssMb) / start.rssMb) * 100, 1);
	return {
		boards: boards.length,
		churnSeconds,
		startRssMb: round(start.rssMb, 1),
		peakRssMb: round(right.rssMb, 1),
		settledRssMb: round(settled.rssMb, 1),
		gcRssMb: round(collected.rssMb, 1),
		settledRssPct: pct(settled.rssMb),
		gcRssPct: pct(collected.rssMb),
		startHeapMb: round(start.heapUsedMb, 1),
		settledHeapMb: round(settled.heapUsedMb, 1),
		gcHeapMb: round(collected.heapUsedMb, 1),
		startHeapTotalMb: round(start.heapTotalMb, 1),
		settledHeapTotalMb: round(settled.heapTotalMb, 1),
		gcHeapTotalMb: round(collected.heapTotalMb, 1),
		startExternalMb: round(start.externalMb, 1),
		gcExternalMb: round(collected.externalMb, 1),
		settledArrayBuffersMb: round(settled.arrayBuffersMb, 1),
		docsAfterSettle: settled.loadedDocs
	};
}

const { scenario } = config;
const result =
	scenario.kind === 'fanout'
		? await fanout(scenario)
		: scenario.kind === 'participants'
			? await participants(scenario)
			: scenario.kind === 'churn'
				? await churn(scenario)
				: scenario.kind === 'join'
					? await join(scenario)
					: await memory(scenario);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
