/**
 * The checks Start waits on, in one place: the four race numbers (the engine's own checkRaceSettings,
 * one message per field) and the racers (the racer-spec module's, one message per field).
 */
import { checkRaceSettings, kRaceSettingNames, type RaceSettingName } from '../../race/config';
import { checkDrafts, draftsFromSpecs, type DraftCheck, type RacerDraft, type RacerSpec } from './racers';
import { errorMessage } from '../../util/error-message';

export type SettingField = RaceSettingName;
export const kSettingFields = kRaceSettingNames;
export type RaceNumbers = Record<SettingField, number>;

export interface SettingsCheck {
  /** Per field, what is wrong with it. */
  fields: Partial<Record<SettingField, string>>;
  /** What is wrong with the numbers together, or null. */
  settings: string | null;
  /** The racers: problems per draft key, and the resolved racers when every draft is valid. */
  racers: DraftCheck;
}

/** Checks the numbers and drafts, again only when they change. */
export class SettingsChecker {
  private last: { numbers: RaceNumbers; drafts: readonly RacerDraft[]; result: SettingsCheck } | null = null;

  check(numbers: RaceNumbers, drafts: readonly RacerDraft[]): SettingsCheck {
    const last = this.last;
    if (last && last.drafts === drafts && kSettingFields.every((f) => Object.is(last.numbers[f], numbers[f]))) return last.result;
    const racers = last?.drafts === drafts ? last.result.racers : checkDrafts(drafts);
    const fields = checkRaceSettings(numbers);
    const settings = kSettingFields.map((f) => fields[f]).find((p) => p !== undefined) ?? null;
    const result = { fields, settings, racers };
    this.last = { numbers: { ...numbers }, drafts, result };
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
