/**
 * The 3D view's camera and projection, pure math shared by the WebGPU renderer and the canvas
 * painter (so both draw the same picture): an orbit camera (yaw around the vertical axis, pitch
 * above the ground plane, zoom) looking at the centre of the scene box, and a perspective
 * projection to WebGPU clip space (depth 0..1). Matrices are column-major, as WGSL's mat4x4f.
 *
 * Scene coordinates: the view box maps to x, y in [-1, 1] (the longer side; aspect kept), f's
 * height to z in [-kSceneHeight / 2, kSceneHeight / 2]; z is up.
 */

export type Vec3 = [number, number, number];
/** 16 numbers, column-major: m[col * 4 + row]. */
export type Mat4 = Float32Array;

export interface Camera {
  /** Radians around the z axis; 0 looks from +x towards the centre. */
  yaw: number;
  /** Radians above the ground plane, within [kMinPitch, kMaxPitch]. */
  pitch: number;
  /** 1 is the default distance; 2 is twice as close. */
  zoom: number;
}

/** Height of the scene box: the surface spans 0.9 of the box's half-width up and down. */
export const kSceneHeight = 0.9;
export const kMinPitch = 0.05;
export const kMaxPitch = 1.5;
export const kMinZoom = 0.5;
export const kMaxZoom = 4;
/** Looking from the front (-y) a little to the left and from above, as surface plots usually do. */
export const kDefaultCamera: Readonly<Camera> = { yaw: -Math.PI / 2 - 0.6, pitch: 0.55, zoom: 1 };
/** Vertical field of view and the default eye distance: the whole box fits at zoom 1. */
const kFovY = (35 * Math.PI) / 180;
const kDistance = 4.6;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The camera with pitch and zoom kept in range and yaw wrapped to (-π, π]. */
export function clampCamera(camera: Camera): Camera {
  return {
    yaw: camera.yaw - 2 * Math.PI * Math.ceil((camera.yaw - Math.PI) / (2 * Math.PI)),
    pitch: clamp(camera.pitch, kMinPitch, kMaxPitch),
    zoom: clamp(camera.zoom, kMinZoom, kMaxZoom),
  };
}

export function rotateCamera(camera: Camera, dYaw: number, dPitch: number): Camera {
  return clampCamera({ ...camera, yaw: camera.yaw + dYaw, pitch: camera.pitch + dPitch });
}

export function zoomCamera(camera: Camera, factor: number): Camera {
  return clampCamera({ ...camera, zoom: camera.zoom * factor });
}

/** Where the eye is, in scene coordinates. */
export function eyePosition(camera: Camera): Vec3 {
  const d = kDistance / camera.zoom;
  const c = Math.cos(camera.pitch);
  return [d * c * Math.cos(camera.yaw), d * c * Math.sin(camera.yaw), d * Math.sin(camera.pitch)];
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export function normalize(a: Vec3): Vec3 {
  const l = Math.hypot(a[0], a[1], a[2]);
  return l > 0 ? [a[0] / l, a[1] / l, a[2] / l] : [0, 0, 0];
}

/** World to view space: right-handed, the eye looks down -z, z up in the world is up on screen. */
export function lookAt(eye: Vec3, target: Vec3, up: Vec3): Mat4 {
  const f = normalize(sub(target, eye));
  const s = normalize(cross(f, up));
  const u = cross(s, f);
  // biome-ignore format: the matrix reads as its columns
  return new Float32Array([
    s[0], u[0], -f[0], 0,
    s[1], u[1], -f[1], 0,
    s[2], u[2], -f[2], 0,
    -dot(s, eye), -dot(u, eye), dot(f, eye), 1,
  ]);
}

/** Perspective to WebGPU clip space (x, y in [-1, 1], depth in [0, 1]). */
export function perspective(fovY: number, aspect: number, near: number, far: number): Mat4 {
  const f = 1 / Math.tan(fovY / 2);
  const r = 1 / (near - far);
  // biome-ignore format: the matrix reads as its columns
  return new Float32Array([
    f / aspect, 0, 0, 0,
    0, f, 0, 0,
    0, 0, far * r, -1,
    0, 0, near * far * r, 0,
  ]);
}

export function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Float32Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[k * 4 + r] * b[c * 4 + k];
      out[c * 4 + r] = sum;
    }
  }
  return out;
}

/** The view-projection matrix of `camera` for a viewport of aspect width / height. */
export function viewProjection(camera: Camera, aspect: number): Mat4 {
  const eye = eyePosition(camera);
  const d = Math.hypot(...eye);
  // The scene box fits in a sphere of radius 1.6 around the origin.
  const near = Math.max(0.05, d - 2);
  const far = d + 2;
  return multiply(perspective(kFovY, aspect, near, far), lookAt(eye, [0, 0, 0], [0, 0, 1]));
}

export interface Projected {
  /** Pixels from the left and from the top of a width × height viewport. */
  x: number;
  y: number;
  /** Depth in [0, 1] (0 nearest), as the GPU's depth test sees it. */
  depth: number;
  /** Clip w: the distance along the view direction; <= 0 is behind the eye. */
  w: number;
}

/** A scene point on the screen, as the vertex shader and the rasterizer place it. */
export function project(m: Mat4, p: Vec3, width: number, height: number): Projected {
  const x = m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12];
  const y = m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13];
  const z = m[2] * p[0] + m[6] * p[1] + m[10] * p[2] + m[14];
  const w = m[3] * p[0] + m[7] * p[1] + m[11] * p[2] + m[15];
  return { x: ((x / w + 1) / 2) * width, y: ((1 - y / w) / 2) * height, depth: z / w, w };
}

/** The light, fixed in the scene (from the upper left behind the default eye), unit length. */
export const kLightDirection: Vec3 = normalize([-0.45, -0.6, 0.9]);
