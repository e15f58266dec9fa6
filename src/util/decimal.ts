/** The one number parser for typed text (fields, the CLI, the URL hash): plain decimals only. */

const kDecimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** `1e-3`, `.5`, `-7`, `2.` (surrounding spaces allowed); anything else, empty text included, is NaN. */
export function parseDecimal(text: string | undefined): number {
  const t = (text ?? '').trim();
  return kDecimal.test(t) ? Number(t) : NaN;
}
