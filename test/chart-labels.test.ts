/**
 * The charts' text labels (src/ui/charts/chart-labels.ts) never overlap and stay inside the plot,
 * however many share a point: the accuracy sensitivity chart of a sweep puts several optimizers'
 * "best lr=…" near 100 %, at the plot's top edge, where moving a label up cannot free it.
 */
import { describe, expect, it } from 'vitest';
import { LabelPlacer, type Box } from '../src/ui/charts/chart-labels';

const kPlot: Box = { left: 40, right: 440, top: 0, bottom: 240 };
const kHeight = 13;

function expectApart(boxes: readonly Box[]): void {
  boxes.forEach((a, i) => {
    expect(a.left).toBeGreaterThanOrEqual(kPlot.left);
    expect(a.right).toBeLessThanOrEqual(kPlot.right);
    expect(a.top).toBeGreaterThanOrEqual(kPlot.top);
    expect(a.bottom).toBeLessThanOrEqual(kPlot.bottom);
    for (const b of boxes.slice(i + 1)) {
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, `${JSON.stringify(a)} and ${JSON.stringify(b)} intersect`).toBe(true);
    }
  });
}

/** A label of `width` centred above a point at (x, y), as CanvasLabels asks. */
const above = (placer: LabelPlacer, width: number, x: number, y: number) => placer.place(width, kHeight, x - width / 2, y - 7 - kHeight);

describe('LabelPlacer', () => {
  it('keeps a label where it asked to be when that place is free', () => {
    const placer = new LabelPlacer(kPlot);
    expect(above(placer, 80, 200, 120)).toEqual({ left: 160, right: 240, top: 100, bottom: 113 });
  });

  it('moves a label above a taken place up (away from its point), then down once the top is reached', () => {
    const placer = new LabelPlacer(kPlot);
    const first = above(placer, 80, 200, 60)!;
    const second = above(placer, 80, 200, 60)!;
    expect(second.top).toBe(first.top - kHeight);
    const rest = Array.from({ length: 6 }, () => above(placer, 80, 200, 60)!);
    expectApart([first, second, ...rest]);
  });

  it('places six "best lr" labels at 99-100 % (the top edge) and neighbouring lrs without an overlap', () => {
    const placer = new LabelPlacer(kPlot);
    const texts = ['best lr=0.0003728', 'best lr=0.001389', 'best lr=0.001389', 'best lr=0.005179', 'best lr=0.0003728', 'best lr=0.01931'];
    const xs = [150, 190, 190, 230, 150, 270];
    const ys = [2, 1, 0, 3, 1, 2];
    const boxes = texts.map((t, i) => above(placer, t.length * 6.5, xs[i], ys[i]));
    expect(boxes.every((b) => b !== null)).toBe(true);
    expectApart(boxes as Box[]);
  });

  it('never overlaps, whatever the points: labels that cannot fit are left out', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 100; round++) {
      const placer = new LabelPlacer(kPlot);
      const n = 1 + Math.floor(random() * 16);
      const boxes: Box[] = [];
      for (let i = 0; i < n; i++) {
        const width = 30 + random() * 150;
        const box =
          random() < 0.5
            ? above(placer, width, kPlot.left + random() * 400, random() * 240)
            : placer.place(width, kHeight, kPlot.left + random() * 400, random() * 240, 1);
        if (box) boxes.push(box);
      }
      expect(boxes.length).toBeGreaterThan(0);
      expectApart(boxes);
    }
  });

  it('leaves out a label wider than the plot', () => {
    expect(new LabelPlacer(kPlot).place(500, kHeight, 0, 0)).toBeNull();
  });
});
