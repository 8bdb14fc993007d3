/** The `UpdateStore` port lives with the app's repositories (src/lib/server/updates/store.ts). */
export type {
	AsyncUpdateStore,
	StoredDoc,
	UpdateLog,
	UpdateStore
} from '../../src/lib/server/updates/store.ts';
export { StorageUnavailableError } from '../../src/lib/server/updates/store.ts';
