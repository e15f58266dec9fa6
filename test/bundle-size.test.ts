/** scripts/bundle-size.mjs on a made-up dist/: a bundle counts with the chunks it imports statically, never those it imports on first use; above the limit it fails with one line per bundle. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A dist/ whose library bundle imports a shared chunk of `sharedBytes` incompressible bytes, and a lazy one of 200 KB. */
function fakeDist(sharedBytes: number): string {
  dir = mkdtempSync(join(tmpdir(), 'bundle-size-'));
  const noise = (n: number) => `"${randomBytes(n).toString('base64').slice(0, n)}";\n`;
  mkdirSync(join(dir, 'dist/lib'), { recursive: true });
  mkdirSync(join(dir, 'dist/assets'), { recursive: true });
  writeFileSync(join(dir, 'dist/lib/optimizer-race.js'), `import{a as b}from"./shared-1.js";import("./lazy-1.js");export const x=1;\n`);
  writeFileSync(join(dir, 'dist/lib/shared-1.js'), `import "./tiny-1.js";\n${noise(sharedBytes)}`);
  writeFileSync(join(dir, 'dist/lib/tiny-1.js'), 'export const t = 1;\n');
  writeFileSync(join(dir, 'dist/lib/lazy-1.js'), noise(200_000));
  writeFileSync(join(dir, 'dist/index.html'), '<script type="module" crossorigin src="./assets/index-1.js"></script>');
  writeFileSync(join(dir, 'dist/assets/index-1.js'), 'const a = 1;\n');
  return dir;
}

const run = (root: string) => spawnSync(process.execPath, ['scripts/bundle-size.mjs', root], { encoding: 'utf8' });

it('passes under the limit, counting static imports only', () => {
  const result = run(fakeDist(50_000));
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(
    /^ok {3}library bundle dist\/lib\/optimizer-race\.js with shared-1\.js, tiny-1\.js: \d+\.\d KB gzipped \(\d+\.\d KB raw\), limit 120\.0 KB gzipped$/m,
  );
  expect(result.stdout).toMatch(/^ok {3}demo main chunk dist\/assets\/index-1\.js: /m);
  expect(result.stdout).not.toMatch(/lazy-1/);
});

it('fails above the limit with one line per bundle over it', () => {
  const result = run(fakeDist(200_000));
  expect(result.status).toBe(1);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^FAIL library bundle .*: 1[5-9]\d\.\d KB gzipped \(\d+\.\d KB raw\), limit 120\.0 KB gzipped$/);
  expect(lines[1]).toMatch(/^ok /);
});
