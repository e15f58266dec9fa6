/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { playwright } from '@vitest/browser-playwright';
import { embeddedMnistPlugin } from './src/data/embedded-mnist-plugin.ts';
import { kCrossOriginIsolationHeaders } from './src/isolation-headers.ts';
import { raceWasmPlugin } from './src/wasm/asc-plugin.ts';
import { wgslMinifyPlugin } from './src/gpu/wgsl-minify-plugin.ts';
import { ffprobe } from './test/setup/ffprobe-command.ts';

/** Headless Chromium with WebGPU on SwiftShader (works without a GPU; a real GPU is used when present). */
export const kChromiumArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const kChromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  base: './',
  // Builds the embedded MNIST subset (public/data/embedded/, not committed) when it is missing.
  plugins: [embeddedMnistPlugin(), raceWasmPlugin(), wgslMinifyPlugin()],
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
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts'],
          // Drops Dawn's two adapter warnings from the workers' stderr; builds dist/, dist/lib/ and
          // dist-cli/ once (unless `npm run build` just did) and serves the demo to every file.
          globalSetup: ['test/setup/quiet-dawn.ts', 'test/setup/build-once.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // One GPU device per file; Dawn on lavapipe is CPU-bound, so files run one at a time.
          // (Two at a time, beside the browser project, cut little on 2 cores and let a Firefox
          // control-API test starve past its 90 s step once: the files are safe to run in
          // parallel, since servers take free ports and scratch folders are per file.)
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          // Tests read CI from here: a missing WebGPU adapter fails under CI instead of skipping.
          env: { VITE_CI: process.env.CI ?? '' },
          include: ['test/**/*.browser.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          // One file at a time in one Chromium, beside the node project's files (the same
          // top-level fileParallelism: Vitest runs a project whose setting differs after the others).
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: kChromiumPath, args: kChromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            // Node-side helpers the browser tests call through `commands`.
            commands: { ffprobe },
          },
        },
      },
    ],
  },
});
