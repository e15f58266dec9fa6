/**
 * A racer, the one model every view shares: an optimizer with its hyperparameters, plus (in the
 * MNIST race) its network's weight init and activation, a name and a colour.
 *
 * It has three forms, all owned here:
 *   RacerSpec  the value: numbers as numbers (the `racers` JSON attribute, presets, the engine's input)
 *   RacerText  as typed: every value kept as text, so an invalid entry stays visible and is explained
 *   one line   the CLI's `adam:lr=0.01,beta2=0.99` and the URL's `adam,lr:0.01,n:Fast,i:xavier`
 * and one validation (checkRacerText) with a message per field, used by the UI's editors, the CLI,
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
import { checkScheduleText, formatSchedule, isConstant, scheduleFromJson, scheduleJson, type Schedule } from './schedule';
import { isOptimizerId, optimizerIds, optimizerSpec, resolveHyperparameters, type OptimizerId } from './registry';
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

const kHexColor = /^#[0-9a-f]{6}$/i;

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

// ---- The CLI's form: NAME[:key=value,...] ----

/**
 * Parses `adam:lr=0.01,beta2=0.99` (keys left out take their defaults). `fields` are the settings
 * besides hyperparameters this command accepts (the MNIST race: name, init, activation, color).
 * Structural mistakes throw a message saying what is allowed; values are checked by checkRacerText.
 */
export function parseRacerArgument(text: string, fields: readonly RacerField[] = []): RacerText {
  const colon = text.indexOf(':');
  const spec = optimizerSpec(colon < 0 ? text : text.slice(0, colon));
  const keys = spec.hyperparameters.map((h) => h.key);
  const allowed = [...keys, ...fields.map((f) => kRacerFields[f].cli)];
  const racer: RacerText = { optimizer: spec.id, values: {} };
  const seen = new Set<string>();
  for (const pair of colon < 0 ? [] : text.slice(colon + 1).split(',')) {
    const parts = pair.split('=');
    if (parts.length !== 2) throw new Error(`--optimizer ${text}: expected key=value, got '${pair}'. Keys of ${spec.label}: ${allowed.join(', ')}`);
    const key = parts[0].trim();
    const value = parts[1].trim();
    if (!allowed.includes(key)) throw new Error(`${spec.label} has no hyperparameter '${key}'. Allowed: ${allowed.join(', ')}`);
    if (seen.has(key)) throw new Error(`--optimizer ${text}: '${key}' is given twice`);
    seen.add(key);
    const field = fields.find((f) => kRacerFields[f].cli === key);
    if (field) racer[field] = value;
    else {
      if (Number.isNaN(parseDecimal(value))) throw new Error(`${spec.label} ${key} must be a number, got '${parts[1]}'`);
      racer.values[key] = value;
    }
  }
  return racer;
}

/** The CLI form of a spec: only what differs from the defaults. */
export function formatRacerArgument(spec: RacerSpec): string {
  const optimizer = optimizerSpec(spec.optimizer);
  const pairs = optimizer.hyperparameters
    .filter((h) => spec.hyperparameters?.[h.key] !== undefined && spec.hyperparameters[h.key] !== h.default)
    .map((h) => `${h.key}=${spec.hyperparameters?.[h.key]}`);
  if (spec.name) pairs.push(`name=${spec.name}`);
  if (spec.init !== undefined && spec.init !== kDefaultInit) pairs.push(`init=${spec.init}`);
  if (spec.activation !== undefined && spec.activation !== kDefaultActivation) pairs.push(`activation=${spec.activation}`);
  if (spec.color) pairs.push(`color=${spec.color}`);
  if (!isConstant(spec.schedule)) pairs.push(`schedule=${formatSchedule(spec.schedule)}`);
  if (spec.bn) pairs.push('bn=on');
  if (spec.dropout) pairs.push(`dropout=${spec.dropout}`);
  if (spec.l2) pairs.push(`l2=${spec.l2}`);
  return pairs.length ? `${optimizer.id}:${pairs.join(',')}` : optimizer.id;
}

// ---- The URL's form: optimizer,key:value,... (values URI-encoded) ----

function decodeURIPart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`${what} '${text}' is not properly encoded`);
  }
}

/**
 * Parses one racer segment of the URL hash, `adam,lr:0.01,n:My%20Adam,c:1f9bb5,i:xavier,a:tanh`.
 * Values are kept as typed (checkRacerText explains a bad one); a segment that is structurally
 * wrong throws a message naming the racer. The colour is returned with its '#'.
 */
export function parseRacerSegment(segment: string, index: number): RacerText {
  const where = `racer ${index + 1}`;
  const [optimizerText, ...fields] = segment.split(',');
  const optimizer = optimizerText.trim().toLowerCase();
  if (!isOptimizerId(optimizer)) throw new Error(`${where}: unknown optimizer '${optimizerText}'`);
  const spec = optimizerSpec(optimizer);
  const racer: RacerText = { optimizer, values: {} };
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon < 0) throw new Error(`${where}: '${field}' is not key:value`);
    const key = field.slice(0, colon);
    const value = decodeURIPart(field.slice(colon + 1), `${where}: ${key}`);
    const setting = (Object.keys(kRacerFields) as RacerField[]).find((f) => kRacerFields[f].url === key);
    if (spec.hyperparameters.some((h) => h.key === key)) racer.values[key] = value;
    else if (setting === 'name') racer.name = value.slice(0, kMaxNameLength);
    else if (setting === 'color') {
      if (!/^[0-9a-f]{6}$/i.test(value)) throw new Error(`${where}: colour '${value}' is not 6 hex digits`);
      racer.color = `#${value.toLowerCase()}`;
    } else if (setting === 'init') racer.init = value;
    else if (setting === 'schedule') racer.schedule = value;
    else if (setting === 'bn' || setting === 'dropout' || setting === 'l2') racer[setting] = value;
    else if (setting === 'activation') {
      if (!isHiddenActivation(value)) throw new Error(`${where}: activation '${value}' is not ${kHiddenActivations.join(', ')}`);
      racer.activation = value;
    } else if (someOptimizerHas(key)) throw new Error(`${where}: ${spec.label} has no ${key}`);
    else throw new Error(`${where}: unknown setting '${key}'`);
  }
  return racer;
}

/** A key some registered optimizer uses (so the message can say this one lacks it). */
function someOptimizerHas(key: string): boolean {
  return optimizerIds().some((id) => optimizerSpec(id).hyperparameters.some((h) => h.key === key));
}

/** The URL form of a racer: its optimizer, then only what differs from the defaults (`defaultColor`: by position). */
export function formatRacerSegment(text: RacerText, defaultColor: string): string {
  const parts: string[] = [text.optimizer];
  const defaults = defaultValues(text.optimizer);
  for (const h of optimizerSpec(text.optimizer).hyperparameters) {
    const typed = (text.values[h.key] ?? '').trim();
    if (typed !== defaults[h.key]) parts.push(`${h.key}:${encodeURIComponent(typed)}`);
  }
  const name = (text.name ?? '').trim();
  const init = (text.init ?? kDefaultInit).trim();
  if (name) parts.push(`n:${encodeURIComponent(name)}`);
  if (text.color !== undefined && text.color !== defaultColor) parts.push(`c:${text.color.replace(/^#/, '')}`);
  if (init.toLowerCase() !== kDefaultInit) parts.push(`i:${encodeURIComponent(init)}`);
  if (text.activation !== undefined && text.activation !== kDefaultActivation) parts.push(`a:${text.activation}`);
  const schedule = (text.schedule ?? '').trim();
  if (schedule !== '' && schedule.toLowerCase() !== 'constant') parts.push(`sc:${encodeURIComponent(schedule)}`);
  if (parseSwitch(text.bn ?? '') !== false) parts.push(`bn:${encodeURIComponent((text.bn ?? '').trim())}`);
  for (const key of ['dropout', 'l2'] as const) {
    const typed = (text[key] ?? '').trim();
    if (typed !== '' && parseNumber(typed) !== 0) parts.push(`${kRacerFields[key].url}:${encodeURIComponent(typed)}`);
  }
  return parts.join(',');
}
