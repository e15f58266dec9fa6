/**
 * The loss and accuracy charts' uPlot frame: x is the iteration, from 0 to `xEnd()`, and the same
 * padding, so the two charts line up when stacked (their `x-max` too).
 */
import type uPlot from 'uplot';

export function iterationPlotOptions(
  size: { width: number; height: number },
  series: uPlot.Series[],
  xEnd: () => number,
  y: uPlot.Scale,
  axes: uPlot.Axis[],
): uPlot.Options {
  return {
    width: size.width,
    height: size.height,
    series,
    padding: [14, 18, 0, 0],
    scales: {
      x: { time: false, range: () => [0, xEnd()] },
      y,
    },
    axes,
  };
}
