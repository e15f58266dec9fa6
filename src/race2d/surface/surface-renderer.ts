/**
 * Draws the 3D view with WebGPU: one render pass, the surface mesh (a triangle list, depth-tested)
 * then the paths (screen-space quads, one instance per segment), 4× multisampled and resolved
 * into the target texture (a canvas's current texture, or any texture in tests and Node).
 * The component that shows it owns no GPU object: it gives this class data and a target.
 *
 * Shaders: shaders/surface3d/scene.wgsl (the uniforms) joined in front of surface.wgsl and
 * path-lines.wgsl.
 */
import sceneWgsl from '../../../shaders/surface3d/scene.wgsl?raw';
import surfaceWgsl from '../../../shaders/surface3d/surface.wgsl?raw';
import pathLinesWgsl from '../../../shaders/surface3d/path-lines.wgsl?raw';
import { createBuffer } from '../../gpu/buffers';
import { kLightDirection, type Mat4, type Vec3 } from './camera';
import { kAmbient, type Rgb, type SurfaceColors } from './surface-shading';
import type { SurfaceMesh } from './surface-mesh';

/** A racer's lifted path: polylines in scene coordinates, drawn in `color` (rgb 0..1). */
export interface PathStrips {
  color: Rgb;
  strips: Vec3[][];
}

const kSampleCount = 4;
const kDepthFormat: GPUTextureFormat = 'depth24plus';
/** Scene uniforms: mat4 + 5 vec4 (shaders/surface3d/scene.wgsl). */
const kSceneFloats = 16 + 5 * 4;
/** Per path segment: a (3), b (3), colour (4). */
const kSegmentFloats = 10;

export class SurfaceRenderer {
  private readonly sceneBuffer: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private readonly surfacePipeline: GPURenderPipeline;
  private readonly pathPipeline: GPURenderPipeline;
  private vertexBuffer: GPUBuffer | null = null;
  private indexBuffer: GPUBuffer | null = null;
  private indexCount = 0;
  private levelCount = 0;
  private segmentBuffer: GPUBuffer | null = null;
  private segmentCount = 0;
  private colors: SurfaceColors = { low: [1, 1, 1], high: [0.6, 0.64, 0.7], line: [0.36, 0.4, 0.46], background: [1, 1, 1] };
  private targets: { width: number; height: number; color: GPUTexture; depth: GPUTexture } | null = null;

  constructor(
    private readonly device: GPUDevice,
    /** The target texture's format (navigator.gpu.getPreferredCanvasFormat() for a canvas). */
    readonly format: GPUTextureFormat,
  ) {
    this.sceneBuffer = device.createBuffer({ label: 'SurfaceRenderer.scene', size: kSceneFloats * 4, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const layout = device.createBindGroupLayout({
      label: 'SurfaceRenderer.bindGroupLayout',
      entries: [{ binding: 0, visibility: GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } }],
    });
    this.bindGroup = device.createBindGroup({ label: 'SurfaceRenderer.bindGroup', layout, entries: [{ binding: 0, resource: { buffer: this.sceneBuffer } }] });
    const pipelineLayout = device.createPipelineLayout({ label: 'SurfaceRenderer.pipelineLayout', bindGroupLayouts: [layout] });
    const common = {
      layout: pipelineLayout,
      primitive: { topology: 'triangle-list', cullMode: 'none' },
      depthStencil: { format: kDepthFormat, depthWriteEnabled: true, depthCompare: 'less-equal' },
      multisample: { count: kSampleCount },
    } as const;
    const surfaceModule = device.createShaderModule({ label: 'SurfaceRenderer.surface', code: `${sceneWgsl}\n${surfaceWgsl}` });
    this.surfacePipeline = device.createRenderPipeline({
      ...common,
      label: 'SurfaceRenderer.surfacePipeline',
      vertex: {
        module: surfaceModule,
        entryPoint: 'vs',
        buffers: [
          {
            arrayStride: 16,
            attributes: [
              { shaderLocation: 0, offset: 0, format: 'float32x3' },
              { shaderLocation: 1, offset: 12, format: 'float32' },
            ],
          },
        ],
      },
      fragment: { module: surfaceModule, entryPoint: 'fs', targets: [{ format }] },
    });
    const pathModule = device.createShaderModule({ label: 'SurfaceRenderer.pathLines', code: `${sceneWgsl}\n${pathLinesWgsl}` });
    this.pathPipeline = device.createRenderPipeline({
      ...common,
      label: 'SurfaceRenderer.pathPipeline',
      vertex: {
        module: pathModule,
        entryPoint: 'vs',
        buffers: [
          {
            arrayStride: kSegmentFloats * 4,
            stepMode: 'instance',
            attributes: [
              { shaderLocation: 0, offset: 0, format: 'float32x3' },
              { shaderLocation: 1, offset: 12, format: 'float32x3' },
              { shaderLocation: 2, offset: 24, format: 'float32x4' },
            ],
          },
        ],
      },
      fragment: { module: pathModule, entryPoint: 'fs', targets: [{ format }] },
    });
  }

  /** A new surface (new function, view or height scale): replaces the vertex and index buffers. */
  setMesh(mesh: SurfaceMesh): void {
    this.vertexBuffer?.destroy();
    this.indexBuffer?.destroy();
    this.vertexBuffer = createBuffer(this.device, 'SurfaceRenderer.vertices', GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST, mesh.vertices);
    this.indexBuffer = createBuffer(this.device, 'SurfaceRenderer.indices', GPUBufferUsage.INDEX | GPUBufferUsage.COPY_DST, mesh.indices);
    this.indexCount = mesh.indices.length;
    this.levelCount = mesh.levelCount;
  }

  /** The paths shown (at the current step): one instance per segment. */
  setPaths(paths: readonly PathStrips[]): void {
    const count = paths.reduce((sum, p) => sum + p.strips.reduce((s, strip) => s + Math.max(0, strip.length - 1), 0), 0);
    const data = new Float32Array(count * kSegmentFloats);
    let k = 0;
    for (const { color, strips } of paths) {
      for (const strip of strips) {
        for (let i = 1; i < strip.length; i++) data.set([...strip[i - 1], ...strip[i], ...color, 1], kSegmentFloats * k++);
      }
    }
    if (!this.segmentBuffer || this.segmentBuffer.size < data.byteLength) {
      this.segmentBuffer?.destroy();
      this.segmentBuffer = this.device.createBuffer({
        label: 'SurfaceRenderer.segments',
        size: Math.max(64, data.byteLength * 2),
        usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST,
      });
    }
    if (data.byteLength > 0) this.device.queue.writeBuffer(this.segmentBuffer, 0, data);
    this.segmentCount = count;
  }

  setColors(colors: SurfaceColors): void {
    this.colors = colors;
  }

  /** Draws the scene seen through `viewProj` into `target` (its size is the viewport), paths `pathWidth` pixels wide. */
  render(target: GPUTexture, viewProj: Mat4, pathWidth: number): void {
    const { width, height } = target;
    const { color, depth } = this.targetsFor(width, height);
    const { low, high, line, background } = this.colors;
    const scene = new Float32Array(kSceneFloats);
    scene.set(viewProj, 0);
    scene.set([...low, 1, ...high, 1, ...line, 1, ...kLightDirection, this.levelCount, width, height, pathWidth, kAmbient], 16);
    this.device.queue.writeBuffer(this.sceneBuffer, 0, scene);
    const encoder = this.device.createCommandEncoder({ label: 'SurfaceRenderer.encoder' });
    const pass = encoder.beginRenderPass({
      label: 'SurfaceRenderer.pass',
      colorAttachments: [
        {
          view: color.createView(),
          resolveTarget: target.createView(),
          clearValue: { r: background[0], g: background[1], b: background[2], a: 1 },
          loadOp: 'clear',
          storeOp: 'discard',
        },
      ],
      depthStencilAttachment: { view: depth.createView(), depthClearValue: 1, depthLoadOp: 'clear', depthStoreOp: 'discard' },
    });
    pass.setBindGroup(0, this.bindGroup);
    if (this.vertexBuffer && this.indexBuffer && this.indexCount > 0) {
      pass.setPipeline(this.surfacePipeline);
      pass.setVertexBuffer(0, this.vertexBuffer);
      pass.setIndexBuffer(this.indexBuffer, 'uint32');
      pass.drawIndexed(this.indexCount);
    }
    if (this.segmentBuffer && this.segmentCount > 0) {
      pass.setPipeline(this.pathPipeline);
      pass.setVertexBuffer(0, this.segmentBuffer);
      pass.draw(6, this.segmentCount);
    }
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /**
   * Draws into an offscreen texture and reads it back: RGBA bytes, rows top to bottom, for an
   * ImageData. For where a WebGPU canvas shows nothing (headless Chromium on SwiftShader) and for
   * tests. Needs a renderer made for 'rgba8unorm'.
   */
  async readPixels(width: number, height: number, viewProj: Mat4, pathWidth: number): Promise<Uint8ClampedArray<ArrayBuffer>> {
    if (this.format !== 'rgba8unorm') throw new Error(`readPixels needs an rgba8unorm renderer, not ${this.format}`);
    const target = this.device.createTexture({
      label: 'SurfaceRenderer.readbackTarget',
      size: [width, height],
      format: 'rgba8unorm',
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
    const rowBytes = Math.ceil((width * 4) / 256) * 256;
    const staging = this.device.createBuffer({
      label: 'SurfaceRenderer.readback',
      size: rowBytes * height,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
    });
    try {
      this.render(target, viewProj, pathWidth);
      const encoder = this.device.createCommandEncoder({ label: 'SurfaceRenderer.readbackEncoder' });
      encoder.copyTextureToBuffer({ texture: target }, { buffer: staging, bytesPerRow: rowBytes }, [width, height]);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const rows = new Uint8Array(staging.getMappedRange());
      const pixels = new Uint8ClampedArray(width * height * 4);
      for (let y = 0; y < height; y++) pixels.set(rows.subarray(y * rowBytes, y * rowBytes + width * 4), y * width * 4);
      staging.unmap();
      return pixels;
    } finally {
      staging.destroy();
      target.destroy();
    }
  }

  destroy(): void {
    for (const buffer of [this.sceneBuffer, this.vertexBuffer, this.indexBuffer, this.segmentBuffer]) buffer?.destroy();
    this.targets?.color.destroy();
    this.targets?.depth.destroy();
    this.targets = null;
  }

  /** The multisampled colour and depth textures, recreated when the target's size changes. */
  private targetsFor(width: number, height: number): { color: GPUTexture; depth: GPUTexture } {
    if (this.targets && this.targets.width === width && this.targets.height === height) return this.targets;
    this.targets?.color.destroy();
    this.targets?.depth.destroy();
    const make = (label: string, format: GPUTextureFormat): GPUTexture =>
      this.device.createTexture({ label, size: [width, height], format, sampleCount: kSampleCount, usage: GPUTextureUsage.RENDER_ATTACHMENT });
    this.targets = { width, height, color: make('SurfaceRenderer.color', this.format), depth: make('SurfaceRenderer.depth', kDepthFormat) };
    return this.targets;
  }
}
