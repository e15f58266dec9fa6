/**
 * The optimizers, one registry entry each: id, label, colour and marker, the hyperparameters (short
 * key, default, range), the WGSL kernel and the named scalars of its per-step uniform, and a plain
 * float64 TypeScript reference of the same rule. Everything else (the 2D race, the MNIST race, the
 * CLI, the URL state, the charts) reads the registry, so adding an optimizer is its rule for each
 * engine (shaders/optim/<id>.wgsl, src/wasm/assembly/optim/<id>.ts) plus one `registerOptimizer`
 * call here.
 */
import common from '../../shaders/optim/common.wgsl?raw';
import sgdWgsl from '../../shaders/optim/sgd.wgsl?raw';
import momentumWgsl from '../../shaders/optim/momentum.wgsl?raw';
import nesterovWgsl from '../../shaders/optim/nesterov.wgsl?raw';
import adagradWgsl from '../../shaders/optim/adagrad.wgsl?raw';
import rmspropWgsl from '../../shaders/optim/rmsprop.wgsl?raw';
import adamWgsl from '../../shaders/optim/adam.wgsl?raw';
import adamwWgsl from '../../shaders/optim/adamw.wgsl?raw';
import lionWgsl from '../../shaders/optim/lion.wgsl?raw';
import adadeltaWgsl from '../../shaders/optim/adadelta.wgsl?raw';
import adamaxWgsl from '../../shaders/optim/adamax.wgsl?raw';
import { checkHyperparameter, lrSpec, nonNegativeSpec, unitSpec, type HyperKey, type HyperparameterSpec, type Hyperparameters } from './hyperparameters';
import { checkStepFields, stepStructWgsl } from './step-records';
// The shapes are drawn by src/ui/markers.ts; the registry only names each optimizer's.
import type { MarkerShape } from './marker-shapes';

/** eps of every adaptive rule, as in the seed. */
export const kEps = 1e-7;

/** Any registered optimizer's id ('sgd', 'adam', ...); `isOptimizerId` tells whether one is. */
export type OptimizerId = string;

/** Values after defaults are filled in and validated: every key the optimizer declares is set. */
export type ResolvedHyperparameters = Readonly<Record<HyperKey, number>>;

export type { MarkerShape };

/**
 * How a state vector is drawn at a racer's point: 'step' an arrow in x units (a velocity), 'gradient'
 * an arrow in gradient units (a first moment, drawn as -lr times it), 'squared' the per-axis step
 * scale lr/sqrt(s) as a rectangle's sides (a sum or average of squared gradients), 'max' lr/u alike
 * (an infinity-norm average), 'none' only listed.
 */
export type StateDrawing = 'step' | 'gradient' | 'squared' | 'max' | 'none';

/** What a registry entry declares. */
export interface OptimizerDefinition {
  id: OptimizerId;
  /** Display name, as the seed prints it. */
  label: string;
  /** Colour of its paths and curves, "#rrggbb". */
  color: string;
  marker: MarkerShape;
  hyperparameters: readonly HyperparameterSpec[];
  /** Names of the state vectors (stateA, stateB), all zero at the start: at most two. */
  state: readonly string[];
  /** How the 2D race draws each state vector, in `state` order; default 'none' (listed, not drawn). */
  stateDrawing?: readonly StateDrawing[];
  /** The kernel's WGSL (without common.wgsl and the generated OptimStep struct). */
  kernel: string;
  /** Names of the scalars of its per-step record, in struct order (the kernel reads `racerStep(at).<name>`). */
  stepFields: readonly string[];
  /** The value of every step field for these hyperparameters at 1-based step t (float64 on the CPU). */
  step(h: ResolvedHyperparameters, t: number): Readonly<Record<string, number>>;
  /** One step of the rule on every element, in float64, in place. `t` is 1-based. */
  reference(p: Float64Array, g: ArrayLike<number>, state: Float64Array[], h: ResolvedHyperparameters, t: number): void;
}

export interface OptimizerSpec extends OptimizerDefinition {
  /** Full WGSL source: the generated OptimStep struct + common.wgsl + the kernel. */
  readonly wgsl: string;
}

const registry = new Map<OptimizerId, OptimizerSpec>();
const kHexColor = /^#[0-9a-f]{6}$/i;
const kId = /^[a-z][a-z0-9_-]*$/;

/** Adds an optimizer to every view; throws a clear message for a malformed or duplicate entry. */
export function registerOptimizer(definition: OptimizerDefinition): OptimizerSpec {
  const { id } = definition;
  if (!kId.test(id)) throw new Error(`optimizer id '${id}' must be lower-case letters, digits, '-' or '_'`);
  if (registry.has(id)) throw new Error(`an optimizer '${id}' is already registered`);
  if (!kHexColor.test(definition.color)) throw new Error(`${id}: color must look like #rrggbb, got ${definition.color}`);
  if (definition.state.length > 2) throw new Error(`${id}: at most two state vectors, got ${definition.state.length}`);
  if (definition.stateDrawing && definition.stateDrawing.length !== definition.state.length) {
    throw new Error(`${id}: stateDrawing needs one entry per state vector (${definition.state.join(', ')})`);
  }
  const keys = definition.hyperparameters.map((h) => h.key);
  if (new Set(keys).size !== keys.length) throw new Error(`${id}: hyperparameter keys must be distinct, got ${keys.join(', ')}`);
  checkStepFields(id, definition.stepFields);
  const spec: OptimizerSpec = { ...definition, wgsl: stepStructWgsl(definition.stepFields) + common + definition.kernel };
  registry.set(id, spec);
  return spec;
}

/** Removes an optimizer registered by `registerOptimizer` (tests register temporary ones). */
export function unregisterOptimizer(id: OptimizerId): void {
  registry.delete(id);
}

/** Every registered optimizer's id, in registration order. */
export function optimizerIds(): OptimizerId[] {
  return [...registry.keys()];
}

/** Every registered optimizer, in registration order. */
export function optimizers(): OptimizerSpec[] {
  return [...registry.values()];
}

export function isOptimizerId(name: string): name is OptimizerId {
  return registry.has(name);
}

/** Looks an optimizer up by id or label, case-insensitively; the error lists what exists. */
export function optimizerSpec(name: string): OptimizerSpec {
  const wanted = name.trim().toLowerCase();
  const spec = registry.get(wanted) ?? optimizers().find((s) => s.label.toLowerCase() === wanted);
  if (spec) return spec;
  throw new Error(`Unknown optimizer '${name}'. Known optimizers: ${optimizerIds().join(', ')}`);
}

/** Adam's bias correction: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t). */
export function adamCorrection(h: ResolvedHyperparameters, t: number): number {
  return Math.sqrt(1 - h.beta2 ** t) / (1 - h.beta1 ** t);
}

/**
 * Fills in defaults and validates: unknown keys, NaN, lr <= 0 and coefficients outside [0, 1) are
 * rejected with a message naming the optimizer and the allowed range.
 */
export function resolveHyperparameters(spec: OptimizerSpec, given: Hyperparameters = {}): ResolvedHyperparameters {
  const allowed = spec.hyperparameters.map((s) => s.key);
  for (const key of Object.keys(given)) {
    if (given[key] === undefined) continue;
    if (!allowed.includes(key)) {
      throw new Error(`${spec.label} has no hyperparameter '${key}'. Allowed: ${allowed.join(', ')}`);
    }
  }
  const resolved: Record<HyperKey, number> = {};
  for (const s of spec.hyperparameters) {
    const value = given[s.key] ?? s.default;
    const problem = checkHyperparameter(s, value);
    if (problem) throw new Error(`${spec.label}: ${problem}`);
    resolved[s.key] = value;
  }
  return resolved;
}

/** Only the hyperparameters this optimizer uses, for reports (`{lr: 0.3, momentum: 0.9}`). */
export function usedHyperparameters(spec: OptimizerSpec, h: ResolvedHyperparameters): Record<HyperKey, number> {
  return Object.fromEntries(spec.hyperparameters.map((s) => [s.key, h[s.key]]));
}

// The seed's six, in the order of its optimizer_compare_naive script's dictionary.

const momentum = unitSpec('momentum', 'momentum', 0.9);

registerOptimizer({
  id: 'sgd',
  label: 'SGD',
  color: '#e05a47',
  marker: 'circle',
  hyperparameters: [lrSpec(0.01)],
  state: [],
  kernel: sgdWgsl,
  stepFields: ['lr'],
  step: (h) => ({ lr: h.lr }),
  reference(p, g, _s, h) {
    for (let i = 0; i < p.length; i++) p[i] -= h.lr * g[i];
  },
});

registerOptimizer({
  id: 'momentum',
  label: 'Momentum',
  color: '#3b8fd9',
  marker: 'cross',
  hyperparameters: [lrSpec(0.01), momentum],
  state: ['v'],
  stateDrawing: ['step'],
  kernel: momentumWgsl,
  stepFields: ['lr', 'momentum'],
  step: (h) => ({ lr: h.lr, momentum: h.momentum }),
  reference(p, g, [v], h) {
    for (let i = 0; i < p.length; i++) {
      v[i] = h.momentum * v[i] - h.lr * g[i];
      p[i] += v[i];
    }
  },
});

registerOptimizer({
  id: 'nesterov',
  label: 'Nesterov',
  color: '#9a6fd6',
  marker: 'triangle-up',
  hyperparameters: [lrSpec(0.01), momentum],
  state: ['v'],
  stateDrawing: ['step'],
  kernel: nesterovWgsl,
  stepFields: ['lr', 'momentum'],
  step: (h) => ({ lr: h.lr, momentum: h.momentum }),
  reference(p, g, [v], h) {
    const mu = h.momentum;
    for (let i = 0; i < p.length; i++) {
      p[i] += mu * mu * v[i];
      p[i] -= (1 + mu) * h.lr * g[i];
      v[i] = mu * v[i] - h.lr * g[i];
    }
  },
});

registerOptimizer({
  id: 'adagrad',
  label: 'AdaGrad',
  color: '#d99b1f',
  marker: 'square',
  hyperparameters: [lrSpec(0.01)],
  state: ['h'],
  stateDrawing: ['squared'],
  kernel: adagradWgsl,
  stepFields: ['lr', 'eps'],
  step: (h) => ({ lr: h.lr, eps: kEps }),
  reference(p, g, [s], h) {
    for (let i = 0; i < p.length; i++) {
      s[i] += g[i] * g[i];
      p[i] -= (h.lr * g[i]) / (Math.sqrt(s[i]) + kEps);
    }
  },
});

registerOptimizer({
  id: 'rmsprop',
  label: 'RMSprop',
  color: '#2ba57e',
  marker: 'triangle-down',
  hyperparameters: [lrSpec(0.01), unitSpec('decay', 'decay rate', 0.99)],
  state: ['h'],
  stateDrawing: ['squared'],
  kernel: rmspropWgsl,
  stepFields: ['lr', 'decay', 'eps'],
  step: (h) => ({ lr: h.lr, decay: h.decay, eps: kEps }),
  reference(p, g, [s], h) {
    for (let i = 0; i < p.length; i++) {
      s[i] = h.decay * s[i] + (1 - h.decay) * g[i] * g[i];
      p[i] -= (h.lr * g[i]) / (Math.sqrt(s[i]) + kEps);
    }
  },
});

registerOptimizer({
  id: 'adam',
  label: 'Adam',
  color: '#d6589f',
  marker: 'diamond',
  hyperparameters: [lrSpec(0.001), unitSpec('beta1', 'beta1', 0.9, 'β1'), unitSpec('beta2', 'beta2', 0.999, 'β2')],
  state: ['m', 'v'],
  stateDrawing: ['gradient', 'squared'],
  kernel: adamWgsl,
  // The bias correction comes from the CPU in float64 (see adam.wgsl).
  stepFields: ['lr', 'beta1', 'beta2', 'correction', 'eps'],
  step: (h, t) => ({ lr: h.lr, beta1: h.beta1, beta2: h.beta2, correction: adamCorrection(h, t), eps: kEps }),
  reference(p, g, [m, v], h, t) {
    const lrT = h.lr * adamCorrection(h, t);
    for (let i = 0; i < p.length; i++) {
      m[i] += (1 - h.beta1) * (g[i] - m[i]);
      v[i] += (1 - h.beta2) * (g[i] * g[i] - v[i]);
      p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + kEps);
    }
  },
});

// The four people ask for most (AdamW, Lion, AdaDelta, Adamax), after PyTorch's torch.optim
// pseudocode and, for Lion, the paper's Algorithm 2 (arXiv 2302.06675). Extra racers: the seed's
// figures keep its six.

const beta1 = (d: number) => unitSpec('beta1', 'beta1', d, 'β1');
const beta2 = (d: number) => unitSpec('beta2', 'beta2', d, 'β2');
const weightDecay = (d: number) => nonNegativeSpec('weight_decay', 'weight decay', d);

registerOptimizer({
  id: 'adamw',
  label: 'AdamW',
  color: '#0e7c86',
  marker: 'triangle-right',
  hyperparameters: [lrSpec(0.001), beta1(0.9), beta2(0.999), weightDecay(0.01)],
  state: ['m', 'v'],
  stateDrawing: ['gradient', 'squared'],
  kernel: adamwWgsl,
  stepFields: ['lr', 'beta1', 'beta2', 'weight_decay', 'correction', 'eps'],
  step: (h, t) => ({ lr: h.lr, beta1: h.beta1, beta2: h.beta2, weight_decay: h.weight_decay, correction: adamCorrection(h, t), eps: kEps }),
  reference(p, g, [m, v], h, t) {
    const lrT = h.lr * adamCorrection(h, t);
    for (let i = 0; i < p.length; i++) {
      p[i] -= h.lr * h.weight_decay * p[i];
      m[i] += (1 - h.beta1) * (g[i] - m[i]);
      v[i] += (1 - h.beta2) * (g[i] * g[i] - v[i]);
      p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + kEps);
    }
  },
});

registerOptimizer({
  id: 'lion',
  label: 'Lion',
  color: '#8c564b',
  marker: 'star',
  hyperparameters: [lrSpec(0.0001), beta1(0.9), beta2(0.99), weightDecay(0)],
  state: ['m'],
  stateDrawing: ['gradient'],
  kernel: lionWgsl,
  stepFields: ['lr', 'beta1', 'beta2', 'weight_decay'],
  step: (h) => ({ lr: h.lr, beta1: h.beta1, beta2: h.beta2, weight_decay: h.weight_decay }),
  reference(p, g, [m], h) {
    for (let i = 0; i < p.length; i++) {
      const c = h.beta1 * m[i] + (1 - h.beta1) * g[i];
      p[i] -= h.lr * (Math.sign(c) + h.weight_decay * p[i]);
      m[i] = h.beta2 * m[i] + (1 - h.beta2) * g[i];
    }
  },
});

/** AdaDelta's eps, as PyTorch's default. */
export const kAdaDeltaEps = 1e-6;

registerOptimizer({
  id: 'adadelta',
  label: 'AdaDelta',
  color: '#6e8b00',
  marker: 'triangle-left',
  hyperparameters: [lrSpec(1), unitSpec('rho', 'rho', 0.9, 'ρ')],
  state: ['v', 'u'],
  kernel: adadeltaWgsl,
  stepFields: ['lr', 'rho', 'eps'],
  step: (h) => ({ lr: h.lr, rho: h.rho, eps: kAdaDeltaEps }),
  reference(p, g, [v, u], h) {
    for (let i = 0; i < p.length; i++) {
      v[i] = h.rho * v[i] + (1 - h.rho) * g[i] * g[i];
      const d = (Math.sqrt(u[i] + kAdaDeltaEps) / Math.sqrt(v[i] + kAdaDeltaEps)) * g[i];
      u[i] = h.rho * u[i] + (1 - h.rho) * d * d;
      p[i] -= h.lr * d;
    }
  },
});

/** Adamax's eps, as PyTorch's default. */
export const kAdamaxEps = 1e-8;

registerOptimizer({
  id: 'adamax',
  label: 'Adamax',
  color: '#5b5f97',
  marker: 'pentagon',
  hyperparameters: [lrSpec(0.002), beta1(0.9), beta2(0.999)],
  state: ['m', 'u'],
  stateDrawing: ['gradient', 'max'],
  kernel: adamaxWgsl,
  // 1/(1-beta1^t) from the CPU in float64, as Adam's correction.
  stepFields: ['lr', 'beta1', 'beta2', 'correction', 'eps'],
  step: (h, t) => ({ lr: h.lr, beta1: h.beta1, beta2: h.beta2, correction: 1 / (1 - h.beta1 ** t), eps: kAdamaxEps }),
  reference(p, g, [m, u], h, t) {
    const lrT = h.lr / (1 - h.beta1 ** t);
    for (let i = 0; i < p.length; i++) {
      m[i] = h.beta1 * m[i] + (1 - h.beta1) * g[i];
      u[i] = Math.max(h.beta2 * u[i], Math.abs(g[i]) + kAdamaxEps);
      p[i] -= (lrT * m[i]) / u[i];
    }
  },
});

/** The seed's six optimizers (the built-in entries above). */
export const kSeedOptimizerIds: readonly OptimizerId[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
