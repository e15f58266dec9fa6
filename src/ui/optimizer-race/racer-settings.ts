/**
 * A racer's settings in one line, the hover text of its legend entry and of its curve in the loss
 * chart ("SGD · lr 0.01 · init he · relu · schedule range:1e-06:10"): with 48 racers of six
 * optimizers the name alone ("Adam lr=0.001") does not say everything a racer was given.
 */
import { optimizerSpec } from '../../optim/registry';
import type { RacerJson } from '../../optim/racer-json';
import { formatSchedule, isConstant } from '../../optim/schedule';
import { shortNumber } from '../../util/short-number';

export function racerSettingsText(racer: Pick<RacerJson, 'optimizer' | 'hyperparameters' | 'init' | 'activation' | 'schedule'>): string {
  const spec = optimizerSpec(racer.optimizer);
  const hyper = spec.hyperparameters.map((h) => `${h.symbol ?? h.key} ${shortNumber(racer.hyperparameters[h.key] ?? h.default, 4)}`);
  const parts = [spec.label, ...hyper, `init ${racer.init}`, racer.activation];
  if (!isConstant(racer.schedule)) parts.push(`schedule ${formatSchedule(racer.schedule)}`);
  return parts.join(' · ');
}
