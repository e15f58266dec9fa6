#!/usr/bin/env node
// npm run cli -- COMMAND [options]: runs the CLI (dist-cli/cli.js), building it first only when a
// file it is built from (src/, shaders/, vite.cli.config.ts, package.json) is newer than the build.
// The CLI runs in this process (imported, not spawned), so stdio, the exit code and signals such as
// Ctrl-C are its own.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['dist-cli/cli.js', 'dist-cli/main.js'].map((f) => join(root, f));
const inputs = ['src', 'shaders', 'vite.cli.config.ts', 'package.json'].map((f) => join(root, f));

/** The newest modification time under `path` (a file or a folder), 0 if it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const built = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
if (built === 0 || inputs.some((path) => newest(path) > built)) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write(`cli: building dist-cli/ failed${build.signal ? ` (${build.signal})` : ''}\n`);
    process.exit(build.status ?? 1);
  }
}

// The CLI reads its arguments from process.argv.slice(2), as when run as `node dist-cli/cli.js ...`.
process.argv = [process.argv[0], outputs[0], ...process.argv.slice(2)];
await import(pathToFileURL(outputs[0]).href);
