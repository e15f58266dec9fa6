/**
 * Lit's `html` and `css` template literals as the built bundles ship them: minified by
 * minify-literals (html-minifier-next for markup, Lightning CSS for styles), a well-kept library
 * that knows where a template's `${…}` parts are. The components' indentation and comments were a
 * large share of the bundles' bytes (their size limit: scripts/bundle-size.mjs).
 * Whitespace is collapsed conservatively (a run becomes one space, never none), so text beside an
 * inline element or an expression renders exactly as in the dev server and the tests.
 * Builds only: the dev server and the tests read the files as they are.
 */
import { minifyHTMLLiterals } from 'minify-literals';
import type { Plugin } from 'vite';

/** The component sources: TypeScript under src/ui (the only files with Lit templates). */
const kComponentSource = /[\\/]src[\\/]ui[\\/].*\.ts$/;

/** `code` with its Lit literals minified, or null when it has none (or nothing changed). */
export async function minifyLitLiterals(code: string, id: string): ReturnType<typeof minifyHTMLLiterals> {
  if (!(code.includes('html`') || code.includes('css`') || code.includes('svg`'))) return null;
  return minifyHTMLLiterals(code, { fileName: id, html: { conservativeCollapse: true } });
}

export function literalMinifyPlugin(): Plugin {
  return {
    name: 'lit-literal-minify',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      return kComponentSource.test(id) ? minifyLitLiterals(code, id) : null;
    },
  };
}
