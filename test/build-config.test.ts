/**
 * What the build configs promise, checked on the configs themselves (the bundles are built once per
 * run by test/setup/build-once.ts, outside Vitest): the library bundle ships Lit's production build
 * even when built under NODE_ENV=test (as inside Vitest), and the dev server and `vite preview` send
 * the cross-origin isolation headers (the tests' demo server sends the same ones).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import { kCrossOriginIsolationHeaders } from '../src/isolation-headers';

const kRoot = fileURLToPath(new URL('..', import.meta.url));

describe('the build configs', () => {
  it("vite.lib.config.ts resolves Lit's production build under NODE_ENV=test", async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const config = await resolveConfig({ configFile: join(kRoot, 'vite.lib.config.ts'), root: kRoot, logLevel: 'silent' }, 'build');
    const resolve = config.createResolver({ asSrc: false });
    const importer = join(kRoot, 'src', 'lib.ts');
    for (const id of ['lit', 'lit-html', '@lit/reactive-element']) {
      const resolved = await resolve(id, importer);
      expect(resolved, id).toBeDefined();
      // Lit's packages export their dev mode (warnings, extra checks) under the "development" condition.
      expect(dirname(resolved!), id).not.toMatch(/[\\/]development$/);
    }
  });

  it('vite.config.ts sends the cross-origin isolation headers from the dev server and vite preview', async () => {
    const config = await resolveConfig({ configFile: join(kRoot, 'vite.config.ts'), root: kRoot, logLevel: 'silent' }, 'serve');
    expect(config.server.headers).toMatchObject(kCrossOriginIsolationHeaders);
    expect(config.preview.headers).toMatchObject(kCrossOriginIsolationHeaders);
  });
});
