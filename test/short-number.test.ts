/** The one rounding to significant digits (src/util/short-number.ts) that labels, messages and the CLI share. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundSignificant, shortNumber } from '../src/util/short-number';
import { filesBelow } from './fixtures/files-below';

/** The rounding written out again: `Number(x.toPrecision(n))` or `+x.toPrecision(n)`. */
const kCopy = /(\bNumber\(|\+\(?)[\w.()[\]\s/*+-]*\.toPrecision\(/;

describe('shortNumber', () => {
  it('keeps `digits` significant digits and drops trailing zeros', () => {
    expect(shortNumber(0.1 + 0.2, 4)).toBe('0.3');
    expect(shortNumber(0.0012345, 3)).toBe('0.00123');
    expect(shortNumber(0.0003728, 4)).toBe('0.0003728');
    expect(shortNumber(2 / 3, 2)).toBe('0.67');
    expect(shortNumber(-7.25, 2)).toBe('-7.3');
    expect(shortNumber(123456, 3)).toBe('123000');
    expect(shortNumber(1, 6)).toBe('1');
  });

  it('writes an exponent only where JavaScript would: below 1e-6 and from 1e21', () => {
    expect(shortNumber(1.5e-7, 2)).toBe('1.5e-7');
    expect(shortNumber(3e21, 2)).toBe('3e+21');
  });

  it('passes NaN and the infinities through', () => {
    expect([NaN, Infinity, -Infinity].map((x) => shortNumber(x, 3))).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('roundSignificant is the same rounding as a number', () => {
    expect(roundSignificant(0.1 + 0.2, 3)).toBe(0.3);
    expect(roundSignificant(1 / 3, 9)).toBe(0.333333333);
  });

  it('is the only rounding to significant digits in src (copies crept back twice)', () => {
    expect(kCopy.test('Number((s * 10 ** e).toPrecision(3))')).toBe(true);
    expect(kCopy.test('of +iterationsPerEpoch.toPrecision(6) iterations')).toBe(true);
    expect(kCopy.test('v.toPrecision(digits)')).toBe(false);
    const src = join(__dirname, '..', 'src');
    const copies = filesBelow(src, /\.ts$/).filter((f) => !f.endsWith('short-number.ts') && kCopy.test(readFileSync(f, 'utf8')));
    expect(copies).toEqual([]);
  });
});
