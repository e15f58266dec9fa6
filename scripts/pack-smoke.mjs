#!/usr/bin/env node
// npm run pack:smoke (after npm run build): the package as a user installs it. Packs it (npm pack),
// unpacks the tarball into a temporary folder beside a node_modules/ that holds ONLY the package's
// dependencies and optionalDependencies (linked from this repository's node_modules/, so no network),
// and runs its `optimizer-race` bin from the package.json "bin" path: help, a trajectory race and a
// one-iteration mnist race on the embedded subset the package ships (both on the CPU backend).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'optimizer-race-pack-'));
let failed = false;
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [{ filename }] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' }),
  );
  execFileSync('tar', ['-xzf', join(work, filename), '-C', work]);
  const pkgDir = join(work, 'package');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    const target = join(root, 'node_modules', name);
    if (!existsSync(target)) continue; // an optional dependency that did not install here
    mkdirSync(dirname(join(work, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(work, 'node_modules', name), 'junction');
  }
  const bin = join(pkgDir, pkg.bin['optimizer-race']);
  chmodSync(bin, 0o755); // as npm does when it installs a bin
  const runs = [['help'], ['trajectory', '--backend', 'cpu', '--steps', '3'], ['mnist', '--backend', 'cpu', '--iterations', '1', '--batch', '4']];
  for (const args of runs) {
    // Through the shebang where there is one to honour; from a folder outside the repository.
    const run =
      process.platform === 'win32'
        ? spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 })
        : spawnSync(bin, args, { cwd: work, encoding: 'utf8', timeout: 120_000 });
    const ok = run.status === 0 && run.stdout.length > 0 && !run.stderr.includes('artificially reduced');
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} optimizer-race ${args.join(' ')}\n`);
    if (!ok) {
      failed = true;
      process.stdout.write(`exit ${run.status ?? run.signal}\n${run.stdout}\n${run.stderr}${run.error ? `\n${run.error.message}` : ''}\n`);
    }
  }
  // The default backend: the optional `webgpu` must load from the installed package (a machine
  // without a GPU adapter may still say so: exit 1, but not for a missing package).
  if (existsSync(join(work, 'node_modules', 'webgpu'))) {
    const run = spawnSync(process.execPath, [bin, 'trajectory', '--steps', '2'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    const ok = (run.status === 0 && run.stderr === '') || (run.status === 1 && /no GPU adapter/.test(run.stderr));
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} optimizer-race trajectory --steps 2 (webgpu${run.status === 1 ? ': no adapter here' : ''})\n`);
    if (!ok) {
      failed = true;
      process.stdout.write(`exit ${run.status ?? run.signal}\n${run.stderr}\n`);
    }
  }
  if (existsSync(join(pkgDir, 'public'))) {
    failed = true;
    process.stdout.write('FAIL the CLI wrote into the installed package (public/)\n');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
