/**
 * The network options a search may draw besides the registry's hyperparameters: the L2 weight
 * decay λ of the loss (`0.5·λ·Σ‖W‖²`, every affine weight) and the dropout ratio (the book's
 * non-inverted form). The one owner of their ranges and words: a search spec names and checks
 * them here, and the race's settings (src/race/network-settings.ts) check a racer's with them.
 */
import { checkHyperparameter, nonNegativeSpec, unitSpec, type HyperKey, type HyperparameterSpec } from './hyperparameters';

export const kNetworkOptions = [
  nonNegativeSpec('l2', 'L2 weight decay λ', 0),
  unitSpec('dropout', 'dropout ratio', 0),
] as const satisfies readonly HyperparameterSpec[];

/** `l2` or `dropout`. */
export type NetworkOptionKey = 'l2' | 'dropout';

/** A trial's network options: only the searched ones are set; the rest keep the race's. */
export type NetworkOptions = Partial<Record<NetworkOptionKey, number>>;

export const isNetworkOptionKey = (key: HyperKey): key is NetworkOptionKey => kNetworkOptions.some((o) => o.key === key);

/** The spec of a network option (its range and words), or undefined for any other key. */
export const networkOptionSpec = (key: HyperKey): HyperparameterSpec | undefined => kNetworkOptions.find((o) => o.key === key);

/** The message for a network option's value outside its range, or null. */
export const networkOptionProblem = (key: NetworkOptionKey, value: number): string | null =>
  checkHyperparameter(kNetworkOptions.find((o) => o.key === key) as HyperparameterSpec, value);
