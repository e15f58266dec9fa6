import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { bestLine, kBestShown, trialAccuracyText, trialValuesText } from '../../optim/sweep';
import { figureStyles } from '../chapter6-race/figure.styles';
import { linePlot, type PlotLine } from '../chapter6-race/line-plot';
import { smallMultiples, smallMultiplesStyles } from '../chapter6-race/small-multiples';
import { hostBaseStyles } from '../shared-styles';
import { themeTokens } from '../theme';
import { bestPanels, type BestPanel, type TrialResult } from './search-figure-data';

const kValidation = { tone: 'primary', dashed: false } as const;
const kTrain = { tone: 'secondary', dashed: true } as const;

/** Whose trial a panel shows: "trial 7", "trial 7 of round 2" once there are rounds. */
export const trialName = (t: Pick<TrialResult, 'number' | 'round'>, rounds: boolean): string => `trial ${t.number}${rounds ? ` of round ${t.round}` : ''}`;

/**
 * The book's figure 6-24 (hyperparameter_optimization.py): the best 20 trials by validation
 * accuracy, in a 5 x 4 grid of small charts titled `Best-1` ... `Best-20`, each with validation
 * accuracy (solid) and training accuracy (dashed) per epoch, y from 0 to 1, re-sorted as new
 * checkpoints arrive; under it the lines the book prints, "Best-1 (val acc: 0.81) | lr: 0.0097,
 * weight decay: 6.5e-08" (src/optim/sweep/search-report.ts, the CLI's too), which are also the
 * grid's text alternative. Draws what it is given (`results`: every round's trials).
 *
 * @csspart panel - one trial's chart (title and plot)
 * @csspart lines - the printed list
 * @cssproperty --ch6-primary - the validation line (default --or-accent)
 * @cssproperty --ch6-secondary - the training line (default --or-text)
 */
export class SearchBestFigure extends LitElement {
  static override styles = [
    themeTokens,
    hostBaseStyles,
    figureStyles,
    smallMultiplesStyles(5),
    css`
      .panels {
        gap: var(--or-space-4) var(--or-space-5);
      }
      .panel-title {
        font-size: var(--or-font-size-sm);
      }
      .panel.diverged .panel-title::after {
        content: ' ×';
        color: var(--or-danger);
      }
      .lines {
        margin: var(--or-space-6) 0 0;
        padding: 0;
        list-style: none;
        font-family: var(--or-mono);
        font-size: var(--or-font-size-sm);
        line-height: 1.6;
        overflow-x: auto;
      }
      .lines li {
        white-space: nowrap;
      }
      .empty {
        margin: 0;
        color: var(--or-muted);
      }
    `,
  ];

  /** Every trial so far (all rounds), with its drawn values and per-epoch accuracies. */
  @property({ attribute: false }) results: readonly TrialResult[] = [];
  /** Epochs per trial: the x axis runs from 0 to epochs − 1. */
  @property({ type: Number }) epochs = 50;
  /** How many charts and lines (the book's 20). */
  @property({ type: Number }) count = kBestShown;

  /** The charts as drawn now, best first. */
  get panels(): BestPanel[] {
    return bestPanels(this.results, this.count);
  }

  /** The book's lines for the panels, best first. */
  get lines(): string[] {
    return this.panels.map((p) => bestLine(p.rank, p.trial));
  }

  protected override render(): TemplateResult {
    const panels = this.panels;
    const rounds = this.results.some((t) => t.round > 1);
    if (panels.length === 0) return html`<p class="empty">No trials yet.</p>`;
    return html`
      ${smallMultiples(
        [
          { line: kValidation, label: 'validation accuracy' },
          { line: kTrain, label: 'training accuracy' },
        ],
        `The best ${panels.length} trials by validation accuracy, accuracy per epoch`,
        panels.map(
          (
            p,
          ) => html`<figure part="panel" class="panel ${p.trial.diverged ? 'diverged' : ''}" data-rank=${p.rank} data-trial=${p.trial.number} data-round=${p.trial.round}>
            <figcaption class="panel-title" title=${`${trialName(p.trial, rounds)}: ${trialValuesText(p.trial.values)}`}>${p.title}</figcaption>
            ${linePlot(this.plotLines(p), { width: 200, height: 150, xMax: this.epochs - 1, compact: true }, this.panelLabel(p, rounds))}
          </figure>`,
        ),
      )}
      <ol class="lines" part="lines" tabindex="0" aria-label="The best trials as the book prints them">
        ${panels.map((p) => html`<li data-rank=${p.rank}>${bestLine(p.rank, p.trial)}${rounds ? html` <span class="round">(round ${p.trial.round})</span>` : nothing}</li>`)}
      </ol>
    `;
  }

  private plotLines(p: BestPanel): PlotLine[] {
    return [
      { id: 'validation', points: p.trial.validationPoints, ...kValidation },
      { id: 'train', points: p.trial.trainPoints, ...kTrain },
    ];
  }

  private panelLabel(p: BestPanel, rounds: boolean): string {
    const t = p.trial;
    const measured =
      t.validation === null ? 'not measured yet' : `validation accuracy ${trialAccuracyText(t.validation)}, training ${trialAccuracyText(t.train)}`;
    return `${p.title}, ${trialName(t, rounds)} (${trialValuesText(t.values)}): ${measured}${t.diverged ? ', diverged' : ''}`;
  }
}
