/**
 * The lockstep race engine: runs a RaceConfig on a backend in chunks of iterations, keeps the
 * history (losses, accuracy checkpoints, divergence) and reports progress through listeners.
 * No DOM: it runs in the browser, in a worker and in Node alike.
 */
import type { BackendKind } from '../gpu/backend-kind';
import type { RaceBackend, ChunkRequest, ChunkResult, RaceSnapshot } from './backend';
import type { RacerJson } from '../optim/racer-json';
import type { RacerBlocks } from '../nn/state-dict';
import type { TrialDraw } from './search-race';
import { resolvedRacerJson, resolveRace, type RaceConfig, type ResolvedRace, type ResolvedRacer } from './config';
import { loadChunk } from '../util/load-chunk';

/** Loading weights and resuming checkpoints: a chunk of its own, loaded on first use. */
const restoreCode = () => loadChunk('the weights loader', () => import('./engine-restore'));

export interface AccuracyCheckpoint {
  iteration: number;
  /** With `epochs`: the epoch it opens (0-based, the book's x axis: the record after the epoch's first update). */
  epoch?: number;
  /** Accuracy on the (limited) training set, when the race measures it (`trainAccuracy`); with `validation`, on the images trained on. */
  train?: number;
  /** Accuracy on the held-out validation images, in a race with `validation` (then there is no `test`). */
  validation?: number;
  /** Accuracy on the test set; absent in a race with `validation`, which never touches it (see testBest in ./search-race.ts). */
  test?: number;
}

/** A racer's record: who it is (the racer's JSON form, src/optim/racer-json.ts, defaults filled in) and how it did. */
export interface RacerHistory extends RacerJson {
  /** One loss per completed iteration (NaN after divergence). */
  losses: number[];
  accuracy: AccuracyCheckpoint[];
  /** Iteration at which the loss first became NaN or infinite, or null. */
  diverged: number | null;
  /** Predicted labels of the first test digits at the last evaluation (none in a race with `validation`). */
  predictions: number[];
  /** In a search race: the trial this racer is (its number and drawn values); ./search-race.ts. */
  trial?: TrialDraw;
}

export type RaceStatus = 'idle' | 'running' | 'paused' | 'finished' | 'error';

export interface RaceProgress {
  iteration: number;
  iterations: number;
  /** Each racer's loss at the last completed iteration. */
  losses: number[];
  /** Iterations per second (all racers together), over the last chunks. */
  speed: number;
}

export interface RaceListener {
  progress?(progress: RaceProgress, engine: RaceEngine): void;
  /**
   * `test`: each racer's test accuracy (undefined in a race with `validation`); `train`: its
   * training accuracy, when the race measures it; `validation`: its validation accuracy, in a race
   * with `validation`.
   */
  evaluation?(iteration: number, test: number[] | undefined, engine: RaceEngine, train?: number[], validation?: number[]): void;
  diverged?(racer: number, iteration: number, engine: RaceEngine): void;
  status?(status: RaceStatus, engine: RaceEngine): void;
  error?(error: Error, engine: RaceEngine): void;
}

/** Iterations per chunk: small at first so the charts move at once, then larger to amortise. */
export const kFirstChunk = 5;
export const kMaxChunk = 50;

export class RaceEngine {
  readonly config: RaceConfig;
  readonly racers: readonly ResolvedRacer[];
  history: RacerHistory[] = [];
  status: RaceStatus = 'idle';
  error: Error | null = null;
  /** Iterations completed. */
  iteration = 0;
  private listeners = new Set<RaceListener>();
  private loop: Promise<void> | null = null;
  private stopAt = 0;
  private chunk = kFirstChunk;
  private speedWindow: { time: number; iteration: number }[] = [];
  /** Racers that start from loaded weights instead of their init (weights in), by index: applied at iteration 0 and after every reset. */
  private readonly startWeights = new Map<number, RacerBlocks>();

  /** Resolves `config` once (`trainCount`: the training set's size) and builds the backend from that resolution: the usual way to start a race. */
  static create(config: RaceConfig, build: (race: ResolvedRace) => RaceBackend, trainCount?: number): RaceEngine {
    const race = resolveRace(config, trainCount);
    return new RaceEngine(race, build(race));
  }

  /** `race` comes from resolveRace(config), once; the backend must have been built from the same. */
  constructor(
    readonly race: ResolvedRace,
    private readonly backend: RaceBackend,
  ) {
    if (backend.race.racers !== race.racers) throw new Error('the backend was built for other racers: build both from one resolveRace(config)');
    this.config = race.config;
    this.racers = race.racers;
    this.clearHistory();
  }

  get backendKind(): BackendKind {
    return this.backend.kind;
  }

  get finished(): boolean {
    return this.iteration >= this.config.iterations;
  }

  subscribe(listener: RaceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs to the configured number of iterations (from where it stands). */
  start(): Promise<void> {
    return this.runUntil(this.config.iterations);
  }

  resume(): Promise<void> {
    return this.start();
  }

  /** Stops after the chunk in flight; `resume()` continues from there. */
  pause(): void {
    if (this.status === 'running') this.stopAt = this.iteration;
  }

  /** Exactly one more iteration. */
  step(): Promise<void> {
    return this.runUntil(Math.min(this.iteration + 1, this.config.iterations));
  }

  /** Back to iteration 0 with freshly initialised networks (same seed: the same race again). */
  async reset(): Promise<void> {
    this.pause();
    await this.loop;
    await this.backend.reset();
    await this.applyStartWeights();
    this.iteration = 0;
    this.error = null;
    this.chunk = kFirstChunk;
    this.clearHistory();
    this.setStatus('idle');
  }

  /**
   * Every racer's numbers at iteration `this.iteration` (weights out, checkpoints): idle, paused or
   * finished only, so they belong to one iteration; a running race is refused (pause it first).
   */
  async snapshot(): Promise<RaceSnapshot> {
    if (this.status === 'running') throw new Error("the race is running: pause it to read its racers' weights");
    if (!this.backend.snapshot) throw new Error(`the ${this.backend.kind} engine cannot read its weights back`);
    await this.loop;
    return this.backend.snapshot();
  }

  /**
   * Racer `r` starts from `blocks` (its P params and S running statistics in the race's layout,
   * src/nn/state-dict.ts's stateDictToRacer) instead of its init, with fresh optimizer state; null
   * gives it its init back. Only before the race has taken a step; every racer's start is redone
   * (the backend's reset), so a rejected call changes nothing and the race stays at iteration 0.
   */
  async setStartWeights(r: number, blocks: RacerBlocks | null): Promise<void> {
    if (this.iteration !== 0 || this.status === 'running') throw new Error('weights load only before the race starts: reset it first');
    if (!this.backend.restore) throw new Error(`the ${this.backend.kind} engine cannot load weights`);
    (await restoreCode()).checkStartWeights(this.race, r, blocks);
    await this.loop;
    if (blocks) this.startWeights.set(r, blocks);
    else this.startWeights.delete(r);
    await this.backend.reset();
    await this.applyStartWeights();
  }

  /** Writes the loaded racers' blocks over their init (the backend just reset: optimizer state zero, step 0). */
  private async applyStartWeights(): Promise<void> {
    if (this.startWeights.size === 0 || !this.backend.snapshot || !this.backend.restore) return;
    const { withStartWeights } = await restoreCode();
    await this.backend.restore(withStartWeights(this.race, await this.backend.snapshot(), this.startWeights));
  }

  /**
   * Continues a checkpointed race (src/race/checkpoint.ts): every racer's numbers, the history and
   * the iteration. Only on a race that has not started; its next chunk begins at `iteration`
   * (0-based), so it draws the minibatches the checkpointed race would have drawn next.
   */
  async resumeFrom(checkpoint: { snapshot: RaceSnapshot; iteration: number; history: readonly RacerHistory[] }): Promise<void> {
    if (this.iteration !== 0 || this.status !== 'idle') throw new Error('a checkpoint resumes only into a race that has not started');
    if (!this.backend.restore) throw new Error(`the ${this.backend.kind} engine cannot load a checkpoint`);
    const { appendHistory, checkResume } = await restoreCode();
    checkResume(this.race, checkpoint.iteration, checkpoint.history);
    await this.backend.restore(checkpoint.snapshot);
    appendHistory(this.history, checkpoint.history);
    this.iteration = checkpoint.iteration;
    this.setStatus(this.finished ? 'finished' : 'paused');
  }

  /**
   * The listed racers' accuracy on the whole test set with their current weights, in evaluation
   * mode: a validation race's "Test the best" (testBest in ./search-race.ts). Refused while the
   * race runs (the weights would move under it).
   */
  async testAccuracy(racers: readonly number[]): Promise<number[]> {
    if (this.status === 'running') throw new Error('pause the race or let it finish before testing racers on the test set');
    const bad = racers.find((r) => !(Number.isInteger(r) && r >= 0 && r < this.racers.length));
    if (bad !== undefined) throw new Error(`no racer ${bad}: the race has racers 0 to ${this.racers.length - 1}`);
    await this.loop;
    return racers.length === 0 ? [] : this.backend.testAccuracy(racers);
  }

  /** Resolves when the current run stops (finished, paused or failed). */
  async done(): Promise<void> {
    await this.loop;
  }

  destroy(): void {
    this.pause();
    this.listeners.clear();
    this.backend.destroy();
  }

  private clearHistory(): void {
    const trials = this.race.trials;
    this.history = this.racers.map((r, k) => ({
      ...resolvedRacerJson(r),
      losses: [],
      accuracy: [],
      diverged: null,
      predictions: [],
      ...(trials ? { trial: trials[k] } : {}),
    }));
  }

  private runUntil(target: number): Promise<void> {
    if (this.status === 'error') return Promise.reject(this.error);
    this.stopAt = target;
    if (!this.loop) {
      this.loop = this.drive().finally(() => {
        this.loop = null;
      });
    }
    return this.loop;
  }

  private async drive(): Promise<void> {
    const inFlight: { request: ChunkRequest; result: Promise<ChunkResult> }[] = [];
    let queued = this.iteration;
    this.setStatus('running');
    this.speedWindow = [{ time: now(), iteration: this.iteration }];
    try {
      for (;;) {
        // Keep two chunks queued so the GPU always has work while we read the previous one.
        while (inFlight.length < 2 && queued < this.stopAt) {
          const request = this.nextChunk(queued);
          const result = this.backend.run(request);
          // Awaited in turn below; one that fails while an earlier chunk is awaited is not an unhandled rejection meanwhile.
          result.catch(() => undefined);
          inFlight.push({ request, result });
          queued += request.count;
        }
        const next = inFlight.shift();
        if (!next) break;
        this.record(next.request, await next.result);
        // A pause drops nothing: chunks already queued complete and are recorded.
      }
      this.setStatus(this.finished ? 'finished' : this.iteration > 0 ? 'paused' : 'idle');
    } catch (cause) {
      // Queued chunks are abandoned; their promises must not become unhandled rejections.
      for (const c of inFlight) c.result.catch(() => undefined);
      this.error = cause instanceof Error ? cause : new Error(String(cause));
      this.setStatus('error');
      for (const l of this.listeners) l.error?.(this.error, this);
      throw this.error;
    }
  }

  private nextChunk(first: number): ChunkRequest {
    const { iterations } = this.config;
    const nextEval = this.race.evaluations.find((e) => e > first) ?? iterations;
    const count = Math.max(1, Math.min(this.chunk, nextEval - first, this.stopAt - first));
    this.chunk = Math.min(kMaxChunk, this.chunk * 2);
    const last = first + count;
    return {
      first,
      count,
      active: this.history.map((h) => h.diverged === null),
      evaluate: this.race.evaluations.includes(last),
    };
  }

  private record(request: ChunkRequest, result: ChunkResult): void {
    const n = this.racers.length;
    for (let i = 0; i < request.count; i++) {
      const iteration = request.first + i;
      for (let r = 0; r < n; r++) {
        const h = this.history[r];
        const loss = h.diverged === null && isPossibleLoss(result.losses[i * n + r], this.racers[r].l2) ? result.losses[i * n + r] : NaN;
        h.losses.push(loss);
        if (h.diverged === null && !Number.isFinite(loss)) {
          h.diverged = iteration;
          for (const l of this.listeners) l.diverged?.(r, iteration, this);
        }
      }
    }
    this.iteration = request.first + request.count;
    if (result.accuracy || result.validation) {
      const epoch = this.config.epochs === undefined ? undefined : this.race.evaluations.indexOf(this.iteration);
      for (let r = 0; r < n; r++) {
        const train = result.trainAccuracy?.[r];
        const validation = result.validation?.[r];
        const test = result.accuracy?.[r];
        if (this.history[r].diverged === null)
          this.history[r].accuracy.push({
            iteration: this.iteration,
            ...(epoch === undefined || epoch < 0 ? {} : { epoch }),
            ...(train === undefined ? {} : { train }),
            ...(validation === undefined ? {} : { validation }),
            ...(test === undefined ? {} : { test }),
          });
        if (result.predictions) this.history[r].predictions = Array.from(result.predictions[r]);
      }
      for (const l of this.listeners) l.evaluation?.(this.iteration, result.accuracy, this, result.trainAccuracy, result.validation);
    }
    const progress: RaceProgress = {
      iteration: this.iteration,
      iterations: this.config.iterations,
      losses: this.history.map((h) => h.losses[h.losses.length - 1]),
      speed: this.measureSpeed(),
    };
    for (const l of this.listeners) l.progress?.(progress, this);
  }

  private measureSpeed(): number {
    this.speedWindow.push({ time: now(), iteration: this.iteration });
    if (this.speedWindow.length > 8) this.speedWindow.shift();
    const a = this.speedWindow[0];
    const b = this.speedWindow[this.speedWindow.length - 1];
    return b.time > a.time ? ((b.iteration - a.iteration) * 1000) / (b.time - a.time) : 0;
  }

  private setStatus(status: RaceStatus): void {
    this.status = status;
    for (const l of this.listeners) l.status?.(status, this);
  }
}

/**
 * Cross-entropy with log(p + 1e-7) lies in [-1e-7, -log(1e-7) = 16.12]. WGSL leaves NaN and
 * infinity behaviour to the implementation (SwiftShader turns an overflowed softmax into a loss of
 * about -89 instead of NaN), so a loss outside that range is divergence too.
 */
export const kMaxLoss = -Math.log(1e-7) + 1e-3;
/** With an L2 term (λ > 0) the loss has no upper bound: only its sign and finiteness are checked. */
function isPossibleLoss(loss: number, l2: number): boolean {
  return Number.isFinite(loss) && loss >= -1e-3 && (l2 > 0 || loss <= kMaxLoss);
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
