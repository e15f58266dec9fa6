/**
 * The design tokens: every var(--or-*) that a component's styles or the shared controls layer
 * uses is declared in src/ui/theme.ts (or by the component itself, or has a fallback), so a
 * typo cannot silently drop a declaration.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { themeTokens } from '../src/ui/theme';
import { filesBelow } from './fixtures/files-below';

const kUi = fileURLToPath(new URL('../src/ui/', import.meta.url));

const styleFiles = (dir: string): string[] => filesBelow(dir, /(\.styles|shared-styles)\.ts$/);

it('declares every --or-* token the styles use', () => {
  const declared = new Set([...themeTokens.cssText.matchAll(/(--or-[\w-]+)\s*:/g)].map((m) => m[1]));
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(declared).toContain(`--or-space-${n}`);
  const missing: string[] = [];
  for (const file of styleFiles(kUi)) {
    const text = readFileSync(file, 'utf8');
    const own = new Set([...text.matchAll(/(--or-[\w-]+)\s*:/g)].map((m) => m[1]));
    // var(--name) without a fallback (a fallback after a comma is the author's choice).
    for (const [, name] of text.matchAll(/var\((--or-[\w-]+)\)/g)) {
      if (!declared.has(name) && !own.has(name)) missing.push(`${file.slice(kUi.length)}: ${name}`);
    }
  }
  expect(missing).toEqual([]);
});
