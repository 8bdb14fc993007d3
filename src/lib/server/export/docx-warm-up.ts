/**
 * For tests: renders one DOCX (with the results chain's PNG) so that the one-time cost of compiling
 * resvg's WebAssembly and loading the fonts falls in a hook with its own timeout, not in a test.
 */
import { exportDocx } from './docx.ts';
import { kampenWerkReport } from './fixtures.ts';

export async function warmUpDocx(): Promise<void> {
	await exportDocx(kampenWerkReport());
}
