/**
 * The optimizer's state at the step shown, drawn on a racer's plot and listed beside it: the
 * gradient, the velocity or first moment (arrows), the per-axis step scale of the adaptive rules
 * (a rectangle with sides lr/sqrt(s)) and the step taken (arrow). The numbers are the race's own
 * trace (src/race2d/optimizer-trace.ts: the kernels' buffers on WebGPU); what each state vector is
 * comes from the registry's `state` and `stateDrawing`. Nothing here recomputes the rule.
 */
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { Point } from '../../race2d/functions';
import type { TrajectoryResult } from '../../race2d/trajectory';
import { optimizerSpec, type StateDrawing } from '../../optim/registry';
import { formatNumber } from '../adam-steps/format';
import type { PlotFrame } from './plot';

export interface StateEntry {
  name: string;
  drawing: StateDrawing;
  value: Point;
  /** The bias-corrected value (Adam's m̂, v̂), where the optimizer has the matching beta. */
  corrected?: Point;
}

/** Update t of one racer: it went from `from` to `to` with gradient g and left its state in `state`. */
export interface StateSnapshot {
  t: number;
  lr: number;
  from: Point;
  to: Point;
  g: Point;
  step: Point;
  state: StateEntry[];
}

const finite = (p: Point): boolean => Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** The snapshot for update t (the racer is shown at path[t]), or null at the start, past the end or without a trace. */
export function stateAt(result: TrajectoryResult, t: number): StateSnapshot | null {
  const { trace, path } = result;
  if (!trace || t < 1 || t > trace.g.length || !finite(path[t]) || !finite(path[t - 1])) return null;
  const spec = optimizerSpec(result.optimizer);
  const h = result.hyperparameters;
  const bias = (beta: number | undefined, [x, y]: Point): Point | undefined => (beta === undefined ? undefined : [x / (1 - beta ** t), y / (1 - beta ** t)]);
  const state = spec.state.map((name, k): StateEntry => {
    const drawing = spec.stateDrawing?.[k] ?? 'none';
    const value = trace.state[name][t - 1];
    // The seed's m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t): for first moments and squared averages with betas.
    const beta = drawing === 'gradient' ? h.beta1 : drawing === 'squared' ? h.beta2 : undefined;
    const corrected = bias(beta, value);
    return { name, drawing, value, ...(corrected ? { corrected } : {}) };
  });
  const [from, to] = [path[t - 1], path[t]];
  return { t, lr: h.lr ?? 1, from, to, g: trace.g[t - 1], step: [to[0] - from[0], to[1] - from[1]], state };
}

/** The per-axis step scale lr/sqrt(s) (or lr/u for 'max'), in x units. */
export function stepScale(entry: StateEntry, lr: number): Point | null {
  const [a, b] = entry.corrected ?? entry.value;
  if (entry.drawing === 'squared') return [lr / Math.sqrt(a), lr / Math.sqrt(b)];
  if (entry.drawing === 'max') return [lr / a, lr / b];
  return null;
}

function arrow(frame: PlotFrame, [x, y]: Point, [dx, dy]: Point, kind: string, title: string): SVGTemplateResult {
  const [x0, y0, x1, y1] = [frame.px(x), frame.py(y), frame.px(x + dx), frame.py(y + dy)];
  const length = Math.hypot(x1 - x0, y1 - y0);
  if (!(length > 0.5) || !Number.isFinite(length)) return svg``;
  const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
  const head = Math.min(6, length / 2);
  const [bx, by] = [x1 - ux * head, y1 - uy * head];
  const d = `M${x0} ${y0}L${bx} ${by}M${x1} ${y1}L${bx - uy * head * 0.5} ${by + ux * head * 0.5}L${bx + uy * head * 0.5} ${by - ux * head * 0.5}Z`;
  return svg`<path class="state-arrow ${kind}" data-kind=${kind} d=${d}><title>${title}</title></path>`;
}

/** SVG for the plot of one racer: the arrows and the scale rectangle at update `snapshot.t`. */
export function stateOverlay(frame: PlotFrame, s: StateSnapshot): SVGTemplateResult {
  const parts: SVGTemplateResult[] = [];
  for (const entry of s.state) {
    const scale = stepScale(entry, s.lr);
    if (scale?.every((v) => Number.isFinite(v))) {
      const [w, h] = [Math.min(scale[0] * frame.sx, 4 * frame.plotWidth), Math.min(scale[1] * frame.sy, 4 * frame.plotHeight)];
      parts.push(
        svg`<rect class="state-scale" data-kind="scale" x=${frame.px(s.from[0]) - w} y=${frame.py(s.from[1]) - h} width=${2 * w} height=${2 * h}>
          <title>step scale lr/√${entry.name}: the rectangle's half-sides</title></rect>`,
      );
    }
    const v = entry.corrected ?? entry.value;
    if (entry.drawing === 'step') parts.push(arrow(frame, s.from, v, 'velocity', `${entry.name}: the velocity`));
    if (entry.drawing === 'gradient')
      parts.push(arrow(frame, s.from, [-s.lr * v[0], -s.lr * v[1]], 'moment', `−lr·${entry.name}${entry.corrected ? '̂' : ''}: the first moment`));
  }
  parts.push(arrow(frame, s.from, [-s.lr * s.g[0], -s.lr * s.g[1]], 'gradient', '−lr·g: the gradient'));
  parts.push(arrow(frame, s.from, s.step, 'step', 'the step taken'));
  return svg`<g class="state" data-step=${s.t}>${parts}</g>`;
}

const pair = ([x, y]: Point): TemplateResult => html`<span class="num">${formatNumber(x)}</span><span class="num">${formatNumber(y)}</span>`;

/** The numbers of the snapshot, as <adam-steps> lists them. */
export function statePanel(label: string, s: StateSnapshot | null): TemplateResult | typeof nothing {
  if (!s) return nothing;
  const rows: [string, string, Point][] = [['g', 'gradient', s.g]];
  for (const entry of s.state) {
    rows.push([entry.name, entry.name, entry.value]);
    if (entry.corrected) rows.push([`${entry.name}̂`, `${entry.name} bias-corrected`, entry.corrected]);
    const scale = stepScale(entry, s.lr);
    if (scale) rows.push([`lr/√${entry.name}`, `step scale from ${entry.name}`, scale]);
  }
  rows.push(['Δx', 'step taken', s.step]);
  return html`
    <table class="state-panel" aria-label="${label} state at step ${s.t}">
      <caption>step ${s.t}</caption>
      <tbody>
        ${rows.map(([symbol, name, value]) => html`<tr data-row=${name}><th scope="row" title=${name}>${symbol}</th>${pair(value)}</tr>`)}
      </tbody>
    </table>`;
}
