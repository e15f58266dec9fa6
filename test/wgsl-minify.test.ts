/**
 * The bundles' shaders (src/gpu/wgsl-minify-plugin.ts): comments, indentation and blank lines go,
 * every statement stays, on its own line; every file in shaders/ minifies. The built pages and the
 * CLI run the minified kernels (the browser, Firefox and CLI tests exercise them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minifyWgsl } from '../src/gpu/wgsl-minify-plugin';
import { filesBelow } from './fixtures/files-below';

const kShaders = new URL('../shaders/', import.meta.url).pathname;
const wgslFiles = (dir: string): string[] => filesBelow(dir, /\.wgsl$/);

describe('minifyWgsl', () => {
  it('drops comments, indentation and blank lines, and keeps every statement on its own line', () => {
    const code = ['// a kernel', '', 'struct S {', '  a: u32, // the count', '}', '  let x = 1u;   ', '// end'].join('\n');
    expect(minifyWgsl(code)).toBe('struct S {\na: u32,\n}\nlet x = 1u;\n');
  });

  it('refuses block comments', () => {
    expect(() => minifyWgsl('/* no */ fn f() {}', 'x.wgsl')).toThrow(/x\.wgsl: block comments/);
  });

  it('minifies every shader to its code only, well below its size', () => {
    const files = wgslFiles(kShaders);
    expect(files.length).toBeGreaterThan(20);
    let before = 0;
    let after = 0;
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      const small = minifyWgsl(code, file);
      expect(small).not.toContain('//');
      // The code's tokens are all kept.
      const tokens = (text: string): string[] =>
        text.split('\n').flatMap((line) =>
          line
            .replace(/\/\/.*$/, '')
            .split(/\s+/)
            .filter(Boolean),
        );
      expect(tokens(small)).toEqual(tokens(code));
      before += code.length;
      after += small.length;
    }
    expect(after).toBeLessThan(0.6 * before);
  });
});
