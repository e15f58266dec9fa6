/**
 * vite.config.ts runs the node files that drive a browser one at a time (project `e2e`) and the
 * others two at a time (project `node`): a new file that launches a browser must be on the e2e
 * list (or, for the bench's smoke tests, on the bench list), or it would run beside another file
 * and load the two cores three ways. The node and browser projects share modules between their
 * files (isolate: false), where a module mock would miss a module already loaded: no test file
 * mocks one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kBenchEndToEndFiles, kDrivesBrowser, kEndToEndFiles, kMocksModule } from './setup/end-to-end-files';

const kTestDir = fileURLToPath(new URL('.', import.meta.url));
const testFiles = readdirSync(kTestDir)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/${name}`)
  // This file names the patterns it checks.
  .filter((file) => file !== 'test/test-projects.test.ts');
const nodeFiles = testFiles.filter((file) => !file.endsWith('.browser.test.ts'));
const source = (file: string): string => readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8');

describe('the test projects', () => {
  it('lists exactly the node files that drive a browser as e2e (the bench smoke tests apart)', () => {
    const driving = nodeFiles.filter((file) => kDrivesBrowser.test(source(file)));
    expect([...kEndToEndFiles, ...kBenchEndToEndFiles].sort()).toEqual(driving.sort());
  });

  it('recognises a browser launch however it is imported', () => {
    for (const source of [
      "import { chromium } from 'playwright-core';",
      "import puppeteer from 'puppeteer-core';",
      "import { startDemoServer } from './fixtures/demo-server';",
      "import { launchFirefox } from './fixtures/firefox';",
      "import { kChromiumPath } from './setup/chromium';",
      "spawn(process.execPath, ['scripts/bench.mjs', '--chapter6'])",
    ])
      expect(kDrivesBrowser.test(source), source).toBe(true);
    expect(kDrivesBrowser.test("import { runInProcess } from './fixtures/cli-in-process';")).toBe(false);
  });

  it('has no test file that mocks a module (the node and browser projects do not isolate their files)', () => {
    expect(testFiles.filter((file) => kMocksModule.test(source(file)))).toEqual([]);
    expect(kMocksModule.test("vi.mock('../src/gpu/device', { spy: true });")).toBe(true);
  });
});
