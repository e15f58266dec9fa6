import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { hostBaseStyles } from '../shared-styles';
import { themeTokens } from '../theme';
import { accuracyText, overfitPanels, type FigureRacer, type OverfitPanel } from './figure-data';
import { figureStyles } from './figure.styles';
import { linePlot, type PlotLine } from './line-plot';
import { smallMultiples, smallMultiplesStyles } from './small-multiples';

/** Markers on every 10th epoch, as the book's scripts draw them (markevery=10). */
export const kMarkEvery = 10;

const kTrain = { tone: 'primary', dashed: false, marker: { shape: 'circle', every: kMarkEvery } } as const;
const kTest = { tone: 'secondary', dashed: true, marker: { shape: 'square', every: kMarkEvery } } as const;

/**
 * The book's overfitting figures (6-20 and 6-21 for weight decay, 6-23 for dropout): one chart per
 * racer with its training accuracy (solid, circles) and test accuracy (dashed, squares) per epoch,
 * markers every 10 epochs, y from 0 to 1; under each chart the gap between them at the latest
 * epoch, and a sentence comparing the racers' gaps (the text alternative, with the charts' labels).
 *
 * @csspart panel - one racer's chart (title, plot, gap)
 * @cssproperty --ch6-primary - the training line (default --or-accent)
 * @cssproperty --ch6-secondary - the test line (default --or-text)
 */
export class OverfitFigure extends LitElement {
  static override styles = [
    themeTokens,
    hostBaseStyles,
    figureStyles,
    smallMultiplesStyles(2, 1),
    css`
      .gap {
        margin: var(--or-space-2) 0 0;
        text-align: center;
        font-size: var(--or-font-size-md);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** The race's racers (e.g. λ = 0 and λ = 0.1): name and checkpoints with `train` and `test`. */
  @property({ attribute: false }) racers: readonly FigureRacer[] = [];
  /** Epochs of the race: the x axis runs from 0 to epochs − 1. */
  @property({ type: Number }) epochs = 201;

  /** The charts as drawn now (one per racer). */
  get panels(): OverfitPanel[] {
    return overfitPanels(this.racers);
  }

  protected override render(): TemplateResult {
    const panels = this.panels;
    return html`
      ${smallMultiples(
        [
          { line: kTrain, label: 'train' },
          { line: kTest, label: 'test' },
        ],
        'Training and test accuracy per epoch, one chart per network',
        panels.map((p) => this.renderPanel(p)),
      )}
      ${this.renderSummary(panels)}
    `;
  }

  private renderPanel(p: OverfitPanel): TemplateResult {
    const lines: PlotLine[] = [
      { id: 'train', points: p.train, ...kTrain },
      { id: 'test', points: p.test, ...kTest },
    ];
    const frame = { width: 440, height: 280, xMax: this.epochs - 1, xLabel: 'epochs', yLabel: 'accuracy' };
    return html`<figure part="panel" class="panel" data-racer=${p.name}>
      <figcaption class="panel-title">${p.name}</figcaption>
      ${linePlot(lines, frame, `${p.name}: ${this.gapText(p)}`)}
      <p class="gap" data-gap>${this.gapText(p)}</p>
    </figure>`;
  }

  private gapText(p: OverfitPanel): string {
    const text = this.measuredText(p);
    return p.diverged === null ? text : `${text}; diverged at iteration ${p.diverged}`;
  }

  private measuredText(p: OverfitPanel): string {
    if (!p.final) {
      const test = p.test[p.test.length - 1];
      return test ? `epoch ${test.x + 1}: test ${accuracyText(test.y)}; the gap needs training accuracy, not measured` : 'not measured yet';
    }
    const { epoch, train, test, gap } = p.final;
    return `epoch ${epoch + 1}: train ${accuracyText(train)}, test ${accuracyText(test)}, gap ${accuracyText(gap)}`;
  }

  /** The first racer is the book's unregularised network: how each other one's gap compares with it. */
  private renderSummary(panels: OverfitPanel[]): TemplateResult | typeof nothing {
    const [base, ...others] = panels;
    const baseGap = base?.final?.gap;
    const gaps = others.map((o) => o.final?.gap);
    if (baseGap === undefined || gaps.some((g) => g === undefined)) return nothing;
    const compared = others.map((o, k) => {
      const gap = gaps[k] as number;
      const verb = gap < baseGap ? 'narrows' : gap > baseGap ? 'widens' : 'keeps';
      return `${o.name} ${verb} the gap between training and test accuracy from ${accuracyText(baseGap)} (${base.name}) to ${accuracyText(gap)}.`;
    });
    return html`<p class="summary" data-summary>${compared.join(' ')}</p>`;
  }
}
