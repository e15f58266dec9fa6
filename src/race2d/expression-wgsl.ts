/**
 * WGSL from a typed function's tree (src/race2d/expression.ts): one `let` per distinct subtree
 * (shared by df/dx and df/dy), whole exponents as multiplications, other powers through
 * `pow_signed`, which follows JavaScript's `**` where WGSL's pow is undefined (a < 0, 0^0).
 */
import { integerExponent, type Expr, type ParsedExpression } from './expression';
import { roundSignificant } from '../util/short-number';

const kHelpers = /* wgsl */ `
// NaN and infinity may not be constants in WGSL: build them at run time from their bits.
fn nan_f32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf_f32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn pow_signed(a: f32, b: f32) -> f32 {
  if (a > 0.0) { return pow(a, b); }
  if (b == 0.0) { return 1.0; }
  if (a == 0.0) { return select(inf_f32(), 0.0, b > 0.0); }
  if (b != round(b)) { return nan_f32(); }
  let m = pow(-a, b);
  return select(m, -m, fract(b * 0.5) != 0.0);
}
`;

/** WGSL float literal: always with a '.' or exponent so it types as f32. */
export function wgslFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan_f32()';
  // Beyond f32's range a literal would not compile; as a value it is infinite.
  if (Math.abs(value) > 3.4028234e38) return value > 0 ? 'inf_f32()' : '(-inf_f32())';
  const text = String(Math.fround(value) === value ? value : roundSignificant(value, 9));
  const literal = /[.eE]/.test(text) ? text : `${text}.0`;
  return value < 0 ? `(${literal})` : literal;
}

class Emitter {
  readonly lines: string[] = [];
  private readonly names = new Map<string, string>();

  /** The WGSL name (or literal) holding e's value. */
  emit(e: Expr): string {
    if (e.kind === 'num') return wgslFloat(e.value);
    if (e.kind === 'var') return e.name;
    const key = JSON.stringify(e);
    const known = this.names.get(key);
    if (known) return known;
    const code = this.code(e);
    const name = `t${this.names.size}`;
    this.names.set(key, name);
    this.lines.push(`  let ${name} = ${code};`);
    return name;
  }

  private code(e: Exclude<Expr, { kind: 'num' | 'var' }>): string {
    switch (e.kind) {
      case 'neg':
        return `-${this.emit(e.a)}`;
      case 'add':
        return `${this.emit(e.a)} + ${this.emit(e.b)}`;
      case 'sub':
        return `${this.emit(e.a)} - ${this.emit(e.b)}`;
      case 'mul':
        return `${this.emit(e.a)} * ${this.emit(e.b)}`;
      case 'div':
        return `${this.emit(e.a)} / ${this.emit(e.b)}`;
      case 'pow': {
        const a = this.emit(e.a);
        const n = integerExponent(e.b);
        if (n === null) return `pow_signed(${a}, ${this.emit(e.b)})`;
        if (n === 0) return '1.0';
        const product = Array.from({ length: Math.abs(n) }, () => a).join(' * ');
        return n > 0 ? product : `1.0 / (${product})`;
      }
      case 'call':
        return `${e.fn}(${this.emit(e.a)})`;
      case 'min':
      case 'max':
        return `${e.kind}(${this.emit(e.a)}, ${this.emit(e.b)})`;
      case 'less': {
        const a = this.emit(e.a);
        const b = this.emit(e.b);
        return `select(${this.emit(e.otherwise)}, ${this.emit(e.ifLess)}, ${a} < ${b})`;
      }
    }
  }
}

/**
 * `fn value(x, y) -> f32` (f) and `fn gradient(func, x, y) -> vec2f` (df/dx, df/dy; `func` is
 * unused, kept so shaders/race2d/gradient2d.wgsl calls a typed function like the named ones).
 */
export function expressionWgsl(expression: ParsedExpression): string {
  const value = new Emitter();
  const f = value.emit(expression.f);
  const gradient = new Emitter();
  const dx = gradient.emit(expression.dfdx);
  const dy = gradient.emit(expression.dfdy);
  return [
    `// Generated from f(x, y) = ${expression.text.replace(/\n/g, ' ')}`,
    kHelpers,
    'fn value(x: f32, y: f32) -> f32 {',
    ...value.lines,
    `  return ${f};`,
    '}',
    '',
    'fn gradient(func: u32, x: f32, y: f32) -> vec2f {',
    ...gradient.lines,
    `  return vec2f(${dx}, ${dy});`,
    '}',
    '',
  ].join('\n');
}
