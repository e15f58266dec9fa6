/** The one "x,y" grammar (src/util/point-text.ts): the 2D race's start, the CLI's --start, <adam-steps>' start. */
import { describe, expect, it } from 'vitest';
import { parsePointOption } from '../src/cli/args';
import { parsePoint, pointParts, pointText } from '../src/util/point-text';

describe('parsePoint', () => {
  it('two decimals, by comma or spaces, optionally in parentheses', () => {
    for (const text of ['-7,2', ' -7 , 2 ', '-7 2', '(-7, 2)', '-7e0,.2e1']) expect(parsePoint(text)).toEqual([-7, 2]);
  });

  it('NaN where a coordinate is not a decimal (parseDecimal: no hex, no words), both NaN unless exactly two', () => {
    expect(parsePoint(',2')).toEqual([NaN, 2]);
    expect(parsePoint('1,')).toEqual([1, NaN]);
    expect(parsePoint('0x10,2')).toEqual([NaN, 2]);
    expect(parsePoint('Infinity,2')).toEqual([NaN, 2]);
    for (const text of ['', '1', '1,2,3', '1,,2']) expect(parsePoint(text)).toEqual([NaN, NaN]);
  });

  it('pointText writes what parsePoint reads back', () => {
    for (const point of [
      [-7, 2],
      [0.1, -1e-7],
    ] as [number, number][])
      expect(parsePoint(pointText(point))).toEqual(point);
    expect(pointText([-7, 2])).toBe('-7,2');
  });

  it('pointParts gives the coordinates as typed, for the two start fields', () => {
    expect(pointParts('1.50, -2')).toEqual(['1.50', '-2']);
    expect(pointParts(',3')).toEqual(['', '3']);
    expect(pointParts('')).toEqual([]);
  });

  it("the CLI's --start: the same grammar, and one message for anything else", () => {
    expect(parsePointOption('-7,2', '--start')).toEqual([-7, 2]);
    expect(() => parsePointOption('-7;2', '--start')).toThrow("--start must be two numbers X,Y (e.g. -7,2), got '-7;2'");
  });
});
