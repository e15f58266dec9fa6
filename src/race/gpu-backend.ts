/**
 * The race on WebGPU. Every racer's parameters, gradients and optimizer state live in shared
 * buffers (src/nn/layout.ts); the training images (the first `raceTrainCount` of the set) and the
 * test images live on the GPU as uint8. A chunk of iterations is encoded into ONE compute pass and
 * ONE submit:
 *
 *   per iteration: gather (1) + training forward (L) + loss (1) + backward (2L - 1) + optimizer
 *   (1 per optimizer present, whatever the number of racers) + evaluation forward (L) + loss (1),
 *   the second forward measuring the loss after the update, in evaluation mode, as the book's
 *   trainer records it. Chapter 6's racer options (src/nn/network.ts) add, when some racer uses
 *   them: bn 3 per hidden layer (a batch-norm pass in each forward and in the backward), l2 1
 *   (the loss term; its gradient is fused), dropout none (fused). `stats.iterationDispatches`
 *   counts them.
 *
 * Losses accumulate in a GPU buffer and are copied to a mappable buffer once per chunk, so the
 * CPU never waits inside a step; the engine keeps two chunks in flight.
 */
import { deviceLostState, DeviceLostError, type DeviceLostState } from '../gpu/device-lost';
import { mapForReading } from '../gpu/map-pump';
import { GpuNetwork, IterationRing, MlpPasses, uploadImageSet, type GpuImageSet, type PassBinding } from '../nn/gpu-passes';
import { networkLayout, type NetworkLayout } from '../nn/layout';
import { initParams } from '../nn/model';
import { OptimizerPipelines, OptimizerSteps } from '../optim/optimizer-pipelines';
import { scheduledHyperparameters } from '../optim/schedule';
import type { ChunkRequest, ChunkResult, RaceBackend, RaceSnapshot } from './backend';
import type { RaceConfig, ResolvedRace, ResolvedRacer } from './config';
import { initSeed, kClasses, kPixels, type RaceData } from './dataset';
import { raceTrainingSet } from './validation-split';
import { assertRaceFitsDevice, kEvalRows } from './device-fit';
import { ChunkReadback } from './gpu-readback';
import { kMaxChunk } from './engine';
import { loadChunk } from '../util/load-chunk';

/** Counters for the benchmark: what one chunk cost on the CPU side. */
export interface GpuBackendStats {
  dispatches: number;
  /** Dispatches of one training iteration (the last encoded; the optimizer's vary with the racers still stepping). */
  iterationDispatches: number;
  submits: number;
  iterations: number;
  /** Milliseconds spent encoding and submitting (CPU time). */
  encodeMs: number;
}

/** Pipelines shared by every race on one device (compile once per page). */
export class RacePipelines {
  readonly mlp: MlpPasses;
  readonly optimizers: OptimizerPipelines;
  constructor(readonly device: GPUDevice) {
    this.mlp = new MlpPasses(device);
    this.optimizers = new OptimizerPipelines(device, 256);
  }
}

export class GpuRaceBackend implements RaceBackend {
  readonly kind = 'webgpu' as const;
  readonly stats: GpuBackendStats = { dispatches: 0, iterationDispatches: 0, submits: 0, iterations: 0, encodeMs: 0 };
  private readonly device: GPUDevice;
  private readonly layout: NetworkLayout;
  private readonly racers: readonly ResolvedRacer[];
  private readonly config: RaceConfig;
  private readonly buffers: { params: GPUBuffer; grads: GPUBuffer; stateA: GPUBuffer; stateB: GPUBuffer };
  /** R x layout.statsPerRacer: batch norm's running statistics (zero at the start), when some racer uses bn. */
  private readonly running?: GPUBuffer;
  private readonly train: { set: GpuImageSet; X0: GPUBuffer; labels: GPUBuffer; losses: GPUBuffer; correct: GPUBuffer; net: GpuNetwork; gather: PassBinding };
  /**
   * The evaluation network, for the held-out set (correct counts in row 0: the test set, or in a
   * race with `validation` the validation images) and, with `trainAccuracy`, the training images (row 1).
   */
  private readonly test: { set: GpuImageSet; X0: GPUBuffer; labels: GPUBuffer; correct: GPUBuffer; net: GpuNetwork; gather: PassBinding; batches: number };
  /** In a race with `validation`: the test set, measured only by testAccuracy ("Test the best"), and its ring slots. */
  private readonly testSet?: { set: GpuImageSet; gather: PassBinding; firstSlot: number; batches: number };
  private readonly trainEvaluation?: { gather: PassBinding; batches: number };
  private readonly ring: IterationRing;
  private readonly optimizerSteps: OptimizerSteps;
  private readonly optimizerGroup: GPUBindGroup;
  private readonly readback: ChunkReadback;
  private readonly steps: number[];
  private readonly testCount: number;
  /** Shared by everything on the device: a closure of our own on device.lost would keep this backend alive as long as the device. */
  private readonly deviceLost: DeviceLostState;
  private destroyed = false;

  constructor(
    private readonly pipelines: RacePipelines,
    readonly race: ResolvedRace,
    data: RaceData,
  ) {
    const device = (this.device = pipelines.device);
    const config = (this.config = race.config);
    const training = raceTrainingSet(race, data);
    const { trainCount, validationCount } = training;
    // The set each evaluation measures: the validation images (never the test set) or the test set.
    const heldOut =
      validationCount > 0
        ? { images: training.images.subarray(trainCount * kPixels), labels: training.labels.subarray(trainCount), count: validationCount }
        : { images: data.testImages, labels: data.testLabels, count: data.testCount };
    // Before any buffer: a sweep too large for this GPU gets a message, not a validation error.
    assertRaceFitsDevice(
      { sizes: config.sizes, racers: race.racers.length, batchSize: config.batchSize, trainCount, testCount: data.testCount, batchNorm: race.batchNorm },
      device.limits,
    );
    this.layout = networkLayout(config.sizes, { batchNorm: race.batchNorm });
    if (config.sizes[0] !== kPixels || config.sizes[config.sizes.length - 1] !== kClasses) {
      throw new Error(`an MNIST network has ${kPixels} inputs and ${kClasses} outputs, got ${config.sizes.join('-')}`);
    }
    this.racers = race.racers;
    this.testCount = data.testCount;
    this.steps = this.racers.map(() => 0);
    this.deviceLost = deviceLostState(device);
    const R = this.racers.length;
    const P = this.layout.paramsPerRacer;
    const N = config.batchSize;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = (label: string, bytes: number): GPUBuffer => device.createBuffer({ label: `Race.${label}`, size: Math.max(4, bytes), usage });
    this.buffers = {
      params: buffer('params', 4 * R * P),
      grads: buffer('grads', 4 * R * P),
      stateA: buffer('stateA', 4 * R * P),
      stateB: buffer('stateB', 4 * R * P),
    };
    if (race.batchNorm) this.running = buffer('running', 4 * R * this.layout.statsPerRacer);

    const evalRows = Math.min(kEvalRows, heldOut.count);
    const testBatches = Math.ceil(heldOut.count / evalRows);
    const trainBatches = config.trainAccuracy ? Math.ceil(trainCount / evalRows) : 0;
    const laterTestBatches = validationCount > 0 ? Math.ceil(data.testCount / evalRows) : 0;
    // Slots: kMaxChunk training iterations, one per held-out batch, one per batch of the training images' evaluation, then (validation) one per test batch.
    const laterTestSlot = kMaxChunk + testBatches + trainBatches;
    this.ring = new IterationRing(device, laterTestSlot + laterTestBatches, 'Race.iterations');
    for (let b = 0; b < testBatches; b++) this.ring.set(kMaxChunk + b, { first: b * evalRows, slot: 0 });
    for (let b = 0; b < trainBatches; b++) this.ring.set(kMaxChunk + testBatches + b, { first: b * evalRows, slot: 1 });
    for (let b = 0; b < laterTestBatches; b++) this.ring.set(laterTestSlot + b, { first: b * evalRows, slot: 0 });
    this.optimizerSteps = new OptimizerSteps(
      device,
      this.racers.map((r) => r.spec.id),
      kMaxChunk,
      'Race.optimizer',
    );
    this.optimizerGroup = pipelines.optimizers.bindGroup(this.buffers, this.optimizerSteps, 'Race.optimizerBindGroup');
    const activations = this.racers.map((r) => r.activation);
    // Chapter 6's options per racer; a race of plain racers records exactly the plain passes.
    const regularization = { racers: this.racers, seed: config.seed, running: this.running };

    const trainImages = training.images.subarray(0, trainCount * kPixels);
    const trainSet = uploadImageSet(device, trainImages, training.labels.subarray(0, trainCount), kPixels, 'Race.train');
    const trainX0 = buffer('train.X0', 4 * N * kPixels);
    const trainLabels = buffer('train.labels', 4 * N);
    const losses = buffer('train.losses', 4 * kMaxChunk * R);
    const trainCorrect = buffer('train.correct', 4 * kMaxChunk * R);
    this.train = {
      set: trainSet,
      X0: trainX0,
      labels: trainLabels,
      losses,
      correct: trainCorrect,
      gather: pipelines.mlp.gather.bindGroup(
        { set: trainSet, X0: trainX0, labels: trainLabels, ring: this.ring },
        { rows: N, seed: config.seed, sequential: false },
        'Race.train.gather',
      ),
      net: new GpuNetwork(pipelines.mlp, {
        layout: this.layout,
        rows: N,
        activations,
        params: this.buffers.params,
        X0: trainX0,
        labels: trainLabels,
        results: { losses, correct: trainCorrect, slots: kMaxChunk, ring: this.ring },
        grads: this.buffers.grads,
        regularization,
        label: 'Race.train',
      }),
    };
    const testSet = uploadImageSet(device, heldOut.images, heldOut.labels, kPixels, validationCount > 0 ? 'Race.validation' : 'Race.test');
    const testX0 = buffer('test.X0', 4 * evalRows * kPixels);
    const testLabels = buffer('test.labels', 4 * evalRows);
    const correctRows = config.trainAccuracy ? 2 : 1;
    const testCorrect = buffer('test.correct', 4 * correctRows * R);
    this.test = {
      set: testSet,
      X0: testX0,
      labels: testLabels,
      correct: testCorrect,
      batches: testBatches,
      gather: pipelines.mlp.gather.bindGroup(
        { set: testSet, X0: testX0, labels: testLabels, ring: this.ring },
        { rows: evalRows, seed: 0, sequential: true },
        'Race.test.gather',
      ),
      net: new GpuNetwork(pipelines.mlp, {
        layout: this.layout,
        rows: evalRows,
        activations,
        params: this.buffers.params,
        X0: testX0,
        labels: testLabels,
        results: { correct: testCorrect, slots: correctRows, ring: this.ring },
        regularization,
        label: 'Race.test',
      }),
    };
    if (config.trainAccuracy) {
      // The training images through the evaluation network: its batch buffers, a sequential gather.
      const gather = pipelines.mlp.gather.bindGroup(
        { set: trainSet, X0: testX0, labels: testLabels, ring: this.ring },
        { rows: evalRows, seed: 0, sequential: true },
        'Race.trainEvaluation.gather',
      );
      this.trainEvaluation = { gather, batches: trainBatches };
    }
    if (laterTestBatches > 0) {
      const set = uploadImageSet(device, data.testImages, data.testLabels, kPixels, 'Race.test');
      const gather = pipelines.mlp.gather.bindGroup(
        { set, X0: testX0, labels: testLabels, ring: this.ring },
        { rows: evalRows, seed: 0, sequential: true },
        'Race.test.gather',
      );
      this.testSet = { set, gather, firstSlot: laterTestSlot, batches: laterTestBatches };
    }
    this.readback = new ChunkReadback(device, {
      racers: R,
      heldOutCount: heldOut.count,
      validation: validationCount > 0,
      trainCount,
      trainAccuracy: config.trainAccuracy === true,
    });
    this.initialise();
  }

  private initialise(): void {
    const P = this.layout.paramsPerRacer;
    const R = this.racers.length;
    const params = new Float32Array(R * P);
    this.racers.forEach((r, i) => params.set(initParams(this.layout, r.init, initSeed(this.config.seed)), i * P));
    const q = this.device.queue;
    q.writeBuffer(this.buffers.params, 0, params);
    const zeros = new Float32Array(R * P);
    q.writeBuffer(this.buffers.stateA, 0, zeros);
    q.writeBuffer(this.buffers.stateB, 0, zeros);
    if (this.running) q.writeBuffer(this.running, 0, new Float32Array(R * this.layout.statsPerRacer));
    this.steps.fill(0);
  }

  private get lost(): GPUDeviceLostInfo | null {
    return this.deviceLost.info;
  }

  async run(request: ChunkRequest): Promise<ChunkResult> {
    if (this.destroyed) throw new Error('this race was destroyed');
    if (this.lost) throw lostError(this.lost);
    if (request.count > kMaxChunk) throw new Error(`a chunk holds at most ${kMaxChunk} iterations, got ${request.count}`);
    const started = now();
    const P = this.layout.paramsPerRacer;
    const { train, test, pipelines, config } = this;
    let dispatches = 0;

    this.optimizerSteps.setActive(request.active);
    for (let i = 0; i < request.count; i++) {
      this.ring.set(i, { iteration: request.first + i, slot: i });
      this.racers.forEach((r, k) => {
        if (!request.active[k]) return;
        // The racer's own step count (a diverged racer stops stepping); its schedule runs over the race's iterations.
        const t = ++this.steps[k];
        this.optimizerSteps.set(i, k, r.spec, scheduledHyperparameters(r.hyper, r.schedule, t, config.iterations), t, k * P, P);
      });
    }
    this.ring.flush(0, request.evaluate ? this.ring.slots : request.count);
    this.optimizerSteps.flush(0, request.count);

    const encoder = this.device.createCommandEncoder({ label: `Race.chunk${request.first}` });
    const pass = encoder.beginComputePass({ label: 'Race.train' });
    for (let i = 0; i < request.count; i++) {
      pipelines.mlp.gather.encode(pass, train.gather, [this.ring.offset(i)]);
      let step = 1;
      step += train.net.encodeForward(pass, 'train', i);
      step += train.net.encodeLoss(pass, i);
      step += train.net.encodeBackward(pass, i);
      step += pipelines.optimizers.encode(pass, this.optimizerGroup, this.optimizerSteps, i, P);
      // The recorded loss: on the same batch after the update, in evaluation mode, the L2 term included (the book's trainer).
      step += train.net.encodeForward(pass, 'eval', i);
      step += train.net.encodeLoss(pass, i);
      step += train.net.encodeL2Loss(pass, i);
      dispatches += step;
      this.stats.iterationDispatches = step;
    }
    pass.end();
    const staging = this.readback.acquire();
    this.readback.copyLosses(encoder, train.losses, staging, request.count);
    if (request.evaluate) {
      encoder.clearBuffer(test.correct);
      const evalPass = encoder.beginComputePass({ label: 'Race.evaluate' });
      const evaluate = (gather: PassBinding, slot: number): void => {
        pipelines.mlp.gather.encode(evalPass, gather, [this.ring.offset(slot)]);
        dispatches += 1 + test.net.encodeForward(evalPass, 'eval', slot) + test.net.encodeAccuracy(evalPass, slot);
      };
      const trainEvaluation = this.trainEvaluation;
      if (trainEvaluation) for (let b = 0; b < trainEvaluation.batches; b++) evaluate(trainEvaluation.gather, kMaxChunk + test.batches + b);
      // Backwards, and last, so the logits left in the buffer are those of the first test digits.
      for (let b = test.batches - 1; b >= 0; b--) evaluate(test.gather, kMaxChunk + b);
      evalPass.end();
      this.readback.copyEvaluation(encoder, test.correct, test.net.acts[test.net.acts.length - 1], staging);
    }
    this.device.queue.submit([encoder.finish()]);
    this.stats.encodeMs += now() - started;
    this.stats.dispatches += dispatches;
    this.stats.submits += 1;
    this.stats.iterations += request.count;

    try {
      return await this.readback.read(staging, mapForReading(this.device, staging), request.count, request.evaluate);
    } catch (cause) {
      if (this.lost) throw lostError(this.lost);
      throw cause;
    }
  }

  /**
   * The listed racers' test accuracy: every racer's evaluation over the test set (one dispatch
   * serves them all, as in a chunk), read back for the listed ones. In a race without validation
   * the test set is the held-out one.
   */
  async testAccuracy(racers: readonly number[]): Promise<number[]> {
    if (this.destroyed) throw new Error('this race was destroyed');
    if (this.lost) throw lostError(this.lost);
    const { test, pipelines } = this;
    const source = this.testSet ?? { gather: test.gather, firstSlot: kMaxChunk, batches: test.batches };
    const R = this.racers.length;
    const encoder = this.device.createCommandEncoder({ label: 'Race.testAccuracy' });
    encoder.clearBuffer(test.correct);
    const pass = encoder.beginComputePass({ label: 'Race.testAccuracy' });
    for (let b = 0; b < source.batches; b++) {
      pipelines.mlp.gather.encode(pass, source.gather, [this.ring.offset(source.firstSlot + b)]);
      test.net.encodeForward(pass, 'eval', source.firstSlot + b);
      test.net.encodeAccuracy(pass, source.firstSlot + b);
    }
    pass.end();
    const staging = this.device.createBuffer({ label: 'Race.testAccuracy.readback', size: 4 * R, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.copyBufferToBuffer(test.correct, 0, staging, 0, 4 * R);
    this.device.queue.submit([encoder.finish()]);
    try {
      await mapForReading(this.device, staging);
      const correct = new Uint32Array(staging.getMappedRange().slice(0));
      return racers.map((r) => correct[r] / this.testCount);
    } catch (cause) {
      if (this.lost) throw lostError(this.lost);
      throw cause;
    } finally {
      staging.destroy();
    }
  }

  async reset(): Promise<void> {
    this.initialise();
  }

  /** Params, both state buffers and the running statistics, read after the chunks submitted so far (./gpu-snapshot.ts, loaded on first use). */
  async snapshot(): Promise<RaceSnapshot> {
    if (this.destroyed) throw new Error('this race was destroyed');
    if (this.lost) throw lostError(this.lost);
    const { readGpuSnapshot } = await loadChunk('the GPU weights reader', () => import('./gpu-snapshot'));
    try {
      return { ...(await readGpuSnapshot(this.device, this.snapshotBuffers(), this.racers.length, this.layout)), steps: [...this.steps] };
    } catch (cause) {
      if (this.lost) throw lostError(this.lost);
      throw cause;
    }
  }

  async restore(snapshot: RaceSnapshot): Promise<void> {
    if (this.destroyed) throw new Error('this race was destroyed');
    const { writeGpuSnapshot } = await loadChunk('the GPU weights reader', () => import('./gpu-snapshot'));
    writeGpuSnapshot(this.device.queue, this.snapshotBuffers(), snapshot, this.racers.length, this.layout);
    snapshot.steps.forEach((t, r) => (this.steps[r] = t));
  }

  /** What a snapshot holds, in its order: params, stateA, stateB, then the running statistics (a race with bn). */
  private snapshotBuffers(): GPUBuffer[] {
    const { params, stateA, stateB } = this.buffers;
    return [params, stateA, stateB, ...(this.running ? [this.running] : [])];
  }

  /** Frees every buffer; the read-back buffers of chunks in flight go when their maps settle (run() destroys them). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.train.net.destroy();
    this.test.net.destroy();
    this.train.gather.destroy();
    this.test.gather.destroy();
    this.trainEvaluation?.gather.destroy();
    this.testSet?.gather.destroy();
    if (this.testSet) for (const b of [this.testSet.set.images, this.testSet.set.labels]) b.destroy();
    for (const b of [
      ...Object.values(this.buffers),
      ...(this.running ? [this.running] : []),
      this.train.X0,
      this.train.labels,
      this.train.losses,
      this.train.correct,
      this.test.X0,
      this.test.labels,
      this.test.correct,
      this.train.set.images,
      this.train.set.labels,
      this.test.set.images,
      this.test.set.labels,
    ])
      b.destroy();
    this.ring.destroy();
    this.optimizerSteps.destroy();
    this.readback.destroy();
  }
}

function lostError(info: GPUDeviceLostInfo): DeviceLostError {
  return new DeviceLostError(info);
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
