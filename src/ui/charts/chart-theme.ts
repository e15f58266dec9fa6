/**
 * Canvas colours and fonts for the charts, read from the element's CSS custom properties
 * (themeTokens in src/ui/theme.ts, which follow prefers-color-scheme and can be overridden by the
 * embedding page). Canvas cannot use var(), so the values are read once and again when the colour
 * scheme changes.
 */
export interface ChartTheme {
  text: string;
  muted: string;
  border: string;
  /** Grid lines: the border colour at reduced alpha (drawn with globalAlpha by uPlot's stroke). */
  grid: string;
  background: string;
  danger: string;
  font: string;
}

const kFallback: ChartTheme = {
  text: '#1d2129',
  muted: '#5d6675',
  border: '#d9dde3',
  grid: '#d9dde3',
  background: '#ffffff',
  danger: '#c8362b',
  font: 'system-ui, sans-serif',
};

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const border = read('--or-border', kFallback.border);
  return {
    text: read('--or-text', kFallback.text),
    muted: read('--or-muted', kFallback.muted),
    border,
    grid: read('--or-chart-grid', border),
    background: read('--or-bg', kFallback.background),
    danger: read('--or-danger', kFallback.danger),
    font: read('--or-font', kFallback.font),
  };
}
