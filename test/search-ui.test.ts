/**
 * A random search in <optimizer-race> without a browser: the study's URL field (the spec, not a
 * hundred racers), its racers drawn from the race seed, drawn again when the seed changes, and
 * the trials' CSV and JSON.
 */
import { describe, expect, it } from 'vitest';
import { drawTrials, parseSearchSpec } from '../src/optim/sweep';
import { kRaceLimits } from '../src/race/limits';
import { specFromDraft } from '../src/ui/optimizer-race/racers';
import type { RacerHistory } from '../src/race/engine';
import { accuracyCsv } from '../src/ui/optimizer-race/export';
import { trialExports, trialsCsv, withTrials, type SearchStudy } from '../src/ui/optimizer-race/search-export';
import { formatStudyField, parseStudyField, studyRacers } from '../src/ui/optimizer-race/study';
import { SweepController, type SweepHost } from '../src/ui/optimizer-race/sweep-controller';
import { decodeSettings, encodeSettings } from '../src/ui/optimizer-race/url-state';
import type { RacerDraft } from '../src/ui/optimizer-race/racers';

const study: SearchStudy = { kind: 'search', spec: parseSearchSpec('lr=1e-6..1e-2:log,l2=1e-8..1e-4:log'), trials: 100, optimizers: ['sgd'] };

describe('a search study', () => {
  it('is one short URL field: spec, trials, optimizer', () => {
    const field = formatStudyField(study);
    expect(field).toBe('sr:lr=1e-6..1e-2:log;l2=1e-8..1e-4:log*100@sgd');
    expect(parseStudyField('sr', field.slice(3))).toEqual(study);
  });

  it("races the trials drawn from the race seed, each trial's l2 on its racer", () => {
    const racers = studyRacers(study, 7);
    const trials = drawTrials(study.spec, 100, 7, 'sgd', kRaceLimits.racers.max);
    expect(racers).toHaveLength(100);
    expect(racers[41]).toMatchObject({ name: 'trial 42', optimizer: 'sgd', hyperparameters: { lr: trials[41].values.lr }, l2: trials[41].values.l2 });
    expect(() => studyRacers(study)).toThrow('a search draws its trials from the race seed');
  });

  it('keeps the link short and gives the same racers back', () => {
    const racers = studyRacers(study, 3);
    const drafts = decodeSettings(`it:100,b:100,s:3,e:10,p:custom,${formatStudyField(study)}`).racers;
    const value = encodeSettings({ iterations: 100, batchSize: 100, seed: 3, evalEvery: 10, preset: 'custom', racers: drafts, study });
    expect(value).toBe('it:100,b:100,s:3,e:10,p:custom,sr:lr=1e-6..1e-2:log;l2=1e-8..1e-4:log*100@sgd');
    expect(drafts.map(specFromDraft).map((r) => [r.name, r.hyperparameters?.lr, r.l2])).toEqual(racers.map((r) => [r.name, r.hyperparameters?.lr, r.l2]));
  });

  it('refuses a bad field with one message each', () => {
    const bad = (value: string) => () => parseStudyField('sr', value);
    expect(bad('lr=1e-6..1e-2:log@sgd')).toThrow('needs *TRIALS');
    expect(bad('lr=1e-6..1e-2:log*200@sgd')).toThrow(`at most ${kRaceLimits.racers.max} trials (the racer limit`);
    expect(bad('lr=1e-6..1e-2:log*10@sgd+adam')).toThrow('a search races one optimizer, got sgd+adam');
    expect(bad('lr=0..1e-2:log*10@sgd')).toThrow('a log range must stay above 0');
    expect(bad('lr=1e-6..1e-2:log;lr=1e-3..1e-2*10@sgd')).toThrow("'lr' is given twice");
  });
});

describe('the sweep controller with a search', () => {
  it('tests the best trials by validation accuracy on the test set, after the search only', async () => {
    let drafts: RacerDraft[] = [];
    const small: SearchStudy = { ...study, trials: 3 };
    const asked: number[][] = [];
    const history = [0.5, 0.9, undefined].map((validation, i) => ({
      name: `trial ${i + 1}`,
      accuracy: validation === undefined ? [] : [{ iteration: 8, validation }],
      diverged: null,
    }));
    const engine = {
      history,
      iteration: 8,
      testAccuracy: async (racers: number[]) => {
        asked.push(racers);
        return racers.map((r) => r / 10);
      },
    };
    const race = { engine, locked: false, fail: (text: string) => expect.fail(text) };
    const host = {
      drafts: () => drafts,
      setDrafts: (next: RacerDraft[]) => void (drafts = next),
      note: () => undefined,
      seed: () => 3,
      requestUpdate: () => undefined,
      race,
    };
    const sweep = new SweepController(host as unknown as SweepHost);
    sweep.apply(small);
    // Trial 2 (0.9) then trial 1 (0.5); trial 3 was never measured, so it is not tested.
    const rows = await sweep.testBest(5);
    expect(asked).toEqual([[1, 0]]);
    expect(rows?.map((r) => [r.rank, r.number, r.validation, r.test, r.iteration])).toEqual([
      [1, 2, 0.9, 0.1, 8],
      [2, 1, 0.5, 0, 8],
    ]);
    race.locked = true;
    expect(await sweep.testBest()).toBeNull();
  });

  it("exports a validated race's accuracy as validation columns in place of the test ones", () => {
    const racer = (name: string, validation: number) => ({ name, accuracy: [{ iteration: 4, epoch: 0, validation, train: 0.75 }] }) as unknown as RacerHistory;
    expect(accuracyCsv([racer('trial 1', 0.5), racer('trial 2', 0.25)]).split('\n')).toEqual([
      'iteration,epoch,trial 1 (validation),trial 2 (validation),trial 1 (train),trial 2 (train)',
      '4,0,0.5,0.25,0.75,0.75',
      '',
    ]);
  });

  it('draws the trials again when the seed changes, and folds the racers until asked', () => {
    let drafts: RacerDraft[] = [];
    let seed = 1;
    const host = {
      drafts: () => drafts,
      setDrafts: (next: RacerDraft[]) => void (drafts = next),
      note: () => undefined,
      seed: () => seed,
      requestUpdate: () => undefined,
    } as unknown as SweepHost;
    const sweep = new SweepController(host);
    sweep.apply(study);
    const first = drafts.map((d) => d.values.lr);
    expect(sweep.active).toEqual(study);
    sweep.unfold(true);
    expect(sweep.unfolded).toBe(true);
    sweep.setting(true, () => void (seed = 2));
    expect(sweep.active).toEqual(study);
    expect(sweep.unfolded).toBe(false);
    expect(drafts.map((d) => d.values.lr)).not.toEqual(first);
    expect(drafts.map((d) => Number(d.values.lr))).toEqual(studyRacers(study, 2).map((r) => r.hyperparameters?.lr));
  });
});

describe('the trials as files', () => {
  const small: SearchStudy = { ...study, trials: 3 };
  const history = [
    { name: 'trial 1', accuracy: [{ iteration: 1, train: 0.2, validation: 0.15 }], diverged: null },
    { name: 'trial 2', accuracy: [], diverged: 0 },
    {
      name: 'trial 3',
      accuracy: [
        { iteration: 1, train: 0.5, validation: 0.4 },
        { iteration: 2, train: 0.6, validation: 0.55 },
      ],
      diverged: null,
    },
  ];

  it('writes one CSV row per trial: drawn values, the accuracies measured, the divergence', () => {
    const trials = trialExports(small, 5, history);
    const drawn = drawTrials(small.spec, 3, 5, 'sgd', kRaceLimits.racers.max);
    expect(trialsCsv(small, trials).split('\n')).toEqual([
      'trial,lr,l2,validation,train,diverged',
      `1,${drawn[0].values.lr},${drawn[0].values.l2},0.15,0.2,`,
      `2,${drawn[1].values.lr},${drawn[1].values.l2},,,0`,
      `3,${drawn[2].values.lr},${drawn[2].values.l2},0.55,0.6,`,
      '',
    ]);
  });

  it("adds the search and its trials to the race's JSON, and leaves other races' alone", () => {
    const json = withTrials({ config: {} }, small, 5, history) as unknown as {
      search: unknown;
      trials: { number: number; validation: number | null; diverged: boolean }[];
    };
    expect(json.search).toEqual({ spec: 'lr=1e-6..1e-2:log,l2=1e-8..1e-4:log', trials: 3, optimizer: 'sgd', seed: 5 });
    expect(json.trials.map((t) => [t.number, t.validation, t.diverged])).toEqual([
      [1, 0.15, false],
      [2, null, true],
      [3, 0.55, false],
    ]);
    expect(withTrials({ config: {} }, null, 5, history)).toEqual({ config: {} });
  });
});
