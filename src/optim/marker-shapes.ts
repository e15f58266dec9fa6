/**
 * The marker shapes an optimizer can be drawn with (the seed's matplotlib o x s D v ^, then more):
 * their ids and order, named by each registry entry. Only the ids live here, below the views;
 * src/ui/markers.ts draws them (SVG, canvas).
 */

/** Every marker shape, in the order a racer takes the next unused one. */
export const kMarkerShapes = [
  'circle',
  'cross',
  'square',
  'diamond',
  'triangle-down',
  'triangle-up',
  'triangle-right',
  'star',
  'triangle-left',
  'pentagon',
] as const;

export type MarkerShape = (typeof kMarkerShapes)[number];

export function isMarkerShape(value: unknown): value is MarkerShape {
  return kMarkerShapes.includes(value as MarkerShape);
}
