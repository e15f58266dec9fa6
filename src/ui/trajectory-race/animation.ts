/**
 * Reveals the paths one step at a time with requestAnimationFrame. `revealed` is the last step
 * shown, or null for the whole path. With prefers-reduced-motion the end state shows at once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A 30-step race takes about 2.4 s; long races are capped at ~6 s. */
const kMsPerStep = 80;
const kMaxMs = 6000;

export type AnimationState = 'idle' | 'playing' | 'paused' | 'done';

export class StepAnimation implements ReactiveController {
  revealed: number | null = null;
  state: AnimationState = 'idle';
  /** Set when the user prefers reduced motion and asked to animate. */
  reducedMotion = false;

  private total = 0;
  private frame = 0;
  /** Time origin such that (now - origin) / msPerStep is the step shown. */
  private origin = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  get msPerStep(): number {
    return Math.min(kMsPerStep, kMaxMs / Math.max(1, this.total));
  }

  play(total: number): void {
    this.cancel();
    this.total = total;
    this.reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (this.reducedMotion) {
      this.revealed = total;
      this.state = 'done';
      this.host.requestUpdate();
      return;
    }
    this.revealed = 0;
    this.state = 'playing';
    this.origin = performance.now();
    this.host.requestUpdate();
    this.tick();
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.cancel();
    this.state = 'paused';
    this.host.requestUpdate();
  }

  resume(): void {
    if (this.state !== 'paused' || this.revealed === null) return;
    this.state = 'playing';
    this.origin = performance.now() - this.revealed * this.msPerStep;
    this.host.requestUpdate();
    this.tick();
  }

  /** Step by step: shows update `step` (clamped to 0..total) and pauses there. */
  stepTo(step: number, total: number): void {
    this.cancel();
    this.total = total;
    this.revealed = Math.max(0, Math.min(total, step));
    this.state = 'paused';
    this.host.requestUpdate();
  }

  /** Back to the whole path, no animation. */
  stop(): void {
    this.cancel();
    this.revealed = null;
    this.state = 'idle';
    this.host.requestUpdate();
  }

  /** New results: keep the current step, clamped to the new length. */
  setTotal(total: number): void {
    this.total = total;
    if (this.revealed !== null && this.revealed > total) this.revealed = total;
  }

  private tick = (): void => {
    const step = Math.min(this.total, Math.floor((performance.now() - this.origin) / this.msPerStep));
    if (step !== this.revealed) {
      this.revealed = step;
      this.host.requestUpdate();
    }
    if (step >= this.total) {
      this.state = 'done';
      this.host.requestUpdate();
      return;
    }
    this.frame = requestAnimationFrame(this.tick);
  };

  private cancel(): void {
    cancelAnimationFrame(this.frame);
  }
}
