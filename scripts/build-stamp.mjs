#!/usr/bin/env node
// node scripts/build-stamp.mjs write|check: whether dist/ and dist-cli/ were built from the source as
// it is now. `npm run build` ends with `write`, which records a hash of every file the builds read
// (src/, shaders/, public/ less its generated data/, the root HTML and configs, package.json and the
// lockfile) in dist/.build-stamp.json. `check` exits 0 when that stamp matches the files now and the
// bundles the tests run are there, else 1 with the reason on stdout. The test run's global setup
// (test/setup/build-once.ts) builds those bundles (and writes the stamp) only when `check` fails. The stamp lives in dist/, which
// `vite build` empties first, so a build that stopped half-way leaves no stamp behind.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'dist', '.build-stamp.json');
/** What the tests run (test/setup/build-once.ts promises them). */
export const kOutputs = ['dist/index.html', 'dist/lib/optimizer-race.js', 'dist-cli/cli.js', 'dist-cli/main.js'];
const kInputDirs = ['src', 'shaders', 'public'];
/** Generated while building (the embedded MNIST subset, datasets.json) or never an input. */
const kSkipped = new Set(['public/data', 'node_modules', 'dist', 'dist-cli']);
const kRootInput = /^(.*\.html|vite\..*config\.ts|tsconfig.*\.json|package\.json|package-lock\.json|custom-elements-manifest\.config\.m?js)$/;
/** Files above this are hashed by size and time (none should be; it keeps a stray big file cheap). */
const kContentLimit = 1 << 20;

function walk(dir, out) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(root, path);
    if (kSkipped.has(rel) || entry.name.endsWith('.wasm')) continue;
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile()) out.push(rel);
  }
}

/** sha256 over the inputs' paths and contents, in a fixed order. */
export function inputsHash() {
  const files = readdirSync(root).filter((name) => kRootInput.test(name) && statSync(join(root, name)).isFile());
  for (const dir of kInputDirs) walk(join(root, dir), files);
  files.sort();
  const hash = createHash('sha256');
  for (const rel of files) {
    const stat = statSync(join(root, rel));
    hash.update(`${rel}\0`);
    hash.update(stat.size > kContentLimit ? `${stat.size}:${stat.mtimeMs}` : readFileSync(join(root, rel)));
    hash.update('\0');
  }
  return `${files.length} files, sha256 ${hash.digest('hex')}`;
}

/** Why the outputs are stale, or undefined when they are fresh. */
export function staleness() {
  const missing = kOutputs.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  if (!existsSync(stampFile)) return 'no build stamp (dist/.build-stamp.json): not built by `npm run build`, or the build stopped';
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  return stamp.inputs === inputsHash() ? undefined : 'the sources changed since the last `npm run build`';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const command = process.argv[2];
  if (command === 'write') {
    writeFileSync(stampFile, `${JSON.stringify({ inputs: inputsHash() })}\n`);
  } else if (command === 'check') {
    const why = staleness();
    process.stdout.write(why === undefined ? 'fresh\n' : `stale: ${why}\n`);
    process.exitCode = why === undefined ? 0 : 1;
  } else {
    process.stderr.write('usage: node scripts/build-stamp.mjs write|check\n');
    process.exitCode = 2;
  }
}
