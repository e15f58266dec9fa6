/** MNIST data: the IDX reader, the dataset, the fetch and folder loaders, and the embedded asset. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedMnistPlugin } from '../src/data/embedded-mnist-plugin';
import { createMnistDataset, describeDataset, imagePixels, labelCounts, normalizedPixels } from '../src/data/dataset';
import { digitsToPixels, kEmbeddedSplitSeed, splitEmbeddedDigits, stratifiedQuotas } from '../src/data/embedded-split';
import { encodeIdxImages, encodeIdxLabels, gunzip, parseIdxImages, parseIdxLabels, readIdxImages, readIdxLabels } from '../src/data/idx';
import { detectDataset, loadEmbeddedMnist, loadFullMnist, MnistNotFoundError, type LoadProgress } from '../src/data/load';
import { kMnistFiles } from '../src/data/mnist-files';
import { embeddedMnistIsCurrent, ensureEmbeddedMnist, readMnistPackageDigits, writeEmbeddedMnist } from '../src/data/node/build-embedded';
import { checksumProblem, defaultChecksums } from '../src/data/node/download';
import { md5Hex } from '../src/data/node/files';
import { detectDatasetOnDisk, loadEmbeddedMnistFromDisk, loadMnistDirectory } from '../src/data/node/mnist-dir';
import { fakeLabels, fakeMnistGz, fakePixels, gzip, writeFakeMnistDir } from './fixtures/idx-fixtures';

const tmpDirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-data-test-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => tmpDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const images5 = encodeIdxImages(fakePixels(5), 5, 28, 28);
const labels5 = encodeIdxLabels(Uint8Array.of(3, 1, 4, 1, 5));

/** Fast byte comparison: toEqual walks megabyte arrays element by element, which takes minutes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function pixelRange(pixels: Uint8Array): [number, number] {
  let [lo, hi] = [255, 0];
  for (const p of pixels) [lo, hi] = [Math.min(lo, p), Math.max(hi, p)];
  return [lo, hi];
}

function withWord(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  new DataView(copy.buffer).setUint32(offset, value);
  return copy;
}

describe('IDX reader', () => {
  it('parses raw IDX3 images and IDX1 labels (big-endian header)', () => {
    const images = parseIdxImages(images5, 'x');
    expect(images.name).toBe('x');
    expect([images.count, images.rows, images.cols]).toEqual([5, 28, 28]);
    expect(images.pixels).toEqual(fakePixels(5));
    expect(images.pixels.byteOffset).toBe(0);
    expect(Array.from(images5.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28]);
    expect(parseIdxLabels(labels5).labels).toEqual(Uint8Array.of(3, 1, 4, 1, 5));
  });

  it('parses gzipped files identically (detected by the 0x1f 0x8b header)', async () => {
    expect(await readIdxImages(gzip(images5))).toEqual(parseIdxImages(images5));
    expect(await readIdxLabels(gzip(labels5))).toEqual(parseIdxLabels(labels5));
    expect(await readIdxImages(images5)).toEqual(parseIdxImages(images5)); // raw passes through
  });

  const sync = (f: () => unknown) => async () => f();
  it.for([
    ['labels given as images', sync(() => parseIdxImages(labels5, 'f')), 'f: not an IDX image file: magic 2049, expected 2051'],
    ['bad image magic', sync(() => parseIdxImages(withWord(images5, 0, 1234), 'f')), 'f: not an IDX image file: magic 1234, expected 2051'],
    ['bad label magic', sync(() => parseIdxLabels(withWord(labels5, 0, 1234), 'f')), 'f: not an IDX label file: magic 1234, expected 2049'],
    ['an empty file', sync(() => parseIdxImages(new Uint8Array(0), 'f')), 'f: not an IDX image file: only 0 bytes'],
    ['a truncated header', sync(() => parseIdxImages(images5.subarray(0, 10), 'f')), 'f: truncated IDX header: expected 16 bytes, got 10'],
    [
      'truncated images',
      sync(() => parseIdxImages(images5.subarray(0, 3000), 'f')),
      `f: truncated: expected ${16 + 5 * 784} bytes for 5 images of 28x28, got 3000`,
    ],
    ['truncated labels', sync(() => parseIdxLabels(labels5.subarray(0, 11), 'f')), 'f: truncated: expected 13 bytes for 5 labels, got 11'],
    [
      'a count that is too small for the data',
      sync(() => parseIdxImages(withWord(images5, 4, 4), 'f')),
      `f: count mismatch: the header declares 4 images of 28x28 (${16 + 4 * 784} bytes) but the file has ${16 + 5 * 784} bytes`,
    ],
    [
      'a count that is too large for the data',
      sync(() => parseIdxLabels(withWord(labels5, 4, 9999), 'f')),
      'f: truncated: expected 10007 bytes for 9999 labels, got 13',
    ],
    [
      'corrupt gzip',
      () =>
        readIdxImages(
          (() => {
            const g = gzip(images5);
            g.fill(0x55, 20, 40);
            return g;
          })(),
          'f.gz',
        ),
      'f.gz: corrupt gzip data: the file is damaged or truncated',
    ],
    ['truncated gzip', () => readIdxLabels(gzip(labels5).subarray(0, 20), 'f.gz'), 'f.gz: corrupt gzip data: the file is damaged or truncated'],
    // A label above 9 and images that are not 28x28 are the data set's concern: test/mnist-validate.test.ts.
  ] as const)('rejects %s with a clear message', async ([, parse, message]) => {
    await expect(parse()).rejects.toThrow(message);
  });

  it('gunzip round-trips large data', async () => {
    const big = fakePixels(200);
    expect(sameBytes(await gunzip(gzip(big)), big)).toBe(true);
  });
});

describe('dataset', () => {
  const parts = (trainImages: number, trainLabels: number, testImages = 4, testLabels = 4) => ({
    trainImages: parseIdxImages(encodeIdxImages(fakePixels(trainImages), trainImages, 28, 28)),
    trainLabels: parseIdxLabels(encodeIdxLabels(fakeLabels(trainLabels))),
    testImages: parseIdxImages(encodeIdxImages(fakePixels(testImages), testImages, 28, 28)),
    testLabels: parseIdxLabels(encodeIdxLabels(fakeLabels(testLabels))),
  });

  it('joins the four files and offers views, counts and a description', () => {
    const ds = createMnistDataset(parts(10, 10), 'custom');
    expect([ds.trainCount, ds.testCount, ds.rows, ds.cols, ds.source]).toEqual([10, 4, 28, 28, 'custom']);
    expect(imagePixels(ds, 'train', 2)).toEqual(fakePixels(10).subarray(2 * 784, 3 * 784));
    expect(() => imagePixels(ds, 'test', 4)).toThrow('image 4 is outside the test split (0..3)');
    expect(labelCounts(ds.trainLabels)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(normalizedPixels(Uint8Array.of(0, 51, 255))).toEqual(Float32Array.of(0, 0.2, 1));
    expect(describeDataset({ ...ds, source: 'full', trainCount: 60000, testCount: 10000 })).toBe('full MNIST: 60,000 training / 10,000 test images (28x28)');
  });

  it('rejects images and labels that disagree', () => {
    expect(() => createMnistDataset(parts(10, 9), 'custom')).toThrow('the training split: images has 10 images but labels has 9 labels');
    expect(() => createMnistDataset(parts(10, 10, 4, 5), 'custom')).toThrow('the test split: images has 4 images but labels has 5 labels');
    const mixed = { ...parts(2, 2), testImages: parseIdxImages(encodeIdxImages(new Uint8Array(2 * 16), 2, 4, 4), 't10k') };
    mixed.testLabels = parseIdxLabels(encodeIdxLabels(fakeLabels(2)));
    expect(() => createMnistDataset(mixed, 'custom')).toThrow('t10k: images are 4x4; MNIST images are 28x28');
  });
});

describe("folder loader (the CLI's --data DIR)", () => {
  it('reads the four standard names, gz or raw, in any mix', async () => {
    const dir = tmp();
    const raw = writeFakeMnistDir(dir, 30, 12, (role) => role === 'trainImages' || role === 'testLabels');
    const ds = await loadMnistDirectory(dir);
    expect([ds.trainCount, ds.testCount, ds.source]).toEqual([30, 12, 'custom']);
    expect(ds.trainImages).toEqual(raw.trainImages.subarray(16));
    expect(ds.testLabels).toEqual(fakeLabels(12));
  });

  it('names the missing files', async () => {
    const dir = tmp();
    writeFakeMnistDir(dir, 3, 2);
    rmSync(join(dir, 't10k-images-idx3-ubyte.gz'));
    await expect(loadMnistDirectory(dir)).rejects.toThrow(`MNIST folder ${dir} lacks t10k-images-idx3-ubyte[.gz]; it needs the four standard files`);
  });

  it('rejects a folder whose images and labels disagree, and unexpected split sizes', async () => {
    const dir = tmp();
    writeFakeMnistDir(dir, 10, 4);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzip(encodeIdxLabels(fakeLabels(9))));
    await expect(loadMnistDirectory(dir)).rejects.toThrow(
      `the training split: ${join(dir, 'train-images-idx3-ubyte.gz')} has 10 images but ${join(dir, 'train-labels-idx1-ubyte.gz')} has 9 labels`,
    );
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzip(encodeIdxLabels(fakeLabels(10))));
    await expect(loadMnistDirectory(dir, { expectedCounts: { train: 60000, test: 10000 } })).rejects.toThrow(
      `${dir}: expected 60000 training and 10000 test images, got 10 and 4`,
    );
  });

  it('detectDatasetOnDisk prefers --data, then public/data/mnist, then the embedded set', async () => {
    const custom = tmp();
    writeFakeMnistDir(custom, 10, 5);
    expect((await detectDatasetOnDisk({ dataDir: custom })).trainCount).toBe(10);
    const publicDir = tmp();
    const embedded = await detectDatasetOnDisk({ publicDir });
    expect([embedded.source, embedded.trainCount, embedded.testCount]).toEqual(['embedded', 8000, 2000]);
    writeFakeMnistDir(join(publicDir, 'data/mnist'), 10, 5); // not 60,000/10,000: rejected, not silently used
    await expect(detectDatasetOnDisk({ publicDir })).rejects.toThrow('expected 60000 training and 10000 test images, got 10 and 5');
  });
});

/** A fetch over an in-memory site: path -> bytes, or an HTTP status. */
function fakeFetch(site: Map<string, Uint8Array | number | 'html'>, requested: string[] = [], decodedOnTheFly = false) {
  return async (url: string): Promise<Response> => {
    requested.push(url);
    const entry = site.get(url);
    if (entry === undefined) return new Response('not found', { status: 404 });
    if (entry === 'html') return new Response('<!doctype html><title>app</title>', { headers: { 'content-type': 'text/html' } });
    if (typeof entry === 'number') return new Response('error', { status: entry });
    // Two chunks per file, so progress is reported in steps.
    const half = entry.length >> 1;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(entry.slice(0, half));
        c.enqueue(entry.slice(half));
        c.close();
      },
    });
    if (decodedOnTheFly) {
      // As Vite's dev server: Content-Encoding: gzip and the compressed length; fetch hands over the decoded bytes.
      return new Response(body, { headers: { 'content-length': String(entry.length >> 2), 'content-encoding': 'gzip' } });
    }
    return new Response(body, { headers: { 'content-length': String(entry.length), 'content-type': 'application/gzip' } });
  };
}

function siteWith(folder: string, files: Map<string, Uint8Array>, site = new Map<string, Uint8Array | number | 'html'>()) {
  for (const [name, bytes] of files) site.set(`${folder}/${name}`, bytes);
  return site;
}

describe('fetch loader (the browser app)', () => {
  it('loads a folder with progress that rises to the total of the Content-Lengths', async () => {
    const files = fakeMnistGz(40, 10);
    const progress: LoadProgress[] = [];
    const ds = await loadEmbeddedMnist({
      fetch: fakeFetch(siteWith('/app/data/embedded', files)),
      baseUrl: '/app/',
      expectedCounts: null,
      onProgress: (p) => progress.push(p),
    });
    expect([ds.source, ds.trainCount, ds.testCount]).toEqual(['embedded', 40, 10]);
    const total = [...files.values()].reduce((n, f) => n + f.length, 0);
    expect(progress.length).toBeGreaterThanOrEqual(9);
    expect(progress.every((p) => p.totalBytes === total)).toBe(true);
    expect(progress.map((p) => p.loadedBytes)).toEqual([...progress.map((p) => p.loadedBytes)].sort((a, b) => a - b));
    expect(progress.at(-1)?.loadedBytes).toBe(total);
  });

  it("knows the total from the IDX headers when the server decodes gzip on the fly (Vite's dev server)", async () => {
    const raw = new Map([...fakeMnistGz(40, 10)].map(([name, gz]) => [name, gunzipSync(gz)]));
    const progress: LoadProgress[] = [];
    const ds = await loadFullMnist({
      fetch: fakeFetch(siteWith('/data/mnist', raw), [], true),
      baseUrl: '/',
      expectedCounts: null,
      onProgress: (p) => progress.push(p),
    });
    expect([ds.source, ds.trainCount]).toEqual(['full', 40]);
    const total = [...raw.values()].reduce((n, f) => n + f.length, 0);
    expect(progress[0].totalBytes).toBeUndefined();
    expect(progress.at(-1)).toEqual({ loadedBytes: total, totalBytes: total });
  });

  it('rejects split sizes other than the expected ones (embedded: 8,000/2,000)', async () => {
    const fetch = fakeFetch(siteWith('./data/embedded', fakeMnistGz(40, 10)));
    await expect(loadEmbeddedMnist({ fetch, baseUrl: './' })).rejects.toThrow('expected 8000 training and 2000 test images, got 40 and 10');
  });

  it('says how to generate the embedded asset when it is missing', async () => {
    await expect(loadEmbeddedMnist({ fetch: fakeFetch(new Map()), baseUrl: '/' })).rejects.toThrow(
      /data\/embedded\/train-images-idx3-ubyte.gz: HTTP 404.*npm run data:embedded/,
    );
  });

  it('detectDataset falls back to the embedded set when full MNIST is absent (404 or an HTML fallback page)', async () => {
    const embedded = await loadEmbeddedMnistFromDisk({ publicDir: sharedPublicDir() });
    const embeddedFiles = new Map(kMnistFiles.map((f) => [f.gzName, new Uint8Array(readFileSync(join(sharedPublicDir(), 'data/embedded', f.gzName)))]));
    const site = siteWith('/data/embedded', embeddedFiles);
    const ds = await detectDataset({ fetch: fakeFetch(site), baseUrl: '/' });
    expect([ds.source, ds.trainCount, ds.testCount]).toEqual(['embedded', 8000, 2000]);
    expect(sameBytes(ds.trainImages, embedded.trainImages)).toBe(true);
    for (const f of kMnistFiles) site.set(`/data/mnist/${f.gzName}`, 'html');
    expect((await detectDataset({ fetch: fakeFetch(site), baseUrl: '/' })).source).toBe('embedded');
  });

  it('detectDataset trusts data/datasets.json: {"full": false} loads the embedded set without probing data/mnist', async () => {
    const embeddedFiles = new Map(kMnistFiles.map((f) => [f.gzName, new Uint8Array(readFileSync(join(sharedPublicDir(), 'data/embedded', f.gzName)))]));
    const site = siteWith('/data/embedded', embeddedFiles);
    site.set('/data/datasets.json', new TextEncoder().encode('{"full":false}'));
    const requested: string[] = [];
    const ds = await detectDataset({ fetch: fakeFetch(site, requested), baseUrl: '/' });
    expect(ds.source).toBe('embedded');
    expect(requested.filter((u) => u.includes('/data/mnist/'))).toEqual([]);
    // A garbled index counts as none: probe as before.
    site.set('/data/datasets.json', 'html');
    const probed: string[] = [];
    expect((await detectDataset({ fetch: fakeFetch(site, probed), baseUrl: '/' })).source).toBe('embedded');
    expect(probed.some((u) => u.includes('/data/mnist/'))).toBe(true);
  });

  it('detectDataset uses full MNIST (60,000/10,000) when present, and reports corrupt full data instead of hiding it', async () => {
    const full = fakeMnistGz(0, 0);
    const blank = (count: number) => gzip(encodeIdxImages(new Uint8Array(count * 784), count, 28, 28));
    full.set('train-images-idx3-ubyte.gz', blank(60000));
    full.set('train-labels-idx1-ubyte.gz', gzip(encodeIdxLabels(fakeLabels(60000))));
    full.set('t10k-images-idx3-ubyte.gz', blank(10000));
    full.set('t10k-labels-idx1-ubyte.gz', gzip(encodeIdxLabels(fakeLabels(10000))));
    const site = siteWith('/data/mnist', full);
    const ds = await detectDataset({ fetch: fakeFetch(site), baseUrl: '/' });
    expect([ds.source, ds.trainCount, ds.testCount]).toEqual(['full', 60000, 10000]);
    site.set('/data/mnist/t10k-labels-idx1-ubyte.gz', gzip(encodeIdxLabels(fakeLabels(9999))));
    await expect(detectDataset({ fetch: fakeFetch(site), baseUrl: '/' })).rejects.toThrow(
      'the test split: /data/mnist/t10k-images-idx3-ubyte.gz has 10000 images but /data/mnist/t10k-labels-idx1-ubyte.gz has 9999 labels',
    );
    site.set('/data/mnist/t10k-labels-idx1-ubyte.gz', 500);
    await expect(loadFullMnist({ fetch: fakeFetch(site), baseUrl: '/' })).rejects.toThrow('/data/mnist/t10k-labels-idx1-ubyte.gz: HTTP 500');
    site.delete('/data/mnist/t10k-labels-idx1-ubyte.gz');
    await expect(loadFullMnist({ fetch: fakeFetch(site), baseUrl: '/' })).rejects.toBeInstanceOf(MnistNotFoundError);
  });
});

let sharedPublic: string | undefined;
/** One built embedded asset for the tests that only read it. */
function sharedPublicDir(): string {
  sharedPublic ??= tmp();
  return sharedPublic;
}

describe("embedded asset (the mnist package's 10,000 digits)", () => {
  const digits = readMnistPackageDigits();

  it("converts the package's [0, 1] floats back to the exact uint8 pixels", () => {
    const { pixels, labels } = digitsToPixels(digits);
    expect(labels.length).toBe(10000);
    expect(labelCounts(labels)).toEqual(digits.map((d) => d.length / 784));
    const start =
      labelCounts(labels)
        .slice(0, 3)
        .reduce((a, b) => a + b, 0) * 784;
    for (let i = 0; i < digits[3].length; i += 97) {
      expect(Math.abs(pixels[start + i] / 255 - digits[3][i])).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
    expect(() => digitsToPixels([[0.5, 2]], 2)).toThrow('mnist digits 0: value 2 at 1 is outside [0, 1]');
    expect(() => digitsToPixels([[0.5, 0.5, 0.5]], 2)).toThrow('3 values is not a whole number of 2-pixel images');
  });

  it('splits 8,000 / 2,000, stratified, disjoint, every label in both, pixels 0..255', () => {
    const split = splitEmbeddedDigits(digits);
    expect([split.train.count, split.test.count]).toEqual([8000, 2000]);
    const classCounts = digits.map((d) => d.length / 784);
    expect(labelCounts(split.test.labels)).toEqual(stratifiedQuotas(classCounts, 2000));
    labelCounts(split.test.labels).forEach((n, c) => expect(Math.abs(n - classCounts[c] * 0.2)).toBeLessThan(1));
    expect(labelCounts(split.train.labels).every((n) => n > 600)).toBe(true);
    const all = new Set([...split.train.sourceIndex, ...split.test.sourceIndex]);
    expect(all.size).toBe(10000);
    for (const set of [split.train, split.test]) {
      expect(pixelRange(set.pixels)).toEqual([0, 255]);
      expect(set.labels.slice(0, 20).some((l) => l !== set.labels[0])).toBe(true); // shuffled, not class by class
    }
    const { pixels } = digitsToPixels(digits);
    const k = 1234;
    const src = split.train.sourceIndex[k];
    expect(split.train.pixels.subarray(k * 784, (k + 1) * 784)).toEqual(pixels.subarray(src * 784, (src + 1) * 784));
    expect(splitEmbeddedDigits(digits, kEmbeddedSplitSeed + 1).test.sourceIndex).not.toEqual(split.test.sourceIndex);
    expect(stratifiedQuotas([1, 1, 1], 2)).toEqual([1, 1, 0]);
  });

  it('builds the asset the loaders read', async () => {
    const a = join(sharedPublicDir(), 'data/embedded');
    const manifest = await writeEmbeddedMnist(a);
    for (const f of kMnistFiles) expect(md5Hex(readFileSync(join(a, f.gzName)))).toBe(manifest.files[f.gzName]);
    const ds = await loadEmbeddedMnistFromDisk({ publicDir: sharedPublicDir() });
    expect([ds.source, ds.trainCount, ds.testCount, ds.rows, ds.cols]).toEqual(['embedded', 8000, 2000, 28, 28]);
    const split = splitEmbeddedDigits(digits);
    expect(sameBytes(ds.trainImages, split.train.pixels)).toBe(true);
    expect(sameBytes(ds.testLabels, split.test.labels)).toBe(true);
  });

  // The plugin's build is the second, independent one: the same bytes show the build deterministic.
  it('the Vite plugin writes the asset into an empty public dir at buildStart, the same bytes again, and skips a current one', async () => {
    const publicDir = tmp();
    const plugin = embeddedMnistPlugin();
    const messages: string[] = [];
    // The hooks are called by hand with just the fields they read, so the types are loosened here.
    const hook = (h: unknown) => h as (this: unknown, ...args: unknown[]) => Promise<void> | void;
    await hook(plugin.configResolved).call({}, { publicDir });
    await hook(plugin.buildStart).call({ info: (m: string) => messages.push(m) });
    expect(messages).toEqual([`embedded MNIST asset written to ${join(publicDir, 'data/embedded')}`]);
    expect(await embeddedMnistIsCurrent(join(publicDir, 'data/embedded'))).toBe(true);
    const first = join(sharedPublicDir(), 'data/embedded');
    for (const f of [...kMnistFiles.map((m) => m.gzName), 'manifest.json']) {
      expect(readFileSync(join(publicDir, 'data/embedded', f)).equals(readFileSync(join(first, f))), f).toBe(true);
    }
    const again = embeddedMnistPlugin();
    await hook(again.configResolved).call({}, { publicDir });
    await hook(again.configureServer).call({}, { config: { logger: { info: (m: string) => messages.push(m) } } });
    expect(messages).toHaveLength(1); // already current: nothing written
  });

  // Building into a missing folder: the plugin's test above (buildStart calls ensureEmbeddedMnistIn).
  it('ensureEmbeddedMnist builds only when missing, stale or corrupt', async () => {
    const dir = join(tmp(), 'embedded');
    cpSync(join(sharedPublicDir(), 'data/embedded'), dir, { recursive: true });
    expect(await ensureEmbeddedMnist(dir)).toBe(false);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), 'garbage');
    expect(await embeddedMnistIsCurrent(dir)).toBe(false);
    expect(await ensureEmbeddedMnist(dir)).toBe(true);
    expect(await embeddedMnistIsCurrent(dir)).toBe(true);
  });
});

// The project's shared folder beside the checkout (CI has it; a user's machine does not).
const kSharedMnist = fileURLToPath(new URL('../../shared/data/mnist', import.meta.url));
describe('real MNIST test files (extra checks; only where a copy is at hand)', () => {
  const skipReason = `${kSharedMnist} is absent (it exists only on the project's build machine)`;
  const path = (name: string) => join(kSharedMnist, name);

  it('parses t10k: 10,000 images of 28x28 and labels that start 7 2 1 0 4', async (ctx) => {
    if (!existsSync(path('t10k-images-idx3-ubyte.gz')) || !existsSync(path('t10k-labels-idx1-ubyte.gz'))) ctx.skip(skipReason);
    const images = await readIdxImages(readFileSync(path('t10k-images-idx3-ubyte.gz')), 't10k-images');
    expect([images.rows, images.cols]).toEqual([28, 28]);
    const labels = await readIdxLabels(readFileSync(path('t10k-labels-idx1-ubyte.gz')), 't10k-labels');
    expect([images.count, labels.count]).toEqual([10000, 10000]);
    expect(Array.from(labels.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(labelCounts(labels.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(pixelRange(images.pixels)).toEqual([0, 255]);
  });

  // Only the files that copy holds (it has no train-images).
  const present = kMnistFiles.map((f) => f.gzName).filter((name) => existsSync(path(name)));
  it.for(present)('%s passes the download checksum (archive or decompressed MD5)', async (name) => {
    const bytes = new Uint8Array(readFileSync(path(name)));
    expect(await checksumProblem(name, bytes, defaultChecksums()[name])).toBeUndefined();
    const spec = kMnistFiles.find((f) => f.gzName === name);
    expect(md5Hex(await gunzip(bytes))).toBe(spec?.rawMd5);
  });
});
