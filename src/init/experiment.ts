/**
 * The weight-initialisation experiment on the GPU and, as its reference, in float64 TypeScript.
 * Every setting is a racer of the MLP kernels: one AffineForwardPass dispatch per layer serves
 * them all (each with its own activation), and one HistogramPass dispatch per layer counts every
 * racer's activations. One submit, one read-back of the counts.
 * N = samples, O = nodes, R = settings (racers), L = layers, B = bins, P = floats per racer.
 */
import type { BackendKind } from '../gpu/backend-kind';
import { createBuffer, storageUsage } from '../gpu/buffers';
import { mapForReading } from '../gpu/map-pump';
import { AffineForwardPass } from '../nn/affine-passes';
import { createRacerActivations, LayerUniform, type PassBinding } from '../nn/gpu-common';
import { networkLayout, type NetworkLayout } from '../nn/layout';
import { initParams } from '../nn/model';
import { affineForward } from '../nn/reference';
import { mlpLayerShape, type LayerShape } from '../nn/shape';
import { seededGaussian } from '../util/random';
import { resolveInitConfig, settingStd, type InitExperimentConfig, type InitSetting, type ResolvedInitConfig } from './config';
import { activationEdges, histogramReference, kHistogramExtras, kMomentPivots, moments, type HistogramCounts } from './histogram';
import { HistogramPass, packRanges, unpackHistogram } from './histogram-pass';

export interface LayerHistogram extends HistogramCounts {
  /** 1-based, as the seed's figure titles them. */
  layer: number;
  /** B + 1 edges (float64, numpy.linspace). */
  edges: number[];
  /** Values counted: samples x nodes. */
  total: number;
  mean: number;
  std: number;
}

export interface SettingHistograms {
  setting: InitSetting;
  /** The std the weights were drawn with. */
  weightStd: number;
  layers: LayerHistogram[];
}

export interface InitExperimentResult {
  config: ResolvedInitConfig;
  backend: BackendKind;
  settings: SettingHistograms[];
}

/** `layers` layers of `nodes` x `nodes`, in the race's parameter layout (biases stay 0). */
export function experimentLayout(config: ResolvedInitConfig): NetworkLayout {
  return networkLayout(Array.from({ length: config.layers + 1 }, () => config.nodes));
}

/** N x O standard-normal inputs from seededGaussian(seed), shared by every setting. */
export function experimentInputs(config: ResolvedInitConfig): Float32Array<ArrayBuffer> {
  const gaussian = seededGaussian(config.seed);
  return Float32Array.from({ length: config.samples * config.nodes }, gaussian);
}

/** The weights' stream, distinct from the inputs' (seed) so that W is not a copy of X. */
export const weightSeed = (seed: number): number => (seed ^ 0x5bd1e995) >>> 0;

/**
 * R x P parameters: every setting scales the same normal draws by its std, so rows differ only
 * by their init and activation (and Resample changes all of them at once).
 */
export function experimentParams(config: ResolvedInitConfig, layout: NetworkLayout): Float32Array<ArrayBuffer> {
  const P = layout.paramsPerRacer;
  const params = new Float32Array(config.settings.length * P);
  config.settings.forEach((s, r) => params.set(initParams(layout, s.init, weightSeed(config.seed)), r * P));
  return params;
}

/** Layer l of every setting: the setting's own activation on every layer (the seed's net has no output layer). */
export function experimentShapes(config: ResolvedInitConfig, layout: NetworkLayout): LayerShape[] {
  return layout.layers.map((_, l) => ({
    ...mlpLayerShape(layout, l, config.samples, config.settings.length),
    outputActivation: 'racer',
  }));
}

function layerHistogram(config: ResolvedInitConfig, r: number, l: number, counts: HistogramCounts): LayerHistogram {
  const { activation } = config.settings[r];
  const total = config.samples * config.nodes;
  return {
    ...counts,
    layer: l + 1,
    edges: activationEdges(activation, config.bins),
    total,
    ...moments(total, counts.sum, counts.sumSquares, kMomentPivots[activation]),
  };
}

function assemble(config: ResolvedInitConfig, backend: BackendKind, histogram: (r: number, l: number) => HistogramCounts): InitExperimentResult {
  return {
    config,
    backend,
    settings: config.settings.map((setting, r) => ({
      setting,
      weightStd: settingStd(setting.init, config.nodes),
      layers: Array.from({ length: config.layers }, (_, l) => layerHistogram(config, r, l, histogram(r, l))),
    })),
  };
}

/** The reference: the same inputs and float32 weights, the forward and the histograms in float64. */
export function runInitExperimentCpu(input: InitExperimentConfig): InitExperimentResult {
  const config = resolveInitConfig(input);
  const layout = experimentLayout(config);
  const params = experimentParams(config, layout);
  const activations = config.settings.map((s) => s.activation);
  const perRacer = config.samples * config.nodes;
  const histograms: HistogramCounts[][] = config.settings.map(() => []);
  let X: ArrayLike<number> = experimentInputs(config);
  for (const shape of experimentShapes(config, layout)) {
    const Y = affineForward(X, params, shape, activations);
    config.settings.forEach((s, r) => {
      histograms[r].push(
        histogramReference(Y.subarray(r * perRacer, (r + 1) * perRacer), activationEdges(s.activation, config.bins), kMomentPivots[s.activation]),
      );
    });
    X = Y;
  }
  return assemble(config, 'cpu', (r, l) => histograms[r][l]);
}

/** The two pipelines, compiled once per device and shared by every run on it. */
export class InitHistogramPipelines {
  readonly forward: AffineForwardPass;
  readonly histogram: HistogramPass;

  constructor(readonly device: GPUDevice) {
    this.forward = new AffineForwardPass(device);
    this.histogram = new HistogramPass(device);
  }
}

export interface GpuRunOptions {
  /** Also read back every layer's activations (R x N x O each), e.g. to check the counts. */
  keepActivations?: boolean;
}

export interface GpuInitExperimentResult extends InitExperimentResult {
  /** Per layer, when keepActivations was set. */
  activations?: Float32Array[];
}

async function readBack(device: GPUDevice, sources: readonly GPUBuffer[]): Promise<ArrayBuffer[]> {
  const encoder = device.createCommandEncoder({ label: 'InitHistograms.readback' });
  const staging = sources.map((source) => {
    const buffer = device.createBuffer({ label: `${source.label}.readback`, size: source.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.copyBufferToBuffer(source, 0, buffer, 0, source.size);
    return buffer;
  });
  device.queue.submit([encoder.finish()]);
  try {
    return await Promise.all(
      staging.map(async (buffer) => {
        await mapForReading(device, buffer);
        return buffer.getMappedRange().slice(0);
      }),
    );
  } finally {
    staging.forEach((b) => b.destroy());
  }
}

/** The experiment on the GPU: creates its buffers, records one compute pass, reads the counts back and frees everything. */
export async function runInitExperimentGpu(
  pipelines: InitHistogramPipelines,
  input: InitExperimentConfig,
  options: GpuRunOptions = {},
): Promise<GpuInitExperimentResult> {
  const config = resolveInitConfig(input);
  const { device } = pipelines;
  const layout = experimentLayout(config);
  const R = config.settings.length;
  const L = config.layers;
  const B = config.bins;
  const M = config.samples * config.nodes;
  const actBytes = 4 * R * M;
  const limit = device.limits.maxStorageBufferBindingSize;
  if (actBytes > limit) {
    throw new Error(
      `one layer's activations (${Math.ceil(actBytes / 2 ** 20)} MiB) exceed this GPU's ${Math.floor(limit / 2 ** 20)} MiB per buffer: use fewer samples, nodes or settings`,
    );
  }
  const momentGroups = pipelines.histogram.groupsFor(M);
  const label = 'InitHistograms';
  const owned: GPUBuffer[] = [];
  const own = (buffer: GPUBuffer): GPUBuffer => (owned.push(buffer), buffer);
  const uniforms: LayerUniform[] = [];
  const bindings: PassBinding[] = [];
  try {
    const X0 = own(createBuffer(device, `${label}.X0`, storageUsage(), experimentInputs(config)));
    const params = own(createBuffer(device, `${label}.params`, storageUsage(), experimentParams(config, layout)));
    const racerActivations = own(
      createRacerActivations(
        device,
        config.settings.map((s) => s.activation),
        `${label}.racerActivations`,
      ),
    );
    const ranges = own(
      createBuffer(
        device,
        `${label}.ranges`,
        storageUsage(),
        packRanges(
          config.settings.map((s) => activationEdges(s.activation, B)),
          config.settings.map((s) => kMomentPivots[s.activation]),
        ),
      ),
    );
    // New buffers are zeroed: the histogram pass adds to the counts.
    const counts = own(createBuffer(device, `${label}.counts`, storageUsage(), 4 * R * L * (B + kHistogramExtras)));
    const momentSums = own(createBuffer(device, `${label}.moments`, storageUsage(), 8 * R * L * momentGroups));
    const acts = layout.layers.map((_, l) => own(createBuffer(device, `${label}.acts${l}`, storageUsage(), actBytes)));

    const encoder = device.createCommandEncoder({ label: `${label}.encoder` });
    const pass = encoder.beginComputePass({ label: `${label}.pass` });
    experimentShapes(config, layout).forEach((shape, l) => {
      const layer = new LayerUniform(device, shape, `${label}.layer${l}`);
      uniforms.push(layer);
      const forward = pipelines.forward.bindGroup({ X: l === 0 ? X0 : acts[l - 1], params, Y: acts[l], racerActivations, layer }, `${label}.forward${l}`);
      const histogram = pipelines.histogram.bindGroup(
        { values: acts[l], ranges, counts, moments: momentSums },
        { valuesPerRacer: M, racers: R, bins: B, slot: l, slots: L },
        momentGroups,
        `${label}.histogram${l}`,
      );
      bindings.push(forward, histogram);
      pipelines.forward.encode(pass, forward);
      pipelines.histogram.encode(pass, histogram);
    });
    pass.end();
    device.queue.submit([encoder.finish()]);

    const [countWords, momentWords, ...actWords] = await readBack(device, [counts, momentSums, ...(options.keepActivations ? acts : [])]);
    const countArray = new Uint32Array(countWords);
    const momentArray = new Float32Array(momentWords);
    const result: GpuInitExperimentResult = assemble(config, 'webgpu', (r, l) =>
      unpackHistogram(countArray, momentArray, { bins: B, slots: L, momentGroups }, r, l),
    );
    if (options.keepActivations) result.activations = actWords.map((words) => new Float32Array(words));
    return result;
  } finally {
    owned.forEach((b) => b.destroy());
    uniforms.forEach((u) => u.destroy());
    bindings.forEach((b) => b.destroy());
  }
}
