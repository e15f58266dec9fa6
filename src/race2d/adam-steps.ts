/**
 * Adam by hand, computed: `steps` Adam updates of one 2D point, reading g, m, v and x after each
 * step, on the Adam WGSL kernel (GpuOptimizerRun) or on the float64 reference. No DOM here: the
 * <adam-steps> element only renders what this returns.
 */
import { perDevice } from '../gpu/per-device';
import { GpuOptimizerRun, ReferenceOptimizerRun } from '../optim/gpu-optimizer';
import { OptimizerPipelines } from '../optim/optimizer-pipelines';
import { optimizerSpec, resolveHyperparameters, type ResolvedHyperparameters } from '../optim/registry';
import { functionById, type Function2D } from './functions';
import { kAdamStepsLimits, wholeNumberProblem } from '../race/limits';

export type Vec2 = [number, number];

/** What a person sets; checked by resolveAdamStepsConfig. */
export interface AdamStepsSettings {
  exercise: string;
  /** Undefined: the function's default start. */
  start?: Vec2;
  lr: number;
  beta1: number;
  beta2: number;
  steps: number;
}

export interface AdamStepsConfig {
  fn: Function2D;
  start: Vec2;
  hyper: ResolvedHyperparameters;
  steps: number;
}

/** One Adam update t (1-based): the gradient at x_{t-1}, the state after the update and x_t. */
export interface AdamStepValues {
  t: number;
  g: Vec2;
  m: Vec2;
  v: Vec2;
  /** m / (1 - beta1^t) and v / (1 - beta2^t): the seed's bias-corrected moments. */
  mHat: Vec2;
  vHat: Vec2;
  x: Vec2;
}

const adam = optimizerSpec('adam');

/** Validates the settings; throws an Error whose message says what is wrong and what is allowed. */
export function resolveAdamStepsConfig(s: AdamStepsSettings): AdamStepsConfig {
  const fn = functionById(s.exercise);
  const start = s.start ?? fn.start;
  if (start.length !== 2 || !start.every(Number.isFinite)) {
    throw new Error(`The start point must be two finite numbers, got (${start.map(String).join(', ')})`);
  }
  const stepsProblem = wholeNumberProblem(kAdamStepsLimits.steps, s.steps);
  if (stepsProblem) throw new Error(stepsProblem);
  const hyper = resolveHyperparameters(adam, { lr: s.lr, beta1: s.beta1, beta2: s.beta2 });
  return { fn, start: [start[0], start[1]], hyper, steps: s.steps };
}

function corrected(m: ArrayLike<number>, v: ArrayLike<number>, h: ResolvedHyperparameters, t: number): Pick<AdamStepValues, 'mHat' | 'vHat'> {
  const c1 = 1 - h.beta1 ** t;
  const c2 = 1 - h.beta2 ** t;
  return { mHat: [m[0] / c1, m[1] / c1], vHat: [v[0] / c2, v[1] / c2] };
}

// Pipelines are compiled once per device, not once per table.
const pipelinesFor = perDevice((device) => new OptimizerPipelines(device));

/** On the GPU: one Adam kernel dispatch per step, then m, v and x are read back. */
export async function computeAdamStepsGpu(device: GPUDevice, config: AdamStepsConfig): Promise<AdamStepValues[]> {
  const run = new GpuOptimizerRun(device, adam, config.hyper, Float32Array.from(config.start), pipelinesFor(device));
  const rows: AdamStepValues[] = [];
  try {
    let x: Vec2 = [...config.start];
    for (let t = 1; t <= config.steps; t++) {
      const g = config.fn.grad(x[0], x[1]);
      run.step(g);
      const {
        params,
        state: [m, v],
      } = await run.read();
      x = [params[0], params[1]];
      rows.push({ t, g: [Math.fround(g[0]), Math.fround(g[1])], m: [m[0], m[1]], v: [v[0], v[1]], ...corrected(m, v, config.hyper, t), x });
    }
  } finally {
    run.destroy();
  }
  return rows;
}

/** The same steps on the float64 TypeScript reference (no WebGPU needed). */
export function computeAdamStepsCpu(config: AdamStepsConfig): AdamStepValues[] {
  const run = new ReferenceOptimizerRun(adam, config.hyper, config.start);
  const [m, v] = run.state;
  const rows: AdamStepValues[] = [];
  for (let t = 1; t <= config.steps; t++) {
    const g = config.fn.grad(run.params[0], run.params[1]);
    run.step(g);
    rows.push({ t, g, m: [m[0], m[1]], v: [v[0], v[1]], ...corrected(m, v, config.hyper, t), x: [run.params[0], run.params[1]] });
  }
  return rows;
}
