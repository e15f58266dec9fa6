/**
 * A racer's MLP under the names PyTorch gives the same network built as an `nn.Sequential`, in the
 * book's order per hidden layer: Linear, then BatchNorm1d (a racer with `bn`), the activation, then
 * Dropout (a racer with `dropout`); the output layer is a Linear alone. Only Linear and BatchNorm1d
 * hold tensors, so the 784-100-10 plain racer's are `0.weight` (out x in, PyTorch's `nn.Linear`
 * layout), `0.bias`, `2.weight`, `2.bias`, and with bn `0.*`, `1.weight` (γ), `1.bias` (β),
 * `1.running_mean`, `1.running_var`, `3.*`. Ours is I x O row-major (src/nn/layout.ts), so the weight
 * is transposed on the way out and back on the way in. Float32, as the race computes.
 *
 * Where the book's layers differ from PyTorch's (the file's `__metadata__` says so, src/race/weights.ts):
 * its batch norm uses eps 1e-6 (PyTorch 1e-5), its running variance moves with the biased batch
 * variance (PyTorch's with the unbiased) and starts at 0 (PyTorch 1), momentum 0.9 is PyTorch's 0.1;
 * its dropout is not inverted (training keeps units unscaled, evaluation multiplies by 1 − ratio,
 * where PyTorch's Dropout scales by 1 / (1 − ratio) in training and does nothing in evaluation).
 * BatchNorm1d's `num_batches_tracked` (int64) is not written: PyTorch's load_state_dict fills it in.
 */
import type { NamedSafetensorsTensor, SafetensorsTensor } from '../data/safetensors';
import { networkLayout, type NetworkLayout } from './layout';

/** Thrown when tensors do not fit the race's network; the message names the tensor and the fit. */
export class StateDictError extends Error {
  override name = 'StateDictError';
}

/** What of the racer's network shapes its state dict beyond the sizes. */
export interface RacerNetworkOptions {
  /** Batch norm after each hidden Linear (the racer's `bn`). */
  bn?: boolean;
  /** The racer's dropout ratio: > 0 puts a Dropout (no tensors) after each hidden activation. */
  dropout?: number;
  /** The race's layout holds γ, β and running statistics (some racer of the race uses bn); default: `bn`. */
  layoutBatchNorm?: boolean;
}

export interface StateDictOptions extends RacerNetworkOptions {
  /** The racer's block of running statistics (layout.statsPerRacer floats); needed with `bn`. */
  stats?: ArrayLike<number>;
  /** Leave the running statistics out (an optimizer's state vectors have none). */
  noStats?: boolean;
  /** F32 (default: what the race computes and PyTorch loads) or F64 (a checkpoint of the float64 CPU reference, exact). */
  dtype?: 'F32' | 'F64';
}

/** One racer's numbers in the race's layout: P params (W, b, γ, β) and S running statistics (mean, variance per hidden layer). */
export interface RacerBlocks {
  params: Float32Array | Float64Array;
  stats: Float32Array | Float64Array;
}

/** The names of layer `l`'s weight and bias in the `nn.Sequential` of a plain racer (no bn, no dropout). */
export function linearNames(l: number): { weight: string; bias: string } {
  return sequentialNames(l + 2, {}).linear[l];
}

/** The `nn.Sequential` index of each Linear and each BatchNorm1d of a network of `layerCount` sizes. */
function sequentialNames(sizeCount: number, options: RacerNetworkOptions) {
  const linear: { weight: string; bias: string }[] = [];
  const norm: { weight: string; bias: string; mean: string; variance: string }[] = [];
  let index = 0;
  for (let l = 0; l + 1 < sizeCount; l++) {
    linear.push({ weight: `${index}.weight`, bias: `${index}.bias` });
    index += 1;
    if (l + 2 === sizeCount) break;
    if (options.bn) {
      norm.push({ weight: `${index}.weight`, bias: `${index}.bias`, mean: `${index}.running_mean`, variance: `${index}.running_var` });
      index += 1;
    }
    index += 1; // the activation
    if ((options.dropout ?? 0) > 0) index += 1;
  }
  return { linear, norm };
}

/** The `nn.Sequential` of the racer's network in PyTorch's words, e.g. `Linear(784, 100), BatchNorm1d(100), ReLU(), Linear(100, 10)`. */
export function sequentialText(sizes: readonly number[], activation: string, options: RacerNetworkOptions): string {
  const modules: string[] = [];
  const act = { relu: 'ReLU()', sigmoid: 'Sigmoid()', tanh: 'Tanh()' }[activation] ?? `${activation}()`;
  for (let l = 0; l + 1 < sizes.length; l++) {
    modules.push(`Linear(${sizes[l]}, ${sizes[l + 1]})`);
    if (l + 2 === sizes.length) break;
    if (options.bn) modules.push(`BatchNorm1d(${sizes[l + 1]})`);
    modules.push(act);
    if ((options.dropout ?? 0) > 0) modules.push(`Dropout(${options.dropout})`);
  }
  return modules.join(', ');
}

function layoutOf(sizes: readonly number[], options: RacerNetworkOptions): NetworkLayout {
  return networkLayout(sizes, { batchNorm: options.layoutBatchNorm ?? options.bn === true });
}

/**
 * One racer's parameters (`params`: at least the layout's P floats, in the race's layout's order,
 * e.g. a subarray of all racers' buffer; float32 or the CPU reference's float64) as PyTorch's state
 * dict, layer by layer; with `bn`, each BatchNorm1d's γ, β and running statistics from `stats`.
 */
export function mlpToStateDict(
  sizes: readonly number[],
  params: ArrayLike<number>,
  options: StateDictOptions & { dtype: 'F64' },
): NamedSafetensorsTensor<'F64'>[];
export function mlpToStateDict(
  sizes: readonly number[],
  params: ArrayLike<number>,
  options?: StateDictOptions & { dtype?: 'F32' },
): NamedSafetensorsTensor<'F32'>[];
export function mlpToStateDict(sizes: readonly number[], params: ArrayLike<number>, options?: StateDictOptions): NamedSafetensorsTensor<'F32' | 'F64'>[];
export function mlpToStateDict(sizes: readonly number[], params: ArrayLike<number>, options: StateDictOptions = {}): NamedSafetensorsTensor<'F32' | 'F64'>[] {
  const layout = layoutOf(sizes, options);
  if (params.length < layout.paramsPerRacer) {
    throw new StateDictError(`the network ${sizes.join('-')} has ${layout.paramsPerRacer} parameters per racer, got ${params.length}`);
  }
  if (options.bn && !options.noStats && (options.stats?.length ?? 0) < layout.statsPerRacer) {
    throw new StateDictError(
      `the network ${sizes.join('-')} with batch norm has ${layout.statsPerRacer} running statistics per racer, got ${options.stats?.length ?? 0}`,
    );
  }
  const names = sequentialNames(sizes.length, options);
  const dtype = options.dtype ?? 'F32';
  const Typed = dtype === 'F32' ? Float32Array : Float64Array;
  const tensor = (name: string, shape: number[], data: Float32Array | Float64Array) => ({ name, dtype, shape, data }) as NamedSafetensorsTensor<'F32' | 'F64'>;
  const slice = (from: ArrayLike<number>, offset: number, count: number): Float32Array | Float64Array => {
    const out = new Typed(count);
    for (let k = 0; k < count; k++) out[k] = from[offset + k];
    return out;
  };
  const tensors = layout.layers.flatMap((layer, l) => {
    const { inputs: I, outputs: O } = layer;
    const weight = new Typed(O * I);
    for (let i = 0; i < I; i++) {
      for (let o = 0; o < O; o++) weight[o * I + i] = params[layer.weightOffset + i * O + o];
    }
    return [tensor(names.linear[l].weight, [O, I], weight), tensor(names.linear[l].bias, [O], slice(params, layer.biasOffset, O))];
  });
  names.norm.forEach((n, l) => {
    const O = sizes[l + 1];
    const bn = layout.batchNorm[l];
    tensors.push(tensor(n.weight, [O], slice(params, bn.gammaOffset, O)), tensor(n.bias, [O], slice(params, bn.betaOffset, O)));
    if (options.noStats) return;
    const stats = options.stats as ArrayLike<number>;
    tensors.push(tensor(n.mean, [O], slice(stats, bn.statsOffset, O)), tensor(n.variance, [O], slice(stats, bn.statsOffset + O, O)));
  });
  return tensors;
}

/**
 * One racer's blocks (the layout's P params and S statistics, padding 0; γ 1 for a racer without
 * bn in a race with it, as initParams draws it) from a state dict, which must hold exactly the
 * network's tensors: each F32, of the shape PyTorch gives it. Checks everything before it builds
 * anything; throws a StateDictError naming the first tensor that does not fit.
 */
export function stateDictToRacer(
  sizes: readonly number[],
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  options: RacerNetworkOptions & Pick<StateDictOptions, 'noStats' | 'dtype'> = {},
): RacerBlocks {
  const dtype = options.dtype ?? 'F32';
  const layout = layoutOf(sizes, options);
  const network = `the network ${sizes.join('-')}${options.bn ? ' with batch norm' : ''}`;
  const names = sequentialNames(sizes.length, options);
  const expected = new Map<string, number[]>();
  layout.layers.forEach((layer, l) => {
    expected.set(names.linear[l].weight, [layer.outputs, layer.inputs]);
    expected.set(names.linear[l].bias, [layer.outputs]);
  });
  names.norm.forEach((n, l) => {
    for (const name of options.noStats ? [n.weight, n.bias] : [n.weight, n.bias, n.mean, n.variance]) expected.set(name, [sizes[l + 1]]);
  });
  for (const [name, shape] of expected) {
    const tensor = tensors.get(name);
    if (tensor === undefined) throw new StateDictError(`no tensor ${name}: ${network} needs ${[...expected.keys()].join(', ')}`);
    if (tensor.dtype !== dtype) throw new StateDictError(`tensor ${name} is ${tensor.dtype}; the race's weights are ${dtype}`);
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, k) => d !== shape[k])) {
      throw new StateDictError(`tensor ${name} is [${tensor.shape.join(', ')}]; ${network} needs [${shape.join(', ')}]`);
    }
  }
  // PyTorch writes BatchNorm1d's step count; the book's batch norm has none, so it is read past.
  const extra = [...tensors.keys()].filter((name) => !expected.has(name) && !(options.bn && /^\d+\.num_batches_tracked$/.test(name)));
  if (extra.length > 0) throw new StateDictError(`${network} has no ${extra.map((n) => JSON.stringify(n)).join(', ')}`);

  const data = (name: string) => tensors.get(name)?.data as Float32Array | Float64Array;
  const Typed = dtype === 'F32' ? Float32Array : Float64Array;
  const params = new Typed(layout.paramsPerRacer);
  const stats = new Typed(layout.statsPerRacer);
  layout.layers.forEach((layer, l) => {
    const { inputs: I, outputs: O } = layer;
    const weight = data(names.linear[l].weight);
    for (let i = 0; i < I; i++) {
      for (let o = 0; o < O; o++) params[layer.weightOffset + i * O + o] = weight[o * I + i];
    }
    params.set(data(names.linear[l].bias), layer.biasOffset);
  });
  layout.batchNorm.forEach((bn, l) => {
    const n = names.norm[l];
    if (n === undefined) {
      if (!options.noStats) params.fill(1, bn.gammaOffset, bn.gammaOffset + sizes[l + 1]);
      return;
    }
    params.set(data(n.weight), bn.gammaOffset);
    params.set(data(n.bias), bn.betaOffset);
    if (options.noStats) return;
    stats.set(data(n.mean), bn.statsOffset);
    stats.set(data(n.variance), bn.statsOffset + sizes[l + 1]);
  });
  return { params, stats };
}

/** A plain racer's parameters (the layout's P floats) from a state dict: stateDictToRacer's params. */
export function stateDictToMlp(sizes: readonly number[], tensors: ReadonlyMap<string, SafetensorsTensor>, options: RacerNetworkOptions = {}): Float32Array {
  return stateDictToRacer(sizes, tensors, options).params as Float32Array;
}
