/**
 * The layers of docs/ARCHITECTURE.md: nothing outside src/ui imports from src/ui (the engines, the
 * CLI and the data run in a Worker and in Node, with no DOM). Only the two entry points that
 * assemble the components, src/main.ts (the demo page) and src/lib.ts (the library), may. And the
 * rooms stay small: <optimizer-race>'s component file, which regrew twice, holds at most 350 lines
 * (issue 19); its sections live in their controllers and sub-components.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesBelow } from './fixtures/files-below';

const kRoot = resolve(__dirname, '..');
const kSrc = join(kRoot, 'src');
const kUi = join(kSrc, 'ui');
const kEntryPoints = new Set(['src/main.ts', 'src/lib.ts']);

/** Every TypeScript file below `dir`. */
const sourceFiles = (dir: string): string[] => filesBelow(dir, /\.tsx?$/);

/** The relative specifiers a module imports: static, side-effect, re-export, dynamic, and worker URLs. */
function importedSpecifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bnew\s+URL\s*\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1])).filter((s) => s.startsWith('.'));
}

/** `file`'s imports that resolve into src/ui, as "file -> target" (paths from the repository root). */
function uiImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return importedSpecifiers(text)
    .map((specifier) => resolve(dirname(file), specifier))
    .filter((target) => target === kUi || target.startsWith(`${kUi}/`))
    .map((target) => `${relative(kRoot, file)} -> ${relative(kRoot, target)}`);
}

describe('layers', () => {
  it('finds every kind of import (so the check below can fail)', () => {
    const text = [
      "import { a } from '../ui/markers';",
      "import type { B } from '../../ui/x';",
      "export { c } from './ui/y';",
      "import './ui/z';",
      "await import('../ui/lazy');",
      "new Worker(new URL('../ui/worker.ts', import.meta.url));",
      "import { d } from 'lit';",
    ].join('\n');
    expect(importedSpecifiers(text)).toEqual(['../ui/markers', '../../ui/x', './ui/y', './ui/z', '../ui/lazy', '../ui/worker.ts']);
  });

  it('nothing outside src/ui imports from src/ui (but the page and the library entry points)', () => {
    const outside = sourceFiles(kSrc).filter((f) => !f.startsWith(`${kUi}/`) && !kEntryPoints.has(relative(kRoot, f)));
    expect(outside.length).toBeGreaterThan(50);
    expect(outside.flatMap(uiImports)).toEqual([]);
  });

  it("<optimizer-race>'s component file holds at most 350 lines", () => {
    const lines = readFileSync(join(kUi, 'optimizer-race', 'optimizer-race.component.ts'), 'utf8')
      .trimEnd()
      .split('\n').length;
    expect(lines).toBeLessThanOrEqual(350);
  });
});
