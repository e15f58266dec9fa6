/**
 * A racer's CLI form: NAME[:key=value,...], e.g. `adam:lr=0.01,beta2=0.99`. Values are kept as
 * typed; ./racer-spec.ts's checkRacerText checks them.
 */
import { parseDecimal } from '../util/decimal';
import { kDefaultActivation, kDefaultInit, kRacerFields, type RacerField, type RacerSpec, type RacerText } from './racer-spec';
import { formatSchedule, isConstant } from './schedule';
import { optimizerSpec } from './registry';

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
