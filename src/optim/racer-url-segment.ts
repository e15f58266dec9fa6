/**
 * A racer's URL form, one segment of the hash: optimizer,key:value,... (values URI-encoded), e.g.
 * `adam,lr:0.01,n:Fast,i:xavier`. Values are kept as typed; ./racer-spec.ts's checkRacerText checks them.
 */
import { kHiddenActivations } from '../nn/layout';
import {
  defaultValues,
  isHiddenActivation,
  kDefaultActivation,
  kDefaultInit,
  kMaxNameLength,
  kRacerFields,
  parseNumber,
  parseSwitch,
  type RacerField,
  type RacerText,
} from './racer-spec';
import { isOptimizerId, optimizerIds, optimizerSpec } from './registry';

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
