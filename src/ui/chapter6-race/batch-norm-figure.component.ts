import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { hostBaseStyles } from '../shared-styles';
import { themeTokens } from '../theme';
import { accuracyText, batchNormPanels, scalesLearning, scaleText, type FigureRacer, type ScalePanel } from './figure-data';
import { figureStyles } from './figure.styles';
import { linePlot, type PlotLine } from './line-plot';
import { smallMultiples, smallMultiplesStyles } from './small-multiples';

/** A scale "learns" when its final training accuracy reaches this (chance is 0.1). */
export const kLearnedAccuracy = 0.5;

const kWithBn = { tone: 'primary', dashed: false } as const;
const kWithout = { tone: 'secondary', dashed: true } as const;

/**
 * The book's figure 6-19 (batch_norm_test.py): a 4 x 4 grid of small charts, one per weight scale
 * (titled `W: 0.0464`), each with the training accuracy per epoch of the network with batch norm
 * (solid) and without (dashed), y from 0 to 1. Draws what it is given (`racers`: the race's
 * histories, or the preset's racers before a race), so it fills in as checkpoints arrive; the
 * grid has two columns on a narrow screen. Below it, a sentence and a table of the final
 * accuracies: the text alternative of the grid.
 *
 * @csspart panel - one weight scale's chart (title and plot)
 * @cssproperty --ch6-primary - the batch-norm line (default --or-accent)
 * @cssproperty --ch6-secondary - the line without batch norm (default --or-text)
 */
export class BatchNormFigure extends LitElement {
  static override styles = [
    themeTokens,
    hostBaseStyles,
    figureStyles,
    smallMultiplesStyles(4),
    css`
      .panel {
        position: relative;
      }
      .diverged {
        /* Inside the plot, above the x axis at the right: a diverged line ends at the left. */
        position: absolute;
        bottom: 2.4em;
        right: 0.3em;
        margin: 0;
        padding: 0 var(--or-space-1);
        background: var(--or-bg);
        font-size: var(--or-font-size-xs);
        color: var(--or-muted);
      }
    `,
  ];

  /** Per racer (batch_norm_test's order: per scale, with and without batch norm): its init (the scale), bn and checkpoints. */
  @property({ attribute: false }) racers: readonly FigureRacer[] = [];
  /** Epochs of the race: the x axis runs from 0 to epochs − 1. */
  @property({ type: Number }) epochs = 20;

  /** The charts as drawn now (one per scale). */
  get panels(): ScalePanel[] {
    return batchNormPanels(this.racers);
  }

  protected override render(): TemplateResult {
    const panels = this.panels;
    return html`
      ${smallMultiples(
        [
          { line: kWithBn, label: 'with Batch Normalization' },
          { line: kWithout, label: 'without (normal)' },
        ],
        'Training accuracy per epoch, one chart per weight scale',
        panels.map(
          (p) => html`<figure part="panel" class="panel" data-scale=${p.scale}>
            <figcaption class="panel-title">${p.title}</figcaption>
            ${this.divergedNote(p)}
            ${linePlot(this.lines(p), { width: 220, height: 160, xMax: this.epochs - 1, compact: true }, this.panelLabel(p))}
          </figure>`,
        ),
      )}
      ${this.renderSummary(panels)}
    `;
  }

  /** Which network's loss stopped being finite: its line ends at its last checkpoint. */
  private divergedNote(p: ScalePanel): TemplateResult | typeof nothing {
    const which = [p.divergedWithBn === null ? '' : 'with batch norm', p.divergedWithout === null ? '' : 'without'].filter(Boolean);
    return which.length ? html`<p class="diverged" data-diverged>${which.join(' and ')}: diverged</p>` : nothing;
  }

  private lines(p: ScalePanel): PlotLine[] {
    return [
      { id: 'bn', points: p.withBn, ...kWithBn },
      { id: 'plain', points: p.without, ...kWithout },
    ];
  }

  private panelLabel(p: ScalePanel): string {
    const end = (points: readonly { x: number; y: number }[], diverged: number | null): string => {
      const last = points[points.length - 1];
      const measured = last ? `${accuracyText(last.y)} after epoch ${last.x + 1}` : 'not measured yet';
      return diverged === null ? measured : `${measured}, then diverged at iteration ${diverged}`;
    };
    return `Weight scale ${scaleText(p.scale)}: training accuracy with batch norm ${end(p.withBn, p.divergedWithBn)}, without ${end(p.without, p.divergedWithout)}`;
  }

  private renderSummary(panels: ScalePanel[]): TemplateResult | typeof nothing {
    if (!panels.some((p) => p.withBn.length || p.without.length)) return nothing;
    const learning = scalesLearning(panels, kLearnedAccuracy);
    const cell = (points: readonly { y: number }[]) => (points.length ? accuracyText(points[points.length - 1].y) : '–');
    return html`
      <p class="summary" data-summary>
        Training accuracy reaches ${kLearnedAccuracy} or more at ${learning.withBn} of ${panels.length} weight scales with
        batch norm, and at ${learning.without} without it.
      </p>
      <details>
        <summary>The numbers: the latest training accuracy per scale</summary>
        <table>
          <thead><tr><th scope="col">weight scale</th><th scope="col">with batch norm</th><th scope="col">without</th></tr></thead>
          <tbody>
            ${panels.map((p) => html`<tr><th scope="row">${scaleText(p.scale)}</th><td>${cell(p.withBn)}</td><td>${cell(p.without)}</td></tr>`)}
          </tbody>
        </table>
      </details>
    `;
  }
}
