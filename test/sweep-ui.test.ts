/**
 * The sweep UI's pure modules in Node: the shade colour rule, studies (racers, URL form, presets),
 * the URL state of a 128-racer sweep, the sensitivity chart's data, the LR finder's runs and the
 * two CSV exports. Expected values are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { optimizerSpec } from '../src/optim/registry';
import { sensitivity } from '../src/race/sensitivity';
import { kRaceLimits } from '../src/race/limits';
import { colorHue, colorLightness, kShadeLightness, racerShade } from '../src/ui/racer-shades';
import { sensitivityView, viewData } from '../src/ui/charts/sensitivity-data';
import { lrFinderData, lrFinderRuns } from '../src/ui/charts/lr-finder-data';
import { formatStudyField, kSweepPresetStudy, parseStudyField, studyRacers, type Study } from '../src/ui/optimizer-race/study';
import { StudyController } from '../src/ui/optimizer-race/study-controller';
import { decodeSettings, encodeSettings } from '../src/ui/optimizer-race/url-state';
import { draftsFromSpecs, kPresets } from '../src/ui/optimizer-race/racers';
import { lrFinderCsv, sensitivityCsv } from '../src/ui/optimizer-race/study-export';
import { racerSettingsText } from '../src/ui/optimizer-race/racer-settings';
import { sweptRacer } from './fixtures/swept-racer';

describe('the shade rule', () => {
  it('keeps the hue and spreads the lightness from dark to light', () => {
    const base = optimizerSpec('adam').color;
    const shades = [0, 1, 2, 3].map((i) => racerShade(base, i, 4));
    for (const s of shades) expect(Math.abs(colorHue(s) - colorHue(base))).toBeLessThan(2);
    expect(colorLightness(shades[0])).toBeCloseTo(kShadeLightness[0], 2);
    expect(colorLightness(shades[3])).toBeCloseTo(kShadeLightness[1], 2);
    expect(new Set(shades).size).toBe(4);
    expect(racerShade('#FF0000', 0, 1)).toBe('#ff0000');
    // Pure red at lightness 0.3: 0.6 · 255 = 153 = 0x99.
    expect(racerShade('#ff0000', 0, 2)).toBe('#990000');
  });
});

describe('studies', () => {
  const sweep: Study = { kind: 'sweep', sweep: { key: 'lr', min: 1e-4, max: 1, count: 3 }, optimizers: ['sgd', 'adam'] };

  it("expands a sweep into the CLI's racers, one hue per optimizer", () => {
    const racers = studyRacers(sweep);
    expect(racers.map((r) => [r.name, r.hyperparameters?.lr])).toEqual([
      ['SGD lr=0.0001', 1e-4],
      ['SGD lr=0.01', 0.01],
      ['SGD lr=1', 1],
      ['Adam lr=0.0001', 1e-4],
      ['Adam lr=0.01', 0.01],
      ['Adam lr=1', 1],
    ]);
    const sgdHue = colorHue(optimizerSpec('sgd').color);
    for (const r of racers.slice(0, 3)) expect(Math.abs(colorHue(r.color ?? '') - sgdHue)).toBeLessThan(2);
  });

  it('refuses more racers than the limit, with the limit in the message', () => {
    const big: Study = { kind: 'sweep', sweep: { key: 'lr', min: 1e-4, max: 1, count: 100 }, optimizers: ['sgd', 'adam'] };
    expect(() => studyRacers(big)).toThrow(`at most ${kRaceLimits.racers.max} racers, got 200`);
  });

  it('round-trips through its URL field, and names what is wrong', () => {
    expect(formatStudyField(sweep)).toBe('sw:lr=0.0001..1:3@sgd+adam');
    expect(parseStudyField('sw', 'lr=0.0001..1:3@sgd+adam')).toEqual(sweep);
    const lf: Study = { kind: 'lr-finder', min: 1e-6, max: 10, optimizers: ['adam'] };
    expect(parseStudyField('lf', formatStudyField(lf).slice(3))).toEqual(lf);
    expect(() => parseStudyField('sw', 'lr=0.0001..1:3@nope')).toThrow(/nope/);
    expect(() => parseStudyField('sw', 'lr=1..0.1:3@sgd')).toThrow('sweep lr: MAX must be above MIN = 1, got 0.1');
  });

  it('stores a 128-racer sweep as its spec, and reads the same racers back', () => {
    const study: Study = { kind: 'sweep', sweep: { key: 'lr', min: 1e-5, max: 1, count: 32 }, optimizers: ['sgd', 'momentum', 'adam', 'rmsprop'] };
    const racers = draftsFromSpecs(studyRacers(study));
    expect(racers).toHaveLength(128);
    const value = encodeSettings({ iterations: 50, batchSize: 16, seed: 3, evalEvery: 25, preset: 'custom', racers, study });
    expect(value).toBe('it:50,b:16,s:3,e:25,p:custom,sw:lr=0.00001..1:32@sgd+momentum+adam+rmsprop');
    const back = decodeSettings(value);
    expect(back.study).toEqual(study);
    const strip = (d: (typeof racers)[number]) => ({ ...d, key: 0 });
    expect(back.racers.map(strip)).toEqual(racers.map(strip));
  });

  it('keeps the sweep preset short and knows its study', () => {
    const racers = draftsFromSpecs(kPresets.sweep.racers);
    expect(racers).toHaveLength(48);
    const value = encodeSettings({ iterations: 2000, batchSize: 128, seed: 1, evalEvery: 100, preset: 'sweep', racers, study: kSweepPresetStudy });
    expect(value).toBe('it:2000,b:128,s:1,e:100,p:sweep');
    expect(decodeSettings(value).study).toEqual(kSweepPresetStudy);
  });

  it('is active while the drafts are its racers, and ends with an edit', () => {
    const controller = new StudyController();
    const drafts = controller.draftsFor(sweep, 1);
    expect(controller.active(drafts)).toEqual(sweep);
    expect(controller.active([...drafts])).toEqual(sweep);
    const edited = drafts.map((d, i) => (i === 0 ? { ...d, values: { ...d.values, lr: '0.5' } } : d));
    expect(controller.active(edited)).toBeNull();
  });
});

const racer = sweptRacer;

describe('the sensitivity chart data', () => {
  const s = sensitivity(
    [
      racer('sgd', 0.01, [2, 1.5], null, 0.6),
      racer('sgd', 0.1, [2, 0.5], null, 0.9),
      racer('sgd', 1, [2, NaN], 1, 0.1),
      racer('adam', 0.1, [2, 0.25], null, 0.95),
    ],
    'lr',
  );

  it('puts each optimizer on the shared values, leaves diverged racers out of the curve and labels the best', () => {
    const loss = sensitivityView(s, 'loss');
    expect(loss.log).toBe(true);
    expect(viewData(loss)).toEqual([
      [0.01, 0.1, 1],
      [1.5, 0.5, null],
      [null, 0.25, null],
    ]);
    expect(loss.diverged).toEqual([{ optimizer: 'sgd', name: 'sgd lr=1', value: 1 }]);
    expect(loss.best.map((b) => [b.optimizer, b.text, b.y])).toEqual([
      ['sgd', 'best lr=0.1', 0.5],
      ['adam', 'best lr=0.1', 0.25],
    ]);
    const accuracy = sensitivityView(s, 'accuracy');
    expect(accuracy.columns[0]).toEqual([60, 90, null]);
  });

  it('exports one CSV row per racer', () => {
    expect(sensitivityCsv(s)).toBe(
      [
        'optimizer,racer,lr,final loss,test accuracy,diverged,best',
        'SGD,sgd lr=0.01,0.01,1.5,0.6,false,false',
        'SGD,sgd lr=0.1,0.1,0.5,0.9,false,true',
        'SGD,sgd lr=1,1,,0.1,true,false',
        'Adam,adam lr=0.1,0.1,0.25,0.95,false,true',
        '',
      ].join('\n'),
    );
  });
});

describe('the LR finder chart data', () => {
  it('analyses only range-test racers, on their lrs, and exports the marks', () => {
    // 3 iterations of lr 0.01 → 1: 0.01, 0.1, 1.
    const runs = lrFinderRuns(
      [
        { name: 'SGD LR range', optimizer: 'sgd', losses: [2, 1, 100], schedule: { kind: 'range', min: 0.01, max: 1 } },
        { name: 'plain', optimizer: 'adam', losses: [2, 1, 0.5] },
      ],
      3,
    );
    expect(runs.map((r) => r.name)).toEqual(['SGD LR range']);
    const [lrs, smoothed] = lrFinderData(runs);
    expect(lrs.map((x) => Number(x.toPrecision(6)))).toEqual([0.01, 0.1, 1]);
    expect(smoothed).toHaveLength(3);
    const r = runs[0].result;
    expect(r.steepest).toBe(0);
    expect(r.divergence).toBe(2);
    const csv = lrFinderCsv(runs).split('\n');
    expect(csv[0]).toBe('racer,optimizer,iteration,lr,loss,smoothed,mark');
    expect(csv[1]).toMatch(/^SGD LR range,sgd,1,0\.01,2,2,steepest$/);
    expect(csv[3]).toMatch(/,divergence$/);
  });
});

describe("a racer's settings text", () => {
  it('lists the hyperparameters by symbol, init, activation and a schedule', () => {
    expect(
      racerSettingsText({
        optimizer: 'adam',
        hyperparameters: { lr: 0.001, beta1: 0.9, beta2: 0.999 },
        init: 'he',
        activation: 'relu',
        schedule: { kind: 'range', min: 1e-6, max: 10 },
      }),
    ).toBe('Adam · lr 0.001 · β1 0.9 · β2 0.999 · init he · relu · schedule range:0.000001:10');
  });
});

describe('the legend groups and log ticks', () => {
  it('lists consecutive items of one group together and leaves ungrouped items alone', async () => {
    const { legendGroups } = await import('../src/ui/charts/chart-legend');
    const item = (name: string, group?: string) => ({ name, group, color: '#000000', marker: 'circle' as const, visible: true, value: '' });
    const groups = legendGroups([item('a1', 'A'), item('a2', 'A'), item('x'), item('b1', 'B')]);
    expect(groups.map((g) => [g.name, g.entries.map((e) => [e.item.name, e.index])])).toEqual([
      [
        'A',
        [
          ['a1', 0],
          ['a2', 1],
        ],
      ],
      [undefined, [['x', 2]]],
      ['B', [['b1', 3]]],
    ]);
  });

  it('writes log ticks that never round to 0', async () => {
    const { logTickLabel } = await import('../src/ui/charts/log-axis');
    expect([1e-6, 1e-4, 0.001, 0.02, 1, 500, 1e4].map(logTickLabel)).toEqual(['1e-6', '1e-4', '0.001', '0.02', '1', '500', '1e+4']);
  });
});
