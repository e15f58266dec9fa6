/**
 * The charts' legend: one toggle button per series (aria-pressed: shown) with its value at the
 * cursor, and, for series that name a `group` (a sweep's racers of one optimizer), a collapsible
 * group per name: a disclosure button (aria-expanded) and a button that shows or hides the whole
 * group. Each entry's `title` (the racer's settings) is its hover text.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { markerSwatchSvg, type MarkerShape } from '../markers';

/** One legend row: a series, its value at the cursor (or its latest) and an optional note. */
export interface LegendItem {
  name: string;
  color: string;
  marker: MarkerShape;
  visible: boolean;
  value: string;
  /** Secondary value (the raw loss), muted. */
  detail?: string;
  /** A warning shown in the danger colour ("diverged at 312"). */
  warning?: string;
  /** Legend group (the optimizer's label); consecutive items of one group are listed together. */
  group?: string;
  /** Hover text: the series' settings. */
  title?: string;
}

export interface LegendActions {
  /** Show or hide legend item i. */
  toggle(index: number): void;
  /** Show or hide these legend items together (all hidden when any is shown). */
  toggleMany(indices: number[]): void;
  collapsed(group: string): boolean;
  toggleCollapsed(group: string): void;
  /** Colour used to outline markers (the background). */
  outline: string;
  markerRadius: number;
}

interface LegendGroup {
  name: string | undefined;
  entries: { item: LegendItem; index: number }[];
}

/** Consecutive items of one group together; items without a group each stand alone. */
export function legendGroups(items: readonly LegendItem[]): LegendGroup[] {
  const groups: LegendGroup[] = [];
  items.forEach((item, index) => {
    const last = groups.at(-1);
    if (item.group !== undefined && last?.name === item.group) last.entries.push({ item, index });
    else groups.push({ name: item.group, entries: [{ item, index }] });
  });
  return groups;
}

/** Past this many entries a grouped legend starts folded (the group heads and their show/hide buttons stay). */
export const kFoldGroupsAbove = 24;

/** The groups a legend starts with folded: all of them when it is long, none otherwise. */
export function initiallyFolded(items: readonly LegendItem[]): string[] {
  if (items.length <= kFoldGroupsAbove) return [];
  return [...new Set(items.flatMap((item) => (item.group === undefined ? [] : [item.group])))];
}

function swatch(item: LegendItem, actions: LegendActions): TemplateResult {
  return html`<svg class="swatch" width="26" height="12" viewBox="0 0 26 12" aria-hidden="true">${markerSwatchSvg(
    item.marker,
    item.color,
    actions.outline,
    actions.markerRadius,
  )}</svg>`;
}

function entry(item: LegendItem, index: number, actions: LegendActions): TemplateResult {
  return html`
    <li>
      <button type="button" class="entry" aria-pressed=${item.visible ? 'true' : 'false'} title=${item.title ?? nothing}
        @click=${() => actions.toggle(index)}>
        ${swatch(item, actions)}
        <span class="name">${item.name}</span>
        <span class="value">${item.value}</span>
        ${item.detail ? html`<span class="detail">${item.detail}</span>` : nothing}
        ${item.warning ? html`<span class="detail danger">${item.warning}</span>` : nothing}
      </button>
    </li>`;
}

function group(g: LegendGroup & { name: string }, key: number, actions: LegendActions): TemplateResult {
  const collapsed = actions.collapsed(g.name);
  const shown = g.entries.filter((e) => e.item.visible).length;
  const id = `legend-group-${key}`;
  const first = g.entries[0].item;
  return html`
    <li class="legend-group" data-group=${g.name}>
      <div class="group-head">
        <button type="button" class="group-toggle" aria-expanded=${collapsed ? 'false' : 'true'} aria-controls=${id}
          @click=${() => actions.toggleCollapsed(g.name)}>
          <span class="chevron" aria-hidden="true">${collapsed ? '▸' : '▾'}</span>${swatch(first, actions)}
          <span class="name">${g.name}</span> <span class="detail">${g.entries.length} racers</span>
        </button>
        <button type="button" class="entry group-visibility" aria-pressed=${shown > 0 ? 'true' : 'false'}
          aria-label=${`${shown > 0 ? 'Hide' : 'Show'} all ${g.name} racers`}
          @click=${() => actions.toggleMany(g.entries.map((e) => e.index))}>${shown > 0 ? 'hide all' : 'show all'}</button>
      </div>
      <ul class="legend group-entries" id=${id} ?hidden=${collapsed}>
        ${g.entries.map((e) => entry(e.item, e.index, actions))}
      </ul>
    </li>`;
}

export function renderLegend(items: readonly LegendItem[], actions: LegendActions): TemplateResult {
  const groups = legendGroups(items);
  return html`
    <ul class="legend" part="legend" aria-label="series (press to show or hide)">
      ${groups.map((g, k) =>
        g.name !== undefined && g.entries.length > 1
          ? group(g as LegendGroup & { name: string }, k, actions)
          : g.entries.map((e) => entry(e.item, e.index, actions)),
      )}
    </ul>`;
}
