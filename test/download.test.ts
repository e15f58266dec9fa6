/**
 * `npm run data:mnist` against a local HTTP server (127.0.0.1, random port) serving small fake MNIST
 * files, with their checksums passed in: mirrors that fail, truncate, stall or serve wrong bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdxLabels } from '../src/data/idx';
import { kMnistFiles } from '../src/data/mnist-files';
import { ProgressBar, parseDownloadArgs, runDownloadCli } from '../src/data/node/download-cli';
import { checksumProblem, downloadMnist, type ChecksumTable } from '../src/data/node/download';
import { md5Hex } from '../src/data/node/files';
import { loadMnistDirectory } from '../src/data/node/mnist-dir';
import { fakeLabels, fakeMnistGz, gzip, writeFakeMnistDir } from './fixtures/idx-fixtures';

const kFiles = fakeMnistGz(50, 20, 7);
/** Valid files of the same format, one byte changed (the last label or pixel): they fail the checksum. */
const kWrongFiles = new Map(
  [...kFiles].map(([name, bytes]) => {
    const content = gunzipSync(bytes);
    content[content.length - 1] = (content[content.length - 1] + 1) % 10;
    return [name, gzip(content)];
  }),
);
const kChecksums: ChecksumTable = Object.fromEntries([...kFiles].map(([name, bytes]) => [name, { gz: md5Hex(bytes) }]));

type Behaviour = 'good' | 'fail' | 'truncated' | 'wrong' | 'stall' | 'nolength';
let server: Server;
let base: string;
let refusedUrl: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, behaviour, name] = (req.url ?? '').split('/') as [string, Behaviour, string];
    hits.set(`${behaviour}/${name}`, (hits.get(`${behaviour}/${name}`) ?? 0) + 1);
    const bytes = (behaviour === 'wrong' ? kWrongFiles : kFiles).get(name);
    if (!bytes || behaviour === 'fail') {
      res.writeHead(bytes ? 500 : 404).end('no');
      return;
    }
    if (behaviour === 'stall') {
      res.writeHead(200, { 'content-length': bytes.length }); // headers, then nothing until the client gives up
      res.flushHeaders();
      return;
    }
    if (behaviour === 'truncated') {
      res.writeHead(200, { 'content-length': bytes.length });
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.writeHead(200, behaviour === 'nolength' ? {} : { 'content-length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nobody listens on: connection refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  tmpDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const tmpDirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-download-test-'));
  tmpDirs.push(dir);
  return dir;
}

const mirror = (behaviour: Behaviour) => `${base}/${behaviour}/`;

function expectFakeFiles(dir: string): void {
  for (const [name, bytes] of kFiles) expect(readFileSync(join(dir, name)).equals(bytes)).toBe(true);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic: no leftovers
}

async function download(mirrors: string[], extra: Partial<Parameters<typeof downloadMnist>[0]> = {}) {
  const destination = tmp();
  const log: string[] = [];
  const outcomes = await downloadMnist({ destination, mirrors, checksums: kChecksums, log: (l) => log.push(l), ...extra });
  return { destination, log, outcomes };
}

describe('downloadMnist', () => {
  it('downloads the four files, reporting progress up to each Content-Length', async () => {
    const progress: [string, number, number | undefined][] = [];
    const { destination, outcomes } = await download([mirror('good')], { onProgress: (...p) => progress.push(p) });
    expect(outcomes.map((o) => [o.file, o.action, o.source])).toEqual(kMnistFiles.map((f) => [f.gzName, 'downloaded', `${base}/good/${f.gzName}`]));
    expectFakeFiles(destination);
    for (const [name, bytes] of kFiles) expect(progress.filter((p) => p[0] === name).at(-1)).toEqual([name, bytes.length, bytes.length]);
    const ds = await loadMnistDirectory(destination);
    expect([ds.trainCount, ds.testCount]).toEqual([50, 20]);
  });

  it.for([
    ['an HTTP 500', 'fail', /HTTP 500 Internal Server Error; trying the next mirror/],
    ['a truncated body (Content-Length larger than what arrives)', 'truncated', /connection lost after \d+ of \d+ bytes|truncated download/],
    [
      'a wrong checksum',
      'wrong',
      /checksum mismatch for train-images-idx3-ubyte.gz: md5 [0-9a-f]{32}, decompressed [0-9a-f]{32}; expected [0-9a-f]{32} \(the .gz file\)/,
    ],
  ] as const)('goes on to the next mirror after %s', async ([, behaviour, logged]) => {
    const { destination, log, outcomes } = await download([mirror(behaviour), mirror('good')]);
    expect(log.join('\n')).toMatch(logged);
    expect(outcomes.every((o) => o.source.startsWith(mirror('good')))).toBe(true);
    expect(hits.get(`${behaviour}/train-labels-idx1-ubyte.gz`)).toBeGreaterThanOrEqual(1);
    expectFakeFiles(destination);
  });

  it('goes on after a refused connection and after a mirror that stops sending', async () => {
    const { destination, log } = await download([refusedUrl, mirror('stall'), mirror('good')], { idleTimeoutMs: 300 });
    expect(log.join('\n')).toMatch(/ECONNREFUSED/);
    expect(log.join('\n')).toMatch(/stall\/train-images-idx3-ubyte.gz failed: no data for 0.3 s/);
    expectFakeFiles(destination);
  });

  it('accepts a server that sends no Content-Length', async () => {
    const { destination } = await download([mirror('nolength')]);
    expectFakeFiles(destination);
  });

  it("fails with every mirror's reason when none succeeds, and writes nothing", async () => {
    const destination = tmp();
    const attempt = downloadMnist({ destination, mirrors: [mirror('wrong'), mirror('fail')], checksums: kChecksums });
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `could not download train-images-idx3-ubyte.gz from any mirror:\\n  ${mirror('wrong')}train-images-idx3-ubyte.gz: ` +
          `checksum mismatch .*\\n  ${mirror('fail')}train-images-idx3-ubyte.gz: HTTP 500`,
      ),
    );
    expect(readdirSync(destination)).toEqual([]);
  });

  it('keeps files that are already present and valid, and replaces invalid ones', async () => {
    const { destination } = await download([mirror('good')]);
    writeFileSync(join(destination, 't10k-labels-idx1-ubyte.gz'), gzip(encodeIdxLabels(fakeLabels(3))));
    const before = hits.get('good/train-images-idx3-ubyte.gz') ?? 0;
    const again = await downloadMnist({ destination, mirrors: [mirror('good')], checksums: kChecksums });
    expect(again.map((o) => o.action)).toEqual(['present', 'present', 'present', 'downloaded']);
    expect(hits.get('good/train-images-idx3-ubyte.gz')).toBe(before);
    expectFakeFiles(destination);
  });

  it('--from DIR copies and verifies gz and raw files (raw ones are gzipped)', async () => {
    const from = tmp();
    const raw = writeFakeMnistDir(from, 12, 4, (role) => role !== 'testImages');
    const checksums: ChecksumTable = Object.fromEntries(kMnistFiles.map((f) => [f.gzName, { raw: md5Hex(raw[f.role]) }]));
    const destination = tmp();
    const outcomes = await downloadMnist({ destination, from, checksums, mirrors: [] });
    expect(outcomes.map((o) => o.action)).toEqual(['copied', 'copied', 'copied', 'copied']);
    expect(outcomes[2].source).toBe(join(from, 't10k-images-idx3-ubyte'));
    expect(readdirSync(destination).sort()).toEqual(kMnistFiles.map((f) => f.gzName).sort());
    const ds = await loadMnistDirectory(destination);
    expect([ds.trainCount, ds.testCount]).toEqual([12, 4]);

    rmSync(join(from, 'train-labels-idx1-ubyte.gz'));
    await expect(downloadMnist({ destination: tmp(), from, checksums })).rejects.toThrow(
      `--from ${from}: missing train-labels-idx1-ubyte[.gz] (nothing was copied)`,
    );
    writeFileSync(join(from, 'train-labels-idx1-ubyte.gz'), gzip(encodeIdxLabels(fakeLabels(11))));
    await expect(downloadMnist({ destination: tmp(), from, checksums })).rejects.toThrow(/train-labels-idx1-ubyte.gz: checksum mismatch/);
    await expect(downloadMnist({ destination: tmp(), from: join(from, 'nope'), checksums })).rejects.toThrow('no such folder');
  });

  it('checks the real MD5s by default and accepts a re-gzipped copy of the right data', async () => {
    const content = encodeIdxLabels(fakeLabels(5));
    expect(await checksumProblem('x.gz', gzip(content), { raw: md5Hex(content) })).toBeUndefined();
    expect(await checksumProblem('x.gz', gzip(content), { gz: '0'.repeat(32) })).toMatch(/^checksum mismatch for x.gz: /);
    expect(await checksumProblem('x.gz', gzip(content).subarray(0, 15), { raw: md5Hex(content) })).toMatch(/corrupt gzip data/);
    const realDefault = await downloadMnist({ destination: tmp(), mirrors: [mirror('good')] }).catch((e: Error) => e.message);
    expect(realDefault).toMatch(
      /checksum mismatch for train-images-idx3-ubyte.gz: .*expected f68b3c2dcbeaaa9fbdd348bbdeb94873 \(the .gz file\) or 6bbc9ace898e44ae57da46a324031adb \(decompressed\)/,
    );
  });
});

describe('the data:mnist command line', () => {
  it('parses its options and rejects bad ones', () => {
    expect(parseDownloadArgs(['--mirror', 'http://a/', '--mirror', 'https://b/', '--dest', 'd', '--force', '--timeout', '5'])).toMatchObject({
      mirrors: ['http://a/', 'https://b/'],
      dest: 'd',
      force: true,
      timeoutSeconds: 5,
    });
    expect(() => parseDownloadArgs(['--mirror', 'ftp://x/'])).toThrow('expected an http:// or https:// URL');
    expect(() => parseDownloadArgs(['--from'])).toThrow('--from needs a value');
    expect(() => parseDownloadArgs(['--timeout', '-1'])).toThrow('--timeout must be a positive number');
    expect(() => parseDownloadArgs(['--what'])).toThrow('unknown option --what');
  });

  it('draws a progress bar', () => {
    const bar = new ProgressBar({ write: () => undefined });
    expect(bar.line('t10k-labels-idx1-ubyte.gz', 2_500_000, 10_000_000)).toBe('t10k-labels-idx1-ubyte.gz    [######------------------]  25% 2.5/10.0 MB');
    expect(bar.line('x.gz', 1_200_000, undefined)).toBe(`${'x.gz'.padEnd(28)} 1.2 MB`);
  });

  it('runDownloadCli: exit 0 with a summary; exit 1 with the reasons; exit 2 on bad usage', async () => {
    const checksums = join(tmp(), 'sums.json');
    writeFileSync(checksums, JSON.stringify(Object.fromEntries(Object.entries(kChecksums).map(([n, c]) => [n, c.gz]))));
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, streams: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
    };
    const ok = io();
    const dest = tmp();
    expect(await runDownloadCli(['--mirror', mirror('fail'), '--mirror', mirror('good'), '--checksums', checksums, '--dest', dest], ok.streams)).toBe(0);
    expect(ok.out.stdout).toBe(`4 downloaded; ${dest} holds MNIST-format data: 50 training / 20 test images (28x28).\n`);
    expect(ok.out.stderr).toMatch(/train-images-idx3-ubyte.gz +\[#+\] 100%/);
    const bad = io();
    expect(await runDownloadCli(['--mirror', mirror('fail'), '--checksums', checksums, '--dest', tmp()], bad.streams)).toBe(1);
    expect(bad.out.stderr).toMatch(/data:mnist: could not download train-images-idx3-ubyte.gz from any mirror/);
    const usage = io();
    expect(await runDownloadCli(['--checksums'], usage.streams)).toBe(2);
    writeFileSync(checksums, '{"a.gz": "not-an-md5"}');
    expect(await runDownloadCli(['--checksums', checksums], usage.streams)).toBe(2);
    expect(usage.out.stderr).toMatch(/a.gz: expected a 32-digit hex md5/);
  });

  it('scripts/download-mnist.mjs runs as `npm run data:mnist` does, and exits non-zero when every mirror fails', async () => {
    const run = promisify(execFile);
    const checksums = join(tmp(), 'sums.json');
    writeFileSync(checksums, JSON.stringify(kChecksums));
    const dest = tmp();
    const { stdout } = await run(
      process.execPath,
      ['scripts/download-mnist.mjs', '--mirror', refusedUrl, '--mirror', mirror('good'), '--checksums', checksums, '--dest', dest],
      { timeout: 60_000 },
    );
    expect(stdout).toMatch(/^4 downloaded; /);
    expectFakeFiles(dest);
    const failed = await run(process.execPath, ['scripts/download-mnist.mjs', '--mirror', mirror('fail'), '--checksums', checksums, '--dest', tmp()], {
      timeout: 60_000,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/could not download train-images-idx3-ubyte.gz from any mirror/);
  });
});
