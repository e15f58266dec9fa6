/**
 * A rendered SVG element cloned as a standalone document fragment: the computed values of the
 * properties SVG painting needs are written into each element's style attribute, so the colours
 * the design tokens (var(--or-*), --trace) resolve to survive outside the shadow root's stylesheet.
 */

/** Presentation properties the plots set from CSS (trajectory-race.styles.ts). */
const kPainted = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linejoin',
  'stroke-linecap',
  'opacity',
  'vector-effect',
  'font-family',
  'font-size',
  'font-weight',
] as const;

/** Elements whose style does not paint (their children are copied as they are). */
const kUnpainted = new Set(['defs', 'clipPath', 'title']);

export function cloneWithStyles(source: SVGElement): SVGElement {
  const clone = source.cloneNode(true) as SVGElement;
  copyStyles(source, clone);
  return clone;
}

function copyStyles(source: Element, clone: Element): void {
  if (kUnpainted.has(source.localName)) return;
  const computed = getComputedStyle(source);
  clone.setAttribute('style', kPainted.map((name) => `${name}:${computed.getPropertyValue(name)}`).join(';'));
  const from = source.children;
  const to = clone.children;
  for (let i = 0; i < from.length; i++) copyStyles(from[i], to[i]);
}
