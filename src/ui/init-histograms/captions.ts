/**
 * What the seed concludes about each init x activation setting, in one verdict and one sentence.
 * The growth factors are computed from the number of nodes n (a layer's output spread is its
 * input's times std · √n, halved in variance by ReLU).
 */
import { formatInit, settingKey, type InitSetting } from '../../init/config';

export type Verdict = 'good' | 'bad' | 'fair';

export interface SettingCaption {
  verdict: Verdict;
  /** A few words, e.g. 'vanishing gradients'. */
  label: string;
  text: string;
}

const fixed = (v: number): string => (v >= 10 ? v.toFixed(0) : v >= 0.1 ? v.toFixed(2) : v.toPrecision(2));

export function settingCaption(setting: InitSetting, nodes: number): SettingCaption {
  const n = nodes;
  switch (`${formatInit(setting.init)}-${setting.activation}`) {
    case '1-sigmoid':
      return {
        verdict: 'bad',
        label: 'vanishing gradients',
        text: 'Outputs pile up at 0 and 1, where the sigmoid is flat: its gradient vanishes and the layers stop learning.',
      };
    case '0.01-sigmoid':
      return {
        verdict: 'bad',
        label: 'no expressiveness',
        text: 'Every output collapses to 0.5: all neurons say the same thing, so a hundred of them are no better than one.',
      };
    case 'xavier-sigmoid':
      return { verdict: 'good', label: 'suits sigmoid', text: "Std √(1/n) keeps the outputs spread in every layer: Xavier is the seed's choice for sigmoid." };
    case 'he-sigmoid':
      return {
        verdict: 'fair',
        label: 'works',
        text: 'About as spread as Xavier (√2 times wider weights); the seed keeps He for ReLU and Xavier for sigmoid.',
      };
    case '1-relu':
      return {
        verdict: 'bad',
        label: 'explodes',
        text: `Each layer multiplies the spread by about √(n/2) = ${fixed(Math.sqrt(n / 2))}: most outputs soon lie far above the range (counted in the last bin).`,
      };
    case '0.01-relu':
      return {
        verdict: 'bad',
        label: 'vanishes',
        text: `Each layer multiplies the spread by 0.01·√(n/2) = ${fixed(0.01 * Math.sqrt(n / 2))}: the outputs collapse towards 0, and the gradients with them.`,
      };
    case 'xavier-relu':
      return {
        verdict: 'fair',
        label: 'fades with depth',
        text: 'ReLU zeroes half the inputs, so each layer keeps half the variance (std × 0.71): deep layers fade towards 0. He makes up for it.',
      };
    case 'he-relu':
      return {
        verdict: 'good',
        label: 'suits ReLU',
        text: "Std √(2/n) makes up for the half that ReLU zeroes: the spread stays the same in every layer. He is the seed's choice for ReLU.",
      };
    case '1-tanh':
      return { verdict: 'bad', label: 'vanishing gradients', text: 'Outputs saturate at −1 and 1, where tanh is flat: the gradients vanish.' };
    case '0.01-tanh':
      return {
        verdict: 'bad',
        label: 'vanishes',
        text: `Each layer multiplies the spread by 0.01·√n = ${fixed(0.01 * Math.sqrt(n))}: the outputs shrink towards 0 and the signal fades.`,
      };
    case 'xavier-tanh':
      return { verdict: 'good', label: 'suits tanh', text: 'Outputs stay spread around 0 in every layer, narrowing only slowly: Xavier suits tanh.' };
    case 'he-tanh':
      return { verdict: 'fair', label: 'works', text: 'Spread, a little wider than Xavier, with more outputs near ±1; the seed recommends Xavier for tanh.' };
    default:
      return { verdict: 'fair', label: 'custom', text: `A standard deviation of ${formatInit(setting.init)} (${settingKey(setting)}).` };
  }
}
