/**
 * The function a race runs on, from its text: a named function's id (src/race2d/functions.ts) or
 * a typed expression (src/race2d/expression.ts), which gets a default view and start, contour
 * levels fitted to its values over the view, and its generated WGSL gradient.
 */
import { ExpressionError, parseExpression, evaluate, normalizeExpression } from './expression';
import { expressionWgsl } from './expression-wgsl';
import { isFunctionId, kFunctionIds, kFunctions, type Function2D, type Point, type View } from './functions';
import { adaptiveLevels } from './levels';

/** A typed function's plot window and start before the view box is changed. */
export const kTypedView: View = { x: [-5, 5], y: [-5, 5] };
export const kTypedStart: Point = [-4, 3];

/** Parsed typed functions by normalized text: typing the same text again reparses nothing. */
const cache = new Map<string, Function2D>();
const kCacheSize = 64;

/** The named function or the typed one; throws ExpressionError (with its column) for bad text. */
export function resolveFunction(text: string): Function2D {
  if (isFunctionId(text)) return kFunctions[text];
  const key = normalizeExpression(text);
  const known = cache.get(key);
  if (known) return known;
  const parsed = parseExpression(text);
  const f = (x: number, y: number): number => evaluate(parsed.f, x, y);
  const fn: Function2D = {
    id: parsed.text,
    index: 0,
    label: parsed.text,
    formula: `f(x, y) = ${parsed.text}`,
    f,
    grad: (x, y) => [evaluate(parsed.dfdx, x, y), evaluate(parsed.dfdy, x, y)],
    start: kTypedStart,
    view: kTypedView,
    minima: [],
    saddles: [],
    levels: adaptiveLevels(f, kTypedView),
    gradientWgsl: expressionWgsl(parsed),
  };
  if (cache.size >= kCacheSize) cache.delete(cache.keys().next().value as string);
  cache.set(key, fn);
  return fn;
}

/** resolveFunction for the engine and the CLI: a bad text's one-line message names the functions and the column. */
export function resolveFunctionOrExplain(text: string): Function2D {
  try {
    return resolveFunction(text);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new Error(`Unknown function '${text}'. Known functions: ${kFunctionIds.join(', ')}; or a typed f(x, y), but: ${error.message}`);
  }
}

/** The function seen through another view box: the named ones keep their levels only in their own view. */
export function withView(fn: Function2D, view: View): Function2D {
  const same = fn.view.x.every((v, i) => v === view.x[i]) && fn.view.y.every((v, i) => v === view.y[i]);
  return same ? fn : { ...fn, view, levels: adaptiveLevels(fn.f, view) };
}
