/**
 * <optimizer-race> given bad MNIST through its file input: an empty test split, a label above 9,
 * 32x32 images and a corrupt .gz are each named in the element's alert with the message the loaders
 * and the CLI share, and the element keeps the data it had and a usable Start button.
 */
import { describe, expect, it } from 'vitest';
import { encodeIdxImages, encodeIdxLabels } from '../src/data/idx';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { $, hasWebGPU, mount, pickFiles, smallMnistFiles, text, useOptimizerRaceHarness } from './optimizer-race-harness';

useOptimizerRaceHarness();

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const file = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);

interface Case {
  what: string;
  /** The small good set (train, train labels, test, test labels), with one file replaced. */
  change: (files: File[], el: OptimizerRace) => Promise<void> | void;
  message: RegExp;
}

const kCases: Case[] = [
  {
    what: 'an empty test split',
    change: (files) => {
      files[2] = file('t10k-images-idx3-ubyte', encodeIdxImages(new Uint8Array(0), 0, 28, 28));
      files[3] = file('t10k-labels-idx1-ubyte', encodeIdxLabels(new Uint8Array(0)));
    },
    message: /Could not read those files: the test split is empty: t10k-images-idx3-ubyte has 0 images/,
  },
  {
    what: 'a label 10',
    change: (files, el) => {
      const labels = Uint8Array.from(el.mnist!.testLabels.subarray(0, 20));
      labels[7] = 10;
      files[3] = file('t10k-labels-idx1-ubyte', encodeIdxLabels(labels));
    },
    message: /Could not read those files: t10k-labels-idx1-ubyte: label 10 at index 7; MNIST labels are 0\.\.9/,
  },
  {
    what: '32x32 images',
    change: (files) => {
      files[2] = file('t10k-images-idx3-ubyte', encodeIdxImages(new Uint8Array(20 * 32 * 32).fill(9), 20, 32, 32));
    },
    message: /Could not read those files: t10k-images-idx3-ubyte: images are 32x32; MNIST images are 28x28/,
  },
  {
    what: 'a corrupt .gz',
    change: async (files) => {
      const gz = await gzip(new Uint8Array(await files[2].arrayBuffer()));
      gz.fill(0x55, 20, 40);
      files[2] = file('t10k-images-idx3-ubyte.gz', gz);
    },
    message: /Could not read those files: t10k-images-idx3-ubyte\.gz: corrupt gzip data: the file is damaged or truncated/,
  },
];

describe('<optimizer-race> with bad MNIST files', () => {
  it.for(kCases)('reports $what in the element and keeps the loaded data and a usable Start button', { timeout: 120_000 }, async ({ change, message }) => {
    const el = await mount({ iterations: '100', 'batch-size': '16' });
    const before = el.mnist;
    const files = smallMnistFiles(el.mnist!, 100, 20);
    await change(files, el);
    await pickFiles(el, files);
    expect(text(el, '[role="alert"]')).toMatch(message);
    expect(text(el, '[role="alert"]')).toMatch(/Still using the embedded MNIST subset/);
    expect(el.mnist).toBe(before);
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(!hasWebGPU());
    if (hasWebGPU()) {
      await el.step();
      expect(el.history[0].losses).toHaveLength(1);
      expect(el.status).toBe('paused');
    }
  });
});
