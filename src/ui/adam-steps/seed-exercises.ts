/**
 * The seed's two Adam exercises, worked by hand (lr 1, beta1 = beta2 = 1/2, two steps): the
 * closed forms it derives for g, m, v, m^, v^ and x after each step. They are the seed's text,
 * shown beside the kernel's numbers only when the settings are exactly the exercise's.
 */
import type { Vec2 } from '../../race2d/adam-steps';

export const kAdamQuantities = ['g', 'm', 'v', 'mHat', 'vHat', 'x'] as const;
export type AdamQuantity = (typeof kAdamQuantities)[number];

/** A value as the seed writes it ("-2√2/3") and its number. */
export interface ClosedForm {
  text: string;
  value: number;
}

export type ClosedStep = Readonly<Record<AdamQuantity, readonly [ClosedForm, ClosedForm]>>;

export interface SeedExercise {
  functionId: 'xy' | 'x2xy';
  title: string;
  start: Vec2;
  lr: number;
  beta1: number;
  beta2: number;
  /** One entry per step the seed works out (t = 1, 2). */
  steps: readonly ClosedStep[];
}

const cf = (text: string, value: number): ClosedForm => ({ text, value });
const int = (n: number): ClosedForm => cf(String(n), n);
const frac = (p: number, q: number): ClosedForm => cf(`${p}/${q}`, p / q);
const kSqrt3Over3 = Math.sqrt(3) / 3;

export const kSeedExercises: readonly SeedExercise[] = [
  {
    functionId: 'xy',
    title: 'Exercise 1',
    start: [1, 2],
    lr: 1,
    beta1: 0.5,
    beta2: 0.5,
    steps: [
      { g: [int(2), int(1)], m: [int(1), frac(1, 2)], v: [int(2), frac(1, 2)], mHat: [int(2), int(1)], vHat: [int(4), int(1)], x: [int(0), int(1)] },
      {
        g: [int(1), int(0)],
        m: [int(1), frac(1, 4)],
        v: [frac(3, 2), frac(1, 4)],
        mHat: [frac(4, 3), frac(1, 3)],
        vHat: [int(2), frac(1, 3)],
        x: [cf('-2√2/3', (-2 * Math.SQRT2) / 3), cf('1 - √3/3', 1 - kSqrt3Over3)],
      },
    ],
  },
  {
    functionId: 'x2xy',
    title: 'Exercise 2',
    start: [1, 1],
    lr: 1,
    beta1: 0.5,
    beta2: 0.5,
    steps: [
      { g: [int(3), int(1)], m: [frac(3, 2), frac(1, 2)], v: [frac(9, 2), frac(1, 2)], mHat: [int(3), int(1)], vHat: [int(9), int(1)], x: [int(0), int(0)] },
      {
        g: [int(0), int(0)],
        m: [frac(3, 4), frac(1, 4)],
        v: [frac(9, 4), frac(1, 4)],
        mHat: [int(1), frac(1, 3)],
        vHat: [int(3), frac(1, 3)],
        x: [cf('-√3/3', -kSqrt3Over3), cf('-√3/3', -kSqrt3Over3)],
      },
    ],
  },
];

/** Kernel values within this of the closed form get a check mark. */
export const kClosedFormTolerance = 1e-6;

/** The seed exercise these settings are exactly, or undefined when the user changed anything. */
export function seedExerciseFor(functionId: string, start: Vec2, h: Readonly<Record<string, number>>): SeedExercise | undefined {
  return kSeedExercises.find(
    (ex) =>
      ex.functionId === functionId && ex.start[0] === start[0] && ex.start[1] === start[1] && ex.lr === h.lr && ex.beta1 === h.beta1 && ex.beta2 === h.beta2,
  );
}
