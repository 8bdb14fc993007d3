/**
 * The load generator: a separate process of real `WebsocketProvider`s (y-websocket v3,
 * `WebSocketPolyfill: ws`, `disableBc: true`, no awareness state so that only document traffic is
 * measured). Runs one scenario against one server and prints one JSON line of results.
 * Usage: `node --import tsx bench/load.ts '<LoadConfig JSON>'`.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { percentile, round, type LoadConfig, type ServerStats } from './shared.ts';

const config = JSON.parse(process.argv[2]) as LoadConfig;
// Every provider adds a process 'exit' listener (y-websocket): a thousand of them is expected here.
process.setMaxListeners(0);

const Socket = class extends WebSocket {
	constructor(url: string, protocols?: string | string[]) {
		super(url, protocols, { headers: { cookie: config.cookie, origin: config.origin } });
	}
};

interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
}

function connect(board: string): Client {
	const doc = new Y.Doc();
	const awareness = new Awareness(doc);
	awareness.setLocalState(null);
	const provider = new WebsocketProvider(config.wsUrl, `board/${board}`, doc, {
		WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		awareness
	});
	return { doc, provider };
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

const stats = async (): Promise<ServerStats> =>
	(await (await fetch(config.statsUrl)).json()) as ServerStats;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const destroy = (clients: Client[]) =>
	clients.forEach((c) => {
		c.provider.destroy();
		c.doc.destroy();
	});

/** A card shaped like the board schema's (one nested map per card). */
function card(doc: Y.Doc, id: string, n: number): Y.Map<unknown> {
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
			outcomeKind: 'inhoudelijk',
			doc: doc.clientID
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
			client.doc.getMap('cards').set(id, card(client.doc, id, w));
			return { client, id, seq: 0 };
		})
	);
	await sleep(1000);
	latencies.length = 0;
	delivered = 0;
	const before = await stats();
	const loadCpuBefore = process.cpuUsage();
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
	const loadCpu = process.cpuUsage(loadCpuBefore);
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
		// Near 100 %: the load process, not the server, limits the latency figures.
		loadCpuPct: round(((loadCpu.user + loadCpu.system) / 1000 / elapsed) * 100, 1)
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
				cards.set(`card-${n}`, card(seeder.doc, `card-${n}`, n));
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
			for (let n = 0; n < s.cardsPerBoard; n++) cards.set(`m-${n}`, card(client.doc, `m-${n}`, n));
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

const { scenario } = config;
const result =
	scenario.kind === 'fanout'
		? await fanout(scenario)
		: scenario.kind === 'join'
			? await join(scenario)
			: await memory(scenario);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
