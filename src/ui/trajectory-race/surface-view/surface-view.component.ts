import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Function2D } from '../../../race2d/functions';
import { resolveFunction } from '../../../race2d/typed-function';
import { kDefaultCamera, viewProjection, type Camera, type Mat4 } from '../../../race2d/surface/camera';
import type { HeightScale, SurfaceMesh, View } from '../../../race2d/surface/surface-mesh';
import type { PathStrips } from '../../../race2d/surface/surface-renderer';
import type { SurfaceColors } from '../../../race2d/surface/surface-shading';
import { themeTokens } from '../../theme';
import { parseViewBox, type ViewBoxCheck } from '../view-box';
import { cameraForDrag, cameraForKey, describeCamera } from './camera-input';
import { GpuSurface, type GpuScene } from './gpu-surface';
import { paintSurface } from './canvas-painter';
import { kLevelLineWidth, kPathWidth, paintOverlay, surfaceSnapshot } from './surface-snapshot';
import { cssColorToRgb, liftPaths, surfaceMesh, themeColors, type SurfaceHead, type SurfacePath } from './surface-scene';
import { styles } from './surface-view.styles';
import { errorMessage } from '../../../util/error-message';

export type SurfaceRendererChoice = 'auto' | 'webgpu' | 'canvas';
export type SurfaceDrawnDetail = { renderer: 'webgpu' | 'canvas' };

/**
 * The surface of a 2D function in 3D with the racers' paths on it, turned by dragging or the
 * arrow keys (+ and − zoom, 0 resets). Drawn by a WebGPU render pipeline
 * (src/race2d/surface/surface-renderer.ts), or, without WebGPU or when it fails, by the same
 * camera and colours on a 2D canvas (./canvas-painter.ts). The mesh is f evaluated on the CPU in
 * float64 (the function's own f), coloured in the contour levels' bands.
 *
 * @fires surface-drawn - CustomEvent<{renderer}> after each frame, naming what drew it.
 *
 * @csspart stage - the focusable drawing area
 * @csspart controls - the row under it (reset, which renderer)
 *
 * @cssproperty --or-bg - background (and the lowest band's tint)
 * @cssproperty --or-contour - the bands' colour (the contour view's lines)
 * @cssproperty --or-muted - level lines on the surface
 * @cssproperty --or-accent - focus ring
 */
export class SurfaceView extends LitElement {
  static override styles = [themeTokens, styles];

  /** The function drawn (what <trajectory-race> races on); wins over `function`. */
  @property({ attribute: false }) fn: Function2D | null = null;

  /** A function by text when `fn` is not set: a named id (rosenbrock) or a typed f(x, y). */
  @property() function = '';

  /** The plotted window "xmin,xmax,ymin,ymax", checked as <trajectory-race>'s (../view-box.ts); default or when bad (said under it): the function's view. */
  @property({ attribute: 'view-box' }) viewBox?: string;

  /** The racers' paths: id, CSS colour, marker, points (start first). */
  @property({ attribute: false }) paths: SurfacePath[] = [];

  /** The last step shown (step-by-step animation); null shows whole paths. */
  @property({ type: Number }) step: number | null = null;

  /** f to height: "linear", "log" (log-compressed, for ranges like Rosenbrock's) or "auto" (log when f spans orders of magnitude). */
  @property({ attribute: 'height-scale', reflect: true }) heightScale: HeightScale = 'auto';

  /** "auto" (WebGPU, the canvas without it), "webgpu" (the same, named) or "canvas" (always the 2D canvas). */
  @property({ reflect: true }) renderer: SurfaceRendererChoice = 'auto';

  /** The camera: yaw and pitch in radians, zoom (1 by default). */
  @property({ attribute: false }) camera: Camera = { ...kDefaultCamera };

  /** What drew the last frame, or null before the first. */
  @state() drawnWith: 'webgpu' | 'canvas' | null = null;
  @state() private gpuProblem: string | null = null;
  @state() private dragging = false;
  /** This browser shows no WebGPU canvas: frames are read back (./gpu-surface.ts). */
  @state() private readback = false;

  @query('canvas.gpu') private gpuCanvas!: HTMLCanvasElement | null;
  @query('canvas.paint') private paintCanvas!: HTMLCanvasElement;
  @query('.stage') private stage!: HTMLElement;

  private resolved: { fn: Function2D | null; error: string | null } = { fn: null, error: null };
  private box: ViewBoxCheck | null = null;
  private mesh: SurfaceMesh | null = null;
  private lifted: { strips: PathStrips[]; heads: SurfaceHead[] } = { strips: [], heads: [] };
  private gpu: GpuSurface | null = null;
  /** A read-back frame is in flight; another was asked for meanwhile. */
  private reading = false;
  private readAgain = false;
  private gpuStarting = false;
  private frame = 0;
  private lastPointer: { x: number; y: number } | null = null;
  private readonly resizeObserver = new ResizeObserver(() => this.requestFrame());

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.resizeObserver.observe(this.stage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.releaseGpu();
  }

  /** This view as a picture at `size` device pixels, paths up to `step` (null: whole), seen from `camera` (./surface-snapshot.ts; exports). */
  snapshot(size: { width: number; height: number; ratio: number }, step: number | null, camera: Camera, canvas?: HTMLCanvasElement): HTMLCanvasElement | null {
    return surfaceSnapshot(this, size, step, camera, canvas);
  }

  /** Back to the default camera. */
  resetCamera(): void {
    this.camera = { ...kDefaultCamera };
  }

  protected override firstUpdated(): void {
    this.resizeObserver.observe(this.stage);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('fn') || changed.has('function')) {
      if (this.fn) this.resolved = { fn: this.fn, error: null };
      else if (!this.function) this.resolved = { fn: null, error: null };
      else {
        try {
          this.resolved = { fn: resolveFunction(this.function), error: null };
        } catch (error) {
          this.resolved = { fn: null, error: errorMessage(error) };
        }
      }
    }
    if (changed.has('viewBox')) this.box = this.viewBox ? parseViewBox(this.viewBox) : null;
    const fn = this.resolved.fn;
    if (['fn', 'function', 'viewBox', 'heightScale'].some((key) => changed.has(key as keyof SurfaceView)))
      this.mesh = fn ? surfaceMesh(fn, this.view(fn), this.heightScale) : null;
    if (['fn', 'function', 'viewBox', 'heightScale', 'paths', 'step'].some((key) => changed.has(key as keyof SurfaceView)))
      this.lifted = fn && this.mesh ? liftPaths(fn, this.mesh, this.paths, this.step, cssColorToRgb) : { strips: [], heads: [] };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!(changed.size === 1 && changed.has('drawnWith'))) this.requestFrame();
  }

  private view(fn: Function2D): View {
    return this.box?.view ?? fn.view;
  }

  protected override render(): TemplateResult {
    const fn = this.resolved.fn;
    const view = fn ? this.view(fn) : null;
    const where = view ? ` over x from ${view.x[0]} to ${view.x[1]}, y from ${view.y[0]} to ${view.y[1]}` : '';
    const paths = this.paths.length ? `, with ${this.paths.length} path${this.paths.length > 1 ? 's' : ''} on it` : '';
    const label = fn
      ? `3D surface of ${fn.formula}${where}${paths}, ${describeCamera(this.camera)}. Drag or use the arrow keys to rotate, plus and minus to zoom, 0 to reset.`
      : '3D surface view: no function';
    const useGpu = this.renderer !== 'canvas' && this.gpuProblem === null && !this.readback;
    return html`
      <div class="frame">
        <div class="stage ${this.dragging ? 'dragging' : ''}" part="stage" tabindex="0" role="application" aria-roledescription="3D plot"
          aria-label=${label} data-renderer=${this.drawnWith ?? nothing}
          @keydown=${this.onKey} @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove}
          @pointerup=${this.onPointerUp} @pointercancel=${this.onPointerUp}>
          <canvas class="gpu" ?hidden=${!useGpu}></canvas>
          <canvas class="paint"></canvas>
        </div>
        <div class="controls" part="controls">
          <button type="button" @click=${() => this.resetCamera()}>Reset view</button>
          <span class="renderer">${this.drawnWith === 'webgpu' ? 'Drawn with WebGPU' : this.drawnWith === 'canvas' ? 'Drawn on a 2D canvas' : ''}</span>
        </div>
        ${this.resolved.error ? html`<p class="note" role="alert">${this.resolved.error}</p>` : nothing}
        ${this.box?.error ? html`<p class="note" role="alert">${this.box.error}; showing the function's own view.</p>` : nothing}
        ${this.gpuProblem && this.renderer !== 'canvas' ? html`<p class="note" role="status">WebGPU could not draw the surface (${this.gpuProblem}); it is drawn on a 2D canvas instead.</p>` : nothing}
      </div>`;
  }

  private onKey = (event: KeyboardEvent): void => {
    const next = cameraForKey(this.camera, event.key, event.shiftKey);
    if (!next) return;
    event.preventDefault();
    this.camera = next;
  };

  private onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    this.stage.setPointerCapture(event.pointerId);
    this.lastPointer = { x: event.clientX, y: event.clientY };
    this.dragging = true;
  };

  private onPointerMove = (event: PointerEvent): void => {
    if (!this.lastPointer) return;
    this.camera = cameraForDrag(this.camera, event.clientX - this.lastPointer.x, event.clientY - this.lastPointer.y);
    this.lastPointer = { x: event.clientX, y: event.clientY };
  };

  private onPointerUp = (event: PointerEvent): void => {
    if (this.stage.hasPointerCapture(event.pointerId)) this.stage.releasePointerCapture(event.pointerId);
    this.lastPointer = null;
    this.dragging = false;
  };

  /** One draw per animation frame, however many properties changed. */
  private requestFrame(): void {
    if (this.frame || !this.isConnected) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const mesh = this.mesh;
    const paint = this.paintCanvas;
    if (!paint) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.stage.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.stage.clientHeight * ratio));
    for (const canvas of [paint, this.gpuCanvas]) {
      if (canvas && (canvas.width !== width || canvas.height !== height)) [canvas.width, canvas.height] = [width, height];
    }
    const ctx = paint.getContext('2d');
    if (!ctx) return;
    if (!mesh) {
      ctx.clearRect(0, 0, width, height);
      return;
    }
    const colors = themeColors(this);
    const viewProj = viewProjection(this.camera, width / height);
    let drawnWith: 'webgpu' | 'canvas' = 'canvas';
    if (this.renderer !== 'canvas' && this.gpuProblem === null) {
      const gpu = this.gpu;
      if (!gpu) {
        this.startGpu();
        return;
      }
      const scene = { mesh, strips: this.lifted.strips, colors, viewProj, width, height, pathWidth: kPathWidth * ratio };
      // Read-back frames arrive later; the 2D canvas keeps the last one meanwhile.
      if (gpu.readback) {
        void this.drawReadback(gpu, scene);
        return;
      }
      try {
        gpu.present(scene);
        drawnWith = 'webgpu';
      } catch (error) {
        this.failGpu(error);
      }
    }
    ctx.clearRect(0, 0, width, height);
    if (drawnWith === 'canvas')
      paintSurface(ctx, {
        mesh,
        paths: this.lifted.strips,
        colors,
        viewProj,
        width,
        height,
        pathWidth: kPathWidth * ratio,
        lineWidth: kLevelLineWidth * ratio,
      });
    this.finishFrame(ctx, colors, viewProj, width, height, ratio, drawnWith);
  }

  private finishFrame(
    ctx: CanvasRenderingContext2D,
    colors: SurfaceColors,
    viewProj: Mat4,
    width: number,
    height: number,
    ratio: number,
    drawnWith: 'webgpu' | 'canvas',
  ): void {
    paintOverlay(ctx, this.lifted.heads, this.mesh, { colors, viewProj, width, height, ratio });
    this.drawnWith = drawnWith;
    this.dispatchEvent(new CustomEvent<SurfaceDrawnDetail>('surface-drawn', { detail: { renderer: drawnWith }, bubbles: true, composed: true }));
  }

  private async drawReadback(gpu: GpuSurface, scene: GpuScene): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      const image = await gpu.pixels(scene);
      const ctx = this.paintCanvas?.getContext('2d');
      if (!ctx || this.gpu !== gpu || this.paintCanvas.width !== scene.width || this.paintCanvas.height !== scene.height) return this.requestFrame();
      ctx.putImageData(image, 0, 0);
      this.finishFrame(ctx, scene.colors, scene.viewProj, scene.width, scene.height, window.devicePixelRatio || 1, 'webgpu');
    } catch (error) {
      this.failGpu(error);
      this.requestFrame();
    } finally {
      this.reading = false;
      if (this.readAgain) {
        this.readAgain = false;
        this.requestFrame();
      }
    }
  }

  private startGpu(): void {
    if (this.gpuStarting || !this.gpuCanvas) return;
    this.gpuStarting = true;
    const onError = (error: Error): void => {
      this.failGpu(error);
      this.requestFrame();
    };
    GpuSurface.create(this.gpuCanvas, this.readback, onError)
      .then((gpu) => {
        if (!this.isConnected) return gpu.destroy();
        this.gpu = gpu;
        this.readback = gpu.readback;
        void gpu.device.lost.then(() => {
          if (this.gpu !== gpu) return;
          this.gpu = null;
          this.requestFrame();
        });
      })
      .catch((error: unknown) => this.failGpu(error))
      .finally(() => {
        this.gpuStarting = false;
        this.requestFrame();
      });
  }

  private failGpu(error: unknown): void {
    this.releaseGpu();
    this.gpuProblem = errorMessage(error);
  }

  private releaseGpu(): void {
    this.gpu?.destroy();
    this.gpu = null;
  }
}
