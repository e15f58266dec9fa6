/** The 3D view's surface mesh, height scales, level positions and lifted paths. */
import { describe, expect, it } from 'vitest';
import { kFunctions } from '../src/race2d/functions';
import { resolveFunction } from '../src/race2d/typed-function';
import { buildSurfaceMesh, levelPosition, surfaceFrame } from '../src/race2d/surface/surface-mesh';
import { kPathLift, liftPoint, liftPolyline } from '../src/race2d/surface/surface-paths';
import { bandColor, bandOf, shadeFor } from '../src/race2d/surface/surface-shading';
import { kLightDirection, kSceneHeight } from '../src/race2d/surface/camera';

describe('surface mesh', () => {
  it('places a value among the levels, half a band past the ends', () => {
    const levels = [1, 2, 4];
    expect(levelPosition(1, levels)).toBe(0);
    expect(levelPosition(1.5, levels)).toBe(0.5);
    expect(levelPosition(3, levels)).toBe(1.5);
    expect(levelPosition(4, levels)).toBe(2);
    expect(levelPosition(100, levels)).toBe(2.5);
    expect(levelPosition(0.8, levels)).toBeCloseTo(-0.2, 12);
    expect(levelPosition(-5, levels)).toBe(-0.5);
    expect(levelPosition(3, [])).toBe(-0.5);
    expect([0.5, 1.5, 3, 9].map((v) => bandOf(levelPosition(v, levels), 3))).toEqual([0, 1, 2, 3]);
  });

  it('maps the seed linearly and Rosenbrock log-compressed, from 0 at the minimum to 1 at the top', () => {
    const seed = surfaceFrame(kFunctions.seed.f, kFunctions.seed.view, 'auto');
    expect(seed.heightScale).toBe('linear');
    expect(seed.unitHeight(0)).toBe(0);
    // Seed over [-10, 10]²: max at the corners, 100/20 + 100 = 105.
    expect(seed.unitHeight(105)).toBe(1);
    expect(seed.unitHeight(52.5)).toBeCloseTo(0.5, 12);
    const rosen = surfaceFrame(kFunctions.rosenbrock.f, kFunctions.rosenbrock.view, 'auto');
    expect(rosen.heightScale).toBe('log');
    // The valley floor (f = 1 at x = 0, y = 0) is well above the bottom, far below the middle.
    const valley = rosen.unitHeight(1);
    expect(valley).toBeGreaterThan(0.1);
    expect(valley).toBeLessThan(0.5);
    expect(surfaceFrame(kFunctions.rosenbrock.f, kFunctions.rosenbrock.view, 'linear').unitHeight(1)).toBeLessThan(0.001);
  });

  it('puts the view box in [-1, 1] and f between ±kSceneHeight / 2', () => {
    const fn = kFunctions.rosenbrock; // view x [-2, 2], y [-1, 3]
    const frame = surfaceFrame(fn.f, fn.view, 'linear');
    expect(frame.toScene(-2, -1, Number.NaN).slice(0, 2)).toEqual([-1, -1]);
    expect(frame.toScene(2, 3, 0).slice(0, 2)).toEqual([1, 1]);
    const mesh = buildSurfaceMesh(fn, fn.view, 'linear', 11);
    expect(mesh.vertices.length).toBe(11 * 11 * 4);
    expect(mesh.indices.length).toBe(10 * 10 * 6);
    const z = Array.from({ length: 121 }, (_, k) => mesh.vertices[k * 4 + 2]);
    expect(Math.min(...z)).toBeCloseTo(-kSceneHeight / 2, 6);
    expect(Math.max(...z)).toBeCloseTo(kSceneHeight / 2, 6);
    // Vertex (i, j) = (5, 5) is (0, 1): f = 1 + 100 = 101.
    const k = 5 * 11 + 5;
    expect([mesh.vertices[k * 4], mesh.vertices[k * 4 + 1]]).toEqual([0, 0]);
    expect(mesh.vertices[k * 4 + 3]).toBeCloseTo(levelPosition(101, fn.levels), 5);
  });

  it('leaves out the cells where f is not finite', () => {
    const fn = resolveFunction('sqrt(x)');
    const mesh = buildSurfaceMesh(fn, { x: [-1, 1], y: [-1, 1] }, 'auto', 5);
    // Columns i = 2..4 are x >= 0: cells i = 2, 3 in each of 4 rows.
    expect(mesh.indices.length).toBe(2 * 4 * 6);
    expect(Math.min(...mesh.indices)).toBe(2);
  });

  it('lifts a path onto the surface, cut into grid-cell pieces', () => {
    const fn = kFunctions.seed;
    const frame = surfaceFrame(fn.f, fn.view, 'auto');
    const [line] = liftPolyline(
      fn.f,
      frame,
      [
        [-7, 2],
        [-5, 2],
      ],
      0.5,
    );
    expect(line.length).toBe(5);
    expect(line[2][2]).toBeCloseTo(frame.toScene(-6, 2, fn.f(-6, 2))[2] + kPathLift, 6);
    expect(liftPoint(() => Number.NaN, frame, [0, 0])).toBeNull();
    const broken = liftPolyline(
      (x) => (x > 0 ? Number.NaN : x),
      frame,
      [
        [-2, 0],
        [-1, 0],
        [1, 0],
        [2, 0],
      ],
      1,
    );
    expect(broken.length).toBe(1);
    expect(broken[0].length).toBe(3);
  });

  it('shades two-sided and colours the bands from low to high', () => {
    expect(shadeFor(kLightDirection)).toBeCloseTo(1, 12);
    expect(shadeFor(kLightDirection.map((v) => -v) as [number, number, number])).toBeCloseTo(1, 12);
    const colors = { low: [1, 1, 1], high: [0, 0.5, 1], line: [0, 0, 0], background: [1, 1, 1] } as const;
    const mutable = { low: [...colors.low], high: [...colors.high], line: [...colors.line], background: [...colors.background] } as never;
    expect(bandColor(0, 4, mutable, 1)).toEqual([1, 1, 1]);
    expect(bandColor(2, 4, mutable, 0.5)).toEqual([0.25, 0.375, 0.5]);
  });
});
