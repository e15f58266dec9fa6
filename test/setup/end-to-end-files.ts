/**
 * The node test files that drive a browser (Chromium or Firefox, directly or through `npm run
 * bench`). Those here load both cores by themselves, so vite.config.ts runs them one at a time in
 * the `e2e` project, beside the browser projects' files, never beside each other or beside the
 * `node` project's files. test/test-projects.test.ts checks the two lists against what the files
 * import.
 */
export const kEndToEndFiles = [
  'test/a11y.test.ts',
  'test/embed.test.ts',
  'test/embed-control.test.ts',
  'test/embed-csp.test.ts',
  'test/embed-fallback.test.ts',
  'test/firefox-demo.test.ts',
  'test/firefox-embed.test.ts',
  'test/page.test.ts',
];

/**
 * The benchmark's smoke tests (`npm run bench` end to end: a Vite server, headless Chromium,
 * numpy and PyTorch, one after another) run in the `node` project instead, beside its other files:
 * each waits on one process at a time and asserts no time, and there they fill what the e2e stream
 * would otherwise carry alone (it is the run's longest).
 */
export const kBenchEndToEndFiles = ['test/bench.test.ts', 'test/bench-chapter6.test.ts'];

/** What in a node test file's source says it drives a browser. */
export const kDrivesBrowser = /\b(playwright-core|puppeteer-core)\b|fixtures\/(demo-server|firefox)\b|setup\/chromium\b|scripts\/bench\.mjs/;

/**
 * What in a test file's source mocks a module. No test file may: the node and browser projects share
 * one module graph between their files, where a mock would miss a module already loaded (the tests
 * use seams instead: test/fixtures/cli-in-process.ts, test/fixtures/browser-gpu.ts).
 */
export const kMocksModule = /\bvi\.(mock|doMock|unmock|resetModules)\(/;
