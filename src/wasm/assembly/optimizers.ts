/**
 * One optimizer step over `count` floats of p (a multiple of 4: each racer's parameters are padded
 * with zeros, which every rule leaves at zero) with gradient g and state s0, s1, in f32x4. `rule`
 * is the index in src/wasm/optimizer-rules.ts; a..f its step scalars (the registry's step(h, t),
 * in order). One well-predicted branch on the rule per vector.
 */
export function optimize(rule: i32, p: usize, g: usize, s0: usize, s1: usize, count: i32, a: f32, b: f32, c: f32, d: f32, e: f32, f: f32): void {
  const end = p + ((<usize>count) << 2);
  const A = f32x4.splat(a);
  const Bv = f32x4.splat(b);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const B1 = f32x4.splat(1 - b);
  const C1 = f32x4.splat(1 - c);
  const Cv = f32x4.splat(c);
  for (; p < end; p += 16, g += 16, s0 += 16, s1 += 16) {
    const gi = v128.load(g);
    let pi = v128.load(p);
    if (rule == 0) {
      // sgd: lr
      pi = f32x4.sub(pi, f32x4.mul(A, gi));
    } else if (rule == 1) {
      // momentum: lr, momentum
      const v = f32x4.sub(f32x4.mul(Bv, v128.load(s0)), f32x4.mul(A, gi));
      v128.store(s0, v);
      pi = f32x4.add(pi, v);
    } else if (rule == 2) {
      // nesterov: lr, momentum
      const v = v128.load(s0);
      pi = f32x4.add(pi, f32x4.mul(f32x4.splat(b * b), v));
      pi = f32x4.sub(pi, f32x4.mul(f32x4.splat((1 + b) * a), gi));
      v128.store(s0, f32x4.sub(f32x4.mul(Bv, v), f32x4.mul(A, gi)));
    } else if (rule == 3) {
      // adagrad: lr, eps
      const h = f32x4.add(v128.load(s0), f32x4.mul(gi, gi));
      v128.store(s0, h);
      pi = f32x4.sub(pi, f32x4.div(f32x4.mul(A, gi), f32x4.add(f32x4.sqrt(h), Bv)));
    } else if (rule == 4) {
      // rmsprop: lr, decay, eps
      const h = f32x4.add(f32x4.mul(Bv, v128.load(s0)), f32x4.mul(B1, f32x4.mul(gi, gi)));
      v128.store(s0, h);
      pi = f32x4.sub(pi, f32x4.div(f32x4.mul(A, gi), f32x4.add(f32x4.sqrt(h), Cv)));
    } else if (rule == 5 || rule == 6) {
      // adam: lr, beta1, beta2, correction, eps; adamw: lr, beta1, beta2, weight_decay, correction, eps
      const corr = f32x4.splat(rule == 5 ? d : e);
      const eps = f32x4.splat(rule == 5 ? e : f);
      if (rule == 6) pi = f32x4.sub(pi, f32x4.mul(f32x4.splat(a * d), pi));
      let m = v128.load(s0);
      let v = v128.load(s1);
      m = f32x4.add(m, f32x4.mul(B1, f32x4.sub(gi, m)));
      v = f32x4.add(v, f32x4.mul(C1, f32x4.sub(f32x4.mul(gi, gi), v)));
      v128.store(s0, m);
      v128.store(s1, v);
      pi = f32x4.sub(pi, f32x4.div(f32x4.mul(f32x4.mul(A, corr), m), f32x4.add(f32x4.sqrt(v), eps)));
    } else if (rule == 7) {
      // lion: lr, beta1, beta2, weight_decay
      const m = v128.load(s0);
      const u = f32x4.add(f32x4.mul(Bv, m), f32x4.mul(B1, gi));
      const sign = f32x4.sub(v128.and(one, f32x4.gt(u, zero)), v128.and(one, f32x4.lt(u, zero)));
      pi = f32x4.sub(pi, f32x4.mul(A, f32x4.add(sign, f32x4.mul(f32x4.splat(d), pi))));
      v128.store(s0, f32x4.add(f32x4.mul(Cv, m), f32x4.mul(C1, gi)));
    } else if (rule == 8) {
      // adadelta: lr, rho, eps
      const v = f32x4.add(f32x4.mul(Bv, v128.load(s0)), f32x4.mul(B1, f32x4.mul(gi, gi)));
      const u = v128.load(s1);
      const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(u, Cv)), f32x4.sqrt(f32x4.add(v, Cv))), gi);
      v128.store(s0, v);
      v128.store(s1, f32x4.add(f32x4.mul(Bv, u), f32x4.mul(B1, f32x4.mul(delta, delta))));
      pi = f32x4.sub(pi, f32x4.mul(A, delta));
    } else if (rule == 9) {
      // adamax: lr, beta1, beta2, correction, eps
      const m = f32x4.add(f32x4.mul(Bv, v128.load(s0)), f32x4.mul(B1, gi));
      const u = f32x4.max(f32x4.mul(Cv, v128.load(s1)), f32x4.add(f32x4.abs(gi), f32x4.splat(e)));
      v128.store(s0, m);
      v128.store(s1, u);
      pi = f32x4.sub(pi, f32x4.div(f32x4.mul(f32x4.splat(a * d), m), u));
    }
    v128.store(p, pi);
  }
}
