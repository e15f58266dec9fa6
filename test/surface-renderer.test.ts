/**
 * The 3D view's WebGPU render pipeline on a real adapter against its TypeScript reference: pixels
 * of a tilted plane where the camera math (camera.ts) says they are, in the band colour and shade
 * surface-shading.ts computes, the path in its colour on top, the background around.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { kDefaultCamera, normalize, project, viewProjection } from '../src/race2d/surface/camera';
import { buildSurfaceMesh, levelPosition } from '../src/race2d/surface/surface-mesh';
import { liftPolyline } from '../src/race2d/surface/surface-paths';
import { SurfaceRenderer } from '../src/race2d/surface/surface-renderer';
import { bandColor, bandOf, shadeFor, type SurfaceColors } from '../src/race2d/surface/surface-shading';
import { testDevice, withValidation } from './gpu';

const device = await testDevice();
afterAll(() => device?.destroy());

const kSize = 128;
const colors: SurfaceColors = { low: [1, 1, 1], high: [0.2, 0.4, 0.8], line: [0, 0, 0], background: [0.1, 0.1, 0.1] };

describe.skipIf(!device)('SurfaceRenderer (WebGPU render pipeline)', () => {
  it('draws the plane f = x in its band colours, shaded, with the path on it', async () => {
    const gpu = device!;
    // f = x over [-1, 1]²: height 0.45 x (linear), levels -0.5, 0, 0.5.
    const fn = { f: (x: number) => x, levels: [-0.5, 0, 0.5] };
    const view = { x: [-1, 1] as [number, number], y: [-1, 1] as [number, number] };
    const mesh = buildSurfaceMesh(fn, view, 'linear', 33);
    const renderer = new SurfaceRenderer(gpu, 'rgba8unorm');
    const viewProj = viewProjection(kDefaultCamera, 1);
    const path = liftPolyline(
      fn.f,
      mesh.frame,
      [
        [-0.5, -0.6],
        [-0.5, 0.6],
      ],
      0.1,
    );
    const pixels = await withValidation(gpu, () => {
      renderer.setMesh(mesh);
      renderer.setColors(colors);
      renderer.setPaths([{ color: [1, 0, 0], strips: path }]);
      return renderer.readPixels(kSize, kSize, viewProj, 5);
    });
    const at = (x: number, y: number): number[] =>
      Array.from(pixels.slice((Math.floor(y) * kSize + Math.floor(x)) * 4, (Math.floor(y) * kSize + Math.floor(x)) * 4 + 3));
    const onScreen = (x: number, y: number) => project(viewProj, mesh.frame.toScene(x, y, fn.f(x)), kSize, kSize);

    // Mid-band points, away from the level lines: the reference colour within rounding.
    const shade = shadeFor(normalize([-0.45, 0, 1]));
    for (const [x, y] of [
      [0.25, 0.1],
      [-0.75, -0.2],
      [0.75, 0.5],
      [-0.25, 0.4],
    ]) {
      const p = onScreen(x, y);
      const expected = bandColor(bandOf(levelPosition(x, fn.levels), 3), 3, colors, shade).map((c) => Math.round(c * 255));
      const got = at(p.x, p.y);
      got.forEach((c, i) => expect(Math.abs(c - expected[i]), `(${x}, ${y}) channel ${i}: ${got} vs ${expected}`).toBeLessThanOrEqual(3));
    }
    // On the path: red. Outside the box: the background.
    const onPath = project(viewProj, path[0][Math.floor(path[0].length / 2)], kSize, kSize);
    expect(at(onPath.x, onPath.y)).toEqual([255, 0, 0]);
    expect(at(1, 1)).toEqual([26, 26, 26]);
    renderer.destroy();
  });
});
