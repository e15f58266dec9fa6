/**
 * A small typed option parser for the CLI: `--name value`, `--name=value`, flags, repeatable
 * options. Every mistake is a UsageError whose one-line message says what is allowed.
 */
import { parseDecimal } from '../util/decimal';
import type { Hyperparameters } from '../optim/hyperparameters';
import { checkRacerText, problemList, type RacerField, type RacerSpec } from '../optim/racer-spec';
import { parseRacerArgument } from '../optim/racer-cli-argument';
import { errorMessage } from '../util/error-message';
import { parsePoint } from '../util/point-text';

/** Bad input on the command line (exit code 2, as opposed to 1 for a failed run). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  /** 'value' takes one argument; 'flag' takes none. */
  type: 'value' | 'flag';
  /** May be given several times; the values are collected in order. */
  multiple?: boolean;
  /** Placeholder in the help, e.g. 'NAME' or 'X,Y'. */
  valueName?: string;
  /** One line for the help, including the default. */
  description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What parseOptions returns: a boolean per flag, a string[] per repeatable option, else string | undefined. */
export type ParsedOptions<S extends OptionSpecs> = {
  -readonly [K in keyof S]: S[K] extends { type: 'flag' } ? boolean : S[K] extends { multiple: true } ? string[] : string | undefined;
};

const optionList = (specs: OptionSpecs): string =>
  Object.keys(specs)
    .map((name) => `--${name}`)
    .concat('--help')
    .join(', ');

export function parseOptions<S extends OptionSpecs>(argv: readonly string[], specs: S): ParsedOptions<S> {
  const parsed: Record<string, boolean | string | string[] | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    parsed[name] = spec.type === 'flag' ? false : spec.multiple ? [] : undefined;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument '${arg}'. Options: ${optionList(specs)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`Unknown option '--${name}'. Options: ${optionList(specs)}`);
    if (spec.type === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value, got '${arg}'`);
      parsed[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      // Values may start with a single '-' (negative numbers: --start -7,2), never with '--'.
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`--${name} needs a value: --${name} ${spec.valueName ?? 'VALUE'}`);
      }
      value = next;
      i++;
    }
    const previous = parsed[name];
    if (Array.isArray(previous)) previous.push(value);
    else if (previous !== undefined) throw new UsageError(`--${name} was given twice ('${previous}' and '${value}'); give it once`);
    else parsed[name] = value;
  }
  return parsed as ParsedOptions<S>;
}

/** A finite decimal number; `what` names the value in the message (e.g. '--steps'). */
export function parseNumber(text: string, what: string): number {
  const value = parseDecimal(text);
  if (!Number.isFinite(value)) throw new UsageError(`${what} must be a number, got '${text}'`);
  return value;
}

/** Two numbers 'X,Y' (src/util/point-text.ts). */
export function parsePointOption(text: string, what: string): [number, number] {
  const point = parsePoint(text);
  if (point.some(Number.isNaN)) throw new UsageError(`${what} must be two numbers X,Y (e.g. -7,2), got '${text}'`);
  return point;
}

/** One of `choices`; the message lists them. */
export function parseChoice<T extends string>(text: string, choices: readonly T[], what: string): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`Unknown ${what} '${text}'. Allowed: ${choices.join(', ')}`);
}

/** The options part of a command's help: one aligned line per option. */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => [
    `--${name}${spec.type === 'value' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`,
    spec.description + (spec.multiple ? ' (repeatable)' : ''),
  ]);
  rows.push(['--help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}

/** Runs `body`, turning validation errors (which list what is allowed) into usage errors. */
export function asUsage<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(errorMessage(error));
  }
}

/**
 * A racer from `--optimizer NAME[:key=value,...]`, parsed by src/optim/racer-cli-argument.ts and validated by racer-spec's checkRacerText;
 * only the keys given (or in `defaults`) are set (the engine fills in the rest). The first problem is the message.
 */
export function racerFromArgument(text: string, fields: readonly RacerField[] = [], defaults: Hyperparameters = {}): RacerSpec {
  const typed = parseRacerArgument(text, fields);
  // This command's own defaults (the 2D race's seed rates) count as given, so a schedule's floor is checked against them.
  for (const [key, value] of Object.entries(defaults)) if (value !== undefined && typed.values[key] === undefined) typed.values[key] = String(value);
  const { racer, problems } = checkRacerText(typed);
  const problem = problemList(problems)[0];
  if (problem) throw new UsageError(problem);
  const given = Object.fromEntries(Object.keys(typed.values).map((key) => [key, racer.hyperparameters?.[key]]));
  return {
    optimizer: racer.optimizer,
    hyperparameters: given,
    ...(typed.name !== undefined ? { name: racer.name } : {}),
    ...(typed.init !== undefined ? { init: racer.init } : {}),
    ...(typed.activation !== undefined ? { activation: racer.activation } : {}),
    ...(typed.color !== undefined ? { color: racer.color } : {}),
    ...(racer.schedule !== undefined ? { schedule: racer.schedule } : {}),
    // The network options (mnist only): checkRacerText keeps bn when on and dropout, l2 when not 0.
    ...(racer.bn !== undefined ? { bn: racer.bn } : {}),
    ...(racer.dropout !== undefined ? { dropout: racer.dropout } : {}),
    ...(racer.l2 !== undefined ? { l2: racer.l2 } : {}),
  };
}
