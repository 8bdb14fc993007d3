/**
 * The PostgreSQL `AsyncClientOwners` (table `realtime_client_owners`, migration
 * "0002-realtime-client-owners" in db/postgres-migrations.ts). A binding is made once: the first
 * `bind` of a client id wins on every node (ON CONFLICT DO NOTHING on the primary key).
 */
import { inTransaction, type PgExecutor, type PostgresDb } from '../db/postgres.ts';
import type { AsyncClientOwners } from './client-owners.ts';
import { prefixEnd, rethrow } from './store.postgres.ts';

export function createPostgresClientOwners({ db }: PostgresDb): AsyncClientOwners<PgExecutor> {
	return {
		async load(docName) {
			try {
				const rows = await db
					.selectFrom('realtime_client_owners')
					.select(['client_id', 'owner'])
					.where('doc_name', '=', docName)
					.execute();
				return new Map(rows.map((row) => [Number(row.client_id), row.owner]));
			} catch (error) {
				return rethrow('client owners load', error);
			}
		},
		async bind(docName, clientId, owner) {
			try {
				await db
					.insertInto('realtime_client_owners')
					.values({ doc_name: docName, client_id: clientId, owner })
					.onConflict((conflict) => conflict.columns(['doc_name', 'client_id']).doNothing())
					.execute();
			} catch (error) {
				rethrow('client owners bind', error);
			}
		},
		async removeDocs(prefix, tx) {
			try {
				await inTransaction(db, tx, async (trx) => {
					const end = prefixEnd(prefix);
					let query = trx.deleteFrom('realtime_client_owners').where('doc_name', '>=', prefix);
					if (end !== null) query = query.where('doc_name', '<', end);
					await query.execute();
				});
			} catch (error) {
				rethrow('client owners removeDocs', error);
			}
		}
	};
}
