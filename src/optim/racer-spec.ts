/**
 * A racer, the one model every view shares: an optimizer with its hyperparameters, plus (in the
 * MNIST race) its network's weight init and activation, a name and a colour.
 *
 * Its forms, one owner each:
 *   RacerSpec  the value: numbers as numbers (the `racers` JSON attribute, presets, the engine's input), here
 *   RacerText  as typed: every value kept as text, so an invalid entry stays visible and is explained, here
 *   JSON       the `racers` attribute and the exports: ./racer-json.ts
 *   one line   the CLI's `adam:lr=0.01,beta2=0.99` (./racer-cli-argument.ts) and the URL's
 *              `adam,lr:0.01,n:Fast,i:xavier` (./racer-url-segment.ts)
 * and one validation (checkRacerText, here) with a message per field, used by the UI's editors, the CLI,
 * the URL state and the JSON export alike. Hyperparameter keys are the registry's short keys.
 * A racer's learning-rate schedule (`schedule=step:0.5:100`, URL key `sc`) is owned by ./schedule.ts.
 * Its network options (chapter 6, issue 20): `bn` (batch norm after each hidden affine layer, on or
 * off), `dropout` (the ratio in [0, 1)) and `l2` (the weight-decay λ ≥ 0); their ranges and words are
 * ./network-options.ts's.
 */
import { kHiddenActivations, type HiddenActivation } from '../nn/layout';
import { isValidWeightInit, parseWeightInit, weightInitProblem, type WeightInit } from '../nn/weight-init';
import { parseDecimal } from '../util/decimal';
import type { HyperKey, Hyperparameters } from './hyperparameters';
import { networkOptionProblem } from './network-options';
import { checkScheduleText, formatSchedule, isConstant, type Schedule } from './schedule';
import { optimizerSpec, resolveHyperparameters, type OptimizerId } from './registry';
import { errorMessage } from '../util/error-message';

export type { HiddenActivation, WeightInit };

export interface RacerSpec {
  /** Default: the optimizer's label (numbered when two racers would share it). */
  name?: string;
  optimizer: OptimizerId;
  /** Keys left out take the optimizer's defaults. */
  hyperparameters?: Hyperparameters;
  /** 'he' (default), 'xavier' or a standard deviation. */
  init?: WeightInit;
  /**
   * A `.safetensors` file's URL (the JSON form's `"init": {"weights": URL}`): the racer starts from
   * its weights instead of `init` (fresh optimizer state, iteration 0). Only the JSON form carries
   * it; the URL hash and the CLI's racer keys do not (the CLI has `--init-weights FILE`).
   */
  initWeights?: string;
  /** Hidden layers' activation: 'relu' (default), 'sigmoid' or 'tanh'. */
  activation?: HiddenActivation;
  /** CSS hex colour "#rrggbb"; default: the optimizer's colour, or the next unused one. */
  color?: string;
  /** Learning-rate schedule; default (and left out of the JSON): constant. See ./schedule.ts. */
  schedule?: Schedule;
  /** Batch norm after each hidden affine layer, before the activation (default off). */
  bn?: boolean;
  /** Dropout ratio in [0, 1) after each hidden activation (default 0: none). */
  dropout?: number;
  /** λ of the L2 weight decay ½λΣ‖W‖² (default 0: none). Not AdamW's decoupled weight_decay. */
  l2?: number;
}

/** A racer as typed. A field left out (undefined) takes its default; typed text is checked as it is. */
export interface RacerText {
  optimizer: OptimizerId;
  /** Each hyperparameter's text, by key. */
  values: Partial<Record<HyperKey, string>>;
  /** Empty: the optimizer's label. */
  name?: string;
  /** 'he', 'xavier', or a standard deviation as typed. */
  init?: string;
  /** RacerSpec's initWeights: a weights file's URL (a blob: URL for a file the editor read). */
  initWeights?: string;
  activation?: string;
  /** "#rrggbb". */
  color?: string;
  /** The schedule's text form (`step:0.5:100`); empty: constant. */
  schedule?: string;
  /** `on` or `off` (also true/false, yes/no, 1/0). */
  bn?: string;
  dropout?: string;
  l2?: string;
}

/** What is wrong with each field of a RacerText (absent: fine). */
export interface RacerProblems {
  hyper: Partial<Record<HyperKey, string>>;
  init?: string;
  activation?: string;
  color?: string;
  name?: string;
  schedule?: string;
  bn?: string;
  dropout?: string;
  l2?: string;
}

/** The settings besides hyperparameters, with their keys in each one-line form. */
export const kRacerFields = {
  name: { url: 'n', cli: 'name' },
  color: { url: 'c', cli: 'color' },
  init: { url: 'i', cli: 'init' },
  activation: { url: 'a', cli: 'activation' },
  schedule: { url: 'sc', cli: 'schedule' },
  bn: { url: 'bn', cli: 'bn' },
  dropout: { url: 'do', cli: 'dropout' },
  l2: { url: 'l2', cli: 'l2' },
} as const;
export type RacerField = keyof typeof kRacerFields;

export const kDefaultInit = 'he';
export const kDefaultActivation: HiddenActivation = 'relu';

/** `bn` as typed: on/off, true/false, yes/no, 1/0 (any case); null for anything else. */
export function parseSwitch(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(t)) return true;
  if (['off', 'false', 'no', '0', ''].includes(t)) return false;
  return null;
}

/** A network option's value as text: the default (0, off) is left empty. */
const optionText = (value: number | undefined): string | undefined => (value === undefined || value === 0 ? undefined : String(value));
/** Longer names are cut: they are labels, not documents. */
export const kMaxNameLength = 80;

/** A colour as the JSON and the editor write it. */
export const kHexColor = /^#[0-9a-f]{6}$/i;

/** A decimal number as typed (`1e-3`, `.5`, `-7`); anything else, empty text included, is NaN. */
export const parseNumber = parseDecimal;

/** Every hyperparameter of the optimizer as text, at its default. */
export function defaultValues(optimizer: OptimizerId): Partial<Record<HyperKey, string>> {
  return Object.fromEntries(optimizerSpec(optimizer).hyperparameters.map((h) => [h.key, String(h.default)]));
}

/** The text form of a spec: every hyperparameter filled in (given or default), defaults elsewhere empty. */
export function racerText(spec: RacerSpec): RacerText {
  const values = defaultValues(spec.optimizer);
  for (const [key, value] of Object.entries(spec.hyperparameters ?? {})) if (value !== undefined) values[key] = String(value);
  return {
    optimizer: spec.optimizer,
    values,
    name: spec.name ?? '',
    init: spec.init === undefined ? kDefaultInit : String(spec.init),
    ...(spec.initWeights === undefined ? {} : { initWeights: spec.initWeights }),
    activation: spec.activation ?? kDefaultActivation,
    ...(spec.color === undefined ? {} : { color: spec.color }),
    ...(isConstant(spec.schedule) ? {} : { schedule: formatSchedule(spec.schedule) }),
    ...(spec.bn ? { bn: 'on' } : {}),
    ...(optionText(spec.dropout) === undefined ? {} : { dropout: optionText(spec.dropout) }),
    ...(optionText(spec.l2) === undefined ? {} : { l2: optionText(spec.l2) }),
  };
}

/**
 * The spec a RacerText describes (numbers that do not parse become NaN) and a message per invalid
 * field: the registry's range messages for hyperparameters, the network's for init and activation.
 */
export function checkRacerText(text: RacerText): { racer: RacerSpec; problems: RacerProblems } {
  const spec = optimizerSpec(text.optimizer);
  const problems: RacerProblems = { hyper: {} };
  const hyperparameters: Hyperparameters = {};
  for (const h of spec.hyperparameters) {
    const typed = text.values[h.key];
    const value = typed === undefined ? h.default : parseNumber(typed);
    hyperparameters[h.key] = value;
    try {
      resolveHyperparameters(spec, { [h.key]: value });
    } catch (error) {
      problems.hyper[h.key] = errorMessage(error);
    }
  }
  for (const key of Object.keys(text.values)) {
    if (!spec.hyperparameters.some((h) => h.key === key))
      problems.hyper[key] = `${spec.label} has no hyperparameter '${key}'. Allowed: ${spec.hyperparameters.map((h) => h.key).join(', ')}`;
  }
  const init = parseWeightInit(text.init ?? kDefaultInit);
  if (!isValidWeightInit(init)) problems.init = weightInitProblem(text.init?.trim() || 'nothing');
  const activation = (text.activation ?? kDefaultActivation).trim().toLowerCase();
  if (!isHiddenActivation(activation)) problems.activation = `activation must be relu, sigmoid or tanh, got ${String(text.activation)}`;
  if (text.color !== undefined && !kHexColor.test(text.color)) problems.color = `colour must look like #rrggbb, got ${text.color}`;
  const name = (text.name ?? '').trim();
  if (name.length > kMaxNameLength) problems.name = `a name has at most ${kMaxNameLength} characters, got ${name.length}`;
  const checked = checkScheduleText(text.schedule ?? '', hyperparameters.lr ?? NaN);
  if (checked.problem) problems.schedule = checked.problem;
  else if (!isConstant(checked.schedule) && !spec.hyperparameters.some((h) => h.key === 'lr')) {
    problems.schedule = `${spec.label} has no lr to schedule; give it the constant schedule`;
  }
  const bn = parseSwitch(text.bn ?? '');
  if (bn === null) problems.bn = `bn must be on or off, got '${text.bn}'`;
  const options: { bn?: boolean; dropout?: number; l2?: number } = bn ? { bn } : {};
  for (const key of ['dropout', 'l2'] as const) {
    const typed = (text[key] ?? '').trim();
    const value = typed === '' ? 0 : parseNumber(typed);
    const problem = networkOptionProblem(key, value);
    if (problem) problems[key] = problem;
    if (value !== 0) options[key] = value;
  }
  const racer: RacerSpec = {
    ...(name ? { name } : {}),
    optimizer: spec.id,
    hyperparameters,
    init,
    ...(text.initWeights === undefined ? {} : { initWeights: text.initWeights }),
    activation: isHiddenActivation(activation) ? activation : kDefaultActivation,
    ...(text.color !== undefined ? { color: text.color.toLowerCase() } : {}),
    ...(isConstant(checked.schedule) ? {} : { schedule: checked.schedule }),
    ...options,
  };
  return { racer, problems };
}

/** Every message of a RacerProblems, in field order. */
export function problemList(problems: RacerProblems): string[] {
  return [
    ...Object.values(problems.hyper),
    problems.init,
    problems.activation,
    problems.color,
    problems.name,
    problems.schedule,
    problems.bn,
    problems.dropout,
    problems.l2,
  ].filter((p): p is string => typeof p === 'string');
}

export function isHiddenActivation(value: string): value is HiddenActivation {
  return (kHiddenActivations as readonly string[]).includes(value);
}
