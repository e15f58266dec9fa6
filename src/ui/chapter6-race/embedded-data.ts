/**
 * The data of the chapter-6 experiments: the embedded MNIST subset (8,000 training and 2,000 test
 * images), always, so the presets run on the 2,000 test images the page's text speaks of whatever
 * else the server holds. Loaded once per page for every <chapter6-race>; a failed load is asked
 * again by the next caller.
 */
import type { MnistDataset } from '../../data/dataset';
import { loadEmbeddedMnist } from '../../data/load';

let loading: Promise<MnistDataset> | null = null;

export function embeddedDataset(): Promise<MnistDataset> {
  loading ??= loadEmbeddedMnist().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
