/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { playwright } from '@vitest/browser-playwright';
import { embeddedMnistPlugin } from './src/data/embedded-mnist-plugin.ts';
import { kCrossOriginIsolationHeaders } from './src/isolation-headers.ts';
import { raceWasmPlugin } from './src/wasm/asc-plugin.ts';
import { wgslMinifyPlugin } from './src/gpu/wgsl-minify-plugin.ts';
import { literalMinifyPlugin } from './src/ui/literal-minify-plugin.ts';
import { kChromiumArgs, kChromiumPath } from './test/setup/chromium.ts';
import HeavyFirstSequencer from './test/setup/sequencer.ts';
import { kEndToEndFiles } from './test/setup/end-to-end-files.ts';
import { ffprobe } from './test/setup/ffprobe-command.ts';

/**
 * What the node projects share. Vitest runs the projects in two groups (sequence.groupOrder), in
 * turn: first `node` (two files at a time; maxWorkers 2; the bench's smoke tests among them), then
 * `e2e` beside `browser` (one file at a time each). So both cores stay busy for the whole run, and
 * no more than two things that load them run at once.
 */
const kNodeProject: { environment: 'node'; globalSetup: string[]; testTimeout: number; hookTimeout: number } = {
  environment: 'node',
  // Drops Dawn's two adapter warnings from the workers' stderr; builds dist/, dist/lib/ and
  // dist-cli/ once (unless `npm run build` just did; the second project's setup finds them fresh)
  // and serves the demo to every file.
  globalSetup: ['test/setup/quiet-dawn.ts', 'test/setup/build-once.ts'],
  testTimeout: 120_000,
  hookTimeout: 60_000,
};

/** The browser-mode project in headless Chromium (SwiftShader's WebGPU), one file at a time. */
function browserProject(name: string, files: { include: string[]; isolate: boolean; groupOrder: number }) {
  return {
    extends: true as const,
    test: {
      name,
      // Tests read CI from here: a missing WebGPU adapter fails under CI instead of skipping.
      env: { VITE_CI: process.env.CI ?? '' },
      include: files.include,
      testTimeout: 180_000,
      hookTimeout: 60_000,
      fileParallelism: false,
      isolate: files.isolate,
      sequence: { groupOrder: files.groupOrder },
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({ launchOptions: { executablePath: kChromiumPath, args: kChromiumArgs } }),
        instances: [{ browser: 'chromium' as const }],
        // Node-side helpers the browser tests call through `commands`.
        commands: { ffprobe },
      },
    },
  };
}

export default defineConfig({
  base: './',
  // Builds the embedded MNIST subset (public/data/embedded/, not committed) when it is missing.
  plugins: [embeddedMnistPlugin(), raceWasmPlugin(), wgslMinifyPlugin(), literalMinifyPlugin()],
  build: { target: 'es2022' },
  // Workers are bundled on their own: the race worker imports the wasm engine's virtual module too.
  worker: { format: 'es', plugins: () => [raceWasmPlugin()] },
  // Cross-origin isolated, so the WebAssembly engine may run on several threads.
  server: { host: '127.0.0.1', headers: { ...kCrossOriginIsolationHeaders } },
  preview: { headers: { ...kCrossOriginIsolationHeaders } },
  // Pre-bundled up front: discovering them mid-test makes Vite reload the page under test.
  optimizeDeps: {
    include: [
      'd3-contour',
      'jsep',
      'lit',
      'lit/decorators.js',
      'lit/async-directive.js',
      'lit/directive.js',
      'lit/directives/repeat.js',
      'uplot',
      'gifenc',
      'mediabunny',
    ],
  },
  test: {
    // The slowest files first in every run, a fresh clone's too (test/setup/heavy-first.ts).
    sequence: { sequencer: HeavyFirstSequencer },
    projects: [
      // Node files that need no browser: two at a time, first (before the two streams below).
      {
        extends: true,
        test: {
          name: 'node',
          ...kNodeProject,
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts', ...kEndToEndFiles],
          maxWorkers: 2,
          // The files share one module graph per worker (no re-import of src/ per file: the phase's
          // ~90 files spent a fifth of it importing). So no node file may mock a module (vi.mock);
          // test/test-projects.test.ts checks that.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      // Node files that drive a browser: one at a time, beside the browser project's files.
      {
        extends: true,
        test: { name: 'e2e', ...kNodeProject, include: kEndToEndFiles, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      // Browser files, one at a time in one Chromium, beside the e2e project's files (same group
      // order and maxWorkers, so Vitest runs the two side by side, after the node project). They
      // share one page and module graph (isolate: false: each file re-imported lit, the charts and
      // src/ into a fresh iframe, a quarter of the stream), so no browser file may mock a module:
      // the platform's edges have seams instead (test/fixtures/browser-gpu.ts), and
      // test/test-projects.test.ts checks that.
      browserProject('browser', { include: ['test/**/*.browser.test.ts'], isolate: false, groupOrder: 1 }),
    ],
  },
});
