/**
 * scripts/build-stamp.mjs, which lets the test run's global setup skip the builds right after
 * `npm run build`: run in a scratch copy of a tiny project, it says fresh only while every input is
 * as stamped and every bundle the tests run is there.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const stamp = (command: 'write' | 'check'): { code: number | null; stdout: string } => {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'build-stamp.mjs'), command], { cwd: root, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout.trim() };
};

it('is fresh after `write` until an input changes, and never without the bundles', () => {
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join('scripts', 'build-stamp.mjs'), join(root, 'scripts', 'build-stamp.mjs'));
  for (const file of ['package.json', 'index.html', 'vite.config.ts', 'src/main.ts', 'shaders/a.wgsl', 'public/favicon.svg']) put(file, file);
  for (const file of ['dist/index.html', 'dist/lib/optimizer-race.js', 'dist-cli/cli.js', 'dist-cli/main.js']) put(file, 'built');
  expect(stamp('check')).toMatchObject({ code: 1, stdout: expect.stringMatching(/^stale: no build stamp/) });
  expect(stamp('write').code).toBe(0);
  expect(stamp('check')).toEqual({ code: 0, stdout: 'fresh' });

  // Generated while building: not an input.
  put('public/data/embedded/mnist.bin', 'generated');
  expect(stamp('check').code).toBe(0);

  put('src/main.ts', 'edited');
  expect(stamp('check')).toMatchObject({ code: 1, stdout: 'stale: the sources changed since the last `npm run build`' });
  put('src/main.ts', 'src/main.ts');
  expect(stamp('check').code).toBe(0);
  put('src/new.ts', 'a new file');
  expect(stamp('check').code).toBe(1);
  rmSync(join(root, 'src', 'new.ts'));
  expect(stamp('check').code).toBe(0);

  rmSync(join(root, 'dist-cli', 'cli.js'));
  expect(stamp('check')).toMatchObject({ code: 1, stdout: 'stale: missing dist-cli/cli.js' });
});
