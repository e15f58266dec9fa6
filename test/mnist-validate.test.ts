/**
 * The one check every MNIST loader goes through when it assembles a data set (the folder of the
 * CLI's --data DIR, a folder URL, picked or dropped files): an empty split, a label above 9, images
 * that are not 28x28, images and labels that disagree and a corrupt gzip are each rejected with the
 * same message, naming the file as that loader knows it (path, URL or file name).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdxImages, encodeIdxLabels, IdxFormatError } from '../src/data/idx';
import { loadMnistFolder } from '../src/data/load';
import { kMnistFiles, type MnistFileRole } from '../src/data/mnist-files';
import { loadMnistDirectory } from '../src/data/node/mnist-dir';
import { datasetFromFiles } from '../src/ui/optimizer-race/data-loader';
import { fakeLabels, fakeMnistRaw, fakePixels, gzip } from './fixtures/idx-fixtures';

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

type Files = Record<MnistFileRole, Uint8Array>;
/** The name a loader gives each file (a path, a URL, a picked file's name). */
type Names = (role: MnistFileRole) => string;

/** gzip bytes with a stretch overwritten: the header is intact, the deflate data is not. */
function corruptGzip(bytes: Uint8Array): Uint8Array {
  const gz = gzip(bytes);
  gz.fill(0x55, 20, 40);
  return gz;
}

function withLabel(labels: Uint8Array, index: number, value: number): Uint8Array {
  const copy = Uint8Array.from(labels);
  copy[index] = value;
  return copy;
}

interface Case {
  what: string;
  /** The four raw files, changed; `gz` files are written as given (already gzip bytes). */
  files: () => Files & { gz?: MnistFileRole };
  message: (name: Names) => string | RegExp;
}

const kCases: Case[] = [
  {
    what: 'an empty test split',
    files: () => fakeMnistRaw(12, 0),
    message: (name) => `the test split is empty: ${name('testImages')} has 0 images`,
  },
  {
    what: 'an empty training split',
    files: () => fakeMnistRaw(0, 6),
    message: (name) => `the training split is empty: ${name('trainImages')} has 0 images`,
  },
  {
    what: 'a label above 9',
    files: () => ({ ...fakeMnistRaw(12, 6), testLabels: encodeIdxLabels(withLabel(fakeLabels(6), 3, 10)) }),
    message: (name) => `${name('testLabels')}: label 10 at index 3; MNIST labels are 0..9`,
  },
  {
    what: '32x32 images',
    files: () => ({ ...fakeMnistRaw(12, 6), testImages: encodeIdxImages(fakePixels(6, 32, 32), 6, 32, 32) }),
    message: (name) => `${name('testImages')}: images are 32x32; MNIST images are 28x28`,
  },
  {
    what: 'images and labels that disagree',
    files: () => ({ ...fakeMnistRaw(12, 6), trainLabels: encodeIdxLabels(fakeLabels(11)) }),
    message: (name) => `the training split: ${name('trainImages')} has 12 images but ${name('trainLabels')} has 11 labels`,
  },
  {
    what: 'a corrupt gzip',
    files: () => {
      const raw = fakeMnistRaw(12, 6);
      return { ...raw, testImages: corruptGzip(raw.testImages), gz: 'testImages' };
    },
    message: (name) => `${name('testImages')}: corrupt gzip data: the file is damaged or truncated`,
  },
];

/** The files as stored: gzipped (the folder and URL loaders), the corrupt one as it is. */
function gzipped(files: Files & { gz?: MnistFileRole }, role: MnistFileRole): Uint8Array {
  return files.gz === role ? files[role] : gzip(files[role]);
}

const fileOf = (role: MnistFileRole) => kMnistFiles.find((f) => f.role === role)!;

async function expectRejection(load: Promise<unknown>, message: string | RegExp): Promise<void> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdxFormatError);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
}

describe('every loader rejects a bad data set with the same message', () => {
  it.for(kCases)("the folder loader (the CLI's --data DIR): $what", async ({ files, message }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-validate-'));
    tmpDirs.push(dir);
    const set = files();
    for (const f of kMnistFiles) writeFileSync(join(dir, f.gzName), gzipped(set, f.role));
    await expectRejection(
      loadMnistDirectory(dir),
      message((role) => join(dir, fileOf(role).gzName)),
    );
  });

  it.for(kCases)('the URL loader (<optimizer-race src>): $what', async ({ files, message }) => {
    const set = files();
    const site = new Map(kMnistFiles.map((f) => [`https://example.test/mnist/${f.gzName}`, gzipped(set, f.role)]));
    const fetch = async (url: string) => {
      const body = site.get(url);
      return body ? new Response(body as Uint8Array<ArrayBuffer>) : new Response('not found', { status: 404 });
    };
    await expectRejection(
      loadMnistFolder('https://example.test/mnist', { fetch }),
      message((role) => `https://example.test/mnist/${fileOf(role).gzName}`),
    );
  });

  it.for(kCases)('picked or dropped files (raw, in any order): $what', async ({ files, message }) => {
    const set = files();
    const name = (role: MnistFileRole) => (set.gz === role ? fileOf(role).gzName : fileOf(role).name);
    const picked = kMnistFiles.map((f) => new File([set[f.role] as Uint8Array<ArrayBuffer>], name(f.role))).reverse();
    await expectRejection(datasetFromFiles(picked), message(name));
  });

  it('still accepts a good set through each loader', async () => {
    const raw = fakeMnistRaw(12, 6);
    const picked = kMnistFiles.map((f) => new File([raw[f.role] as Uint8Array<ArrayBuffer>], f.name));
    expect(await datasetFromFiles(picked)).toMatchObject({ trainCount: 12, testCount: 6, rows: 28, cols: 28 });
    const dir = mkdtempSync(join(tmpdir(), 'mnist-validate-'));
    tmpDirs.push(dir);
    for (const f of kMnistFiles) writeFileSync(join(dir, f.gzName), gzip(raw[f.role]));
    expect(await loadMnistDirectory(dir)).toMatchObject({ trainCount: 12, testCount: 6 });
  });
});
