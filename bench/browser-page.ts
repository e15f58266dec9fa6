/**
 * Opens one of the benchmark's pages (bench/*.html) in headless Chromium on the launcher's Vite
 * server and waits for the report it leaves in `window[resultKey]`; the page's `[bench] ...`
 * console lines go to stderr as progress. Shared by the seed race's page and chapter 6's.
 */
import { chromium } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { errorMessage } from '../src/util/error-message';
import { kChromiumArgs, kChromiumPath } from '../test/setup/chromium';

export interface PageContext {
  server: ViteDevServer;
  stderr: NodeJS.WritableStream;
}

export async function openBenchPage(ctx: PageContext, page: string, query: URLSearchParams, timeoutMinutes: number, resultKey: string): Promise<unknown> {
  const address = ctx.server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite server is not listening on a TCP port');
  const url = `http://127.0.0.1:${address.port}/bench/${page}?${query}`;
  const browser = await chromium.launch({ executablePath: kChromiumPath, args: kChromiumArgs, headless: true });
  try {
    const tab = await browser.newPage();
    const pageErrors: string[] = [];
    tab.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('[bench] ')) ctx.stderr.write(`browser: ${text.slice(8)}\n`);
      else if (message.type() === 'error') pageErrors.push(text);
    });
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    // The timeout covers the first load too: Vite transforms the page (and TF.js) on demand, which takes over 30 s on a loaded machine.
    await tab.goto(url, { timeout: timeoutMinutes * 60_000 });
    const crashed = new Promise<never>((_, reject) => tab.on('crash', () => reject(new Error('the browser page crashed'))));
    const has = (key: string): boolean => (window as unknown as Record<string, unknown>)[key] !== undefined;
    await Promise.race([tab.waitForFunction(has, resultKey, { timeout: timeoutMinutes * 60_000, polling: 500 }), crashed]).catch((error: unknown) => {
      const detail = pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : '';
      throw new Error(`${errorMessage(error)}${detail}`);
    });
    return await tab.evaluate((key) => (window as unknown as Record<string, unknown>)[key], resultKey);
  } finally {
    await browser.close();
  }
}
