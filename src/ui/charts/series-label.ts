/**
 * What every chart's `series` entry says about itself: its name, colour and marker, and its place
 * in a sweep's legend (group, settings). The loss and accuracy charts take their series from the
 * page's JavaScript, so each entry is checked (one message per field, naming the entry) and drawn
 * with safe defaults when malformed.
 */
import { isMarkerShape, kMarkerShapes, type MarkerShape } from '../markers';

export interface SeriesLabel {
  name: string;
  color: string;
  marker: MarkerShape;
  group: string | undefined;
  settings: string | undefined;
}

/** An entry as given: anything at all. */
type Untrusted = { name?: unknown; color?: unknown; marker?: unknown; group?: unknown; settings?: unknown } | null | undefined;

/**
 * Entry i's problems with its label (`entry`: false when it is not an object at all, its one
 * problem); `who` names it for the chart's own fields' messages ("series[2] (Adam)").
 */
export function seriesLabelProblems(s: Untrusted, i: number, marker: 'required' | 'optional'): { who: string; entry: boolean; problems: string[] } {
  const who = `series[${i}]${typeof s?.name === 'string' ? ` (${s.name})` : ''}`;
  if (typeof s !== 'object' || s === null) return { who, entry: false, problems: [`${who} is not an object`] };
  const problems: string[] = [];
  if (typeof s.name !== 'string') problems.push(`${who}: name must be a string`);
  if (typeof s.color !== 'string' || !s.color) problems.push(`${who}: color must be a CSS colour`);
  if ((marker === 'required' || s.marker !== undefined) && !isMarkerShape(s.marker))
    problems.push(`${who}: marker must be one of ${kMarkerShapes.join(', ')} (got ${String(s.marker)})`);
  return { who, entry: true, problems };
}

/** Entry i's label as drawn: a malformed field takes its default (the message says why). */
export function plottedLabel(s: Untrusted, i: number): SeriesLabel {
  return {
    name: typeof s?.name === 'string' ? s.name : `series ${i + 1}`,
    color: typeof s?.color === 'string' && s.color ? s.color : '#888888',
    marker: isMarkerShape(s?.marker) ? s.marker : 'circle',
    group: typeof s?.group === 'string' ? s.group : undefined,
    settings: typeof s?.settings === 'string' ? s.settings : undefined,
  };
}
