/**
 * A racer's MLP under the names PyTorch gives the same network built as an `nn.Sequential`:
 * Linear layers at indices 0, 2, 4, ... with the hidden activation between them (it has no
 * parameters), so layer l's tensors are `${2l}.weight` (out x in, PyTorch's `nn.Linear` layout) and
 * `${2l}.bias` (out). Ours is I x O row-major (src/nn/layout.ts), so the weight is transposed on the
 * way out and back on the way in. Float32, as the race computes.
 */
import type { NamedSafetensorsTensor, SafetensorsTensor } from '../data/safetensors';
import { networkLayout } from './layout';

/** Thrown when tensors do not fit the race's network; the message names the tensor and the fit. */
export class StateDictError extends Error {
  override name = 'StateDictError';
}

/** The names of layer `l`'s weight and bias in the `nn.Sequential`. */
export function linearNames(l: number): { weight: string; bias: string } {
  return { weight: `${2 * l}.weight`, bias: `${2 * l}.bias` };
}

/**
 * One racer's parameters (`params`: at least the layout's P floats, in networkLayout(sizes)'s
 * order, e.g. a subarray of all racers' buffer) as PyTorch's state dict, layer by layer.
 */
export function mlpToStateDict(sizes: readonly number[], params: Float32Array): NamedSafetensorsTensor<'F32'>[] {
  const layout = networkLayout(sizes);
  if (params.length < layout.paramsPerRacer) {
    throw new StateDictError(`the network ${sizes.join('-')} has ${layout.paramsPerRacer} parameters per racer, got ${params.length}`);
  }
  return layout.layers.flatMap((layer, l) => {
    const { inputs: I, outputs: O } = layer;
    const weight = new Float32Array(O * I);
    for (let i = 0; i < I; i++) {
      for (let o = 0; o < O; o++) weight[o * I + i] = params[layer.weightOffset + i * O + o];
    }
    const bias = params.slice(layer.biasOffset, layer.biasOffset + O);
    const names = linearNames(l);
    return [
      { name: names.weight, dtype: 'F32' as const, shape: [O, I], data: weight },
      { name: names.bias, dtype: 'F32' as const, shape: [O], data: bias },
    ];
  });
}

/**
 * One racer's parameters (the layout's P floats, padding 0) from a state dict, which must hold
 * exactly the network's tensors: each F32, of the shape PyTorch gives it. Checks everything before
 * it builds anything; throws a StateDictError naming the first tensor that does not fit.
 */
export function stateDictToMlp(sizes: readonly number[], tensors: ReadonlyMap<string, SafetensorsTensor>): Float32Array {
  const layout = networkLayout(sizes);
  const network = `the network ${sizes.join('-')}`;
  const expected = new Map<string, number[]>();
  layout.layers.forEach((layer, l) => {
    const names = linearNames(l);
    expected.set(names.weight, [layer.outputs, layer.inputs]);
    expected.set(names.bias, [layer.outputs]);
  });
  for (const [name, shape] of expected) {
    const tensor = tensors.get(name);
    if (tensor === undefined) throw new StateDictError(`no tensor ${name}: ${network} needs ${[...expected.keys()].join(', ')}`);
    if (tensor.dtype !== 'F32') throw new StateDictError(`tensor ${name} is ${tensor.dtype}; the race's weights are F32`);
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, k) => d !== shape[k])) {
      throw new StateDictError(`tensor ${name} is [${tensor.shape.join(', ')}]; ${network} needs [${shape.join(', ')}]`);
    }
  }
  const extra = [...tensors.keys()].filter((name) => !expected.has(name));
  if (extra.length > 0) throw new StateDictError(`${network} has no ${extra.map((n) => JSON.stringify(n)).join(', ')}`);

  const params = new Float32Array(layout.paramsPerRacer);
  layout.layers.forEach((layer, l) => {
    const { inputs: I, outputs: O } = layer;
    const names = linearNames(l);
    const weight = tensors.get(names.weight)?.data as Float32Array;
    for (let i = 0; i < I; i++) {
      for (let o = 0; o < O; o++) params[layer.weightOffset + i * O + o] = weight[o * I + i];
    }
    params.set(tensors.get(names.bias)?.data as Float32Array, layer.biasOffset);
  });
  return params;
}
