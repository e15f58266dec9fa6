/**
 * The optimizers of the seed (chapter 6 of Deep Learning from Scratch), one entry each:
 * hyperparameters with defaults and ranges, the WGSL kernel, and a plain TypeScript reference of
 * the same rule. Adding an optimizer = one kernel in shaders/optim/ plus one entry here.
 */
import common from '../../shaders/optim/common.wgsl?raw';
import sgdWgsl from '../../shaders/optim/sgd.wgsl?raw';
import momentumWgsl from '../../shaders/optim/momentum.wgsl?raw';
import nesterovWgsl from '../../shaders/optim/nesterov.wgsl?raw';
import adagradWgsl from '../../shaders/optim/adagrad.wgsl?raw';
import rmspropWgsl from '../../shaders/optim/rmsprop.wgsl?raw';
import adamWgsl from '../../shaders/optim/adam.wgsl?raw';
import {
  checkHyperparameter, lrSpec, unitSpec,
  type HyperKey, type HyperparameterSpec, type Hyperparameters,
} from './hyperparameters';

/** eps of every adaptive rule, as in the seed. */
export const kEps = 1e-7;

/** Values after defaults are filled in and validated: every key the optimizer declares is set. */
export type ResolvedHyperparameters = Readonly<Record<HyperKey, number>>;

export interface OptimizerSpec {
  id: OptimizerId;
  /** Display name, as the seed prints it. */
  label: string;
  hyperparameters: readonly HyperparameterSpec[];
  /** Names of the state vectors (stateA, stateB), all zero at the start. */
  state: readonly string[];
  /** Full WGSL source (common.wgsl + kernel). */
  wgsl: string;
  /** The uniform's (lr, h1, h2, correction) for these hyperparameters at 1-based step t. */
  uniform(h: ResolvedHyperparameters, t: number): [number, number, number, number];
  /** One step of the rule on every element, in float64, in place. `t` is 1-based. */
  reference(p: Float64Array, g: ArrayLike<number>, state: Float64Array[], h: ResolvedHyperparameters, t: number): void;
}

/** Adam's bias correction: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t). */
export function adamCorrection(h: ResolvedHyperparameters, t: number): number {
  return Math.sqrt(1 - h.beta2 ** t) / (1 - h.beta1 ** t);
}

export const kOptimizerIds = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerId = (typeof kOptimizerIds)[number];

const momentum = unitSpec('momentum', 'momentum', 0.9);

export const kOptimizers: Readonly<Record<OptimizerId, OptimizerSpec>> = {
  sgd: {
    id: 'sgd', label: 'SGD', hyperparameters: [lrSpec(0.01)], state: [], wgsl: common + sgdWgsl,
    uniform: (h) => [h.lr, 0, 0, 0],
    reference(p, g, _s, h) {
      for (let i = 0; i < p.length; i++) p[i] -= h.lr * g[i];
    },
  },
  momentum: {
    id: 'momentum', label: 'Momentum', hyperparameters: [lrSpec(0.01), momentum], state: ['v'],
    wgsl: common + momentumWgsl,
    uniform: (h) => [h.lr, h.momentum, 0, 0],
    reference(p, g, [v], h) {
      for (let i = 0; i < p.length; i++) {
        v[i] = h.momentum * v[i] - h.lr * g[i];
        p[i] += v[i];
      }
    },
  },
  nesterov: {
    id: 'nesterov', label: 'Nesterov', hyperparameters: [lrSpec(0.01), momentum], state: ['v'],
    wgsl: common + nesterovWgsl,
    uniform: (h) => [h.lr, h.momentum, 0, 0],
    reference(p, g, [v], h) {
      const mu = h.momentum;
      for (let i = 0; i < p.length; i++) {
        p[i] += mu * mu * v[i];
        p[i] -= (1 + mu) * h.lr * g[i];
        v[i] = mu * v[i] - h.lr * g[i];
      }
    },
  },
  adagrad: {
    id: 'adagrad', label: 'AdaGrad', hyperparameters: [lrSpec(0.01)], state: ['h'],
    wgsl: common + adagradWgsl,
    uniform: (h) => [h.lr, 0, 0, 0],
    reference(p, g, [s], h) {
      for (let i = 0; i < p.length; i++) {
        s[i] += g[i] * g[i];
        p[i] -= (h.lr * g[i]) / (Math.sqrt(s[i]) + kEps);
      }
    },
  },
  rmsprop: {
    id: 'rmsprop', label: 'RMSprop', hyperparameters: [lrSpec(0.01), unitSpec('decay', 'decay rate', 0.99)],
    state: ['h'], wgsl: common + rmspropWgsl,
    uniform: (h) => [h.lr, h.decay, 0, 0],
    reference(p, g, [s], h) {
      for (let i = 0; i < p.length; i++) {
        s[i] = h.decay * s[i] + (1 - h.decay) * g[i] * g[i];
        p[i] -= (h.lr * g[i]) / (Math.sqrt(s[i]) + kEps);
      }
    },
  },
  adam: {
    id: 'adam', label: 'Adam',
    hyperparameters: [lrSpec(0.001), unitSpec('beta1', 'beta1', 0.9), unitSpec('beta2', 'beta2', 0.999)],
    state: ['m', 'v'], wgsl: common + adamWgsl,
    uniform: (h, t) => [h.lr, h.beta1, h.beta2, adamCorrection(h, t)],
    reference(p, g, [m, v], h, t) {
      const lrT = h.lr * adamCorrection(h, t);
      for (let i = 0; i < p.length; i++) {
        m[i] += (1 - h.beta1) * (g[i] - m[i]);
        v[i] += (1 - h.beta2) * (g[i] * g[i] - v[i]);
        p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + kEps);
      }
    },
  },
};

export function isOptimizerId(name: string): name is OptimizerId {
  return (kOptimizerIds as readonly string[]).includes(name);
}

/** Looks an optimizer up by id or label, case-insensitively; the error lists what exists. */
export function optimizerSpec(name: string): OptimizerSpec {
  const id = name.trim().toLowerCase();
  if (isOptimizerId(id)) return kOptimizers[id];
  throw new Error(`Unknown optimizer '${name}'. Known optimizers: ${kOptimizerIds.join(', ')}`);
}

/**
 * Fills in defaults and validates: unknown keys, NaN, lr <= 0 and coefficients outside [0, 1) are
 * rejected with a message naming the optimizer and the allowed range.
 */
export function resolveHyperparameters(spec: OptimizerSpec, given: Hyperparameters = {}): ResolvedHyperparameters {
  const allowed = spec.hyperparameters.map((s) => s.key);
  const resolved: Record<HyperKey, number> = { lr: 0, momentum: 0, decay: 0, beta1: 0, beta2: 0 };
  for (const key of Object.keys(given) as HyperKey[]) {
    if (given[key] === undefined) continue;
    if (!allowed.includes(key)) {
      throw new Error(`${spec.label} has no hyperparameter '${key}'. Allowed: ${allowed.join(', ')}`);
    }
  }
  for (const s of spec.hyperparameters) {
    const value = given[s.key] ?? s.default;
    const problem = checkHyperparameter(s, value);
    if (problem) throw new Error(`${spec.label}: ${problem}`);
    resolved[s.key] = value;
  }
  return resolved;
}

/** Only the hyperparameters this optimizer uses, for reports (`{lr: 0.3, momentum: 0.9}`). */
export function usedHyperparameters(spec: OptimizerSpec, h: ResolvedHyperparameters): Hyperparameters {
  return Object.fromEntries(spec.hyperparameters.map((s) => [s.key, h[s.key]]));
}
