/**
 * A weight init: its value, its text form and its check, in one place for the MNIST race's racers
 * (src/optim/racer-spec.ts and its forms: the editor, the URL, the CLI, JSON) and the init experiment
 * (src/init/config.ts, which offers the seed's four choices of it).
 */
import { parseDecimal } from '../util/decimal';

/** 'he': std sqrt(2 / fan_in); 'xavier': sqrt(1 / fan_in); a number: that std. */
export type WeightInit = 'he' | 'xavier' | number;

/** 'he', 'xavier' (any case, spaces around allowed) or a decimal number; NaN for anything else. */
export function parseWeightInit(text: string): WeightInit {
  const t = text.trim().toLowerCase();
  return t === 'he' || t === 'xavier' ? t : parseDecimal(t);
}

/** 'he', 'xavier', '0.01': what parseWeightInit reads back. */
export const formatWeightInit = (init: WeightInit): string => String(init);

export const isValidWeightInit = (init: WeightInit): boolean => typeof init !== 'number' || (Number.isFinite(init) && init > 0);

/** The message for an init that is none of these; `typed` is the value as given. */
export const weightInitProblem = (typed: string): string => `init must be he, xavier or a positive standard deviation, got ${typed}`;

export function weightStd(init: WeightInit, fanIn: number): number {
  if (!isValidWeightInit(init)) throw new Error(weightInitProblem(String(init)));
  if (init === 'he') return Math.sqrt(2 / fanIn);
  if (init === 'xavier') return Math.sqrt(1 / fanIn);
  return init as number;
}
