/**
 * This process as one Kompas node among others (issue 12): the bus it shares with the other nodes.
 * With `KOMPAS_REDIS_URL` the bus is Redis pub/sub (bus.redis.ts); without it Kompas is one node and
 * the bus is a solo bus (publishing reaches nobody and costs nothing), so the realtime server and the app events
 * run the same code on one node and on several.
 */
import { createSoloBus, type Bus } from '../src/lib/server/bus/bus.ts';
import { createRedisBus } from '../src/lib/server/bus/bus.redis.ts';

export interface NodeConfig {
	/** `KOMPAS_REDIS_URL`: redis://… shared by every node; null for a single node. */
	redisUrl: string | null;
	/** `KOMPAS_NODE_ID`: a readable name for logs; random when unset. */
	nodeId?: string;
}

export function nodeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NodeConfig {
	return {
		redisUrl: env.KOMPAS_REDIS_URL?.trim() || null,
		nodeId: env.KOMPAS_NODE_ID || undefined
	};
}

/** Connects this node's bus. @throws (rejects) when Redis is configured but cannot be reached. */
export async function createNodeBus(config: NodeConfig): Promise<Bus> {
	if (config.redisUrl) return createRedisBus(config.redisUrl, { nodeId: config.nodeId });
	return createSoloBus(config.nodeId);
}
