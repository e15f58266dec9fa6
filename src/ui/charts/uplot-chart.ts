/**
 * What <loss-chart> and <accuracy-chart> share: a uPlot instance in the shadow root sized by a
 * ResizeObserver, updates batched into at most one uPlot draw per animation frame, canvas colours
 * from the theme tokens, a legend of toggle buttons with the values at the cursor, and PNG export.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import uPlot from 'uplot';
import { themeTokens } from '../theme';
import { chartStyles, uPlotStyles } from './chart.styles';
import { readChartTheme, type ChartTheme } from './chart-theme';
import { drawMarker, type MarkerShape } from '../markers';
import { initiallyFolded, renderLegend, type LegendItem } from './chart-legend';
import { chartCanvas, chartPng } from './chart-png';

export type { LegendItem } from './chart-legend';

/** Counters for tests and for anyone checking the one-draw-per-frame promise. */
export interface RenderStats {
  /** refresh() calls. */
  refreshes: number;
  /** Animation frames in which pending updates were applied (at most one per frame). */
  flushes: number;
  /** Data handed to uPlot (constructor or setData). */
  setData: number;
  /** Completed uPlot draws (its draw hook). */
  draws: number;
  /** The most draws seen within one animation frame (keyed by the frame's timestamp; toPNG() with updates pending adds one). */
  maxDrawsPerFrame: number;
  /** Markers drawn in the last draw. */
  markers: number;
}

/** Sizes in CSS pixels. */
interface Size {
  width: number;
  height: number;
}

/** Space taken by the y axis and its label before the first build, to size the first thinning. */
const kAxisAllowance = 70;
/** Marker radius in CSS pixels. */
export const kMarkerRadius = 3.6;

export abstract class UPlotChart extends LitElement {
  static override styles = [themeTokens, uPlotStyles, chartStyles];

  /** The uPlot instance (null until the element has a size). Exposed for tests and plugins. */
  get plot(): uPlot | null {
    return this.uplot;
  }

  /** Counters; see RenderStats. */
  readonly renderStats: RenderStats = { refreshes: 0, flushes: 0, setData: 0, draws: 0, maxDrawsPerFrame: 0, markers: 0 };

  /** The x value under the cursor, or null when the cursor is off the plot. */
  @state() protected hoverX: number | null = null;

  protected theme: ChartTheme = readChartTheme(document.documentElement);
  /** Series hidden through the legend, by index. */
  protected hiddenSeries = new Set<number>();
  /** Legend groups folded away. */
  private readonly collapsedGroups = new Set<string>();
  /** The legend's groups and length when the folding was last reset: a new set of series starts from initiallyFolded. */
  private foldedFor = '';
  /** The legend item of the series nearest the cursor (uPlot's focus), or null. */
  @state() protected focusedItem: number | null = null;

  /** Names, colours and markers of the plotted series: a change rebuilds the uPlot series. */
  private seriesSignature = '';
  private uplot: uPlot | null = null;
  private plotHost: HTMLElement | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private size: Size = { width: 0, height: 0 };
  private appliedSize: Size = { width: 0, height: 0 };
  private frameRequest = 0;
  private needsRebuild = true;
  private frameTime = -1;
  private drawsThisFrame = 0;
  private readonly colorScheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly onColorScheme = (): void => {
    this.theme = readChartTheme(this);
    this.needsRebuild = true; // fonts are baked into uPlot's axes at build time
    this.refresh();
  };

  /** uPlot options for a plot of this size (series, scales, axes; the base adds hooks and cursor). */
  protected abstract plotOptions(size: Size): uPlot.Options;
  /** Brings the data up to date and returns the columns for a plot this wide (CSS px). */
  protected abstract buildData(plotWidth: number): uPlot.AlignedData;
  /** Draws markers on top of the series (canvas pixels); returns how many. */
  protected abstract drawMarkers(u: uPlot, draw: (shape: MarkerShape, x: number, y: number, color: string) => void): number;
  /** The legend rows, with values at hoverX (or the latest values). */
  protected abstract legendItems(): LegendItem[];

  /** A new set of series (other groups or length) starts folded as initiallyFolded says; the user's folding stays otherwise. */
  private foldLegend(items: LegendItem[]): LegendItem[] {
    const key = `${items.length}:${items.map((i) => i.group ?? '').join('|')}`;
    if (key !== this.foldedFor) {
      this.foldedFor = key;
      this.collapsedGroups.clear();
      for (const group of initiallyFolded(items)) this.collapsedGroups.add(group);
    }
    return items;
  }
  /** uPlot series indices that belong to legend row i (shown and hidden together). */
  protected abstract seriesOf(legendIndex: number): number[];
  /** The toolbar's controls. */
  protected abstract renderControls(): TemplateResult;
  /** The read-out next to the controls ("iteration 1200"). */
  protected abstract readout(): string;
  /** The plot's accessible summary. */
  protected abstract summary(): string;
  /** A message about bad input, or '' (shown above the plot). */
  protected message(): string {
    return '';
  }

  /**
   * Call after appending to the series' arrays (or changing them). Cheap: the chart applies all
   * pending changes at the next animation frame, in one uPlot draw.
   */
  refresh(): void {
    this.renderStats.refreshes++;
    if (this.frameRequest === 0) {
      this.frameRequest = requestAnimationFrame((time) => {
        this.frameRequest = 0;
        this.flush(time);
      });
    }
  }

  /** Applies pending changes now instead of at the next frame (export); nothing to do, no draw. */
  protected flushNow(): void {
    if (this.frameRequest === 0 && !this.needsRebuild && this.uplot) return;
    if (this.frameRequest !== 0) {
      cancelAnimationFrame(this.frameRequest);
      this.frameRequest = 0;
    }
    this.flush(document.timeline?.currentTime != null ? Number(document.timeline.currentTime) : performance.now());
  }

  /**
   * Call when `series` is assigned: a change of names, colours or markers rebuilds the plot and
   * shows every series again; otherwise the data are just redrawn.
   */
  protected seriesAssigned(plotted: readonly { name: string; color: string; marker: MarkerShape }[]): void {
    const signature = JSON.stringify(plotted.map((s) => [s.name, s.color, s.marker]));
    if (signature !== this.seriesSignature) {
      this.seriesSignature = signature;
      this.hiddenSeries.clear();
      this.rebuild();
    } else {
      this.refresh();
    }
  }

  /** The toolbar's y-axis toggle: one radio per value, labels[value] = [text, title]. */
  protected renderYRangeToggle<T extends string>(
    values: readonly T[],
    current: T,
    labels: Record<T, [string, string]>,
    pick: (value: T) => void,
  ): TemplateResult {
    return html`
      <div class="group" role="radiogroup" aria-labelledby="y-label">
        <span class="group-label" id="y-label">y axis</span>
        <div class="segmented">
          ${values.map(
            (v) => html`
            <label title=${labels[v][1]}><input type="radio" name="y-range" value=${v} .checked=${current === v}
              @change=${() => pick(v)}><span>${labels[v][0]}</span></label>`,
          )}
        </div>
      </div>`;
  }

  /** Rebuilds the uPlot instance at the next frame (series or scale kind changed). */
  protected rebuild(): void {
    this.needsRebuild = true;
    this.refresh();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.colorScheme.addEventListener('change', this.onColorScheme);
    if (this.plotHost) this.observe(this.plotHost);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.colorScheme.removeEventListener('change', this.onColorScheme);
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    if (this.frameRequest !== 0) cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    this.uplot?.destroy();
    this.uplot = null;
    this.needsRebuild = true;
    // Re-attached later, the ResizeObserver's first report must count as a change.
    this.size = { width: 0, height: 0 };
  }

  protected override firstUpdated(): void {
    this.plotHost = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!this.plotHost) throw new Error(`<${this.localName}>: the plot container is missing from the template`);
    this.theme = readChartTheme(this);
    this.observe(this.plotHost);
  }

  private observe(host: HTMLElement): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      const height = Math.floor(entry.contentRect.height);
      if (width === this.size.width && height === this.size.height) return;
      this.size = { width, height };
      this.refresh();
    });
    this.resizeObserver.observe(host);
  }

  private flush(frameTime: number): void {
    const host = this.plotHost;
    const size = this.size;
    // Not laid out yet (or display: none): the ResizeObserver calls refresh() once it is.
    if (!host || size.width < 40 || size.height < 40) return;
    this.renderStats.flushes++;
    if (frameTime !== this.frameTime) {
      this.frameTime = frameTime;
      this.drawsThisFrame = 0;
    }
    // The data are thinned for the plot's width, known exactly only once uPlot has laid out its
    // axes: estimate it, and if the estimate was off, rebuild the columns at the next frame.
    const plotWidth =
      this.uplot && !this.needsRebuild ? this.uplot.bbox.width / uPlot.pxRatio + (size.width - this.appliedSize.width) : size.width - kAxisAllowance;
    const data = this.buildData(plotWidth);
    if (this.needsRebuild || !this.uplot) {
      this.uplot?.destroy();
      this.needsRebuild = false;
      this.appliedSize = size;
      const options = this.withBaseOptions(this.plotOptions(size));
      // A function target lets us draw synchronously, inside this frame (uPlot would defer to a microtask).
      this.uplot = new uPlot(options, data, (u, init) => {
        host.append(u.root);
        u.batch(() => init());
      });
    } else {
      const u = this.uplot;
      u.batch(() => {
        if (size.width !== this.appliedSize.width || size.height !== this.appliedSize.height) {
          this.appliedSize = size;
          u.setSize(size);
        }
        this.applyVisibility(u);
        u.setData(data, true);
      });
    }
    this.renderStats.setData++;
    if (Math.abs(this.uplot.bbox.width / uPlot.pxRatio - plotWidth) >= 1) this.refresh();
    this.requestUpdate();
  }

  private applyVisibility(u: uPlot): void {
    for (let i = 1; i < u.series.length; i++) {
      const show = this.isSeriesShown(i);
      if (u.series[i].show !== show) u.setSeries(i, { show });
    }
  }

  /** Whether uPlot series i is shown (not hidden through the legend, nor by the subclass). */
  protected isSeriesShown(seriesIndex: number): boolean {
    return !this.legendIndexHidden(seriesIndex);
  }

  private legendIndexHidden(seriesIndex: number): boolean {
    for (const legend of this.hiddenSeries) if (this.seriesOf(legend).includes(seriesIndex)) return true;
    return false;
  }

  private withBaseOptions(options: uPlot.Options): uPlot.Options {
    const pxRatio = (): number => uPlot.pxRatio;
    for (let i = 1; i < options.series.length; i++) options.series[i].show = this.isSeriesShown(i);
    return {
      ...options,
      legend: { show: false },
      cursor: {
        y: false,
        drag: { x: false, y: false, setScale: false },
        points: { size: 7, width: 2 },
        // NaN is "no value here" (diverged racers): the cursor point snaps to the nearest real one.
        hover: { skip: [undefined, NaN] },
        // The series nearest the cursor (within 12 px) is focused: the others dim, and its settings show.
        focus: { prox: 12 },
      },
      focus: { alpha: 0.35 },
      hooks: {
        ...options.hooks,
        draw: [
          ...(options.hooks?.draw ?? []),
          (u: uPlot) => {
            const ctx = u.ctx;
            const { left, top, width, height } = u.bbox;
            ctx.save();
            ctx.beginPath();
            const pad = kMarkerRadius * 2 * pxRatio();
            ctx.rect(left - pad, top - pad, width + 2 * pad, height + 2 * pad);
            ctx.clip();
            const radius = kMarkerRadius * pxRatio();
            this.renderStats.markers = this.drawMarkers(u, (shape, x, y, color) =>
              drawMarker(ctx, shape, x, y, radius, color, this.theme.background, pxRatio()),
            );
            ctx.restore();
            this.renderStats.draws++;
            this.drawsThisFrame++;
            this.renderStats.maxDrawsPerFrame = Math.max(this.renderStats.maxDrawsPerFrame, this.drawsThisFrame);
          },
        ],
        setSeries: [
          ...(options.hooks?.setSeries ?? []),
          (_u: uPlot, seriesIndex: number | null, opts: uPlot.Series) => {
            if ((opts as { focus?: boolean }).focus === undefined) return; // a show/hide, not a focus change
            const items = this.legendItems().length;
            let item: number | null = null;
            for (let i = 0; seriesIndex !== null && i < items; i++) if (this.seriesOf(i).includes(seriesIndex)) item = i;
            if (item !== this.focusedItem) this.focusedItem = item;
          },
        ],
        setCursor: [
          ...(options.hooks?.setCursor ?? []),
          (u: uPlot) => {
            const idx = u.cursor.idx;
            const x = idx == null ? null : (u.data[0][idx] ?? null);
            if (x !== this.hoverX) this.hoverX = x;
          },
        ],
      },
    };
  }

  /** Axis options in the theme's colours (read at draw time, so a scheme change only redraws). */
  protected axis(label: string, extra: uPlot.Axis = {}): uPlot.Axis {
    const grid: uPlot.Axis.Grid = { stroke: () => this.theme.grid, width: 1 };
    const ticks: uPlot.Axis.Ticks = { stroke: () => this.theme.grid, width: 1, size: 4 };
    return {
      label,
      stroke: () => this.theme.muted,
      font: `12px ${this.theme.font}`,
      labelFont: `600 12px ${this.theme.font}`,
      labelSize: 20,
      labelGap: 0,
      border: { show: true, stroke: () => this.theme.border, width: 1 },
      ...extra,
      grid: { ...grid, ...extra.grid },
      ticks: { ...ticks, ...extra.ticks },
    };
  }

  /** The focused series' name and settings (its legend title), above the plot. */
  private renderFocus(): TemplateResult | typeof nothing {
    const item = this.focusedItem === null ? undefined : this.legendItems()[this.focusedItem];
    if (!item) return nothing;
    return html`<p class="focus" part="focus"><span class="name">${item.name}</span>${item.title ? html`: ${item.title}` : nothing}</p>`;
  }

  private toggleMany(indices: number[]): void {
    const anyShown = indices.some((i) => !this.hiddenSeries.has(i));
    for (const i of indices) {
      if (anyShown) this.hiddenSeries.add(i);
      else this.hiddenSeries.delete(i);
    }
    this.requestUpdate();
    this.refresh();
  }

  private toggle(index: number): void {
    if (this.hiddenSeries.has(index)) this.hiddenSeries.delete(index);
    else this.hiddenSeries.add(index);
    this.requestUpdate();
    this.refresh();
  }

  override render(): TemplateResult {
    const message = this.message();
    return html`
      <div class="chart" part="base">
        <div class="toolbar" part="toolbar">
          ${this.renderControls()}
          <output class="readout" part="readout">${this.readout()}</output>
        </div>
        ${message ? html`<p class="message" part="message" role="alert">${message}</p>` : nothing}
        ${this.renderFocus()}
        <div class="plot" part="plot" role="img" aria-label=${this.summary()}></div>
        ${renderLegend(this.foldLegend(this.legendItems()), {
          toggle: (i) => this.toggle(i),
          toggleMany: (indices) => this.toggleMany(indices),
          collapsed: (group) => this.collapsedGroups.has(group),
          toggleCollapsed: (group) => {
            if (!this.collapsedGroups.delete(group)) this.collapsedGroups.add(group);
            this.requestUpdate();
          },
          outline: this.theme.background,
          markerRadius: kMarkerRadius,
        })}
      </div>`;
  }

  /**
   * The chart as a PNG: uPlot's canvas (axes, curves, markers) above a legend, on the theme's
   * background, at the screen's pixel ratio. Applies pending updates first.
   */
  async toPNG(): Promise<Blob> {
    return chartPng(...this.pictureParts());
  }

  /** What toPNG() encodes, as a new canvas, with pending changes applied first (a time-lapse frame). */
  snapshot(): HTMLCanvasElement {
    return chartCanvas(...this.pictureParts());
  }

  private pictureParts(): Parameters<typeof chartCanvas> {
    this.flushNow();
    const u = this.uplot;
    if (!u) throw new Error(`<${this.localName}> has not been drawn yet: it needs to be in the document and visible (it has no size)`);
    return [u.ctx.canvas, u.width, this.legendItems().filter((item) => item.visible), this.theme, kMarkerRadius];
  }

  /** A number for the legend: `digits` significant digits, exponent form when tiny, '–' when missing. */
  protected static format(v: number, digits = 4): string {
    if (!Number.isFinite(v)) return '–';
    return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(digits);
  }
}
