/**
 * A 2D point as typed ("x,y"): the one grammar for the 2D race's start (field, attribute, URL),
 * the CLI's --start and <adam-steps>' start. Two decimals (parseDecimal) separated by a comma or by
 * spaces, optionally in parentheses: "-7,2", "-7, 2", "-7 2", "(-7, 2)".
 */
import { parseDecimal } from './decimal';

const kSeparator = /\s*,\s*|\s+/;

/** The coordinates as typed, trimmed (one part per coordinate found; '' for an empty one). */
export function pointParts(text: string): string[] {
  const inner = text.trim().replace(/^\(\s*|\s*\)$/g, '');
  return inner === '' ? [] : inner.split(kSeparator);
}

/** The text parsePoint reads back: "-7,2". */
export const pointText = ([x, y]: readonly [number, number]): string => `${x},${y}`;

/** The point; NaN where a coordinate is not a number, and both NaN unless there are exactly two. */
export function parsePoint(text: string): [number, number] {
  const parts = pointParts(text);
  return parts.length === 2 ? [parseDecimal(parts[0]), parseDecimal(parts[1])] : [NaN, NaN];
}
