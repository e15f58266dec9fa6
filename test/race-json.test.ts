/**
 * The race's JSON export (src/ui/optimizer-race/export.ts' raceJson): a racer whose weights file was
 * read in the racer editor (a blob: URL) is written with the file's name, in its `init` (its history
 * holds the init the file replaced) and in the config; a URL given is written as it is.
 */
import { describe, expect, it } from 'vitest';
import type { RaceConfig } from '../src/race/config';
import type { RacerHistory } from '../src/race/engine';
import { raceJson } from '../src/ui/optimizer-race/export';
import { newDraft, weightsFileNames } from '../src/ui/optimizer-race/racers';

const kBlob = 'blob:http://localhost/0b6d1f2e';
const kUrl = 'https://example.test/racer-2.safetensors';

const history = (init: RacerHistory['init']): RacerHistory => ({
  name: 'SGD',
  optimizer: 'sgd',
  hyperparameters: { lr: 0.01 },
  init,
  activation: 'relu',
  bn: false,
  dropout: 0,
  l2: 0,
  losses: [2.3],
  accuracy: [],
  diverged: null,
  predictions: [],
});

const config = {
  sizes: [784, 10],
  iterations: 1,
  batchSize: 8,
  seed: 1,
  evalEvery: 1,
  racers: [
    { optimizer: 'sgd', initWeights: kBlob },
    { optimizer: 'sgd', initWeights: kUrl },
    { optimizer: 'sgd', init: 'he' },
  ],
} as RaceConfig;

describe('raceJson and weights files', () => {
  it('names a file the editor read instead of its blob: URL, and keeps a URL given', () => {
    const drafts = [newDraft('sgd', []), newDraft('sgd', []), newDraft('sgd', [])];
    Object.assign(drafts[0], { initWeights: kBlob, initWeightsName: 'racer-1.safetensors' });
    Object.assign(drafts[1], { initWeights: kUrl });
    const files = weightsFileNames(drafts);
    expect([...files]).toEqual([[kBlob, 'racer-1.safetensors']]);
    const json = raceJson(
      config,
      [history('he'), history('he'), history('he')],
      ['#000', '#111', '#222'],
      { source: 't', trainCount: 1, testCount: 1 },
      'cpu',
      files,
    );
    expect(json.racers.map((r) => r.init)).toEqual([{ weights: 'racer-1.safetensors' }, { weights: kUrl }, 'he']);
    expect(json.config.racers.map((r) => r.initWeights)).toEqual(['racer-1.safetensors', kUrl, undefined]);
    // The race's own config is not changed.
    expect(config.racers[0].initWeights).toBe(kBlob);
  });
});
