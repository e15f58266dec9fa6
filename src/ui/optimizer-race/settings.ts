/**
 * The checks Start waits on, in one place: the four race numbers (the engine's own checkRaceSettings,
 * one message per field), the network settings (./network-draft.ts: hidden, training limit, epochs)
 * and the racers (the racer-spec module's, one message per field); `bn` with a batch of one is the
 * batch size's message.
 */
import { checkRaceSettings, kRaceSettingNames, type RaceConfig, type RaceSettingName } from '../../race/config';
import { batchNormBatchProblem } from '../../race/network-settings';
import { checkNetworkDraft, kNetworkFields, type NetworkCheck, type NetworkDraft, type NetworkField } from './network-draft';
import { checkDrafts, draftsFromSpecs, type DraftCheck, type RacerDraft, type RacerSpec } from './racers';
import { errorMessage } from '../../util/error-message';

export type SettingField = RaceSettingName;
export const kSettingFields = kRaceSettingNames;
export type RaceNumbers = Record<SettingField, number>;

export interface SettingsCheck {
  /** Per field, what is wrong with it. */
  fields: Partial<Record<SettingField | NetworkField, string>>;
  /** What is wrong with the numbers together, or null. */
  settings: string | null;
  /** The racers: problems per draft key, and the resolved racers when every draft is valid. */
  racers: DraftCheck;
  /** The network settings' check; with epochs, `numbers.iterations` are the epochs' (the field shows them). */
  network: NetworkCheck;
  /** The numbers the race gets (the iterations the epochs give, when they do). */
  numbers: RaceNumbers;
  /** The race Start runs (racers without their colours), or null while something is refused. */
  config: RaceConfig | null;
}

/** Checks the numbers, network settings and drafts, again only when they change. */
export class SettingsChecker {
  private last: { numbers: RaceNumbers; network: NetworkDraft; trainCount: number | undefined; drafts: readonly RacerDraft[]; result: SettingsCheck } | null =
    null;

  /** `trainCount`: the training set's size, undefined while the data loads. */
  check(typed: RaceNumbers, network: NetworkDraft, drafts: readonly RacerDraft[], trainCount: number | undefined): SettingsCheck {
    const last = this.last;
    if (
      last &&
      last.drafts === drafts &&
      last.network === network &&
      last.trainCount === trainCount &&
      kSettingFields.every((f) => Object.is(last.numbers[f], typed[f]))
    )
      return last.result;
    const racers = last?.drafts === drafts ? last.result.racers : checkDrafts(drafts);
    const networkCheck = checkNetworkDraft(network, typed.batchSize, trainCount);
    const epochs = network.epochs.trim() !== '';
    const numbers = epochs ? { ...typed, iterations: networkCheck.epochIterations ?? NaN } : typed;
    const fields: SettingsCheck['fields'] = { ...checkRaceSettings(numbers), ...networkCheck.fields };
    // With epochs the iterations field only shows theirs: the epochs' message says what is wrong.
    if (epochs) delete fields.iterations;
    const bn = racers.racers?.some((r) => r.bn) ?? false;
    fields.batchSize ??= batchNormBatchProblem(bn, typed.batchSize) ?? undefined;
    if (fields.batchSize === undefined) delete fields.batchSize;
    const settings = [...kSettingFields, ...kNetworkFields].map((f) => fields[f]).find((p) => p !== undefined) ?? null;
    const networkSettings = settings === null ? networkCheck.settings : null;
    const config =
      racers.racers && networkSettings ? { ...networkSettings, ...numbers, racers: racers.racers.map(({ color: _color, ...racer }) => racer) } : null;
    const result = { fields, settings, racers, network: networkCheck, numbers, config };
    this.last = { numbers: { ...typed }, network, trainCount, drafts, result };
    return result;
  }
}

/** The `racers` attribute is JSON; what does not parse is handed on as text and reported. */
export const racersConverter = {
  fromAttribute: (value: string | null): unknown => {
    if (value === null) return null;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
  toAttribute: (value: unknown): string => JSON.stringify(value),
};

/** The drafts of a `racers` value (attribute text that did not parse arrives as a string), or the note saying why not. */
export function racersFromValue(value: RacerSpec[] | string): { drafts: RacerDraft[] } | { note: string } {
  try {
    return { drafts: draftsFromSpecs(value as RacerSpec[]) };
  } catch (error) {
    return { note: `${typeof value === 'string' ? 'racers: not valid JSON' : `racers: ${errorMessage(error)}`}. Keeping the previous racers.` };
  }
}
