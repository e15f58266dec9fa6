/**
 * The race in float32 WebAssembly with 128-bit SIMD (src/wasm/assembly/): the same
 * batches (batchIndices), initial weights (initParams), loss after the update, evaluation and
 * frozen racers as the float64 CPU reference (src/race/cpu-backend.ts). Every buffer lives in one
 * WebAssembly.Memory laid out once at create() (src/wasm/wasm-memory.ts); a step is one call of the
 * module's `work(plan)` for all racers, on this thread or split by racers across a pool of helper
 * threads sharing the memory (src/wasm/thread-pool.ts), with identical numbers either way. Racers
 * may use chapter 6's batch norm, dropout and L2 (src/nn/regularized-mlp.ts's semantics: the
 * recorded loss and the accuracies in evaluation mode); batches come from the race's first
 * `trainLimit` training images, on which the training accuracy is measured when asked. A step
 * allocates no buffers (the registry's step(h, t) still returns its small object of scalars). No
 * DOM: runs in Node, in a Web Worker and in Vitest.
 */
import { activationCode, networkLayout, type NetworkLayout } from '../nn/layout';
import { batchHash, batchIndices, kNoLabel } from '../nn/batch';
import { initParams } from '../nn/model';
import { argmax, countCorrect } from '../nn/reference';
import { scheduledHyperparameters } from '../optim/schedule';
import { kPredictedDigits, type ChunkRequest, type ChunkResult, type RaceBackend, type RaceSnapshot } from '../race/backend';
import { checkSnapshot } from '../race/engine-restore';
import type { RaceConfig, ResolvedRace, ResolvedRacer } from '../race/config';
import { initSeed, kClasses, kPixels, type RaceData } from '../race/dataset';
import { raceTrainingSet, type RaceTrainingSet } from '../race/validation-split';
import { kEvalRows } from '../race/device-fit';
import {
  kModeForward,
  kModeForwardListed,
  kModeTrain,
  kPlanColEntries,
  kPlanColStarts,
  kPlanIteration,
  kPlanMode,
  kPlanNext,
  kPlanRowEntries,
  kPlanRowStarts,
  kPlanRows,
  kRacerActive,
  kRacerLoss,
  kRacerScalars,
} from './assembly/plan-layout';
import { instantiateRaceWasm, raceWasmModule, type RaceWasmExports } from './module';
import { wasmRule } from './optimizer-rules';
import { yieldTask } from '../util/yield-task';
import { ThreadPool } from './thread-pool';
import { memoryLayout, memoryPages, nonzeroPixels, racerRecord, writePlan, type MemoryLayout, type SparseRows } from './wasm-memory';

export interface WasmBackendOptions {
  /**
   * Threads sharing the step (this one included), 1 to WasmRaceBackend.maxThreads; more than the
   * racers run as many as there are racers, since a racer is the unit of work.
   */
  threads?: number;
  /**
   * The first layer over the input's nonzero pixels only (default true): bit for bit the dense
   * products (src/wasm/assembly/sparse.ts says why); false runs the dense ones (tests compare them).
   */
  sparseInput?: boolean;
}

/** The most threads create() starts where shared memory exists (Web Workers and worker_threads alike). */
const kThreadCap = 16;

let canShare: boolean | undefined;

/** Whether this realm can share a WebAssembly.Memory between threads (a cross-origin isolated page, Node). */
export function sharedMemoryAvailable(): boolean {
  if (canShare === undefined) {
    try {
      const isolated = typeof crossOriginIsolated !== 'boolean' || crossOriginIsolated;
      canShare = isolated && new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      canShare = false;
    }
  }
  return canShare;
}

export class WasmRaceBackend implements RaceBackend {
  /** The most threads create() accepts here (1 without shared memory); callers clamp their wish to it. */
  static get maxThreads(): number {
    if (!sharedMemoryAvailable()) return 1;
    const cores = typeof navigator === 'object' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : kThreadCap;
    return Math.max(1, Math.min(kThreadCap, cores));
  }

  /** A wish (the cores offered) clamped to what create() accepts here: 1 to maxThreads. */
  static threadsFor(wish: number): number {
    return Math.max(1, Math.min(wish, WasmRaceBackend.maxThreads));
  }

  readonly kind = 'wasm' as const;
  private readonly layout: NetworkLayout;
  private readonly config: RaceConfig;
  private readonly racers: readonly ResolvedRacer[];
  private readonly fields: (readonly string[])[];
  private readonly words: Int32Array;
  private readonly floats: Float32Array;
  private readonly doubles: Float64Array;
  private readonly indices: Uint32Array;
  private readonly labels: Uint32Array;
  /** The race's training images (batches from the first trainCount, then the validationCount held out); in memory at mem.trainImages. */
  private readonly training: RaceTrainingSet;
  private steps: number[] = [];
  /** This thread's share of a step, made once (a step allocates no closure). */
  private readonly workHere = (): void => this.k.work(this.mem.plan);
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly race: ResolvedRace,
    private readonly data: RaceData,
    training: RaceTrainingSet,
    memory: WebAssembly.Memory,
    private readonly k: RaceWasmExports,
    private readonly mem: MemoryLayout,
    private readonly pool: ThreadPool | undefined,
    /** Threads that share each step (this one included). */
    readonly threads: number,
    private readonly sparseInput: boolean,
  ) {
    this.config = race.config;
    this.layout = networkLayout(this.config.sizes, { batchNorm: race.batchNorm });
    this.training = training;
    this.racers = race.racers;
    this.fields = this.racers.map((r) => wasmRule(r.spec).scalars);
    const { buffer } = memory;
    this.words = new Int32Array(buffer);
    this.floats = new Float32Array(buffer);
    this.doubles = new Float64Array(buffer);
    this.indices = new Uint32Array(buffer, mem.indices, mem.maxRows);
    this.labels = new Uint32Array(buffer, mem.labels, mem.maxRows);
    new Uint8Array(buffer).set(training.images, mem.trainImages);
    new Uint8Array(buffer).set(data.testImages, mem.testImages);
    this.sparseImages(mem.trainImages, training.trainCount + training.validationCount, mem.trainRows);
    this.sparseImages(mem.testImages, data.testCount, mem.testRows);
    this.initialise();
  }

  static async create(race: ResolvedRace, data: RaceData, options: WasmBackendOptions = {}): Promise<WasmRaceBackend> {
    const threads = options.threads ?? 1;
    const max = WasmRaceBackend.maxThreads;
    if (!Number.isInteger(threads) || threads < 1 || threads > max) {
      const why = max === 1 ? 'here: threads need shared memory (a cross-origin isolated page, or Node)' : `(at most ${max} here)`;
      throw new Error(`the WebAssembly backend runs on 1 to ${max} threads ${why}; asked for ${threads}`);
    }
    const { sizes, batchSize, seed } = race.config;
    if (sizes[0] !== kPixels || sizes[sizes.length - 1] !== kClasses) {
      throw new Error(`an MNIST network has ${kPixels} inputs and ${kClasses} outputs, got ${sizes.join('-')}`);
    }
    const training = raceTrainingSet(race, data);
    batchIndices(seed, 0, batchSize, training.trainCount); // its checks of the seed, batch and set, once
    const planned = race.racers.map((r) => ({
      rule: wasmRule(r.spec).index,
      activation: activationCode(r.activation),
      bn: r.bn,
      dropout: r.dropout,
      l2: r.l2,
    }));
    const layout = networkLayout(sizes, { batchNorm: race.batchNorm });
    const maxRows = Math.max(batchSize, Math.min(kEvalRows, data.testCount));
    // Sparse rows of every laid-out training image: the trained ones, then the held-out ones.
    const storedRows = training.trainCount + training.validationCount;
    const train = nonzeroPixels(training.images, storedRows);
    const nonzeros = { train: train.total, trainRowMax: train.rowMax, test: nonzeroPixels(data.testImages, data.testCount).total };
    const mem = memoryLayout(
      layout,
      race.racers.map((r) => r.bn),
      batchSize,
      maxRows,
      { trainImages: training.images, testImages: data.testImages, testCount: data.testCount },
      storedRows,
      nonzeros,
    );
    const pages = memoryPages(mem);
    const used = Math.min(threads, race.racers.length);
    const memory = new WebAssembly.Memory(used > 1 ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    writePlan(memory, mem, layout, seed, planned);
    const exports = await instantiateRaceWasm(memory);
    const pool = used > 1 ? await ThreadPool.create(await raceWasmModule(true), memory, mem.plan, used - 1) : undefined;
    return new WasmRaceBackend(race, data, training, memory, exports, mem, pool, used, options.sparseInput ?? true);
  }

  /** A set's sparse rows, once; the starts past its end (up to an evaluation chunk's rows) stay at its last. */
  private sparseImages(images: number, count: number, rows: SparseRows): void {
    this.k.sparseImages(images, count, kPixels, rows.starts, rows.entries);
    const starts = rows.starts / 4;
    this.words.fill(this.words[starts + count], starts + count + 1, starts + count + 1 + this.mem.maxRows);
  }

  /** The plan's sparse input for this call (0: the dense X0 only). */
  private setSparseInput(rows: SparseRows | undefined, columns: SparseRows | undefined, firstRow = 0): void {
    this.setWord(kPlanRowStarts, rows ? rows.starts + firstRow * 4 : 0);
    this.setWord(kPlanRowEntries, rows ? rows.entries : 0);
    this.setWord(kPlanColStarts, columns ? columns.starts : 0);
    this.setWord(kPlanColEntries, columns ? columns.entries : 0);
  }

  private initialise(): void {
    const { stride } = this.mem;
    const R = this.racers.length;
    const params = this.floats.subarray(this.mem.params / 4, this.mem.params / 4 + R * stride);
    params.fill(0);
    this.racers.forEach((r, i) => params.set(initParams(this.layout, r.init, initSeed(this.config.seed)), i * stride));
    for (const s of this.mem.state) this.floats.fill(0, s / 4, s / 4 + R * stride);
    // Running statistics start at zero, as the book's.
    this.floats.fill(0, this.mem.stats / 4, this.mem.stats / 4 + R * this.layout.statsPerRacer);
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
    const { labels: trainLabels, trainCount } = this.training;
    const R = this.racers.length;
    const L = this.layout.layers.length;
    const losses = new Float32Array(request.count * R);
    this.setWord(kPlanMode, kModeTrain);
    this.setWord(kPlanRows, N);
    for (let i = 0; i < request.count; i++) {
      const iteration = request.first + i;
      this.setWord(kPlanIteration, iteration);
      for (let n = 0; n < N; n++) {
        const j = batchHash(seed, iteration, n) % trainCount;
        this.indices[n] = j;
        this.labels[n] = trainLabels[j];
      }
      // X0 dense too: Xᵀ·dY falls back to it when dY is not finite.
      this.k.gather(this.mem.trainImages, trainCount, this.mem.indices, this.mem.x0, N, kPixels);
      if (this.sparseInput) {
        const { trainRows, batchRows, batchColumns } = this.mem;
        this.k.sparseBatch(trainRows.starts, trainRows.entries, trainCount, this.mem.indices, N, batchRows.starts, batchRows.entries);
        this.k.sparseTranspose(batchRows.starts, batchRows.entries, N, kPixels, batchColumns.starts, batchColumns.entries);
        this.setSparseInput(batchRows, batchColumns);
      } else this.setSparseInput(undefined, undefined);
      for (let r = 0; r < R; r++) this.writeStep(r, request.active[r]);
      this.work();
      for (let r = 0; r < R; r++) losses[i * R + r] = this.doubles[(racerRecord(this.mem, L, r) + kRacerLoss) / 8];
    }
    // Yield once per chunk so a worker stays responsive (a task, not a clamped timer).
    await yieldTask();
    return request.evaluate ? { losses, ...this.evaluate() } : { losses };
  }

  private setWord(field: number, value: number): void {
    this.words[(this.mem.plan + field) / 4] = value;
  }

  /** Racer r's active flag and, when it trains, its step scalars (the registry's float64 numbers, rounded to f32). */
  private writeStep(r: number, active: boolean): void {
    const record = racerRecord(this.mem, this.layout.layers.length, r);
    this.words[(record + kRacerActive) / 4] = active ? 1 : 0;
    if (!active) return;
    const racer = this.racers[r];
    const t = (this.steps[r] += 1);
    const step = racer.spec.step(scheduledHyperparameters(racer.hyper, racer.schedule, t, this.config.iterations), t);
    const fields = this.fields[r];
    const at = (record + kRacerScalars) / 4;
    for (let f = 0; f < fields.length; f++) this.floats[at + f] = step[fields[f]];
  }

  /** One call of work(plan) for all racers, on this thread or across the pool. */
  private work(): void {
    this.setWord(kPlanNext, 0);
    if (this.pool) this.pool.run(this.workHere);
    else this.k.work(this.mem.plan);
  }

  private evaluate(): Pick<ChunkResult, 'accuracy' | 'validation' | 'trainAccuracy' | 'predictions'> {
    const { testLabels, testCount } = this.data;
    const { labels, trainCount, validationCount } = this.training;
    const trainAccuracy = this.config.trainAccuracy ? { trainAccuracy: this.accuracyOn(this.mem.trainImages, this.mem.trainRows, labels, trainCount) } : {};
    if (validationCount > 0) {
      // The held-out rows after the trained ones; the test set is not touched.
      const rows = { starts: this.mem.trainRows.starts + trainCount * 4, entries: this.mem.trainRows.entries };
      const validation = this.accuracyOn(this.mem.trainImages + trainCount * kPixels, rows, labels.subarray(trainCount), validationCount);
      return { validation, ...trainAccuracy };
    }
    const predictions = this.racers.map(() => new Uint8Array(Math.min(kPredictedDigits, testCount)));
    const accuracy = this.accuracyOn(this.mem.testImages, this.mem.testRows, testLabels, testCount, predictions);
    return { accuracy, ...trainAccuracy, predictions };
  }

  testAccuracy(racers: readonly number[]): Promise<number[]> {
    const result = this.queue.then(() => {
      // Only the listed racers run (kModeForwardListed reads the active flags; the next step writes them again).
      const listed = new Set(racers);
      const L = this.layout.layers.length;
      for (let r = 0; r < this.racers.length; r++) this.words[(racerRecord(this.mem, L, r) + kRacerActive) / 4] = listed.has(r) ? 1 : 0;
      const accuracy = this.accuracyOn(this.mem.testImages, this.mem.testRows, this.data.testLabels, this.data.testCount, undefined, kModeForwardListed);
      return racers.map((r) => accuracy[r]);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Each racer's accuracy (evaluation mode) on the first `count` images at `images` (`sparse`: the
   * same as sparse rows); the first few predictions into `predictions`.
   */
  private accuracyOn(images: number, sparse: SparseRows, imageLabels: Uint8Array, count: number, predictions?: Uint8Array[], mode = kModeForward): number[] {
    const R = this.racers.length;
    const rows = Math.min(this.mem.maxRows, kEvalRows, count);
    const L = this.layout.layers.length;
    const correct = new Float64Array(R);
    const logits = this.floats.subarray(this.mem.acts[L - 1] / 4, this.mem.acts[L - 1] / 4 + R * rows * kClasses);
    const labels = this.labels.subarray(0, rows);
    this.setWord(kPlanMode, mode);
    this.setWord(kPlanRows, rows);
    for (let first = 0; first < count; first += rows) {
      for (let n = 0; n < rows; n++) {
        this.indices[n] = first + n;
        labels[n] = first + n < count ? imageLabels[first + n] : kNoLabel;
      }
      if (this.sparseInput) this.setSparseInput(sparse, undefined, first);
      else this.k.gather(images, count, this.mem.indices, this.mem.x0, rows, kPixels);
      this.work();
      countCorrect(logits, labels, rows, kClasses, R).forEach((c, r) => (correct[r] += c));
      if (first === 0 && predictions) predictions.forEach((p, r) => p.forEach((_, n) => (p[n] = argmax(logits, (r * rows + n) * kClasses, kClasses))));
    }
    return Array.from(correct, (c) => c / count);
  }

  async reset(): Promise<void> {
    await this.queue;
    this.initialise();
  }

  async snapshot(): Promise<RaceSnapshot> {
    await this.queue;
    const { params, state, stats } = this.racerBlocks();
    return { params: params.slice(), stats: stats.slice(), state: [state[0].slice(), state[1].slice()], steps: [...this.steps] };
  }

  async restore(snapshot: RaceSnapshot): Promise<void> {
    checkSnapshot(snapshot, this.racers.length, this.mem.stride, this.layout.statsPerRacer);
    await this.queue;
    const { params, state, stats } = this.racerBlocks();
    params.set(snapshot.params);
    stats.set(snapshot.stats);
    state.forEach((s, j) => s.set(snapshot.state[j]));
    this.steps = [...snapshot.steps];
  }

  /** Views of every racer's params, optimizer state and running statistics in the memory (stride = P). */
  private racerBlocks(): { params: Float32Array; state: Float32Array[]; stats: Float32Array } {
    const n = this.racers.length * this.mem.stride;
    const view = (at: number, count: number): Float32Array => this.floats.subarray(at / 4, at / 4 + count);
    return {
      params: view(this.mem.params, n),
      state: this.mem.state.map((s) => view(s, n)),
      stats: view(this.mem.stats, this.racers.length * this.layout.statsPerRacer),
    };
  }

  /** Ends the helper threads; the backend runs no more chunks. */
  destroy(): void {
    this.pool?.dispose();
  }
}
