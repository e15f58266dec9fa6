/**
 * `mnist --search SPEC --trials N --validation F --test-best K` and `--preset hypersearch` (issue 21),
 * all in this process: the RaceConfig they build, each bad input as one message and exit 2 before
 * anything runs, and one tiny search on the CPU backend end to end (the book's lines, the tested
 * trials, the JSON's trials and validation records).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistCommand } from '../src/cli/mnist';
import { mnistRace } from '../src/cli/mnist-options';
import { formatSearchSpec } from '../src/optim/sweep';
import { runInProcess } from './fixtures/cli-in-process';
import { writeFakeMnistDir } from './fixtures/idx-fixtures';

/** A folder of 64 training and 20 test images. */
let work: string;
let data: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cli-search-'));
  data = join(work, 'data');
  writeFakeMnistDir(data, 64, 20);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mnist search options', () => {
  it("runs --preset hypersearch as the book's hyperparameter_optimization.py", () => {
    const { config, testBest } = mnistRace({ preset: 'hypersearch', optimizer: [] });
    expect(config).toMatchObject({
      sizes: [784, 100, 100, 100, 100, 100, 100, 10],
      batchSize: 100,
      trainLimit: 500,
      validation: 0.2,
      epochs: 50,
      trainAccuracy: true,
      racers: [],
    });
    expect(config.search && [formatSearchSpec(config.search.spec), config.search.trials, config.search.base.optimizer]).toEqual([
      'lr=1e-6..1e-2:log,l2=1e-8..1e-4:log',
      100,
      'sgd',
    ]);
    expect(testBest).toBeUndefined();
  });

  it('builds a search from --search, --trials, --validation and one --optimizer, the preset overridden', () => {
    const { config, testBest } = mnistRace({
      search: 'lr=1e-3..1e-1:log,momentum=0.5..0.9',
      trials: '12',
      optimizer: ['momentum:init=xavier'],
      'test-best': '3',
    });
    expect(config.search).toEqual({ spec: expect.anything(), trials: 12, base: { optimizer: 'momentum', init: 'xavier', hyperparameters: {} } });
    expect([config.validation, config.racers, testBest]).toEqual([0.2, [], 3]);
    const preset = mnistRace({ preset: 'hypersearch', trials: '7', validation: '0.25', search: 'lr=1e-3..1e-2:log', optimizer: [] }).config;
    expect([preset.search?.trials, preset.validation, preset.search && formatSearchSpec(preset.search.spec)]).toEqual([7, 0.25, 'lr=1e-3..1e-2:log']);
    // A validation share alone holds out images of an ordinary race.
    expect(mnistRace({ validation: '0.1', optimizer: ['adam'] }).config).toMatchObject({ validation: 0.1, racers: [{ optimizer: 'adam' }] });
    expect(mnistRace({ optimizer: [] }).config.validation).toBeUndefined();
  });
});

const kBadInput: { args: string; message: RegExp }[] = [
  { args: '--search lr=0.1..0.01:log', message: /search lr: MAX must be above MIN = 0\.1, got 0\.01/ },
  { args: '--search lr=0.01..0.01', message: /search lr: MAX must be above MIN = 0\.01, got 0\.01/ },
  { args: '--search momentum=0..0.9:log', message: /search momentum: a log range must stay above 0, got MIN = 0/ },
  { args: '--search speed=1..2', message: /search spec, column 1: no hyperparameter or network option 'speed'; searchable keys: lr, / },
  { args: '--search lr=1e-3..1e-2:log,lr=1e-4..1e-3:log', message: /search spec, column 19: 'lr' is given twice/ },
  { args: '--search lr=1e-3..1e-2:log --trials 129', message: /search: at most 128 trials \(the racer limit: each trial is a racer of one race\), got 129/ },
  { args: '--search lr=1e-3..1e-2:log --trials 0', message: /search: at least 1 trial, got 0/ },
  {
    args: '--search lr=1e-3..1e-2:log --validation 0',
    message: /validation must be a share of the training set between 0 and 1 \(e\.g\. 0\.2\), which holds out no validation image; got 0/,
  },
  { args: '--search lr=1e-3..1e-2:log --validation 1', message: /validation must be a share .*, which leaves no training image; got 1/ },
  { args: '--validation 0.01 --train-limit 50 --data DATA', message: /validation 0\.01 of 50 training images holds out none/ },
  { args: '--search beta1=0.8..0.99', message: /search beta1: SGD has no hyperparameter 'beta1'/ },
  { args: '--trials 5', message: /--trials needs a search: give --search KEY=MIN\.\.MAX\[:log\|linear\],\.\.\. or --preset hypersearch/ },
  { args: '--test-best 2', message: /--test-best needs a search/ },
  { args: '--preset hypersearch --test-best 101', message: /--test-best must be a whole number from 1 to 100 \(the trials\), got 101/ },
  { args: '--search lr=1e-3..1e-2:log --sweep lr=1e-3..1:4', message: /give --search or --sweep, not both/ },
  { args: '--search lr=1e-3..1e-2:log --optimizers sgd,adam', message: /a search draws every trial from one optimizer: give one --optimizer .*, got 2 racers/ },
];

describe('mnist rejects bad search input', () => {
  it.for(kBadInput)('`$args` fails with exit 2 before anything runs', async ({ args, message }) => {
    const run = await runInProcess(mnistCommand, args.replace(/DATA/g, data).split(' '));
    expect(run).toMatchObject({ stdout: '', code: 2 });
    expect(run.touchedGpu).toBe(false);
    expect(run.line).toMatch(message);
  });

  it('shows the search options in --help', async () => {
    const { stdout } = await runInProcess(mnistCommand, ['--help']);
    for (const option of ['--search SPEC', '--trials N', '--validation F', '--test-best K', 'hypersearch']) expect(stdout).toContain(option);
  });
});

interface SearchJson {
  config: { validation: number; trainLimit: number };
  racers: { name: string; hyperparameters: { lr: number }; l2: number; accuracy: Record<string, number>[] }[];
  search: { spec: string; trials: number; optimizer: string; validation: number };
  trials: { number: number; name: string; values: { lr: number; l2: number }; validation: number; train: number; diverged: number | null }[];
  testBest: { rank: number; number: number; test: number; validation: number }[];
}

describe('mnist --search end to end on the CPU backend', () => {
  it("prints the book's Best-k lines and the tested trials, and writes each trial's draw and accuracies", async () => {
    const file = join(work, 'search.json');
    const args =
      '--data DATA --backend cpu --hidden 7x2 --train-limit 50 --epochs 2 --batch 10 --search lr=1e-3..0.5:log,l2=1e-6..1e-2:log --trials 4 --test-best 2';
    const run = await runInProcess(mnistCommand, [...args.replace(/DATA/g, data).split(' '), '--json', file]);
    expect(run.line).toBeUndefined();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'MNIST race: 4 trials of SGD, search lr=1e-3..0.5:log,l2=1e-6..1e-2:log; network 784-7-7-10, batch 10, 8 iterations (2 epochs of 40 of',
    );
    expect(run.stdout).toContain(
      'Accuracy after 8 iterations (2 epochs), on 10 validation images and 40 of the first 50 training images (10 held out for validation):',
    );
    const lines = run.stdout.trimEnd().split('\n');
    const best = lines.indexOf('The best 4 of 4 trials by validation accuracy:');
    expect(
      lines
        .slice(best + 1, best + 5)
        .every((l, k) => new RegExp(`^Best-${k + 1} \\(val acc: \\d\\.\\d\\d\\) \\| lr: [\\d.e-]+, weight decay: [\\d.e-]+$`).test(l)),
    ).toBe(true);
    expect(lines[best + 5]).toBe('Tested after the search on the 20 test images (never seen while searching), weights at iteration 8:');
    expect(lines[best + 6]).toMatch(/^ {2}Best-1 trial \d: test accuracy \d+\.\d\d% \(val acc: \d\.\d\d\)$/);

    const json = JSON.parse(readFileSync(file, 'utf8')) as SearchJson;
    expect(json.config).toMatchObject({ validation: 0.2, trainLimit: 50 });
    expect(json.search).toEqual({ spec: 'lr=1e-3..0.5:log,l2=1e-6..1e-2:log', trials: 4, optimizer: 'sgd', validation: 0.2 });
    expect(json.trials.map((t) => [t.number, t.name])).toEqual([1, 2, 3, 4].map((k) => [k, `trial ${k}`]));
    json.trials.forEach((t, k) => {
      const racer = json.racers[k];
      expect([t.values.lr, t.values.l2]).toEqual([racer.hyperparameters.lr, racer.l2]);
      expect([t.validation, t.train]).toEqual([racer.accuracy.at(-1)?.validation, racer.accuracy.at(-1)?.train]);
      // 10 validation and 40 training images.
      expect([t.validation * 10, t.train * 40].every((x) => Math.abs(x - Math.round(x)) < 1e-9)).toBe(true);
      for (const a of racer.accuracy) expect(Object.keys(a)).toEqual(['iteration', 'epoch', 'train', 'validation']);
    });
    expect(json.testBest.map((t) => t.rank)).toEqual([1, 2]);
    for (const t of json.testBest) expect(Math.abs(t.test * 20 - Math.round(t.test * 20))).toBeLessThan(1e-9);
  });
});
