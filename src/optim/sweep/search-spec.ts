/**
 * Random search specs (section 6.5 of the book): which keys a search draws, each over a range on a
 * log or linear scale. The text form (`lr=1e-6..1e-2:log,l2=1e-8..1e-4:log,momentum=0.5..0.99`),
 * its URL form (the same with `;` between ranges, since the URL head splits on `,`), and one
 * message per mistake. Keys are the registry's hyperparameters and the network options of
 * ./network-options.ts; ranges must lie within each key's own range. The trials are drawn by
 * ./search-trials.ts.
 */
import { describeRange, checkHyperparameter, type HyperKey, type HyperparameterSpec } from '../hyperparameters';
import { keySpec, parseRange, sweepableKeys } from './grid';
import { kNetworkOptions, networkOptionSpec } from '../network-options';

export type SearchScale = 'log' | 'linear';

/** One searched key: values drawn from [min, max) on its scale. */
export interface SearchRange {
  key: HyperKey;
  min: number;
  max: number;
  scale: SearchScale;
}

export interface SearchSpec {
  /** In the order given: a range's position is its index in the trials' hash. */
  ranges: SearchRange[];
}

/** The text form, for messages and help. */
export const kSearchForm = 'KEY=MIN..MAX[:log|linear],... (e.g. lr=1e-6..1e-2:log,l2=1e-8..1e-4:log,momentum=0.5..0.99)';

const kScales: readonly SearchScale[] = ['log', 'linear'];
const kTextSeparator = ',';
const kUrlSeparator = ';';

/** Every key a search may draw: the registry's (in registration order), then the network options. */
export function searchableKeys(): HyperKey[] {
  return [...sweepableKeys(), ...kNetworkOptions.map((o) => o.key)];
}

/** The range and words of a searchable key, or undefined. */
export const searchKeySpec = (key: HyperKey): HyperparameterSpec | undefined => networkOptionSpec(key) ?? keySpec(key);

const unknownKey = (key: HyperKey): string => `no hyperparameter or network option '${key}'; searchable keys: ${searchableKeys().join(', ')}`;

/** What is wrong with one range (undefined: fine), checked against the key's allowed range. */
export function searchRangeProblem(range: SearchRange): string | undefined {
  const { key, min, max, scale } = range;
  const spec = searchKeySpec(key);
  if (!spec) return `search: ${unknownKey(key)}`;
  if (!kScales.includes(scale)) return `search ${key}: the scale must be log or linear, got '${String(scale)}'`;
  if (!(max > min)) return `search ${key}: MAX must be above MIN = ${min}, got ${max}`;
  if (scale === 'log' && !(min > 0)) return `search ${key}: a log range must stay above 0, got MIN = ${min}`;
  for (const [end, value] of [
    ['MIN', min],
    ['MAX', max],
  ] as const) {
    if (checkHyperparameter(spec, value)) return `search ${key}: ${end} must be in ${key}'s range ${describeRange(spec)}, got ${value}`;
  }
  return undefined;
}

/** What is wrong with a spec (undefined: fine): no range, a key twice, or a range's problem. */
export function searchSpecProblem(spec: SearchSpec): string | undefined {
  if (spec.ranges.length === 0) return `a search spec needs at least one range: ${kSearchForm}`;
  const seen = new Set<HyperKey>();
  for (const range of spec.ranges) {
    if (seen.has(range.key)) return `search ${range.key}: '${range.key}' is given twice`;
    seen.add(range.key);
    const problem = searchRangeProblem(range);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * What is wrong with a number of trials (undefined: fine). Each trial is one racer of the race, so
 * `racerLimit` is the race's racer limit (kRaceLimits.racers.max of src/race/limits.ts, passed in
 * as the grid sweep's maxCount is: src/optim sits below src/race).
 */
export function searchTrialsProblem(trials: number, racerLimit: number): string | undefined {
  if (!Number.isInteger(trials)) return `search: the number of trials must be a whole number, got ${trials}`;
  if (trials < 1) return `search: at least 1 trial, got ${trials}`;
  if (trials > racerLimit) return `search: at most ${racerLimit} trials (the racer limit: each trial is a racer of one race), got ${trials}`;
  return undefined;
}

/** One `KEY=MIN..MAX[:scale]` part; `column` (1-based) and `earlier` for the messages. */
function parsePart(part: string, column: number, earlier: readonly SearchRange[]): SearchRange {
  const where = `search spec, column ${column}`;
  const eq = part.indexOf('=');
  const key = eq < 0 ? '' : part.slice(0, eq).trim();
  if (part === '') throw new Error(`${where}: an empty range (two separators in a row, or one at an end); a search spec is ${kSearchForm}`);
  if (key === '') throw new Error(`${where}: a range is KEY=MIN..MAX[:log|linear], got '${part}'`);
  if (!searchKeySpec(key)) throw new Error(`${where}: ${unknownKey(key)}`);
  if (earlier.some((r) => r.key === key)) throw new Error(`${where}: '${key}' is given twice`);
  const body = part.slice(eq + 1);
  const colon = body.indexOf(':');
  const scaleText =
    colon < 0
      ? 'linear'
      : body
          .slice(colon + 1)
          .trim()
          .toLowerCase();
  if (!(kScales as readonly string[]).includes(scaleText))
    throw new Error(`search ${key}: the scale must be log or linear, got '${body.slice(colon + 1).trim()}'`);
  const [min, max] = parseRange(colon < 0 ? body : body.slice(0, colon), `search ${key}`);
  const range: SearchRange = { key, min, max, scale: scaleText as SearchScale };
  const problem = searchRangeProblem(range);
  if (problem) throw new Error(problem);
  return range;
}

function parseWith(text: string, separator: string): SearchSpec {
  if (text.trim() === '') throw new Error(`a search spec needs at least one range: ${kSearchForm}`);
  const ranges: SearchRange[] = [];
  let offset = 0;
  for (const part of text.split(separator)) {
    const column = offset + (part.length - part.trimStart().length) + 1;
    offset += part.length + separator.length;
    ranges.push(parsePart(part.trim(), column, ranges));
  }
  return { ranges };
}

/** Parses `lr=1e-6..1e-2:log,l2=1e-8..1e-4:log`; throws one line naming the column or the key. */
export const parseSearchSpec = (text: string): SearchSpec => parseWith(text, kTextSeparator);

/**
 * A bound as text, exact either way: exponent form (`1e-6`, `9.7e-3`) below 1e-3, and below 0.1 on
 * a log scale (decades read as exponents); digits otherwise.
 */
function boundText(x: number, scale: SearchScale): string {
  const small = scale === 'log' ? 0.1 : 1e-3;
  return x !== 0 && Math.abs(x) < small ? x.toExponential() : String(x);
}

const rangeText = (r: SearchRange): string => `${r.key}=${boundText(r.min, r.scale)}..${boundText(r.max, r.scale)}${r.scale === 'log' ? ':log' : ''}`;

/** The text form (linear, the default, left out); parseSearchSpec reads it back. */
export const formatSearchSpec = (spec: SearchSpec): string => spec.ranges.map(rangeText).join(kTextSeparator);

/** The URL form, `lr=1e-6..1e-2:log;l2=1e-8..1e-4:log`: no `,`, `&`, `/` or `#`. */
export const formatSearchSpecUrl = (spec: SearchSpec): string => spec.ranges.map(rangeText).join(kUrlSeparator);

/** Reads the URL form back, with the text form's messages. */
export const parseSearchSpecUrl = (text: string): SearchSpec => parseWith(text, kUrlSeparator);
