/**
 * The export formats: the one list that the export route serves and the overview offers, in the
 * order shown. `annex`: the format also renders the per-organisation annex. Shared by server and
 * browser (no renderers here: those live in `$lib/server/export`).
 */
export const EXPORT_FORMATS = {
	docx: {
		contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		annex: true
	},
	odt: { contentType: 'application/vnd.oasis.opendocument.text', annex: true },
	pdf: { contentType: 'application/pdf', annex: true },
	md: { contentType: 'text/markdown; charset=utf-8', annex: true },
	csv: { contentType: 'text/csv; charset=utf-8', annex: false },
	json: { contentType: 'application/json; charset=utf-8', annex: false }
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;
export type AnnexFormat = {
	[F in ExportFormat]: (typeof EXPORT_FORMATS)[F]['annex'] extends true ? F : never;
}[ExportFormat];

/** Every format, in the order the overview shows them. */
export const FORMAT_IDS = Object.keys(EXPORT_FORMATS) as ExportFormat[];

/** The formats that render the per-organisation annex. */
export const ANNEX_FORMATS = FORMAT_IDS.filter((f): f is AnnexFormat => EXPORT_FORMATS[f].annex);

export function isExportFormat(format: string): format is ExportFormat {
	return Object.hasOwn(EXPORT_FORMATS, format);
}

export function isAnnexFormat(format: ExportFormat): format is AnnexFormat {
	return EXPORT_FORMATS[format].annex;
}
