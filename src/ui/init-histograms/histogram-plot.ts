/**
 * One layer's histogram as an SVG bar chart. Static data and at most a few thousand bars on the
 * page, so plain SVG rects: no chart library. Each bar stacks what it holds: values inside the
 * range, exact zeros (ReLU's dead outputs) and values beyond the range (counted in the end bins).
 * Bars share one vertical scale per row; a bar taller than the scale is cut and labelled.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { cssomStyle } from '../cssom-style';
import type { LayerHistogram } from '../../init/experiment';
import { binIndex } from '../../init/histogram';
import { shortNumber } from '../../util/short-number';

/** SVG units of the plot's height (the width is one unit per bin). */
const kHeight = 100;
/** A non-empty bin is drawn at least this tall, so that it does not vanish. */
const kMinBar = 0.8;

export const compactCount = (n: number): string => (n >= 1e6 ? `${shortNumber(n / 1e6, 3)}M` : n >= 1e4 ? `${shortNumber(n / 1e3, 3)}k` : String(n));

export const formatStat = (v: number): string => (v === 0 ? '0' : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(1) : shortNumber(v, 2));

const edgeText = (v: number): string => shortNumber(v, 3).replace('-', '−');

interface BarParts {
  inside: number;
  zeros: number;
  outside: number;
}

/** What bin k holds, split into the stacked parts. */
function parts(layer: LayerHistogram, k: number): BarParts {
  const B = layer.counts.length;
  const zeroBin = binIndex(0, layer.edges);
  const zeros = k === zeroBin ? layer.zeros : 0;
  const outside = (k === 0 ? layer.below : 0) + (k === B - 1 ? layer.above : 0);
  return { inside: layer.counts[k] - zeros - outside, zeros, outside };
}

/**
 * The row's vertical scale: the fullest bin, not counting exact zeros (else ReLU's spike at 0,
 * half of all outputs, would flatten every other bar). Falls back to the fullest bin.
 */
export function rowScale(layers: readonly LayerHistogram[]): number {
  let top = 0;
  let fullest = 0;
  for (const layer of layers) {
    layer.counts.forEach((count, k) => {
      top = Math.max(top, count - parts(layer, k).zeros);
      fullest = Math.max(fullest, count);
    });
  }
  return top > 0 ? top : Math.max(fullest, 1);
}

function describe(layer: LayerHistogram): string {
  const B = layer.counts.length;
  let k = 0;
  layer.counts.forEach((c, j) => {
    if (c > layer.counts[k]) k = j;
  });
  const pct = ((100 * layer.counts[k]) / layer.total).toFixed(0);
  return (
    `Layer ${layer.layer}: ${B} bins from ${edgeText(layer.edges[0])} to ${edgeText(layer.edges[B])}; ` +
    `mean ${formatStat(layer.mean)}, std ${formatStat(layer.std)}; the fullest bin, ` +
    `${edgeText(layer.edges[k])} to ${edgeText(layer.edges[k + 1])}, holds ${pct}% of the ${layer.total} values`
  );
}

export interface HistogramOptions {
  /** The row's scale (rowScale). */
  scale: number;
  /** Fewer words under the plot (the matrix view). */
  compact: boolean;
}

export function renderHistogram(layer: LayerHistogram, { scale, compact }: HistogramOptions): TemplateResult {
  const B = layer.counts.length;
  const cuts: TemplateResult[] = [];
  const bars = layer.counts.map((count, k) => {
    if (count === 0) return nothing;
    const p = parts(layer, k);
    const height = Math.max(kMinBar, Math.min(count / scale, 1) * kHeight);
    const unit = height / count;
    const range = `${edgeText(layer.edges[k])} to ${edgeText(layer.edges[k + 1])}`;
    const notes = [p.zeros ? `${p.zeros} exactly 0` : '', p.outside ? `${p.outside} beyond the range` : ''].filter(Boolean).join(', ');
    if (count > scale) {
      // Near an end the label is aligned with the plot's edge, so that it is not cut off.
      const at = (k + 0.5) / B;
      const place = at < 0.15 ? { left: '0' } : at > 0.85 ? { right: '0' } : { left: `${at * 100}%`, transform: 'translate(-50%, -35%)' };
      cuts.push(html`<span class="cut" ${cssomStyle(place)} title="${range}: ${count} values">${compactCount(count)}</span>`);
    }
    let y = kHeight;
    const segment = (n: number, kind: string) => {
      if (n <= 0) return nothing;
      const h = n * unit;
      y -= h;
      return svg`<rect class="bar ${kind}" x=${k + 0.08} y=${y} width="0.84" height=${h}></rect>`;
    };
    return svg`<g class=${count > scale ? 'bin cut-bin' : 'bin'}>
      <title>${range}: ${count} values (${((100 * count) / layer.total).toFixed(1)}%)${notes ? `; ${notes}` : ''}</title>
      ${segment(p.inside, 'inside')}${segment(p.zeros, 'zeros')}${segment(p.outside, 'outside')}
      ${count > scale ? svg`<rect class="break" x=${k} y="7" width="1" height="3"></rect>` : nothing}
    </g>`;
  });
  const stats = compact ? html`std ${formatStat(layer.std)}` : html`mean ${formatStat(layer.mean)} · std ${formatStat(layer.std)}`;
  const zeroShare = layer.zeros / layer.total;
  return html`
    <figure class="hist" part="histogram" data-layer=${layer.layer}>
      <figcaption>Layer ${layer.layer}</figcaption>
      <div class="plot">
        <svg viewBox="0 0 ${B} ${kHeight}" preserveAspectRatio="none" role="img" aria-label=${describe(layer)}>
          ${bars}
          <line class="baseline" x1="0" x2=${B} y1=${kHeight} y2=${kHeight}></line>
        </svg>
        ${cuts}
      </div>
      <div class="axis" aria-hidden="true">
        <span>${edgeText(layer.edges[0])}</span><span>${edgeText(layer.edges[B / 2] ?? (layer.edges[0] + layer.edges[B]) / 2)}</span><span>${edgeText(layer.edges[B])}</span>
      </div>
      <p class="stats">
        <span>${stats}</span>${zeroShare >= 0.01 ? html`<span class="zero-share"> · ${(100 * zeroShare).toFixed(0)}% = 0</span>` : nothing}
        ${layer.above > 0 ? html`<span class="beyond"> · ${compactCount(layer.above)} &gt; ${edgeText(layer.edges[B])}</span>` : nothing}
        ${layer.below > 0 ? html`<span class="beyond"> · ${compactCount(layer.below)} &lt; ${edgeText(layer.edges[0])}</span>` : nothing}
      </p>
    </figure>
  `;
}
