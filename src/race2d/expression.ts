/**
 * A typed f(x, y): split into tokens and checked against the grammar here (every rejection with
 * its column), built into a tree by jsep (a small expression parser: precedence and
 * associativity only), turned into our own tree (`Expr`), differentiated symbolically by the
 * rules below, and evaluated in float64 by a plain tree walk. Nothing is ever passed to eval or
 * Function. Shaders come from the same tree (src/race2d/expression-wgsl.ts).
 *
 * Grammar: + - * / ^ (right-associative), parentheses, unary minus and plus, numbers (1, 0.5,
 * 1e-3), x, y, pi, e and the functions sin cos tan exp log sqrt abs tanh sinh cosh atan (one
 * argument) and min max (two). Multiplication is written: `2x` and `x y` are rejected.
 * Unary minus binds looser than ^ and tighter than * and /: `-x^2` is `-(x^2)`, `2^-x^2` is `2^(-(x^2))`.
 */
import jsep from 'jsep';

export const kUnaryFunctions = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'sinh', 'cosh', 'atan'] as const;
export const kBinaryFunctions = ['min', 'max'] as const;
/** `sign` appears only in derivatives (of abs). */
export type UnaryFunction = (typeof kUnaryFunctions)[number] | 'sign';
export type BinaryFunction = (typeof kBinaryFunctions)[number];
export type Variable = 'x' | 'y';

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: Variable }
  | { kind: 'neg'; a: Expr }
  | { kind: 'add' | 'sub' | 'mul' | 'div' | 'pow'; a: Expr; b: Expr }
  | { kind: 'call'; fn: UnaryFunction; a: Expr }
  | { kind: BinaryFunction; a: Expr; b: Expr }
  /** a < b ? ifLess : otherwise (the derivatives of min and max). */
  | { kind: 'less'; a: Expr; b: Expr; ifLess: Expr; otherwise: Expr };

/** A rejected expression: `column` is 1-based; the message names it. */
export class ExpressionError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
    readonly text: string,
  ) {
    super(`${reason} at column ${column}`);
    this.name = 'ExpressionError';
  }
}

export interface ParsedExpression {
  /** The text with whitespace collapsed: the cache key of its pipeline and its URL form. */
  text: string;
  f: Expr;
  dfdx: Expr;
  dfdy: Expr;
}

const kConstants: Record<string, number> = { pi: Math.PI, e: Math.E };
const kNames = new Set<string>(['x', 'y', ...Object.keys(kConstants), ...kUnaryFunctions, ...kBinaryFunctions]);
const isFunctionName = (name: string): boolean =>
  (kUnaryFunctions as readonly string[]).includes(name) || (kBinaryFunctions as readonly string[]).includes(name);

interface Token {
  kind: 'number' | 'name' | 'op' | 'open' | 'close' | 'comma';
  text: string;
  column: number;
}

/** Longer or deeper text is refused before parsing: nobody types it, and the recursive parser and derivative would run out of stack. */
export const kMaxExpressionLength = 500;
const kMaxDepth = 50;

const kAllowed = 'Allowed: numbers, x, y, pi, e, + - * / ^, parentheses and sin cos tan exp log sqrt abs tanh sinh cosh atan min max';

/** Splits the text into tokens and rejects, with their column, characters and names outside the grammar. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  const fail = (reason: string, at: number): never => {
    throw new ExpressionError(reason, at + 1, text);
  };
  let depth: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      const after = text[i + number[0].length];
      if (after !== undefined && /[eE]/.test(after) && !number[2])
        fail(`'${number[0]}${after}' needs digits after the exponent's e (write 1e-3)`, i + number[0].length);
      if (after === '.') fail(`unexpected '.' after the number ${number[0]}`, i + number[0].length);
      if (!Number.isFinite(Number(number[0]))) fail(`the number ${number[0]} is too large`, i);
      out.push({ kind: 'number', text: number[0], column: i + 1 });
      i += number[0].length;
      // `2.*x` reads as the element-wise operator `.*` (as in MATLAB): an operator of its own, refused once the structure is right.
      if (number[0].endsWith('.') && after !== undefined && '*/^'.includes(after)) {
        out.push({ kind: 'op', text: `.${after}`, column: i });
        i++;
      }
      continue;
    }
    const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
    if (name) {
      if (!kNames.has(name[0])) fail(`unknown name '${name[0]}'. ${kAllowed}`, i);
      out.push({ kind: 'name', text: name[0], column: i + 1 });
      i += name[0].length;
      continue;
    }
    if ('+-*/^'.includes(c)) out.push({ kind: 'op', text: c, column: i + 1 });
    else if (c === '(') {
      if (depth.length >= kMaxDepth) fail(`more than ${kMaxDepth} nested parentheses`, i);
      depth.push(i);
      out.push({ kind: 'open', text: c, column: i + 1 });
    } else if (c === ')') {
      if (depth.length === 0) fail("')' without a matching '('", i);
      depth = depth.slice(0, -1);
      out.push({ kind: 'close', text: c, column: i + 1 });
    } else if (c === ',') out.push({ kind: 'comma', text: c, column: i + 1 });
    else fail(`'${c}' is not allowed. ${kAllowed}`, i);
    i++;
  }
  if (depth.length > 0) fail("'(' is never closed", depth[depth.length - 1]);
  // Two operands side by side would be implicit multiplication; a function name needs '('.
  out.forEach((t, k) => {
    const prev = out[k - 1];
    if (t.kind === 'name' && isFunctionName(t.text) && out[k + 1]?.kind !== 'open')
      fail(`${t.text} needs its argument in parentheses: ${t.text}(…)`, t.column - 1);
    const endsOperand = prev && (prev.kind === 'number' || prev.kind === 'close' || (prev.kind === 'name' && !isFunctionName(prev.text)));
    const startsOperand = t.kind === 'number' || t.kind === 'name' || t.kind === 'open';
    if (endsOperand && startsOperand) fail(`write * between '${prev.text}' and '${t.text}' (no implicit multiplication)`, t.column - 1);
  });
  return out;
}

const num = (value: number): Expr => ({ kind: 'num', value });
const isNum = (e: Expr, value?: number): e is { kind: 'num'; value: number } => e.kind === 'num' && (value === undefined || e.value === value);

/** Builders that fold constants and drop x*0, x*1, x+0 (derivatives would be full of them). */
export const build = {
  neg: (a: Expr): Expr => (isNum(a) ? num(-a.value) : a.kind === 'neg' ? a.a : { kind: 'neg', a }),
  add: (a: Expr, b: Expr): Expr => (isNum(a) && isNum(b) ? num(a.value + b.value) : isNum(a, 0) ? b : isNum(b, 0) ? a : { kind: 'add', a, b }),
  sub: (a: Expr, b: Expr): Expr => (isNum(a) && isNum(b) ? num(a.value - b.value) : isNum(b, 0) ? a : isNum(a, 0) ? build.neg(b) : { kind: 'sub', a, b }),
  mul: (a: Expr, b: Expr): Expr => {
    if (isNum(a) && isNum(b)) return num(a.value * b.value);
    if (isNum(a, 0) || isNum(b, 0)) return num(0);
    if (isNum(a, 1)) return b;
    if (isNum(b, 1)) return a;
    if (isNum(a, -1)) return build.neg(b);
    if (isNum(b, -1)) return build.neg(a);
    return { kind: 'mul', a, b };
  },
  div: (a: Expr, b: Expr): Expr => (isNum(a, 0) && !isNum(b, 0) ? num(0) : isNum(b, 1) ? a : { kind: 'div', a, b }),
  pow: (a: Expr, b: Expr): Expr => (isNum(b, 1) ? a : isNum(b, 0) ? num(1) : { kind: 'pow', a, b }),
  call: (fn: UnaryFunction, a: Expr): Expr => ({ kind: 'call', fn, a }),
};

/**
 * Where the token sequence leaves the grammar: an operator, ')' or ',' where a value belongs, the
 * text ending after an operator, a ',' outside a function's parentheses, then a function with the
 * wrong number of arguments. `tokens` has already refused everything else (unknown characters and
 * names, unbalanced parentheses, operands side by side, a function name without '(').
 */
function checkStructure(toks: Token[], text: string): void {
  const fail = (reason: string, column: number): never => {
    throw new ExpressionError(reason, column, text);
  };
  // One entry per open '(': the function token it belongs to (with its argument count) or null for a group.
  const open: ({ fn: Token; args: number } | null)[] = [];
  const calls: { fn: Token; args: number }[] = [];
  let wantValue = true;
  toks.forEach((t, k) => {
    const prev = toks[k - 1];
    if (wantValue) {
      if (t.kind === 'number' || t.kind === 'name') wantValue = isFunctionName(t.text);
      else if (t.kind === 'open') {
        const call = prev?.kind === 'name' && isFunctionName(prev.text) ? { fn: prev, args: 0 } : null;
        if (call) calls.push(call);
        open.push(call);
      } else if (t.kind === 'close' && prev?.kind === 'open' && open[open.length - 1]) {
        open.pop(); // f(): no arguments (said below)
        wantValue = false;
      } else if (t.kind !== 'op' || (t.text !== '-' && t.text !== '+')) fail('value expected', t.column);
      return;
    }
    if (t.kind === 'op') wantValue = true;
    else if (t.kind === 'close') {
      const call = open.pop();
      if (call) call.args++;
    } else if (t.kind === 'comma') {
      const call = open[open.length - 1];
      if (!call) fail(call === undefined ? 'unexpected operator ,' : 'parenthesis ) expected', t.column);
      else call.args++;
      wantValue = true;
    }
  });
  if (wantValue) fail('unexpected end of expression', text.length + 1);
  // Then the first, in the text, of a function with the wrong number of arguments and an element-wise operator.
  const wrong: [reason: string, column: number][] = [];
  for (const { fn, args } of calls) {
    const arity = (kBinaryFunctions as readonly string[]).includes(fn.text) ? 2 : 1;
    if (args !== arity) wrong.push([`${fn.text} takes ${arity === 1 ? 'one argument' : 'two arguments'}, got ${args}`, fn.column]);
  }
  for (const t of toks) if (t.kind === 'op' && t.text.length > 1) wrong.push([`the operator '${t.text}' is not allowed. ${kAllowed}`, t.column]);
  const first = wrong.sort((a, b) => a[1] - b[1])[0];
  if (first) fail(...first);
}

// jsep knows only our operators: + - * / with the usual precedence, ^ above them and right-associative,
// unary - and + (jsep binds them to the next operand: toExpr moves them out of a ^, as `-x^2` is `-(x^2)`).
jsep.removeAllBinaryOps();
jsep.removeAllUnaryOps();
jsep.removeAllLiterals();
jsep.addBinaryOp('+', 9);
jsep.addBinaryOp('-', 9);
jsep.addBinaryOp('*', 10);
jsep.addBinaryOp('/', 10);
jsep.addBinaryOp('^', 11, true);
jsep.addUnaryOp('-');
jsep.addUnaryOp('+');
const kGroup = 'Group';
// jsep forgets parentheses; `(-x)^2` and `-x^2` differ, so a parenthesized group stays a node.
jsep.hooks.add('gobble-token', function gobbleGroup(env) {
  if (this.code === 40) env.node = { type: kGroup, expression: this.gobbleGroup() };
});

const kOperators: Record<string, 'add' | 'sub' | 'mul' | 'div' | 'pow'> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' };

/** jsep's tree to ours (checkStructure has already refused everything this does not expect). */
function toExpr(node: jsep.Expression): Expr {
  switch (node.type) {
    case 'Literal':
      return num(Number((node as jsep.Literal).raw));
    case kGroup:
      return toExpr(node.expression as jsep.Expression);
    case 'Identifier': {
      const { name } = node as jsep.Identifier;
      return name === 'x' || name === 'y' ? { kind: 'var', name } : num(kConstants[name]);
    }
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      return operator === '-' ? { kind: 'neg', a: toExpr(argument) } : toExpr(argument);
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      // -a^b is -(a^b): the sign jsep gave the base moves out of the power.
      if (operator === '^' && left.type === 'UnaryExpression') {
        const { operator: sign, argument } = left as jsep.UnaryExpression;
        return toExpr({ type: 'UnaryExpression', operator: sign, prefix: true, argument: { type: 'BinaryExpression', operator, left: argument, right } });
      }
      return { kind: kOperators[operator], a: toExpr(left), b: toExpr(right) };
    }
    case 'CallExpression': {
      const { callee, arguments: args } = node as jsep.CallExpression;
      const name = (callee as jsep.Identifier).name;
      const [a, b] = args.map(toExpr);
      return (kBinaryFunctions as readonly string[]).includes(name) ? { kind: name as BinaryFunction, a, b } : { kind: 'call', fn: name as UnaryFunction, a };
    }
    default:
      throw new Error(`unexpected ${node.type} from jsep`);
  }
}

/** Parses, checks and differentiates `text`; throws ExpressionError with the column of the first problem. */
export function parseExpression(text: string): ParsedExpression {
  if (text.trim() === '') throw new ExpressionError('type a function of x and y, e.g. x^2 + 3*y^2', 1, text);
  if (text.length > kMaxExpressionLength)
    throw new ExpressionError(`the text is ${text.length} characters long (at most ${kMaxExpressionLength})`, kMaxExpressionLength + 1, text);
  checkStructure(tokens(text), text);
  const normalized = normalizeExpression(text);
  // Whitespace collapsed to spaces first: jsep skips only spaces, tabs and line breaks, the tokens any /\s/.
  const f = toExpr(jsep(normalized));
  return { text: normalized, f, dfdx: derivative(f, 'x'), dfdy: derivative(f, 'y') };
}

/** Whitespace collapsed to single spaces and trimmed. */
export function normalizeExpression(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

const dependsOn = (e: Expr, v: Variable): boolean => {
  switch (e.kind) {
    case 'num':
      return false;
    case 'var':
      return e.name === v;
    case 'neg':
    case 'call':
      return dependsOn(e.a, v);
    case 'less':
      return [e.a, e.b, e.ifLess, e.otherwise].some((c) => dependsOn(c, v));
    default:
      return dependsOn(e.a, v) || dependsOn(e.b, v);
  }
};

const isConstant = (e: Expr): boolean => !dependsOn(e, 'x') && !dependsOn(e, 'y');

/** d e / d v by the usual rules; abs' = sign, min/max pick the derivative of the smaller/larger side. */
export function derivative(e: Expr, v: Variable): Expr {
  const { add, sub, mul, div, pow, neg, call } = build;
  if (!dependsOn(e, v)) return num(0);
  switch (e.kind) {
    case 'num':
      return num(0);
    case 'var':
      return num(e.name === v ? 1 : 0);
    case 'neg':
      return neg(derivative(e.a, v));
    case 'add':
      return add(derivative(e.a, v), derivative(e.b, v));
    case 'sub':
      return sub(derivative(e.a, v), derivative(e.b, v));
    case 'mul':
      return add(mul(derivative(e.a, v), e.b), mul(e.a, derivative(e.b, v)));
    case 'div':
      return sub(div(derivative(e.a, v), e.b), div(mul(e.a, derivative(e.b, v)), mul(e.b, e.b)));
    case 'pow': {
      const da = derivative(e.a, v);
      if (isConstant(e.b)) return mul(mul(e.b, pow(e.a, sub(e.b, num(1)))), da);
      // a^b (b' log a + b a'/a)
      return mul(e, add(mul(derivative(e.b, v), call('log', e.a)), div(mul(e.b, da), e.a)));
    }
    case 'call': {
      const da = derivative(e.a, v);
      const a = e.a;
      const outer: Record<UnaryFunction, () => Expr> = {
        sin: () => call('cos', a),
        cos: () => neg(call('sin', a)),
        tan: () => div(num(1), mul(call('cos', a), call('cos', a))),
        exp: () => e,
        log: () => div(num(1), a),
        sqrt: () => div(num(0.5), e),
        abs: () => call('sign', a),
        tanh: () => sub(num(1), mul(e, e)),
        sinh: () => call('cosh', a),
        cosh: () => call('sinh', a),
        atan: () => div(num(1), add(num(1), mul(a, a))),
        sign: () => num(0),
      };
      return mul(outer[e.fn](), da);
    }
    case 'min':
      return { kind: 'less', a: e.a, b: e.b, ifLess: derivative(e.a, v), otherwise: derivative(e.b, v) };
    case 'max':
      return { kind: 'less', a: e.a, b: e.b, ifLess: derivative(e.b, v), otherwise: derivative(e.a, v) };
    case 'less':
      return { ...e, ifLess: derivative(e.ifLess, v), otherwise: derivative(e.otherwise, v) };
  }
}

/** The exponent as a small whole number (written out as multiplications), or null. */
export function integerExponent(b: Expr): number | null {
  const value = isNum(b) ? b.value : b.kind === 'neg' && isNum(b.a) ? -b.a.value : NaN;
  return Number.isInteger(value) && Math.abs(value) <= 16 ? value : null;
}

const kUnary: Record<UnaryFunction, (a: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  atan: Math.atan,
  sign: Math.sign,
};

/** The tree in float64 (the reference the WGSL is checked against). */
export function evaluate(e: Expr, x: number, y: number): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'var':
      return e.name === 'x' ? x : y;
    case 'neg':
      return -evaluate(e.a, x, y);
    case 'add':
      return evaluate(e.a, x, y) + evaluate(e.b, x, y);
    case 'sub':
      return evaluate(e.a, x, y) - evaluate(e.b, x, y);
    case 'mul':
      return evaluate(e.a, x, y) * evaluate(e.b, x, y);
    case 'div':
      return evaluate(e.a, x, y) / evaluate(e.b, x, y);
    case 'pow':
      return evaluate(e.a, x, y) ** evaluate(e.b, x, y);
    case 'call':
      return kUnary[e.fn](evaluate(e.a, x, y));
    case 'min':
      return Math.min(evaluate(e.a, x, y), evaluate(e.b, x, y));
    case 'max':
      return Math.max(evaluate(e.a, x, y), evaluate(e.b, x, y));
    case 'less':
      return evaluate(e.a, x, y) < evaluate(e.b, x, y) ? evaluate(e.ifLess, x, y) : evaluate(e.otherwise, x, y);
  }
}
