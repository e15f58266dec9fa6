/**
 * The chapter-6 figures' small multiples, as the book's matplotlib subplots: a legend of the two
 * lines, then a grid of small charts (`narrow` columns on a narrow screen, `wide` from 600px).
 * The panels are the figure's own; ./figure.styles.ts has their look.
 */
import { css, html, type CSSResult, type TemplateResult } from 'lit';
import { lineSwatch, type PlotLine } from './line-plot';

export interface LegendEntry {
  line: Pick<PlotLine, 'tone' | 'dashed' | 'marker'>;
  label: string;
}

export function smallMultiplesStyles(wide: number, narrow = 2): CSSResult {
  return css`
    .panels {
      --ch6-columns: ${narrow};
    }
    @container (min-width: 600px) {
      .panels {
        --ch6-columns: ${wide};
      }
    }
    /* A phone shows the plot smaller than its viewBox: larger numbers in user units keep them readable. */
    @container (max-width: 599px) {
      .plot :is(.tick, .axis-label) {
        font-size: 15px;
      }
    }
  `;
}

/** The legend and the grid; `label` says what the grid shows (its text alternative is the figure's). */
export function smallMultiples(legend: readonly LegendEntry[], label: string, panels: readonly TemplateResult[]): TemplateResult {
  return html`
    <ul class="legend" aria-label="Lines">
      ${legend.map((entry) => html`<li>${lineSwatch(entry.line)} ${entry.label}</li>`)}
    </ul>
    <div class="panels" role="group" aria-label=${label}>
      ${panels}
    </div>
  `;
}
