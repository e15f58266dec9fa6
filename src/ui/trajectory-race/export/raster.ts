/** An SVG figure on a canvas: through an <img> (the browser's own SVG renderer), at any pixel width. */
import type { Figure } from './figure';

/** The figure drawn at `width` device pixels (the height keeps its aspect). */
export async function rasterize(figure: Figure, width: number, canvas = document.createElement('canvas'), even = false): Promise<HTMLCanvasElement> {
  const round = (v: number): number => (even ? 2 * Math.max(1, Math.round(v / 2)) : Math.max(1, Math.round(v)));
  const w = round(width);
  const h = round((width * figure.height) / figure.width);
  const url = URL.createObjectURL(new Blob([figure.text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('This browser has no 2D canvas to draw the figure on.');
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(image, 0, 0, w, h);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function canvasBlob(canvas: HTMLCanvasElement, type: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`The canvas could not be encoded as ${type}.`))), type);
  });
}
