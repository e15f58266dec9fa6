/**
 * src/ui/markers.ts in Node (no DOM): the six shapes, the shape check and the SVG path data the
 * 2D race, the legends and the charts draw (the same strings as before the module existed).
 */
import { describe, expect, it } from 'vitest';
import { isMarkerShape, kMarkerIcons, kMarkerShapes, markerPath } from '../src/ui/markers';
import { kSeedOptimizerIds, optimizerIds, optimizerSpec } from '../src/optim/registry';

describe('markers', () => {
  it("lists the seed's six shapes first, then four more, in the order racers take the next unused one", () => {
    expect(kMarkerShapes).toEqual([
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
    ]);
    expect(Object.keys(kMarkerIcons).sort()).toEqual([...kMarkerShapes].sort());
  });

  it('checks shapes', () => {
    for (const shape of kMarkerShapes) expect(isMarkerShape(shape)).toBe(true);
    for (const value of ['o', 'Circle', '', null, undefined, 3]) expect(isMarkerShape(value)).toBe(false);
  });

  it("gives every optimizer a shape (the seed figure's for its six), each a different one", () => {
    expect(kSeedOptimizerIds.map((id) => optimizerSpec(id).marker)).toEqual(['circle', 'cross', 'triangle-up', 'square', 'triangle-down', 'diamond']);
    const shapes = optimizerIds().map((id) => optimizerSpec(id).marker);
    expect(shapes).toHaveLength(10);
    expect(new Set(optimizerIds().map((id) => optimizerSpec(id).color)).size).toBe(10);
    for (const shape of shapes) expect(isMarkerShape(shape)).toBe(true);
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  it('draws each shape as SVG path data centred on the point', () => {
    expect(markerPath('circle', 11, 6, 3.4)).toBe('M7.6 6.0a3.4 3.4 0 1 0 6.8 0a3.4 3.4 0 1 0 -6.8 0');
    expect(markerPath('cross', 11, 6, 3.4)).toBe('M7.6 2.6l6.8 6.8m0 -6.8l-6.8 6.8');
    expect(markerPath('square', 0, 0, 2)).toBe('M-2.0 -2.0h4v4h-4z');
    expect(markerPath('diamond', 13, 6, 3.6)).toBe(`M13.0 1.3l${1.3 * 3.6} ${1.3 * 3.6}l${-1.3 * 3.6} ${1.3 * 3.6}l${-1.3 * 3.6} ${-1.3 * 3.6}z`);
    expect(markerPath('triangle-up', 0, 0, 1)).toBe(`M0.0 -1.2l1.1 1.9h-2.2z`);
    expect(markerPath('triangle-down', 0, 0, 1)).toBe(`M0.0 1.2l1.1 -1.9h-2.2z`);
  });
});
