#!/usr/bin/env node
// npm run verify runs this after the build: what a page loads before anything is shown, for the
// library bundle (dist/lib/optimizer-race.js) and the demo's main chunk (the module script of
// dist/index.html), each with the chunks it imports statically (shared code the bundler split off
// loads with it; the chunks imported on first use do not count). Gzip at level 9, 1 KB = 1000 bytes.
// Prints one line per bundle; exits 1 with one line per bundle above the limit.
// Usage: node scripts/bundle-size.mjs [root] (default: this repository; dist/ is read under it).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const kLimitBytes = 120_000;

const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));

/** The file and every chunk it imports statically (`import … from "./x.js"`, `import "./x.js"`), transitively. */
export function staticClosure(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // Static imports only: `import(` (a chunk loaded on first use) never matches, as the quote must follow `import` or `from`.
    for (const [, spec] of code.matchAll(/(?:\bimport|\bfrom)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) visit(join(dirname(file), spec));
  };
  visit(entry);
  return [...seen];
}

/** Raw and gzip (level 9) bytes of the files, each compressed on its own as a server sends them. */
export function sizeOf(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

function demoEntry() {
  const html = readFileSync(join(root, 'dist/index.html'), 'utf8');
  const src = /<script type="module"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error('dist/index.html has no module script');
  return join(root, 'dist', src);
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

function main() {
  const bundles = [
    ['library bundle', () => join(root, 'dist/lib/optimizer-race.js')],
    ['demo main chunk', demoEntry],
  ];
  let failed = false;
  for (const [name, entryOf] of bundles) {
    let entry;
    try {
      entry = entryOf();
      if (!existsSync(entry)) throw new Error(`${relative(root, entry)} is missing`);
    } catch (error) {
      process.stdout.write(`FAIL ${name}: ${error.message} (run npm run build first)\n`);
      failed = true;
      continue;
    }
    const files = staticClosure(entry);
    const { raw, gzip } = sizeOf(files);
    const over = gzip > kLimitBytes;
    failed ||= over;
    const parts =
      files.length > 1
        ? ` with ${files
            .slice(1)
            .map((f) => relative(dirname(entry), f))
            .join(', ')}`
        : '';
    process.stdout.write(
      `${over ? 'FAIL' : 'ok  '} ${name} ${relative(root, entry)}${parts}: ${kb(gzip)} gzipped (${kb(raw)} raw), limit ${kb(kLimitBytes)} gzipped\n`,
    );
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
