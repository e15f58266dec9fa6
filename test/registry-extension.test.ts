/**
 * Adding an optimizer is one rule per engine plus one registry entry: a test-only optimizer,
 * registered here and nowhere else, runs in the 2D race, the MNIST race (WebGPU and CPU), the CLI's
 * racer parser, the URL state and the racers' colours and markers, with a six-scalar step uniform
 * (as wide as AdamW's) and a hyperparameter key no built-in optimizer has. The WebAssembly engine
 * compiles its rules (src/wasm/assembly/optim/<id>.ts) into the module at build time, so one
 * registered at run time has none there, and that engine refuses it by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistConfig } from '../src/cli/mnist-options';
import { trajectoryConfig } from '../src/cli/trajectory';
import { nonNegativeSpec, lrSpec } from '../src/optim/hyperparameters';
import { GpuOptimizerRun, ReferenceOptimizerRun } from '../src/optim/gpu-optimizer';
import { formatRacerArgument } from '../src/optim/racer-cli-argument';
import { isOptimizerId, optimizerIds, optimizerSpec, registerOptimizer, resolveHyperparameters, unregisterOptimizer } from '../src/optim/registry';
import { kMaxStepScalars } from '../src/optim/step-records';
import { resolveRace, kSeedRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines } from '../src/race2d/trajectory';
import { defaultColor, markersFor, newDraft } from '../src/ui/optimizer-race/racers';
import { decodeSettings, encodeSettings } from '../src/ui/optimizer-race/url-state';
import { seedRacerSettings } from '../src/ui/trajectory-race/racer-settings';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { maxRelativeError, testDevice } from './gpu';

// "Damped sign descent": m = m + g; p -= lr*correction*(gain*g + bias*sign(m))/(1 + eps) + lr*weight_decay*p,
// correction = 1/sqrt(t). Not a real optimizer: every step scalar changes the result, so a scalar
// written to the wrong slot shows.
const kKernel = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> sums: array<f32>;

@compute @workgroup_size(kWorkgroupSize)
fn main(at: OptimInvocation) {
  let step = racerStep(at);
  let i = paramIndex(at);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let g = grads[k];
  let m = sums[k] + g;
  sums[k] = m;
  let p = params[k];
  params[k] = p - step.lr * step.correction * (step.gain * g + step.bias * sign(m)) / (1.0 + step.eps) - step.lr * step.weight_decay * p;
}
`;

const kId = 'test-sign';
const kColor = '#123456';

beforeAll(() => {
  registerOptimizer({
    id: kId,
    label: 'TestSign',
    color: kColor,
    marker: 'diamond',
    hyperparameters: [
      lrSpec(0.05),
      nonNegativeSpec('gain', 'gradient gain', 1),
      nonNegativeSpec('bias', 'sign bias', 0.01),
      nonNegativeSpec('weight_decay', 'weight decay', 0.001),
    ],
    state: ['m'],
    kernel: kKernel,
    stepFields: ['lr', 'gain', 'bias', 'weight_decay', 'correction', 'eps'],
    step: (h, t) => ({ lr: h.lr, gain: h.gain, bias: h.bias, weight_decay: h.weight_decay, correction: 1 / Math.sqrt(t), eps: 1e-3 }),
    reference(p, g, [m], h, t) {
      for (let i = 0; i < p.length; i++) {
        m[i] += g[i];
        const pi = p[i];
        p[i] = pi - (h.lr * (1 / Math.sqrt(t)) * (h.gain * g[i] + h.bias * Math.sign(m[i]))) / (1 + 1e-3) - h.lr * h.weight_decay * pi;
      }
    },
  });
});
afterAll(() => unregisterOptimizer(kId));

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

describe('a test-only optimizer, registered once', () => {
  it('is listed and resolved by the registry, and rejects a step wider than the uniform', () => {
    expect(isOptimizerId(kId)).toBe(true);
    expect(optimizerIds()).toContain(kId);
    expect(resolveHyperparameters(optimizerSpec(kId), { gain: 2 })).toEqual({ lr: 0.05, gain: 2, bias: 0.01, weight_decay: 0.001 });
    const fields = Array.from({ length: kMaxStepScalars + 1 }, (_, k) => `s${k}`);
    expect(() => registerOptimizer({ ...optimizerSpec(kId), id: 'too-wide', stepFields: fields })).toThrow(/at most 10 step scalars/);
    expect(() => registerOptimizer({ ...optimizerSpec(kId) })).toThrow(/already registered/);
  });

  it('runs its WGSL kernel like its float64 reference (six named step scalars)', async (ctx) => {
    if (!device) return ctx.skip();
    const spec = optimizerSpec(kId);
    const hyper = resolveHyperparameters(spec, { lr: 0.1, gain: 0.7, bias: 0.2, weight_decay: 0.05 });
    const initial = Float32Array.from({ length: 130 }, (_, i) => Math.sin(i));
    const gpu = new GpuOptimizerRun(device, spec, hyper, initial);
    const cpu = new ReferenceOptimizerRun(spec, hyper, initial);
    try {
      for (let t = 1; t <= 6; t++) {
        const g = Float32Array.from({ length: 130 }, (_, i) => Math.cos(i * t));
        gpu.step(g);
        cpu.step(g);
      }
      const read = await gpu.read();
      expect(maxRelativeError(read.params, cpu.params)).toBeLessThan(1e-5);
      expect(maxRelativeError(read.state[0], cpu.state[0])).toBeLessThan(1e-5);
    } finally {
      gpu.destroy();
    }
  });

  it('races in the 2D race, on WebGPU as on the CPU', async (ctx) => {
    if (!device) return ctx.skip();
    const config = trajectoryConfig({ function: 'seed', steps: '8', optimizer: [`${kId}:lr=0.3,gain=0.5,bias=0.1`, 'sgd:lr=0.5'] });
    expect(config.racers.map((r) => r.name)).toEqual(['TestSign', 'SGD']);
    const cpu = runTrajectoryRaceCpu(config);
    const gpu = await runTrajectoryRaceGpu(new TrajectoryPipelines(device), config);
    expect(maxRelativeError(gpu[0].path.flat(), cpu[0].path.flat())).toBeLessThan(1e-5);
    expect(cpu[0].path[8]).not.toEqual(cpu[0].path[0]);
    // <trajectory-race> offers it as an extra racer, off by default: the seed's figure is unchanged.
    const settings = seedRacerSettings();
    expect(settings.filter((r) => r.included).map((r) => r.optimizer)).toEqual(['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov']);
    expect(settings.find((r) => r.optimizer === kId)).toEqual({
      optimizer: kId,
      included: false,
      values: { lr: '0.05', gain: '1', bias: '0.01', weight_decay: '0.001' },
    });
  });

  it("races in the MNIST race from the CLI's racer syntax, on WebGPU as on the CPU", async (ctx) => {
    if (!device) return ctx.skip();
    const parsed = mnistConfig({ optimizer: [`${kId}:gain=2,init=xavier`, 'sgd'], iterations: '6', batch: '8', 'eval-every': '3' });
    const config: RaceConfig = { ...parsed, sizes: [784, 12, 10] };
    expect(config.racers[0]).toEqual({ optimizer: kId, hyperparameters: { gain: 2 }, init: 'xavier' });
    const data = syntheticRaceData(120, 40);
    const pipelines = new RacePipelines(device);
    const gpu = RaceEngine.create(config, (race) => new GpuRaceBackend(pipelines, race, data));
    const cpu = RaceEngine.create(config, (race) => new CpuRaceBackend(race, data));
    try {
      await gpu.start();
      await cpu.start();
      expect(gpu.history[0]).toMatchObject({
        name: 'TestSign',
        optimizer: kId,
        hyperparameters: { lr: 0.05, gain: 2, bias: 0.01, weight_decay: 0.001 },
        init: 'xavier',
      });
      expect(maxRelativeError(gpu.history[0].losses, cpu.history[0].losses)).toBeLessThan(1e-3);
      expect(gpu.history[0].diverged).toBeNull();
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });

  it('is refused by the WebAssembly engine, which names the rule file it lacks', async () => {
    const race = resolveRace({ ...kSeedRace, sizes: [784, 12, 10], racers: [{ optimizer: 'sgd' }, { optimizer: kId }] });
    await expect(WasmRaceBackend.create(race, syntheticRaceData(20, 10))).rejects.toThrow(
      `optimizer ${kId} has no WebAssembly rule (src/wasm/assembly/optim/${kId}.ts is compiled into the module at build time); use --backend webgpu or cpu`,
    );
  });

  it('round-trips through the URL state and the CLI form, and has its own colour and marker', () => {
    const draft = { ...newDraft(kId, []), name: 'Mine' };
    draft.values.gain = '3';
    const settings = { iterations: 10, batchSize: 8, seed: 2, evalEvery: 5, preset: 'custom' as const, racers: [draft] };
    const encoded = encodeSettings(settings);
    expect(encoded).toBe(`it:10,b:8,s:2,e:5,p:custom/${kId},gain:3,n:Mine`);
    const decoded = decodeSettings(encoded).racers[0];
    expect(decoded).toMatchObject({ optimizer: kId, name: 'Mine', color: kColor, values: { lr: '0.05', gain: '3', bias: '0.01', weight_decay: '0.001' } });
    expect(formatRacerArgument({ optimizer: kId, hyperparameters: { lr: 0.05, gain: 3 } })).toBe(`${kId}:gain=3`);
    expect(defaultColor(kId, [])).toBe(kColor);
    expect(markersFor(['adam', kId])).toEqual(['diamond', 'circle']);
    expect(() => resolveRace({ ...kSeedRace, racers: [{ optimizer: kId, hyperparameters: { gain: -1 } }] })).toThrow(
      /TestSign: gain \(gradient gain\) must be a finite number in \[0, ∞\), got -1/,
    );
  });
});
