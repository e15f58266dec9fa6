/** A chart as a picture (a canvas, or a PNG): its canvas (axes, curves, markers) above its legend, on the theme's background. */
import { drawMarker } from '../markers';
import type { ChartTheme } from './chart-theme';
import type { LegendItem } from './chart-legend';

/** `source`: uPlot's canvas; `cssWidth`: its width in CSS pixels (the ratio sets the legend's scale). */
export function chartPng(source: HTMLCanvasElement, cssWidth: number, items: readonly LegendItem[], theme: ChartTheme, markerRadius: number): Promise<Blob> {
  const canvas = chartCanvas(source, cssWidth, items, theme, markerRadius);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toPNG: the canvas could not be encoded as PNG'))), 'image/png');
  });
}

/** The same picture on a new canvas (the loss chart's time-lapse draws one per frame). */
export function chartCanvas(
  source: HTMLCanvasElement,
  cssWidth: number,
  items: readonly LegendItem[],
  theme: ChartTheme,
  markerRadius: number,
): HTMLCanvasElement {
  const ratio = source.width / cssWidth;
  const font = `${12 * ratio}px ${theme.font}`;
  const measure = document.createElement('canvas').getContext('2d');
  if (!measure) throw new Error('toPNG: this browser has no 2D canvas');
  measure.font = font;
  // Lay the legend out in rows that fit the width.
  const rowHeight = 20 * ratio;
  const pad = 10 * ratio;
  const placed: { item: LegendItem; x: number; row: number; label: string }[] = [];
  let x = pad;
  let row = 0;
  for (const item of items) {
    const label = [item.name, item.value, item.warning ?? item.detail].filter(Boolean).join('  ');
    const width = 30 * ratio + measure.measureText(label).width + 16 * ratio;
    if (x + width > source.width - pad && x > pad) {
      row++;
      x = pad;
    }
    placed.push({ item, x, row, label });
    x += width;
  }
  const legendHeight = items.length ? (row + 1) * rowHeight + pad : 0;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height + legendHeight;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('toPNG: this browser has no 2D canvas');
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0);
  ctx.font = font;
  ctx.textBaseline = 'middle';
  for (const { item, x: left, row: r, label } of placed) {
    const y = source.height + pad / 2 + r * rowHeight + rowHeight / 2;
    ctx.strokeStyle = item.color;
    ctx.lineWidth = 2 * ratio;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + 24 * ratio, y);
    ctx.stroke();
    drawMarker(ctx, item.marker, left + 12 * ratio, y, markerRadius * ratio, item.color, theme.background, ratio);
    ctx.fillStyle = item.warning ? theme.danger : theme.text;
    ctx.fillText(label, left + 30 * ratio, y);
  }
  return canvas;
}
