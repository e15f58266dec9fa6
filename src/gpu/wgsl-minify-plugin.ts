/**
 * Shaders as the built bundles ship them: each `*.wgsl?raw` import without its comments, indentation
 * and blank lines. The files in shaders/ keep their comments for people; a browser needs none of
 * them, and they were half of the WGSL's bytes in the bundle (its size limit: scripts/bundle-size.mjs).
 * Builds only: the dev server and the tests read the files as they are.
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';

/**
 * WGSL without `//` comments, leading and trailing spaces and blank lines (one statement per line
 * stays one line, so the kernels concatenated by the passes keep their line structure). WGSL has no
 * string literals, so `//` always starts a comment; block comments are refused (shaders/ uses none).
 */
export function minifyWgsl(code: string, file = 'WGSL'): string {
  if (code.includes('/*')) throw new Error(`${file}: block comments are not minified; use // comments`);
  const lines = code.split('\n').map((line) => {
    const comment = line.indexOf('//');
    return (comment >= 0 ? line.slice(0, comment) : line).trim();
  });
  return `${lines.filter((line) => line.length > 0).join('\n')}\n`;
}

export function wgslMinifyPlugin(): Plugin {
  return {
    name: 'wgsl-minify',
    apply: 'build',
    // Before Vite's own `?raw` loader.
    enforce: 'pre',
    async load(id) {
      const [file, query] = id.split('?');
      if (!file.endsWith('.wgsl') || query !== 'raw') return null;
      this.addWatchFile(file);
      return `export default ${JSON.stringify(minifyWgsl(await readFile(file, 'utf8'), file))};`;
    },
  };
}
