/** Numbers for people: the one rounding to significant digits that labels, messages and the CLI share. */

/** `x` to `digits` significant digits, as a number: 0.30000000000000004 → 0.3. */
export const roundSignificant = (x: number, digits: number): number => Number(x.toPrecision(digits));

/** `x` to `digits` significant digits, without trailing zeros or a forced exponent: shortNumber(0.0012345, 3) is '0.00123', shortNumber(1.5e-7, 2) '1.5e-7'. */
export const shortNumber = (x: number, digits: number): string => String(roundSignificant(x, digits));
