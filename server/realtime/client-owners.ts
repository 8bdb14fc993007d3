/** The `ClientOwners` port lives with the app's repositories (src/lib/server/updates/client-owners.ts). */
export type {
	AsyncClientOwners,
	ClientOwners
} from '../../src/lib/server/updates/client-owners.ts';
