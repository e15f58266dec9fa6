/**
 * The colour rule for many racers of one optimizer (a sweep's): they share the optimizer's hue and
 * saturation and differ in lightness, darkest for the first (the smallest swept value) to lightest
 * for the last, so that a chart of 48 racers reads as six families. The one owner of this rule:
 * the sweep's racers, the presets and the URL decoder all colour through racerShade().
 */

/** Lightness (HSL, 0..1) of the darkest and the lightest shade. */
export const kShadeLightness: readonly [number, number] = [0.3, 0.72];

interface Hsl {
  h: number;
  s: number;
  l: number;
}

function hexToHsl(hex: string): Hsl {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`racerShade: '${hex}' is not a #rrggbb colour`);
  const n = Number.parseInt(m[1], 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => c / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return { h: 0, s: 0, l };
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { h: h * 60, s, l };
}

function hslToHex({ h, s, l }: Hsl): string {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const k = Math.floor(h / 60) % 6;
  const [r, g, b] = [
    [c, x, 0],
    [x, c, 0],
    [0, c, x],
    [0, x, c],
    [x, 0, c],
    [c, 0, x],
  ][k];
  const byte = (v: number): string =>
    Math.round(Math.min(1, Math.max(0, v + m)) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${byte(r)}${byte(g)}${byte(b)}`;
}

/** The hue of a #rrggbb colour in degrees (0..360); 0 for greys. */
export const colorHue = (hex: string): number => hexToHsl(hex).h;

/** HSL lightness of a #rrggbb colour (0..1). */
export const colorLightness = (hex: string): number => hexToHsl(hex).l;

/**
 * Shade `index` of `count` of the optimizer colour `base` (#rrggbb): the base itself when it is the
 * only one, otherwise its hue and saturation at evenly spaced lightness from dark to light.
 */
export function racerShade(base: string, index: number, count: number): string {
  if (count <= 1) return base.toLowerCase();
  const hsl = hexToHsl(base);
  const [dark, light] = kShadeLightness;
  return hslToHex({ ...hsl, l: dark + ((light - dark) * index) / (count - 1) });
}
