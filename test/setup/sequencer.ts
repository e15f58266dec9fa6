/**
 * Vitest's sequencer, with the slowest files started first in every run (test/setup/heavy-first.ts),
 * so that a fresh clone, which has no cached durations, packs its two streams as a warm checkout does.
 * Groups and projects keep Vitest's order; within each, the listed files come first, in list order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { kHeavyFirst } from './heavy-first';

const rank = (spec: TestSpecification): number => {
  const i = kHeavyFirst.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return i < 0 ? kHeavyFirst.length : i;
};
const block = (spec: TestSpecification): string => `${spec.project.config.sequence.groupOrder}:${spec.project.name}`;

export default class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const firstOfBlock = new Map<string, number>();
    sorted.forEach((spec, i) => {
      if (!firstOfBlock.has(block(spec))) firstOfBlock.set(block(spec), i);
    });
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => firstOfBlock.get(block(a.spec))! - firstOfBlock.get(block(b.spec))! || rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
