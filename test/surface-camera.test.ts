/** The 3D view's camera: orbit, clamping and the projection, against hand-derived values. */
import { describe, expect, it } from 'vitest';
import {
  clampCamera,
  eyePosition,
  kDefaultCamera,
  kMaxPitch,
  kMaxZoom,
  kMinPitch,
  lookAt,
  perspective,
  project,
  rotateCamera,
  viewProjection,
  zoomCamera,
} from '../src/race2d/surface/camera';

const apply = (m: Float32Array, [x, y, z]: number[]): number[] => [0, 1, 2, 3].map((r) => m[r] * x + m[4 + r] * y + m[8 + r] * z + m[12 + r]);

describe('camera', () => {
  it('clamps pitch and zoom and wraps yaw', () => {
    expect(clampCamera({ yaw: 3 * Math.PI, pitch: 9, zoom: 100 })).toEqual({ yaw: expect.closeTo(Math.PI, 12), pitch: kMaxPitch, zoom: kMaxZoom });
    expect(clampCamera({ yaw: 0.5, pitch: -1, zoom: 1 }).pitch).toBe(kMinPitch);
    const turned = rotateCamera(kDefaultCamera, 0.25, -0.1);
    expect(turned.yaw).toBeCloseTo(kDefaultCamera.yaw + 0.25, 12);
    expect(turned.pitch).toBeCloseTo(kDefaultCamera.pitch - 0.1, 12);
    expect(zoomCamera(kDefaultCamera, 2).zoom).toBe(2);
  });

  it('puts the eye on a sphere at the pitch above the ground, at yaw around z', () => {
    const [x, y, z] = eyePosition({ yaw: Math.PI / 2, pitch: Math.PI / 6, zoom: 2 });
    const d = Math.hypot(x, y, z);
    expect(x).toBeCloseTo(0, 12);
    expect(y).toBeGreaterThan(0);
    expect(z / d).toBeCloseTo(0.5, 6);
    expect(d).toBeCloseTo(eyePosition({ yaw: 0, pitch: 0.3, zoom: 1 }).reduce((s, v) => s + v * v, 0) ** 0.5 / 2, 5);
  });

  it('lookAt takes the eye to the origin and the target straight ahead (-z)', () => {
    const eye = [0, -3, 4];
    const view = lookAt(eye as [number, number, number], [0, 0, 0], [0, 0, 1]);
    expect(apply(view, eye).map((v) => Math.abs(v) < 1e-6)).toEqual([true, true, true, false]);
    const target = apply(view, [0, 0, 0]);
    expect(target[0]).toBeCloseTo(0, 6);
    expect(target[1]).toBeCloseTo(0, 6);
    expect(target[2]).toBeCloseTo(-5, 5);
    // Right of the eye looking along +y is +x; world up tilts to screen up.
    expect(apply(view, [1, 0, 0])[0]).toBeCloseTo(1, 6);
    expect(apply(view, [0, 0, 1])[1]).toBeGreaterThan(0);
  });

  it('perspective sends the near plane to depth 0 and the far plane to depth 1', () => {
    const m = perspective(Math.PI / 2, 2, 1, 10);
    const near = apply(m, [0, 0, -1]);
    const far = apply(m, [0, 0, -10]);
    expect(near[2] / near[3]).toBeCloseTo(0, 6);
    expect(far[2] / far[3]).toBeCloseTo(1, 6);
    // fov 90°: a point at 45° to the right, at any depth, is at the right edge of a square viewport, here aspect 2.
    const edge = apply(m, [4, 0, -4]);
    expect(edge[0] / edge[3]).toBeCloseTo(0.5, 6);
  });

  it('projects like the hand-derived camera frame seen from -y', () => {
    // yaw -π/2, pitch p: eye (0, -d cos p, d sin p); right (1, 0, 0); up (0, sin p, cos p).
    const p = 0.5;
    const camera = { yaw: -Math.PI / 2, pitch: p, zoom: 1 };
    const m = viewProjection(camera, 1.5);
    const d = Math.hypot(...eyePosition(camera));
    const focal = 1 / Math.tan((35 * Math.PI) / 360);
    const [w, h] = [300, 200];
    const centre = project(m, [0, 0, 0], w, h);
    expect(centre.x).toBeCloseTo(150, 3);
    expect(centre.y).toBeCloseTo(100, 3);
    expect(centre.w).toBeCloseTo(d, 4);
    // (0.5, 0, 0): view (0.5, 0, -d) → ndc x = focal / aspect * 0.5 / d.
    expect(project(m, [0.5, 0, 0], w, h).x).toBeCloseTo(150 + ((focal / 1.5) * (0.5 / d) * w) / 2, 2);
    // (0, 0, 0.3): view y = 0.3 cos p, view depth d - 0.3 sin p.
    expect(project(m, [0, 0, 0.3], w, h).y).toBeCloseTo(100 - ((focal * 0.3 * Math.cos(p)) / (d - 0.3 * Math.sin(p)) / 2) * h, 2);
    // Nearer the eye is smaller depth.
    expect(project(m, [0, -0.5, 0], w, h).depth).toBeLessThan(project(m, [0, 0.5, 0], w, h).depth);
    for (const corner of [
      [-1, -1, -0.45],
      [1, 1, 0.45],
      [1, -1, 0.45],
    ]) {
      const q = project(m, corner as [number, number, number], w, h);
      expect(q.depth).toBeGreaterThan(0);
      expect(q.depth).toBeLessThan(1);
    }
  });
});
