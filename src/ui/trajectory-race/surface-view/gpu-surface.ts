/**
 * <surface-view>'s WebGPU side: the SurfaceRenderer (which owns every GPU object) and the canvas
 * it presents to. On a software adapter (SwiftShader, lavapipe) headless Chromium composites no
 * WebGPU canvas (it stays transparent, and reading it back drops the WebGPU instance), so there
 * frames are rendered offscreen and handed back as pixels for the 2D canvas: still the render
 * pipeline's picture.
 */
import { isSoftwareAdapter } from '../../../gpu/adapter-kind';
import { sharedGpuDevice, withValidation } from '../../../gpu/device';
import type { Mat4 } from '../../../race2d/surface/camera';
import type { SurfaceMesh } from '../../../race2d/surface/surface-mesh';
import { SurfaceRenderer, type PathStrips } from '../../../race2d/surface/surface-renderer';
import type { SurfaceColors } from '../../../race2d/surface/surface-shading';

export interface GpuScene {
  mesh: SurfaceMesh;
  strips: PathStrips[];
  colors: SurfaceColors;
  viewProj: Mat4;
  width: number;
  height: number;
  pathWidth: number;
}

export class GpuSurface {
  private mesh: SurfaceMesh | null = null;
  private strips: PathStrips[] | null = null;
  private checked: boolean;

  private constructor(
    readonly device: GPUDevice,
    private readonly renderer: SurfaceRenderer,
    private readonly context: GPUCanvasContext | null,
    /** Frames come back as pixels (see the module comment). */
    readonly readback: boolean,
    /** Called once if the first presented frame raised a validation error. */
    private readonly onError: (error: Error) => void,
  ) {
    this.checked = readback;
  }

  /** The shared device, a renderer for `canvas` (or for read-back, `readback` or on a software adapter). */
  static async create(canvas: HTMLCanvasElement, readback: boolean, onError: (error: Error) => void): Promise<GpuSurface> {
    const device = await sharedGpuDevice();
    const offscreen = readback || isSoftwareAdapter(device.adapterInfo);
    let context: GPUCanvasContext | null = null;
    if (!offscreen) {
      context = canvas.getContext('webgpu');
      if (!context) throw new Error('the canvas has no WebGPU context');
    }
    const format = offscreen ? 'rgba8unorm' : navigator.gpu.getPreferredCanvasFormat();
    context?.configure({ device, format, alphaMode: 'opaque' });
    const renderer = await withValidation(device, () => new SurfaceRenderer(device, format));
    return new GpuSurface(device, renderer, context, offscreen, onError);
  }

  /** Presents the frame on the canvas (the first one inside a validation error scope). */
  present(scene: GpuScene): void {
    if (!this.context) throw new Error('a read-back GpuSurface has no canvas to present to');
    const first = !this.checked;
    this.checked = true;
    if (first) this.device.pushErrorScope('validation');
    try {
      this.upload(scene);
      this.renderer.render(this.context.getCurrentTexture(), scene.viewProj, scene.pathWidth);
    } finally {
      if (first)
        void this.device.popErrorScope().then(
          (error) => error && this.onError(new Error(error.message)),
          (error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))),
        );
    }
  }

  /** The frame's pixels (read-back mode). */
  async pixels(scene: GpuScene): Promise<ImageData> {
    this.upload(scene);
    return new ImageData(await this.renderer.readPixels(scene.width, scene.height, scene.viewProj, scene.pathWidth), scene.width, scene.height);
  }

  destroy(): void {
    this.renderer.destroy();
    this.context?.unconfigure();
  }

  private upload({ mesh, strips, colors }: GpuScene): void {
    if (this.mesh !== mesh) this.renderer.setMesh(mesh);
    if (this.strips !== strips) this.renderer.setPaths(strips);
    this.mesh = mesh;
    this.strips = strips;
    this.renderer.setColors(colors);
  }
}
