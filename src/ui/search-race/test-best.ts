/**
 * "Test the best": the race engine's testBest (src/race/search-race.ts, the CLI's --test-best K
 * too) measures the best trials by validation accuracy on the test set after the search; the page
 * shows them under "Tested after the search", never beside the search's own figures.
 */
import { testBest, type TestedTrial } from '../../race/search-race';
import type { RaceEngine } from '../../race/engine';

export type TestedRow = TestedTrial;

/** The best `count` trials (at most as many as there are) measured on the test set. */
export function testBestTrials(engine: RaceEngine, count: number): Promise<TestedRow[]> {
  return testBest(engine, Math.min(count, engine.history.length));
}
