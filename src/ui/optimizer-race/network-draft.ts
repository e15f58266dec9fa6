/**
 * The race's chapter-6 settings as the toolbar holds them (text as typed, so that a bad value stays
 * visible beside its message): the hidden layer sizes, the training limit, the epochs, and whether
 * accuracy on the training set is measured, and the validation share held out of the training set. The words are src/race/network-settings.ts'; the race
 * resolves the same settings again (resolveRace), so nothing starts with a value refused here.
 */
import { kSeedSizes } from '../../nn/layout';
import { parseNumber } from '../../optim/racer-spec';
import type { RaceConfig } from '../../race/config';
import { checkWholeNumber, kNetworkLimits, wholeNumberProblem } from '../../race/limits';
import { validationCount, validationProblem } from '../../race/validation-split';
import { epochSchedule, epochsProblem, formatHidden, kHiddenForms, parseHidden, trainLimitProblem } from '../../race/network-settings';
import { errorMessage } from '../../util/error-message';

export interface NetworkDraft {
  /** Hidden layer sizes as typed (`100x4`, `100,50,100`). */
  hidden: string;
  /** Training images as typed; empty: the whole set. */
  trainLimit: string;
  /** Epochs as typed; empty: the race runs its iterations. */
  epochs: string;
  /** Measure accuracy on the (limited) training set too. */
  trainAccuracy: boolean;
  /** The validation share as typed (src/race/validation-split.ts); empty or 0: none. */
  validation: string;
}

export type NetworkField = 'hidden' | 'trainLimit' | 'epochs' | 'validation';
export const kNetworkFields: readonly NetworkField[] = ['hidden', 'trainLimit', 'epochs', 'validation'];

/** The seed's network: four hidden layers of 100, the whole training set, iterations. */
export const kDefaultNetwork: NetworkDraft = {
  hidden: formatHidden(kSeedSizes.slice(1, -1)),
  trainLimit: '',
  epochs: '',
  trainAccuracy: false,
  validation: '',
};

/** The part of a RaceConfig these settings give. */
export type NetworkSettings = Pick<RaceConfig, 'sizes' | 'trainLimit' | 'epochs' | 'trainAccuracy' | 'validation'>;

export interface NetworkCheck {
  /** Per field, why its value is refused. */
  fields: Partial<Record<NetworkField, string>>;
  /** The settings, or null while a field is refused. */
  settings: NetworkSettings | null;
  /** The iterations the epochs give, or null (no epochs, or the training set's size not known yet). */
  epochIterations: number | null;
}

/** A whole number as typed; undefined when the field is empty. */
const typedCount = (text: string): number | undefined => (text.trim() === '' ? undefined : parseNumber(text));

/**
 * Checks the settings against the batch size and the training set's size (`trainCount`, unknown
 * while the data loads: the training limit is then checked on its own, and the epochs' iterations
 * wait for the data).
 */
export function checkNetworkDraft(draft: NetworkDraft, batchSize: number, trainCount: number | undefined): NetworkCheck {
  const fields: NetworkCheck['fields'] = {};
  let hidden: number[] = [];
  try {
    if (draft.hidden.trim() === '') throw new Error(`hidden layers must be ${kHiddenForms}; the field is empty`);
    hidden = parseHidden(draft.hidden);
  } catch (error) {
    fields.hidden = errorMessage(error);
  }
  const trainLimit = typedCount(draft.trainLimit);
  if (trainLimit !== undefined) {
    const problem = trainLimitProblem(trainLimit, trainCount ?? Number.MAX_SAFE_INTEGER);
    if (problem) fields.trainLimit = problem;
  }
  const typedShare = draft.validation.trim() === '' ? undefined : parseNumber(draft.validation);
  // 0 holds nothing out: the same as empty (the URL and the property write no share so).
  const validation = typedShare === 0 ? undefined : typedShare;
  const limited = fields.trainLimit ? undefined : (trainLimit ?? trainCount);
  if (validation !== undefined) {
    const problem = validationProblem(validation, limited);
    if (problem) fields.validation = problem;
  }
  const epochs = typedCount(draft.epochs);
  let epochIterations: number | null = null;
  if (epochs !== undefined) {
    const held = validation === undefined || fields.validation || limited === undefined ? 0 : validationCount(validation, limited);
    const size = limited === undefined ? undefined : limited - held;
    const problem = wholeNumberProblem(kNetworkLimits.epochs, epochs);
    if (problem) fields.epochs = problem;
    else if (size !== undefined && checkWholeNumber('batchSize', batchSize) === null) {
      const tooMany = epochsProblem(epochs, size, batchSize);
      if (tooMany) fields.epochs = tooMany;
      else epochIterations = epochSchedule(epochs, size, batchSize).iterations;
    }
  }
  const refused = kNetworkFields.some((f) => fields[f] !== undefined);
  const settings: NetworkSettings | null = refused
    ? null
    : {
        sizes: [kSeedSizes[0], ...hidden, kSeedSizes[kSeedSizes.length - 1]],
        ...(trainLimit !== undefined ? { trainLimit } : {}),
        ...(epochs !== undefined ? { epochs } : {}),
        ...(draft.trainAccuracy ? { trainAccuracy: true } : {}),
        ...(validation !== undefined ? { validation } : {}),
      };
  return { fields, settings, epochIterations };
}

/**
 * The element's properties for these settings (for embedders): `hiddenLayers` (attribute
 * `hidden-layers`: `hidden` is HTML's global attribute, which hides the element), `trainLimit`
 * (`train-limit`), `epochs`, `trainAccuracy` (`train-accuracy`), `validation` (a share in [0, 1)). Each reads and writes one field of
 * the draft, so a bad value is the field's own message (checkNetworkDraft) and nothing else changes.
 */
export type NetworkProperty = 'hiddenLayers' | 'trainLimit' | 'epochs' | 'trainAccuracy' | 'validation';
export const kNetworkProperties: Readonly<Record<NetworkProperty, keyof NetworkDraft>> = {
  hiddenLayers: 'hidden',
  trainLimit: 'trainLimit',
  epochs: 'epochs',
  trainAccuracy: 'trainAccuracy',
  validation: 'validation',
};

/** A property's value: the hidden sizes as typed; a count or share as a number (NaN when it is not one; undefined when unset); the switch. */
export function networkProperty(draft: NetworkDraft, name: NetworkProperty): string | number | boolean | undefined {
  const value = draft[kNetworkProperties[name]];
  if (name === 'validation') return typeof value === 'string' && value.trim() !== '' ? parseNumber(value) : undefined;
  return typeof value === 'string' && name !== 'hiddenLayers' ? typedCount(value) : value;
}

/**
 * The draft with a property set: text kept as given (a number written out), so that a bad value
 * stays visible beside its message; null, undefined or '' restores the seed's (hidden sizes 100x4,
 * no limit, no epochs, no validation); `trainAccuracy` is on for true (a present boolean attribute) only.
 */
export function withNetworkProperty(draft: NetworkDraft, name: NetworkProperty, value: unknown): NetworkDraft {
  const field = kNetworkProperties[name];
  if (field === 'trainAccuracy') return { ...draft, trainAccuracy: value === true };
  const text = value === null || value === undefined || String(value).trim() === '' ? kDefaultNetwork[field] : String(value);
  return { ...draft, [field]: text };
}
