/**
 * Keys and drags to camera moves for <surface-view>: arrow keys rotate (Shift: 4× the step),
 * + and − zoom, 0 or Home resets; a drag turns the view by the pixels moved.
 */
import { kDefaultCamera, rotateCamera, zoomCamera, type Camera } from '../../../race2d/surface/camera';

/** Radians per arrow key press and per dragged pixel; zoom factor per key press. */
export const kKeyTurn = Math.PI / 36;
export const kDragTurn = 0.01;
export const kKeyZoom = 1.2;

/** The camera after `key` (KeyboardEvent.key), or null when the key is not one of ours. */
export function cameraForKey(camera: Camera, key: string, shift: boolean): Camera | null {
  const turn = kKeyTurn * (shift ? 4 : 1);
  switch (key) {
    case 'ArrowLeft':
      return rotateCamera(camera, -turn, 0);
    case 'ArrowRight':
      return rotateCamera(camera, turn, 0);
    case 'ArrowUp':
      return rotateCamera(camera, 0, turn);
    case 'ArrowDown':
      return rotateCamera(camera, 0, -turn);
    case '+':
    case '=':
      return zoomCamera(camera, kKeyZoom);
    case '-':
    case '_':
      return zoomCamera(camera, 1 / kKeyZoom);
    case '0':
    case 'Home':
      return { ...kDefaultCamera };
    default:
      return null;
  }
}

/** Dragging right turns the surface right (the eye left); dragging down tilts it towards you. */
export function cameraForDrag(camera: Camera, dx: number, dy: number): Camera {
  return rotateCamera(camera, -dx * kDragTurn, dy * kDragTurn);
}

const degrees = (radians: number): number => Math.round((radians * 180) / Math.PI);

/** The camera in words, for the view's aria-label. */
export function describeCamera(camera: Camera): string {
  return `seen from ${degrees(camera.pitch)}° above the x-y plane, turned ${degrees(camera.yaw)}°, zoom ${Number(camera.zoom.toFixed(2))}×`;
}
