/**
 * This process as one Kompas node among others (issue 12): the bus it shares with the other nodes.
 * With `KOMPAS_REDIS_URL` the bus is Redis pub/sub (bus.redis.ts). Without it, a child of
 * `KOMPAS_PROCESSES` (processes.ts) talks to its siblings through the primary (bus.process.ts), and
 * a lone process has a solo bus (publishing reaches nobody and costs nothing), so the realtime
 * server and the app events run the same code on one node and on several.
 */
import { createSoloBus, type Bus } from '../src/lib/server/bus/bus.ts';
import { createRedisBus } from '../src/lib/server/bus/bus.redis.ts';
import { createProcessBus, parentLink } from '../src/lib/server/bus/bus.process.ts';
import { childIndex } from './processes.ts';

export interface NodeConfig {
	/** `KOMPAS_REDIS_URL`: redis://… shared by every node; null for a single node. */
	redisUrl: string | null;
	/** `KOMPAS_NODE_ID`: a readable name for logs; random when unset. */
	nodeId?: string;
	/** This process's index among `KOMPAS_PROCESSES` children; absent for a lone process. */
	processIndex?: number | null;
}

export function nodeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NodeConfig {
	return {
		redisUrl: env.KOMPAS_REDIS_URL?.trim() || null,
		nodeId: env.KOMPAS_NODE_ID || undefined,
		processIndex: childIndex(env)
	};
}

/** Connects this node's bus. @throws (rejects) when Redis is configured but cannot be reached. */
export async function createNodeBus(config: NodeConfig): Promise<Bus> {
	const index = config.processIndex ?? null;
	// Children of one primary need ids of their own (a node drops what it published itself); on
	// Redis without KOMPAS_NODE_ID each process draws a random one.
	const nodeId =
		index === null || (config.redisUrl && !config.nodeId)
			? config.nodeId
			: `${config.nodeId ?? 'proces'}-${index}`;
	if (config.redisUrl) return createRedisBus(config.redisUrl, { nodeId });
	if (index !== null) return createProcessBus(nodeId ?? `proces-${index}`, parentLink());
	return createSoloBus(nodeId);
}
