/** The one racer model: its text forms (CLI, URL, as typed), its validation and its JSON form. */
import { describe, expect, it } from 'vitest';
import { checkRacerText, parseNumber, problemList, racerText } from '../src/optim/racer-spec';
import { racerJson, racerSpecFromJson } from '../src/optim/racer-json';
import { formatRacerArgument, parseRacerArgument } from '../src/optim/racer-cli-argument';
import { formatRacerSegment, parseRacerSegment } from '../src/optim/racer-url-segment';
import { checkRaceSettings, kSeedRace, resolveRace } from '../src/race/config';
import { checkRacerCount, checkWholeNumber, kRaceLimits } from '../src/race/limits';
import { racerNames } from '../src/race/racer-names';

describe('parseNumber', () => {
  it('reads decimals and nothing else', () => {
    expect([parseNumber('1e-3'), parseNumber(' .5 '), parseNumber('-7'), parseNumber('2.')]).toEqual([0.001, 0.5, -7, 2]);
    for (const bad of ['', ' ', '0x10', '1,5', 'Infinity', 'NaN', '1e', '--1']) expect(parseNumber(bad)).toBeNaN();
  });
});

describe('the CLI form NAME[:key=value,...]', () => {
  it('parses hyperparameters and, where allowed, the other fields', () => {
    expect(parseRacerArgument('Adam:lr=0.01,beta2=0.99')).toEqual({ optimizer: 'adam', values: { lr: '0.01', beta2: '0.99' } });
    expect(parseRacerArgument('sgd:init=xavier,activation=tanh,name=Slow', ['name', 'init', 'activation'])).toEqual({
      optimizer: 'sgd',
      values: {},
      name: 'Slow',
      init: 'xavier',
      activation: 'tanh',
    });
  });

  it('says what is wrong with a malformed argument', () => {
    expect(() => parseRacerArgument('adam:lr')).toThrow("--optimizer adam:lr: expected key=value, got 'lr'. Keys of Adam: lr, beta1, beta2");
    expect(() => parseRacerArgument('sgd:init=he')).toThrow("SGD has no hyperparameter 'init'. Allowed: lr");
    expect(() => parseRacerArgument('adam:lr=1,lr=2')).toThrow("'lr' is given twice");
    expect(() => parseRacerArgument('sgd:lr=fast')).toThrow("SGD lr must be a number, got 'fast'");
    expect(() => parseRacerArgument('lbfgs')).toThrow(/Unknown optimizer 'lbfgs'. Known optimizers: sgd, momentum/);
  });

  it('prints only what differs from the defaults, and reads back what it printed', () => {
    const spec = { optimizer: 'adam', hyperparameters: { lr: 0.001, beta1: 0.5 }, init: 0.01, activation: 'tanh' as const };
    const text = formatRacerArgument(spec);
    expect(text).toBe('adam:beta1=0.5,init=0.01,activation=tanh');
    expect(checkRacerText(parseRacerArgument(text, ['init', 'activation'])).racer).toEqual({
      optimizer: 'adam',
      hyperparameters: { lr: 0.001, beta1: 0.5, beta2: 0.999 },
      init: 0.01,
      activation: 'tanh',
    });
  });
});

describe('the URL form optimizer,key:value,...', () => {
  it('round-trips every field', () => {
    const typed = { optimizer: 'rmsprop', values: { lr: '0.1', decay: '0.9' }, name: 'My RMS/prop', init: 'xavier', activation: 'sigmoid', color: '#1f9bb5' };
    const segment = formatRacerSegment(typed, '#2ba57e');
    expect(segment).toBe('rmsprop,lr:0.1,decay:0.9,n:My%20RMS%2Fprop,c:1f9bb5,i:xavier,a:sigmoid');
    expect(parseRacerSegment(segment, 0)).toEqual(typed);
  });

  it('rejects what is structurally wrong, naming the racer', () => {
    expect(() => parseRacerSegment('adam,beta1', 1)).toThrow("racer 2: 'beta1' is not key:value");
    expect(() => parseRacerSegment('sgd,momentum:0.9', 0)).toThrow('racer 1: SGD has no momentum');
    expect(() => parseRacerSegment('sgd,z:1', 0)).toThrow("racer 1: unknown setting 'z'");
    expect(() => parseRacerSegment('sgd,c:red', 0)).toThrow("racer 1: colour 'red' is not 6 hex digits");
    expect(() => parseRacerSegment('sgd,a:gelu', 0)).toThrow("racer 1: activation 'gelu' is not relu, sigmoid, tanh");
    expect(() => parseRacerSegment('sgd,n:%E0%A4%A', 0)).toThrow('is not properly encoded');
  });
});

describe('checkRacerText', () => {
  it('names every invalid field, keeping the rest', () => {
    const { racer, problems } = checkRacerText({ optimizer: 'momentum', values: { lr: '-1', momentum: 'x' }, init: '0', activation: 'gelu', color: 'blue' });
    expect(problems.hyper.lr).toMatch(/Momentum: lr \(learning rate\) must be a finite number in \(0, ∞\), got -1/);
    expect(problems.hyper.momentum).toMatch(/momentum \(momentum\) must be a finite number in \[0, 1\), got NaN/);
    expect(problems.init).toBe('init must be he, xavier or a positive standard deviation, got 0');
    expect(problems.activation).toBe('activation must be relu, sigmoid or tanh, got gelu');
    expect(problems.color).toBe('colour must look like #rrggbb, got blue');
    expect(problemList(problems)).toHaveLength(5);
    expect(racer.optimizer).toBe('momentum');
  });

  it('fills in defaults for fields left out, and is silent when all is well', () => {
    const { racer, problems } = checkRacerText({ optimizer: 'adam', values: {} });
    expect(problemList(problems)).toEqual([]);
    expect(racer).toEqual({ optimizer: 'adam', hyperparameters: { lr: 0.001, beta1: 0.9, beta2: 0.999 }, init: 'he', activation: 'relu' });
  });
});

describe('the JSON form', () => {
  it('checks the shape of untrusted racers and fills everything in for exports', () => {
    expect(racerSpecFromJson({ optimizer: 'Adam', hyperparameters: { lr: 0.01 }, init: 'xavier', color: '#ABCDEF' }, 0)).toEqual({
      optimizer: 'adam',
      hyperparameters: { lr: 0.01 },
      init: 'xavier',
      color: '#abcdef',
    });
    expect(() => racerSpecFromJson({ name: 'x' }, 2)).toThrow(/racer 3: needs an "optimizer"/);
    expect(() => racerSpecFromJson({ optimizer: 'sgd', color: 'red' }, 0)).toThrow('racer 1: color must look like #rrggbb, got red');
    expect(() => racerSpecFromJson({ optimizer: 'sgd', hyperparameters: [1] }, 0)).toThrow(/hyperparameters must be an object/);
    expect(racerJson({ optimizer: 'sgd' })).toEqual({
      name: 'SGD',
      optimizer: 'sgd',
      hyperparameters: { lr: 0.01 },
      init: 'he',
      activation: 'relu',
      bn: false,
      dropout: 0,
      l2: 0,
    });
    expect(racerText({ optimizer: 'sgd', init: 0.01 })).toEqual({ optimizer: 'sgd', values: { lr: '0.01' }, name: '', init: '0.01', activation: 'relu' });
  });

  it('reads "init": {"weights": URL} as a weights file to start from, through the text form and back', () => {
    const spec = racerSpecFromJson({ optimizer: 'adam', init: { weights: ' blob:x/1 ' } }, 0);
    expect(spec).toEqual({ optimizer: 'adam', initWeights: 'blob:x/1' });
    const { racer, problems } = checkRacerText(racerText(spec));
    expect(problemList(problems)).toEqual([]);
    expect(racer.initWeights).toBe('blob:x/1');
    expect(racerJson(racer).init).toEqual({ weights: 'blob:x/1' });
    for (const bad of [{}, { weights: '' }, { weights: 3 }, { weights: 'a', std: 1 }, ['a']]) {
      expect(() => racerSpecFromJson({ optimizer: 'sgd', init: bad }, 1)).toThrow(
        `racer 2: init must be 'he', 'xavier', a standard deviation or {"weights": URL}, got ${JSON.stringify(bad)}`,
      );
    }
    // The text forms (URL hash, CLI keys) do not carry it.
    expect(formatRacerArgument(racer)).not.toContain('blob');
    expect(formatRacerSegment(racerText(racer), '#000000')).not.toContain('blob');
  });
});

describe('the race limits', () => {
  it('are one table that every check quotes', () => {
    expect(checkWholeNumber('batchSize', 0)).toBe(`batch size must be a whole number from 1 to ${kRaceLimits.batchSize.max}, got 0`);
    expect(checkWholeNumber('steps', 10_000)).toBeNull();
    expect(checkRacerCount(kRaceLimits.racers.max + 1)).toBe(`at most ${kRaceLimits.racers.max} racers, got ${kRaceLimits.racers.max + 1}`);
    expect(checkRacerCount(0)).toBe('a race needs at least one racer');
  });

  it('checkRaceSettings reports every field at once; resolveRace throws the first', () => {
    const config = { ...kSeedRace, iterations: 0, seed: -1, racers: [{ optimizer: 'adam', hyperparameters: { lr: 0 } }] };
    expect(checkRaceSettings(config)).toEqual({
      iterations: 'iterations must be a whole number from 1 to 1000000, got 0',
      seed: 'seed must be a whole number from 0 to 4294967295, got -1',
      racers: expect.stringMatching(/^Adam: lr \(learning rate\) must be/),
    });
    expect(() => resolveRace(config)).toThrow('iterations must be a whole number from 1 to 1000000, got 0');
    expect(resolveRace({ ...kSeedRace, racers: [{ optimizer: 'sgd' }, { optimizer: 'sgd' }] }).racers.map((r) => r.name)).toEqual(['SGD', 'SGD 2']);
    // The one naming rule, which the demo page's lesson link reads too: a name given, or the label, made unique in order.
    expect(racerNames([{ optimizer: 'sgd' }, { optimizer: 'sgd', name: 'SGD' }, { optimizer: 'adam', name: 'mine' }, { optimizer: 'adam' }])).toEqual([
      'SGD',
      'SGD 2',
      'mine',
      'Adam',
    ]);
  });
});

describe("a racer's network options (bn, dropout, l2)", () => {
  it('reads them in every form and says what is wrong with each', () => {
    const cli = parseRacerArgument('sgd:bn=on,dropout=0.2,l2=0.1', ['bn', 'dropout', 'l2']);
    const { racer, problems } = checkRacerText(cli);
    expect(problemList(problems)).toEqual([]);
    expect(racer).toMatchObject({ bn: true, dropout: 0.2, l2: 0.1 });
    expect(formatRacerArgument(racer)).toBe('sgd:bn=on,dropout=0.2,l2=0.1');
    const segment = formatRacerSegment(racerText(racer), '#000000');
    expect(segment).toBe('sgd,bn:on,do:0.2,l2:0.1');
    expect(checkRacerText(parseRacerSegment(segment, 0)).racer).toMatchObject({ bn: true, dropout: 0.2, l2: 0.1 });
    expect(racerSpecFromJson(JSON.parse(JSON.stringify(racerJson(racer))), 0)).toMatchObject({ bn: true, dropout: 0.2, l2: 0.1 });
    expect(checkRacerText({ optimizer: 'sgd', values: {}, bn: 'maybe', dropout: '1', l2: '-1' }).problems).toMatchObject({
      bn: "bn must be on or off, got 'maybe'",
      dropout: expect.stringContaining('dropout'),
      l2: expect.stringContaining('λ'),
    });
    expect(() => racerSpecFromJson({ optimizer: 'sgd', bn: 'perhaps' }, 2)).toThrow('racer 3: bn must be true or false, got "perhaps"');
  });

  it('resolves them with the race, and refuses bn with a batch of one', () => {
    const race = resolveRace({ ...kSeedRace, racers: [{ optimizer: 'sgd', bn: true, dropout: 0.5 }, { optimizer: 'sgd' }] });
    expect(race.racers.map((r) => [r.bn, r.dropout, r.l2])).toEqual([
      [true, 0.5, 0],
      [false, 0, 0],
    ]);
    expect(race.batchNorm).toBe(true);
    expect(() => resolveRace({ ...kSeedRace, batchSize: 1, racers: [{ optimizer: 'sgd', bn: true }] })).toThrow('batch norm needs a batch size of 2 or more');
  });

  it("turns epochs into the book's iterations and one evaluation per epoch", () => {
    const race = resolveRace({ ...kSeedRace, trainLimit: 300, batchSize: 100, epochs: 4 });
    expect(race.config.iterations).toBe(12);
    expect(race.evaluations).toEqual([1, 4, 7, 10]);
    expect(race.trainSize).toBe(300);
    expect(resolveRace({ ...kSeedRace, iterations: 250, evalEvery: 100 }).evaluations).toEqual([100, 200, 250]);
    expect(() => resolveRace({ ...kSeedRace, epochs: 3 })).toThrow('give a training limit');
    expect(resolveRace({ ...kSeedRace, epochs: 3, batchSize: 100 }, 8000).config.iterations).toBe(240);
    expect(() => resolveRace({ ...kSeedRace, trainLimit: 9000 }, 8000)).toThrow('training limit');
  });
});
