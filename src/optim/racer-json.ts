/**
 * A racer's JSON form: read from untrusted JSON (the `racers` attribute, a saved file) and written
 * by the exports. The value and its checking are ./racer-spec.ts's.
 */
import type { HiddenActivation } from '../nn/layout';
import { parseWeightInit, type WeightInit } from '../nn/weight-init';
import type { HyperKey } from './hyperparameters';
import { kDefaultActivation, kDefaultInit, kHexColor, parseSwitch, type RacerSpec } from './racer-spec';
import { isConstant, scheduleFromJson, scheduleJson, type Schedule } from './schedule';
import { isOptimizerId, optimizerIds, optimizerSpec, resolveHyperparameters, type OptimizerId } from './registry';

/**
 * A RacerSpec from untrusted JSON (the `racers` attribute, a saved file): the shape is checked and
 * the optimizer looked up; values are validated later, field by field, by checkRacerText.
 */
export function racerSpecFromJson(value: unknown, index: number): RacerSpec {
  const where = `racer ${index + 1}`;
  if (typeof value !== 'object' || value === null || typeof (value as { optimizer?: unknown }).optimizer !== 'string') {
    throw new Error(`${where}: needs an "optimizer" (one of ${optimizerIds().join(', ')})`);
  }
  const v = value as Record<string, unknown>;
  const id = String(v.optimizer).trim().toLowerCase();
  if (!isOptimizerId(id)) throw new Error(`${where}: unknown optimizer '${String(v.optimizer)}' (one of ${optimizerIds().join(', ')})`);
  if (v.color !== undefined && !(typeof v.color === 'string' && kHexColor.test(v.color))) {
    throw new Error(`${where}: color must look like #rrggbb, got ${String(v.color)}`);
  }
  const hyper = v.hyperparameters;
  if (hyper !== undefined && (typeof hyper !== 'object' || hyper === null || Array.isArray(hyper))) {
    throw new Error(`${where}: hyperparameters must be an object like {"lr": 0.01}`);
  }
  return {
    ...(v.name !== undefined ? { name: String(v.name) } : {}),
    optimizer: id,
    ...(hyper !== undefined ? { hyperparameters: Object.fromEntries(Object.entries(hyper).map(([k, x]) => [k, Number(x)])) } : {}),
    ...initFromJson(v.init, where),
    ...(v.activation !== undefined ? { activation: String(v.activation) as HiddenActivation } : {}),
    ...(typeof v.color === 'string' ? { color: v.color.toLowerCase() } : {}),
    ...(v.schedule !== undefined ? { schedule: scheduleFromJson(v.schedule, where) } : {}),
    ...(v.bn !== undefined ? { bn: jsonSwitch(v.bn, `${where}: bn`) } : {}),
    ...(v.dropout !== undefined ? { dropout: Number(v.dropout) } : {}),
    ...(v.l2 !== undefined ? { l2: Number(v.l2) } : {}),
  };
}

/** The JSON form's `init`: 'he', 'xavier', a standard deviation, or `{"weights": URL}` (a weights file). */
function initFromJson(init: unknown, where: string): Pick<RacerSpec, 'init' | 'initWeights'> {
  if (init === undefined) return {};
  if (typeof init !== 'object' || init === null) return { init: parseWeightInit(String(init)) };
  const url = (init as { weights?: unknown }).weights;
  if (Array.isArray(init) || typeof url !== 'string' || url.trim() === '' || Object.keys(init).length !== 1) {
    throw new Error(`${where}: init must be 'he', 'xavier', a standard deviation or {"weights": URL}, got ${JSON.stringify(init)}`);
  }
  return { initWeights: url.trim() };
}

function jsonSwitch(value: unknown, what: string): boolean {
  const on = typeof value === 'boolean' ? value : parseSwitch(String(value));
  if (on === null) throw new Error(`${what} must be true or false, got ${JSON.stringify(value)}`);
  return on;
}

/** A racer as the JSON exports write it: every field filled in, every hyperparameter the optimizer has. */
export interface RacerJson {
  name: string;
  optimizer: OptimizerId;
  hyperparameters: Record<HyperKey, number>;
  /** `{"weights": URL}` for a racer that starts from a weights file. */
  init: WeightInit | { weights: string };
  activation: HiddenActivation;
  color?: string;
  /** Left out for the constant schedule. */
  schedule?: Schedule;
  bn: boolean;
  dropout: number;
  l2: number;
}

export function racerJson(spec: RacerSpec): RacerJson {
  const optimizer = optimizerSpec(spec.optimizer);
  return {
    name: spec.name ?? optimizer.label,
    optimizer: optimizer.id,
    hyperparameters: { ...resolveHyperparameters(optimizer, spec.hyperparameters) },
    init: spec.initWeights !== undefined ? { weights: spec.initWeights } : (spec.init ?? kDefaultInit),
    activation: spec.activation ?? kDefaultActivation,
    ...(spec.color ? { color: spec.color } : {}),
    ...(isConstant(spec.schedule) ? {} : { schedule: scheduleJson(spec.schedule) }),
    bn: spec.bn ?? false,
    dropout: spec.dropout ?? 0,
    l2: spec.l2 ?? 0,
  };
}
