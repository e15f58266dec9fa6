/**
 * The race in float32 WebAssembly with 128-bit SIMD (src/wasm/assembly/kernels.ts): the same
 * batches (batchIndices), initial weights (initParams), loss after the update, evaluation and
 * frozen racers as the float64 CPU reference (src/race/cpu-backend.ts). Every buffer lives in one
 * WebAssembly.Memory laid out once at create(); a step allocates nothing. No DOM: runs in Node, in
 * a Web Worker and in Vitest.
 */
import { activationCode, networkLayout, type NetworkLayout } from '../nn/layout';
import { batchIndices, kNoLabel, sequentialIndices } from '../nn/batch';
import { initParams } from '../nn/model';
import { countCorrect } from '../nn/reference';
import { scheduledHyperparameters } from '../optim/schedule';
import { kPredictedDigits, type ChunkRequest, type ChunkResult, type RaceBackend } from '../race/backend';
import type { RaceConfig, ResolvedRace, ResolvedRacer } from '../race/config';
import { initSeed, kClasses, kPixels, type RaceData } from '../race/dataset';
import { instantiateKernels, type KernelExports } from './module';
import { wasmRule } from './optimizer-kernels';

export interface WasmBackendOptions {
  /** Worker threads sharing the memory; only 1 is implemented so far. */
  threads?: number;
}

/** Byte offsets of every buffer in linear memory. */
interface Layout {
  trainImages: number;
  testImages: number;
  indices: number;
  labels: number;
  x0: number;
  /** X0 transposed (D x N), for the first layer's dW. */
  x0T: number;
  /** acts[l]: racer r's output of layer l at acts[l] + r * actStride[l] (Nmax rows). */
  acts: number[];
  /** grads of layer l's input (l >= 1), racer-major, batch rows. */
  dIn: number[];
  params: number;
  grads: number;
  state: [number, number];
  scratch: number;
  end: number;
}

const kEvalRows = 500;
const align = (n: number): number => Math.ceil(n / 16) * 16;

export class WasmRaceBackend implements RaceBackend {
  /** The most worker threads create() accepts; callers clamp their wish to it. */
  static readonly maxThreads: number = 1;
  readonly kind = 'wasm' as const;
  private readonly layout: NetworkLayout;
  private readonly config: RaceConfig;
  private readonly racers: readonly ResolvedRacer[];
  private readonly rules: ReturnType<typeof wasmRule>[];
  private readonly mem: Layout;
  private readonly maxRows: number;
  private steps: number[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly race: ResolvedRace,
    private readonly data: RaceData,
    private readonly memory: WebAssembly.Memory,
    private readonly k: KernelExports,
    mem: Layout,
    maxRows: number,
  ) {
    this.config = race.config;
    this.layout = networkLayout(this.config.sizes);
    this.racers = race.racers;
    this.rules = this.racers.map((r) => wasmRule(r.spec));
    this.mem = mem;
    this.maxRows = maxRows;
    this.bytes().set(data.trainImages, mem.trainImages);
    this.bytes().set(data.testImages, mem.testImages);
    this.initialise();
  }

  static async create(race: ResolvedRace, data: RaceData, options: WasmBackendOptions = {}): Promise<WasmRaceBackend> {
    const threads = options.threads ?? 1;
    if (threads < 1 || threads > WasmRaceBackend.maxThreads) throw new Error(`the WebAssembly backend runs on one thread so far (asked for ${threads})`);
    const { sizes, batchSize } = race.config;
    if (sizes[0] !== kPixels || sizes[sizes.length - 1] !== kClasses) {
      throw new Error(`an MNIST network has ${kPixels} inputs and ${kClasses} outputs, got ${sizes.join('-')}`);
    }
    race.racers.forEach((r) => wasmRule(r.spec));
    const layout = networkLayout(sizes);
    const maxRows = Math.max(batchSize, Math.min(kEvalRows, data.testCount));
    const mem = memoryLayout(layout, race.racers.length, batchSize, maxRows, data);
    const memory = new WebAssembly.Memory({ initial: Math.ceil(mem.end / 65536) + 1 });
    return new WasmRaceBackend(race, data, memory, await instantiateKernels(memory), mem, maxRows);
  }

  private bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  private f32(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, byteOffset, length);
  }

  private initialise(): void {
    const P = this.layout.paramsPerRacer;
    const R = this.racers.length;
    const params = this.f32(this.mem.params, R * P);
    this.racers.forEach((r, i) => params.set(initParams(this.layout, r.init, initSeed(this.config.seed)), i * P));
    for (const s of this.mem.state) this.f32(s, R * P).fill(0);
    this.steps = this.racers.map(() => 0);
  }

  /** Chunks run one after another, in the order queued. */
  run(request: ChunkRequest): Promise<ChunkResult> {
    const result = this.queue.then(() => this.compute(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async compute(request: ChunkRequest): Promise<ChunkResult> {
    const { batchSize: N, seed } = this.config;
    const R = this.racers.length;
    const losses = new Float32Array(request.count * R);
    const indices = new Uint32Array(this.memory.buffer, this.mem.indices, N);
    const labels = new Uint32Array(this.memory.buffer, this.mem.labels, N);
    for (let i = 0; i < request.count; i++) {
      indices.set(batchIndices(seed, request.first + i, N, this.data.trainCount));
      for (let n = 0; n < N; n++) labels[n] = this.data.trainLabels[indices[n]];
      this.k.gather(this.mem.trainImages, this.data.trainCount, this.mem.indices, this.mem.x0, N, kPixels);
      this.forward(N);
      this.backward(N, request.active);
      this.update(request.active);
      // As in the seed, the recorded loss is measured on the same batch after the update.
      this.forward(N);
      const L = this.layout.layers.length;
      for (let r = 0; r < R; r++) losses[i * R + r] = this.k.softmaxXent(this.act(L - 1, r, N), this.mem.labels, N, kClasses, 0);
    }
    // Yield once per chunk so a worker stays responsive.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return request.evaluate ? { losses, ...this.evaluate() } : { losses };
  }

  /** Byte offset of racer r's output of layer l (rows x O). */
  private act(l: number, r: number, rows: number): number {
    return this.mem.acts[l] + r * rows * this.layout.layers[l].outputs * 4;
  }

  /** Byte offset of racer r's input of layer l. */
  private input(l: number, r: number, rows: number): number {
    return l === 0 ? this.mem.x0 : this.act(l - 1, r, rows);
  }

  private actCode(l: number, r: number): number {
    return l === this.layout.layers.length - 1 ? activationCode('identity') : activationCode(this.racers[r].activation);
  }

  private forward(rows: number): void {
    const P4 = this.layout.paramsPerRacer * 4;
    this.layout.layers.forEach((layer, l) => {
      const { inputs: I, outputs: O } = layer;
      for (let r = 0; r < this.racers.length; r++) {
        const y = this.act(l, r, rows);
        const w = this.mem.params + r * P4 + layer.weightOffset * 4;
        this.k.matmul(this.input(l, r, rows), I, w, O, y, O, rows, I, O);
        this.k.biasActivate(y, this.mem.params + r * P4 + layer.biasOffset * 4, rows, O, this.actCode(l, r));
      }
    });
  }

  /** Gradients of active racers into mem.grads; the logits become dLogits in place. */
  private backward(N: number, active: readonly boolean[]): void {
    const { layers, paramsPerRacer } = this.layout;
    const P4 = paramsPerRacer * 4;
    const L = layers.length;
    const scratch = this.mem.scratch;
    // X0 is every racer's input: transposed once per step for all racers' first-layer dW.
    this.k.transpose(this.mem.x0, this.mem.x0T, N, kPixels);
    for (let r = 0; r < this.racers.length; r++) {
      if (!active[r]) continue;
      let dY = this.act(L - 1, r, N);
      this.k.softmaxXent(dY, this.mem.labels, N, kClasses, 1);
      for (let l = L - 1; l >= 0; l--) {
        const { inputs: I, outputs: O, weightOffset, biasOffset } = layers[l];
        const X = this.input(l, r, N);
        // dW = X^T dY: X transposed into scratch so the product streams rows as the forward does.
        if (l > 0) this.k.transpose(X, scratch, N, I);
        this.k.matmul(l === 0 ? this.mem.x0T : scratch, N, dY, O, this.mem.grads + r * P4 + weightOffset * 4, O, I, N, O);
        this.k.columnSums(dY, this.mem.grads + r * P4 + biasOffset * 4, N, O);
        if (l === 0) break; // no gradient to the input
        // dX = (dY W^T) * act'(X): W transposed into scratch.
        this.k.transpose(this.mem.params + r * P4 + weightOffset * 4, scratch, I, O);
        const dX = this.mem.dIn[l] + r * N * I * 4;
        this.k.matmul(dY, O, scratch, I, dX, I, N, O, I);
        this.k.maskSlope(dX, X, N * I, this.actCode(l - 1, r));
        dY = dX;
      }
    }
  }

  private update(active: readonly boolean[]): void {
    const P = this.layout.paramsPerRacer;
    const { params, grads, state } = this.mem;
    this.racers.forEach((racer, r) => {
      if (!active[r]) return;
      const t = (this.steps[r] += 1);
      const h = scheduledHyperparameters(racer.hyper, racer.schedule, t, this.config.iterations);
      const step = racer.spec.step(h, t);
      const { rule, fields } = this.rules[r];
      const v = [0, 1, 2, 3, 4, 5].map((i) => (i < fields.length ? step[fields[i]] : 0));
      const o = r * P * 4;
      this.k.optimize(rule, params + o, grads + o, state[0] + o, state[1] + o, P, v[0], v[1], v[2], v[3], v[4], v[5]);
    });
  }

  private evaluate(): { accuracy: number[]; predictions: Uint8Array[] } {
    const { testLabels, testCount } = this.data;
    const R = this.racers.length;
    const rows = Math.min(this.maxRows, kEvalRows, testCount);
    const L = this.layout.layers.length;
    const correct = new Float64Array(R);
    const predictions = this.racers.map(() => new Uint8Array(Math.min(kPredictedDigits, testCount)));
    const indices = new Uint32Array(this.memory.buffer, this.mem.indices, rows);
    const labels = new Uint32Array(this.memory.buffer, this.mem.labels, rows);
    for (let first = 0; first < testCount; first += rows) {
      indices.set(sequentialIndices(first, rows));
      for (let n = 0; n < rows; n++) labels[n] = indices[n] < testCount ? testLabels[indices[n]] : kNoLabel;
      this.k.gather(this.mem.testImages, testCount, this.mem.indices, this.mem.x0, rows, kPixels);
      this.forward(rows);
      const logits = this.f32(this.mem.acts[L - 1], R * rows * kClasses);
      countCorrect(logits, labels, rows, kClasses, R).forEach((c, r) => (correct[r] += c));
      if (first === 0) predictions.forEach((p, r) => p.forEach((_, n) => (p[n] = argmax(logits, (r * rows + n) * kClasses))));
    }
    return { accuracy: Array.from(correct, (c) => c / testCount), predictions };
  }

  async reset(): Promise<void> {
    await this.queue;
    this.initialise();
  }

  destroy(): void {}
}

function memoryLayout(layout: NetworkLayout, R: number, N: number, maxRows: number, data: RaceData): Layout {
  let at = 65536; // above the module's own static data
  const take = (bytes: number): number => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const P = layout.paramsPerRacer;
  const { layers } = layout;
  const trainImages = take(data.trainImages.length);
  const testImages = take(data.testImages.length);
  const indices = take(maxRows * 4);
  const labels = take(maxRows * 4);
  const x0 = take(maxRows * kPixels * 4);
  const x0T = take(N * kPixels * 4);
  const acts = layers.map((l) => take(R * maxRows * l.outputs * 4));
  const dIn = layers.map((l, i) => (i === 0 ? 0 : take(R * N * l.inputs * 4)));
  const params = take(R * P * 4);
  const grads = take(R * P * 4);
  const state: [number, number] = [take(R * P * 4), take(R * P * 4)];
  const scratch = take(Math.max(...layers.map((l) => l.inputs * Math.max(N, l.outputs))) * 4);
  return { trainImages, testImages, indices, labels, x0, x0T, acts, dIn, params, grads, state, scratch, end: at };
}

function argmax(values: ArrayLike<number>, start: number): number {
  let best = 0;
  for (let c = 1; c < kClasses; c++) if (values[start + c] > values[start + best]) best = c;
  return best;
}
