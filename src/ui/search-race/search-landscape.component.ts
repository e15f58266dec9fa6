import { interpolateViridis } from 'd3-scale-chromatic';
import { css, html, LitElement, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { gFormat, searchKeyWords, trialAccuracyText, type SearchSpec } from '../../optim/sweep';
import { figureStyles } from '../chapter6-race/figure.styles';
import { markerPath, type MarkerShape } from '../markers';
import { hostBaseStyles } from '../shared-styles';
import { themeTokens } from '../theme';
import { axisFraction, landscape, type Landscape, type LandscapeAxis, type LandscapePoint, type SearchRound } from './search-figure-data';
import { trialName } from './search-best-figure.component';

const kWidth = 560;
const kHeight = 380;
const kMargin = { top: 12, right: 16, bottom: 44, left: 64 };
const kRadius = 5;
/** Round 1 circles, round 2 diamonds, then the other shapes. */
const kRoundShapes: readonly MarkerShape[] = ['circle', 'diamond', 'square', 'triangle-up', 'pentagon'];
const roundShape = (round: number): MarkerShape => kRoundShapes[(round - 1) % kRoundShapes.length];
/** The colour legend's stops (viridis sampled every 0.1). */
const kStops = Array.from({ length: 11 }, (_, k) => k / 10);

/**
 * Colour of a validation accuracy: viridis over the fixed domain 0..1 (d3-scale-chromatic), so a
 * colour means the same accuracy in every round and every race. Viridis is perceptually uniform,
 * its lightness grows with the value (it reads in grey too) and colour-blind readers tell its ends apart.
 */
export const accuracyColor = (accuracy: number): string => interpolateViridis(Math.min(1, Math.max(0, accuracy)));

const tickText = (a: LandscapeAxis, v: number): string => (a.scale === 'log' ? gFormat(v, 2) : String(v));

/**
 * The search's landscape (beyond the book): every trial of every round as a point over its first
 * two searched values (log axes where the spec's scale is log; a one-key search puts validation
 * accuracy on y), coloured by validation accuracy (viridis, the legend below), diverged trials as
 * red crosses, not yet measured ones hollow, the top five of all rounds ringed and numbered; round
 * 2's trials are diamonds. `box`: a proposed narrowed spec, drawn as a dashed rectangle. The table
 * under it is its text alternative.
 *
 * @csspart plot - the SVG
 * @csspart legend - the colour scale and the marks
 */
export class SearchLandscape extends LitElement {
  static override styles = [
    themeTokens,
    hostBaseStyles,
    figureStyles,
    css`
      .plot {
        max-width: 44rem;
      }
      .point {
        stroke: var(--or-bg);
        stroke-width: 1;
      }
      .point.unmeasured {
        fill: none;
        stroke: var(--or-muted);
      }
      .point.diverged {
        fill: var(--or-danger);
        stroke: var(--or-bg);
      }
      .ring {
        fill: none;
        stroke: var(--or-text);
        stroke-width: 2;
      }
      .rank {
        font-size: 11px;
        font-weight: 600;
        fill: var(--or-text);
        paint-order: stroke;
        stroke: var(--or-bg);
        stroke-width: 3px;
      }
      .box {
        fill: none;
        stroke: var(--or-accent);
        stroke-width: 1.5;
        stroke-dasharray: 5 4;
      }
      .scale {
        display: block;
        width: 100%;
        max-width: 20rem;
        height: auto;
        overflow: visible;
      }
      .scale text {
        font-size: 11px;
        fill: var(--or-muted);
      }
      .legend svg {
        overflow: visible;
      }
      .legend .mark {
        fill: var(--or-muted);
        stroke: var(--or-bg);
      }
      .legend .mark.diverged {
        fill: var(--or-danger);
      }
    `,
  ];

  /** Every round's spec and trials (round 1 first). */
  @property({ attribute: false }) rounds: readonly SearchRound[] = [];
  /** A proposed narrowed box (the next round's spec), or null. */
  @property({ attribute: false }) box: SearchSpec | null = null;

  /** What is drawn now: the axes and the points (null without a spec). */
  get landscape(): Landscape | null {
    return landscape(this.rounds);
  }

  protected override render(): TemplateResult {
    const land = this.landscape;
    if (!land) return html``;
    const measured = land.points.filter((p) => p.validation !== null).length;
    const label = `${land.points.length} trials over ${land.x.label} and ${land.y.label}, ${measured} measured, coloured by validation accuracy`;
    return html`
      <svg class="plot" part="plot" viewBox="0 0 ${kWidth} ${kHeight}" role="img" aria-label=${label}>
        ${this.axes(land)} ${this.boxRect(land)}
        ${land.points.filter((p) => p.top === 0).map((p) => this.point(land, p))}
        ${land.points
          .filter((p) => p.top > 0)
          .sort((a, b) => b.top - a.top)
          .map((p) => this.point(land, p))}
      </svg>
      ${this.legend()}
      ${this.table(land)}
    `;
  }

  private sx(a: LandscapeAxis, v: number): number {
    return kMargin.left + (kWidth - kMargin.left - kMargin.right) * axisFraction(a, v);
  }

  private sy(a: LandscapeAxis, v: number): number {
    return kHeight - kMargin.bottom - (kHeight - kMargin.top - kMargin.bottom) * axisFraction(a, v);
  }

  private axes({ x, y }: Landscape): SVGTemplateResult {
    const [x0, x1, y0, y1] = [kMargin.left, kWidth - kMargin.right, kHeight - kMargin.bottom, kMargin.top];
    return svg`
      ${x.ticks.map(
        (t) => svg`<line class="grid" x1=${this.sx(x, t)} x2=${this.sx(x, t)} y1=${y0} y2=${y1}></line>
        <text class="tick" x=${this.sx(x, t)} y=${y0 + 16} text-anchor="middle">${tickText(x, t)}</text>`,
      )}
      ${y.ticks.map(
        (t) => svg`<line class="grid" x1=${x0} x2=${x1} y1=${this.sy(y, t)} y2=${this.sy(y, t)}></line>
        <text class="tick" x=${x0 - 6} y=${this.sy(y, t)} text-anchor="end" dominant-baseline="middle">${tickText(y, t)}</text>`,
      )}
      <line class="axis" x1=${x0} x2=${x1} y1=${y0} y2=${y0}></line>
      <line class="axis" x1=${x0} x2=${x0} y1=${y0} y2=${y1}></line>
      <text class="axis-label" x=${(x0 + x1) / 2} y=${kHeight - 6} text-anchor="middle">${x.label}${x.scale === 'log' ? ' (log)' : ''}</text>
      <text class="axis-label" transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${y.label}${y.scale === 'log' ? ' (log)' : ''}</text>`;
  }

  private boxRect({ x, y }: Landscape): SVGTemplateResult | typeof nothing {
    const rx = this.box?.ranges.find((r) => r.key === x.key);
    const ry = this.box?.ranges.find((r) => r.key === y.key);
    if (!rx) return nothing;
    const [left, right] = [this.sx(x, Math.max(rx.min, x.min)), this.sx(x, Math.min(rx.max, x.max))];
    const [top, bottom] = ry ? [this.sy(y, Math.min(ry.max, y.max)), this.sy(y, Math.max(ry.min, y.min))] : [kMargin.top, kHeight - kMargin.bottom];
    return svg`<rect class="box" data-box x=${left} y=${top} width=${Math.max(1, right - left)} height=${Math.max(1, bottom - top)}></rect>`;
  }

  private point(land: Landscape, p: LandscapePoint): SVGTemplateResult {
    const [cx, cy] = [this.sx(land.x, p.x), this.sy(land.y, p.y)];
    const attrs = { round: p.round, trial: p.number, top: p.top };
    if (p.diverged) {
      return svg`<path class="point diverged" data-round=${attrs.round} data-trial=${attrs.trial} data-diverged d=${markerPath('cross', cx, cy, kRadius + 1)}></path>`;
    }
    const fill = p.validation === null ? 'none' : accuracyColor(p.validation);
    const cls = p.validation === null ? 'point unmeasured' : 'point';
    const mark = svg`<path class=${cls} data-round=${attrs.round} data-trial=${attrs.trial} fill=${fill} d=${markerPath(roundShape(p.round), cx, cy, kRadius)}></path>`;
    if (!p.top) return mark;
    return svg`<g data-top=${p.top}>${mark}<circle class="ring" cx=${cx} cy=${cy} r=${kRadius + 5}></circle>
      <text class="rank" x=${cx + kRadius + 7} y=${cy - kRadius - 3}>${p.top}</text></g>`;
  }

  private legend(): TemplateResult {
    const rounds = Math.max(1, this.rounds.length);
    return html`<div class="legend" part="legend">
      <figure class="colour-scale" style="margin:0">
        <svg class="scale" viewBox="0 0 240 34" role="img" aria-label="Colour scale: validation accuracy from 0 (dark purple) to 1 (yellow), viridis">
          <defs><linearGradient id="viridis">${kStops.map((s) => svg`<stop offset=${s} stop-color=${accuracyColor(s)}></stop>`)}</linearGradient></defs>
          <rect x="0" y="0" width="240" height="12" fill="url(#viridis)"></rect>
          ${[0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => svg`<text x=${t * 240} y="26" text-anchor=${t === 0 ? 'start' : t === 1 ? 'end' : 'middle'}>${t}</text>`)}
        </svg>
        <figcaption>validation accuracy</figcaption>
      </figure>
      <ul class="legend" aria-label="Marks">
        ${Array.from({ length: rounds }, (_, i) => html`<li>${this.swatch(roundShape(i + 1))} round ${i + 1}</li>`)}
        <li>${this.swatch('cross', 'diverged')} diverged</li>
        <li><svg width="22" height="22" viewBox="-11 -11 22 22" aria-hidden="true"><circle class="ring" r="9" style="fill:none;stroke:var(--or-text);stroke-width:2"></circle></svg> the top five</li>
        <li><svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true"><rect class="box" x="1" y="1" width="20" height="12" style="fill:none;stroke:var(--or-accent);stroke-dasharray:5 4"></rect></svg> narrowed box</li>
      </ul>
    </div>`;
  }

  private swatch(shape: MarkerShape, cls = ''): TemplateResult {
    return html`<svg width="16" height="16" viewBox="-8 -8 16 16" aria-hidden="true"><path class="mark ${cls}" d=${markerPath(shape, 0, 0, 6)}></path></svg>`;
  }

  private table(land: Landscape): TemplateResult {
    const rounds = this.rounds.length > 1;
    const keys = this.rounds[0]?.spec.ranges.map((r) => r.key) ?? [];
    const rows = [...land.points].sort((a, b) => (a.top || 99) - (b.top || 99) || (b.validation ?? -1) - (a.validation ?? -1));
    return html`<details>
      <summary>The numbers: every trial</summary>
      <table>
        <thead><tr><th scope="col">trial</th>${keys.map((k) => html`<th scope="col">${searchKeyWords(k)}</th>`)}<th scope="col">validation accuracy</th></tr></thead>
        <tbody>
          ${rows.map((p) => {
            const values = this.rounds[p.round - 1]?.results.find((t) => t.number === p.number)?.values ?? {};
            return html`<tr><th scope="row">${trialName(p, rounds)}${p.top ? ` (top ${p.top})` : ''}</th>${keys.map((k) => html`<td>${values[k] === undefined ? '' : gFormat(values[k], 3)}</td>`)}<td>${p.diverged ? 'diverged' : trialAccuracyText(p.validation)}</td></tr>`;
          })}
        </tbody>
      </table>
    </details>`;
  }
}
