/** Checks every input of the race element and builds the engine's config when all are valid. */
import type { OptimizerId } from '../../optim/registry';
import type { Function2D } from '../../race2d/functions';
import { resolveFunction } from '../../race2d/typed-function';
import { resolveTrajectoryConfig, type TrajectoryConfig } from '../../race2d/trajectory';
import { parsePoint } from '../../util/point-text';
import { parseRacer, type ParsedRacer, type RacerSetting } from './racer-settings';
import { errorMessage } from '../../util/error-message';

export interface RaceInputs {
  function: string;
  steps: number;
  start: string;
  racers: readonly RacerSetting[];
}

export interface RaceCheck {
  fn: Function2D | null;
  /** Messages for the inputs outside the racers, null when valid. */
  functionError: string | null;
  stepsError: string | null;
  startError: string | null;
  racersError: string | null;
  racers: Map<OptimizerId, ParsedRacer>;
  /** The race to run, or null while any input is invalid. */
  config: TrajectoryConfig | null;
}

/** The engine's own message for one field, checked with the other fields held valid. */
function engineProblem(partial: Partial<TrajectoryConfig>): string | null {
  try {
    resolveTrajectoryConfig({ function: 'seed', start: [0, 0], steps: 1, racers: [{ optimizer: 'sgd' }], ...partial });
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

export function checkRace(inputs: RaceInputs): RaceCheck {
  let fn: Function2D | null = null;
  let functionError: string | null = null;
  try {
    fn = resolveFunction(inputs.function);
  } catch (error) {
    functionError = errorMessage(error);
  }
  // NaN where a coordinate is not a number: the engine's check names the problem.
  const start = parsePoint(inputs.start);
  const stepsError = engineProblem({ steps: inputs.steps });
  const startError = engineProblem({ start });
  const racers = new Map(inputs.racers.map((r) => [r.optimizer, parseRacer(r)] as const));
  const included = inputs.racers.filter((r) => r.included);
  const racersError = included.length === 0 ? 'Include at least one racer to race.' : null;
  const racerErrors = included.some((r) => Object.keys(racers.get(r.optimizer)?.errors ?? {}).length > 0);
  const valid = fn && !functionError && !stepsError && !startError && !racersError && !racerErrors;
  const config: TrajectoryConfig | null = valid
    ? {
        function: inputs.function,
        start,
        steps: inputs.steps,
        racers: included.map((r) => ({ optimizer: r.optimizer, hyperparameters: racers.get(r.optimizer)?.hyperparameters })),
      }
    : null;
  return { fn, functionError, stepsError, startError, racersError, racers, config };
}
