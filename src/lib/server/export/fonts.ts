/**
 * The documents' font: Roboto (SIL Open Font License), from the `@expo-google-fonts/roboto` package
 * as plain TrueType files, so nothing is downloaded at run time. The PDF embeds (subsets of) these
 * files, and the SVG → PNG rasteriser sets the results chain's text in them, so the drawing and the
 * text around it use the same letters.
 */
import { createRequire } from 'node:module';

const FILES = {
	regular: '400Regular/Roboto_400Regular.ttf',
	bold: '500Medium/Roboto_500Medium.ttf',
	italic: '400Regular_Italic/Roboto_400Regular_Italic.ttf',
	boldItalic: '500Medium_Italic/Roboto_500Medium_Italic.ttf'
} as const;

export type FontStyle = keyof typeof FILES;

let paths: Record<FontStyle, string> | null = null;

/** Absolute paths of the four Roboto styles (headings and labels use Medium as their bold). */
export function robotoPaths(): Record<FontStyle, string> {
	if (!paths) {
		const require = createRequire(import.meta.url);
		const resolve = (file: string) => require.resolve(`@expo-google-fonts/roboto/${file}`);
		paths = {
			regular: resolve(FILES.regular),
			bold: resolve(FILES.bold),
			italic: resolve(FILES.italic),
			boldItalic: resolve(FILES.boldItalic)
		};
	}
	return paths;
}
