/**
 * The test files that take longest, heaviest first, as measured in a fresh clone's CI run
 * (test-results/vitest.json, `node scripts/test-times.mjs`). Vitest orders a project's files by
 * the durations it cached in an earlier run; a fresh clone has none, and its fallback (larger files
 * first) started the node project's 45 s bench smoke test 45 s late and beside the other one. The
 * sequencer (test/setup/sequencer.ts) starts these first, in this order, in every run; the files it
 * does not list keep Vitest's order after them. Two bench smoke tests (a Vite server and Chromium
 * each) sit apart, so that the node project's two workers do not run them side by side.
 */
export const kHeavyFirst = [
  // node (two at a time): the bench first; the other bench once the first three beside it are done
  'test/bench.test.ts',
  'test/cli-mnist.test.ts',
  'test/gpubench.test.ts',
  'test/chapter6-figures.test.ts',
  'test/bench-chapter6.test.ts',
  'test/cli-weights.test.ts',
  'test/mnist-race.test.ts',
  'test/cli-wasm.test.ts',
  'test/state-dict.test.ts',
  'test/weights-python.test.ts',
  'test/torch-peer.test.ts',
  // e2e (one at a time)
  'test/page.test.ts',
  'test/embed-csp.test.ts',
  'test/embed-control.test.ts',
  'test/firefox-embed.test.ts',
  'test/a11y.test.ts',
  'test/embed-fallback.test.ts',
  // browser (one at a time)
  'test/optimizer-race.browser.test.ts',
  'test/device-loss.browser.test.ts',
  'test/optimizer-race-leak.browser.test.ts',
  'test/optimizer-race-backend.browser.test.ts',
  'test/optimizer-race-sweep.browser.test.ts',
  'test/optimizer-race-settings.browser.test.ts',
];
