/**
 * The 2D race (the seed's optimizer_compare_naive): every racer starts at one point and takes
 * `steps` updates on a 2D function. On the GPU all racers share one params buffer (2 floats
 * each); each step is one gradient dispatch plus one optimizer dispatch per optimizer, all steps are
 * encoded into one submit, and the paths are read back once at the end. A racer's learning-rate
 * schedule (src/optim/schedule.ts) runs over the race's `steps`, into the same per-step record.
 */
import gradientWgsl from '../../shaders/race2d/gradient2d.wgsl?raw';
import recordStateWgsl from '../../shaders/race2d/record-state.wgsl?raw';
import functionsWgsl from '../../shaders/race2d/functions2d.wgsl?raw';
import { createBuffer, readFloat32, storageUsage } from '../gpu/buffers';
import { UniformRing } from '../gpu/uniform-ring';
import { checkRacerCount, checkWholeNumber } from '../race/limits';
import { OptimizerPipelines, OptimizerSteps } from '../optim/optimizer-pipelines';
import type { Hyperparameters } from '../optim/hyperparameters';
import { isConstant, kConstantSchedule, scheduledHyperparameters, scheduleJson, scheduleProblem, type Schedule } from '../optim/schedule';
import {
  optimizerSpec,
  resolveHyperparameters,
  usedHyperparameters,
  type OptimizerId,
  type OptimizerSpec,
  type ResolvedHyperparameters,
} from '../optim/registry';
import type { Function2D, Point } from './functions';
import { resolveFunctionOrExplain as resolveFunction } from './typed-function';
import { kTraceFloats, TraceRecorder, traceFromRows, type OptimizerTrace } from './optimizer-trace';

export interface TrajectoryRacer {
  optimizer: OptimizerId;
  hyperparameters?: Hyperparameters;
  /** Display name; defaults to the optimizer's label. */
  name?: string;
  /** Learning-rate schedule over the race's `steps`; default constant. */
  schedule?: Schedule;
}

export interface TrajectoryConfig {
  /** A named function's id (src/race2d/functions.ts) or a typed f(x, y) (src/race2d/expression.ts). */
  function: string;
  start: Point;
  steps: number;
  racers: TrajectoryRacer[];
}

export interface TrajectoryResult {
  name: string;
  optimizer: OptimizerId;
  hyperparameters: Hyperparameters;
  /** Left out for the constant schedule. */
  schedule?: Schedule;
  /** steps + 1 points: the start, then the point after each update. NaN once diverged. */
  path: Point[];
  /** First step whose point is not finite or is more than 1e6 away (or follows a gradient that was not finite), or null. */
  diverged: number | null;
  /** The gradient and optimizer state at every update, when the run was asked for it (RunOptions.trace). */
  trace?: OptimizerTrace;
}

export interface RunOptions {
  /** Also record each racer's gradient and optimizer state at every update (one more dispatch per step). */
  trace?: boolean;
}

/** A point this far out has left every plot: the racer diverged. */
export const kDivergedAt = 1e6;

/** The seed's experiment: f = x^2/20 + y^2 from (-7, 2), 30 updates, its learning rates. */
export const kSeedTrajectoryRace: TrajectoryConfig = {
  function: 'seed',
  start: [-7, 2],
  steps: 30,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.95 } },
    { optimizer: 'momentum', hyperparameters: { lr: 0.1 } },
    { optimizer: 'adagrad', hyperparameters: { lr: 1.5 } },
    { optimizer: 'adam', hyperparameters: { lr: 0.3 } },
    { optimizer: 'rmsprop', hyperparameters: { lr: 0.3 } },
    { optimizer: 'nesterov', hyperparameters: { lr: 0.3 } },
  ],
};

interface ResolvedRacer {
  name: string;
  spec: OptimizerSpec;
  hyper: ResolvedHyperparameters;
  schedule: Schedule;
}

/** Validates the whole configuration; every message says what is allowed. */
export function resolveTrajectoryConfig(config: TrajectoryConfig): ResolvedRacer[] {
  resolveFunction(config.function);
  const stepsProblem = checkWholeNumber('steps', config.steps);
  if (stepsProblem) throw new Error(stepsProblem);
  if (config.start.length !== 2 || !config.start.every(Number.isFinite)) {
    throw new Error(`start must be two finite numbers x,y, got ${config.start.join(',')}`);
  }
  const countProblem = checkRacerCount(config.racers.length);
  if (countProblem) throw new Error(countProblem);
  return config.racers.map((r) => {
    const spec = optimizerSpec(r.optimizer);
    const hyper = resolveHyperparameters(spec, r.hyperparameters);
    const schedule = r.schedule ?? kConstantSchedule;
    if (!isConstant(schedule)) {
      if (hyper.lr === undefined) throw new Error(`${spec.label} has no lr to schedule; give it the constant schedule`);
      const problem = scheduleProblem(schedule, hyper.lr);
      if (problem) throw new Error(`${r.name ?? spec.label}: ${problem}`);
    }
    return { name: r.name ?? spec.label, spec, hyper, schedule };
  });
}

/** `badGradient[i]`: the first step taken from a point whose gradient was NaN or infinite, or 0. */
function finish(racers: ResolvedRacer[], paths: Point[][], badGradient: ArrayLike<number>, traces?: OptimizerTrace[]): TrajectoryResult[] {
  return racers.map((r, i) => {
    const path = paths[i];
    const far = path.findIndex(([x, y]) => !(Math.abs(x) < kDivergedAt && Math.abs(y) < kDivergedAt));
    const bad = badGradient[i] > 0 && badGradient[i] < path.length ? badGradient[i] : -1;
    const k = far < 0 ? bad : bad < 0 ? far : Math.min(far, bad);
    return {
      name: r.name,
      optimizer: r.spec.id,
      hyperparameters: usedHyperparameters(r.spec, r.hyper),
      ...(isConstant(r.schedule) ? {} : { schedule: scheduleJson(r.schedule) }),
      path: k < 0 ? path : path.map((p, j) => (j < k ? p : [NaN, NaN])),
      diverged: k < 0 ? null : k,
      ...(traces ? { trace: traces[i] } : {}),
    };
  });
}

/** The race in float64 TypeScript, with the optimizers' reference rules. */
export function runTrajectoryRaceCpu(config: TrajectoryConfig, options: RunOptions = {}): TrajectoryResult[] {
  const racers = resolveTrajectoryConfig(config);
  const fn = resolveFunction(config.function);
  const badGradient = racers.map(() => 0);
  const recorders = racers.map((r) => new TraceRecorder(r.spec.state));
  const paths = racers.map((r, i) => {
    const p = Float64Array.from(config.start);
    const state = r.spec.state.map(() => new Float64Array(2));
    const path: Point[] = [[p[0], p[1]]];
    for (let t = 1; t <= config.steps; t++) {
      const g = fn.grad(p[0], p[1]);
      if (badGradient[i] === 0 && !g.every(Number.isFinite)) badGradient[i] = t;
      r.spec.reference(p, g, state, scheduledHyperparameters(r.hyper, r.schedule, t, config.steps), t);
      if (options.trace) recorders[i].record(g, state);
      path.push([p[0], p[1]]);
    }
    return path;
  });
  return finish(racers, paths, badGradient, options.trace ? recorders.map((r) => r.trace) : undefined);
}

/** Typed functions' gradient pipelines kept per device (least recently used goes first). */
const kTypedPipelines = 16;

/** Pipelines for the 2D race on one device; create once and reuse across races. */
export class TrajectoryPipelines {
  readonly optimizers: OptimizerPipelines;
  /** The named functions' gradient pipeline. */
  readonly gradient: GPUComputePipeline;
  readonly recordState: GPUComputePipeline;
  private readonly layout: GPUBindGroupLayout;
  /** A typed function's pipeline by its normalized text. */
  private readonly typed = new Map<string, GPUComputePipeline>();

  constructor(readonly device: GPUDevice) {
    this.optimizers = new OptimizerPipelines(device);
    this.layout = device.createBindGroupLayout({
      label: 'Gradient2D.bindGroupLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } },
        { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.gradient = this.pipeline('Gradient2D', functionsWgsl);
    const readOnly = { type: 'read-only-storage' } as const;
    const recordLayout = device.createBindGroupLayout({
      label: 'RecordState.bindGroupLayout',
      entries: [
        ...[readOnly, readOnly, readOnly, { type: 'storage' } as const].map((buffer, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer })),
        { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } },
      ],
    });
    this.recordState = device.createComputePipeline({
      label: 'RecordState.pipeline',
      layout: device.createPipelineLayout({ label: 'RecordState.pipelineLayout', bindGroupLayouts: [recordLayout] }),
      compute: { module: device.createShaderModule({ label: 'RecordState.module', code: recordStateWgsl }), entryPoint: 'main' },
    });
  }

  private pipeline(label: string, gradientFunction: string): GPUComputePipeline {
    const module = this.device.createShaderModule({ label: `${label}.module`, code: `${gradientFunction}\n${gradientWgsl}` });
    return this.device.createComputePipeline({
      label: `${label}.pipeline`,
      layout: this.device.createPipelineLayout({ label: `${label}.pipelineLayout`, bindGroupLayouts: [this.layout] }),
      compute: { module, entryPoint: 'main' },
    });
  }

  /** The gradient pipeline of `fn`: the named functions share one, a typed function compiles once. */
  gradientFor(fn: Function2D): GPUComputePipeline {
    if (fn.gradientWgsl === undefined) return this.gradient;
    let pipeline = this.typed.get(fn.id);
    if (pipeline) this.typed.delete(fn.id);
    else pipeline = this.pipeline(`Gradient2D[${fn.id}]`, fn.gradientWgsl);
    this.typed.set(fn.id, pipeline);
    if (this.typed.size > kTypedPipelines) this.typed.delete(this.typed.keys().next().value as string);
    return pipeline;
  }
}

/** The race on the GPU with the WGSL kernels: one submit, one read-back. */
export async function runTrajectoryRaceGpu(pipelines: TrajectoryPipelines, config: TrajectoryConfig, options: RunOptions = {}): Promise<TrajectoryResult[]> {
  const racers = resolveTrajectoryConfig(config);
  const { device } = pipelines;
  const fn = resolveFunction(config.function);
  const gradient = pipelines.gradientFor(fn);
  const n = racers.length;
  const steps = config.steps;

  const start = new Float32Array(2 * n);
  for (let r = 0; r < n; r++) start.set(config.start, 2 * r);
  const zeros = new Float32Array(2 * n);
  const buffers = {
    params: createBuffer(device, 'Trajectory.params', storageUsage(), start),
    grads: createBuffer(device, 'Trajectory.grads', storageUsage(), zeros),
    stateA: createBuffer(device, 'Trajectory.stateA', storageUsage(), zeros),
    stateB: createBuffer(device, 'Trajectory.stateB', storageUsage(), zeros),
  };
  const pathBuffer = createBuffer(device, 'Trajectory.path', storageUsage(), 8 * n * (steps + 1));
  const traceBuffer = options.trace ? createBuffer(device, 'Trajectory.trace', storageUsage(), 4 * kTraceFloats * n * Math.max(1, steps)) : null;
  const divergedBuffer = createBuffer(device, 'Trajectory.diverged', storageUsage(), new Uint32Array(n));

  // One optimizer record per racer per step; one gradient slot per step (+1 to record the end).
  const optimizerSteps = new OptimizerSteps(
    device,
    racers.map((r) => r.spec.id),
    steps,
    'Trajectory.optimizer',
  );
  const gradientSteps = new UniformRing(device, steps + 1, 16, 'Trajectory.gradientSteps');
  for (let s = 0; s <= steps; s++) [fn.index, n, s].forEach((word, k) => gradientSteps.setU32(s, k, word));
  gradientSteps.flush();
  for (let s = 0; s < steps; s++) {
    racers.forEach((r, i) => optimizerSteps.set(s, i, r.spec, scheduledHyperparameters(r.hyper, r.schedule, s + 1, steps), s + 1, 2 * i, 2));
  }
  optimizerSteps.flush();

  const optimizerGroup = pipelines.optimizers.bindGroup(buffers, optimizerSteps, 'Trajectory.optimizerBindGroup');
  const gradientGroup = device.createBindGroup({
    label: 'Trajectory.gradientBindGroup',
    layout: gradient.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: buffers.params } },
      { binding: 1, resource: { buffer: buffers.grads } },
      { binding: 2, resource: { buffer: pathBuffer } },
      { binding: 3, resource: { buffer: gradientSteps.buffer, size: 16 } },
      { binding: 4, resource: { buffer: divergedBuffer } },
    ],
  });

  const recordGroup =
    traceBuffer &&
    device.createBindGroup({
      label: 'Trajectory.recordStateBindGroup',
      layout: pipelines.recordState.getBindGroupLayout(0),
      entries: [
        ...[buffers.grads, buffers.stateA, buffers.stateB, traceBuffer].map((buffer, binding) => ({ binding, resource: { buffer } })),
        { binding: 4, resource: { buffer: gradientSteps.buffer, size: 16 } },
      ],
    });

  const encoder = device.createCommandEncoder({ label: 'Trajectory.encoder' });
  const pass = encoder.beginComputePass({ label: 'Trajectory.pass' });
  const workgroups = Math.ceil(n / 64);
  for (let s = 0; s <= steps; s++) {
    pass.setPipeline(gradient);
    pass.setBindGroup(0, gradientGroup, [gradientSteps.offset(s)]);
    pass.dispatchWorkgroups(workgroups);
    if (s === steps) break;
    pipelines.optimizers.encode(pass, optimizerGroup, optimizerSteps, s, 2);
    if (recordGroup) {
      pass.setPipeline(pipelines.recordState);
      pass.setBindGroup(0, recordGroup, [gradientSteps.offset(s)]);
      pass.dispatchWorkgroups(workgroups);
    }
  }
  pass.end();
  device.queue.submit([encoder.finish()]);

  const flat = await readFloat32(device, pathBuffer);
  const traceRows = traceBuffer && (await readFloat32(device, traceBuffer));
  const badGradient = new Uint32Array((await readFloat32(device, divergedBuffer)).buffer);
  for (const b of [...Object.values(buffers), pathBuffer, divergedBuffer, ...(traceBuffer ? [traceBuffer] : [])]) b.destroy();
  optimizerSteps.destroy();
  gradientSteps.destroy();

  const paths = racers.map((_, r) => Array.from({ length: steps + 1 }, (_, s): Point => [flat[2 * (s * n + r)], flat[2 * (s * n + r) + 1]]));
  return finish(racers, paths, badGradient, traceRows ? racers.map((r, i) => traceFromRows(traceRows, n, i, steps, r.spec.state)) : undefined);
}
