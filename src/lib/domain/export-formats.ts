/**
 * The export formats, in one place: the download endpoint, the overview's buttons and the
 * per-organisation annex read them from here. Pure.
 */
export const EXPORT_FORMATS = ['docx', 'pdf', 'md', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats of the per-organisation annex (a document, not data). */
export const ANNEX_FORMATS = ['docx', 'pdf', 'md'] as const satisfies readonly ExportFormat[];
export type AnnexFormat = (typeof ANNEX_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	pdf: 'application/pdf',
	md: 'text/markdown; charset=utf-8',
	csv: 'text/csv; charset=utf-8',
	json: 'application/json; charset=utf-8'
};

export const isExportFormat = (f: string): f is ExportFormat =>
	(EXPORT_FORMATS as readonly string[]).includes(f);
export const isAnnexFormat = (f: string): f is AnnexFormat =>
	(ANNEX_FORMATS as readonly string[]).includes(f);
