/**
 * The race's float32 kernels in AssemblyScript, compiled to WebAssembly with 128-bit SIMD by
 * src/wasm/asc-plugin.ts. Pointers are byte offsets into the imported memory that
 * src/wasm/wasm-backend.ts lays out once at create(); nothing here allocates. Row-major throughout,
 * the dimension key of src/nn/layout.ts: C (M x K) = A (M x K') B (K' x K).
 */

/**
 * C = A B with A M x K (row stride lda floats), B K x Ncol (stride ldb), C M x Ncol (stride ldc).
 * Register tile of 4 rows x 8 columns (8 v128 accumulators); scalar edges for odd shapes.
 */
export function matmul(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32, ncol: i32): void {
  const A = (<usize>lda) << 2;
  const B = (<usize>ldb) << 2;
  const Cs = (<usize>ldc) << 2;
  let row = 0;
  for (; row + 4 <= m; row += 4) {
    const a0 = a + <usize>row * A;
    const c0 = c + <usize>row * Cs;
    let col = 0;
    for (; col + 8 <= ncol; col += 8) {
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0),
        s10 = f32x4.splat(0),
        s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0),
        s21 = f32x4.splat(0),
        s30 = f32x4.splat(0),
        s31 = f32x4.splat(0);
      let pb = b + ((<usize>col) << 2);
      let pa = a0;
      for (let i = 0; i < k; i++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = f32x4.splat(load<f32>(pa));
        const x1 = f32x4.splat(load<f32>(pa + A));
        const x2 = f32x4.splat(load<f32>(pa + 2 * A));
        const x3 = f32x4.splat(load<f32>(pa + 3 * A));
        s00 = f32x4.add(s00, f32x4.mul(x0, b0));
        s01 = f32x4.add(s01, f32x4.mul(x0, b1));
        s10 = f32x4.add(s10, f32x4.mul(x1, b0));
        s11 = f32x4.add(s11, f32x4.mul(x1, b1));
        s20 = f32x4.add(s20, f32x4.mul(x2, b0));
        s21 = f32x4.add(s21, f32x4.mul(x2, b1));
        s30 = f32x4.add(s30, f32x4.mul(x3, b0));
        s31 = f32x4.add(s31, f32x4.mul(x3, b1));
        pa += 4;
        pb += B;
      }
      const pc = c0 + ((<usize>col) << 2);
      v128.store(pc, s00);
      v128.store(pc, s01, 16);
      v128.store(pc + Cs, s10);
      v128.store(pc + Cs, s11, 16);
      v128.store(pc + 2 * Cs, s20);
      v128.store(pc + 2 * Cs, s21, 16);
      v128.store(pc + 3 * Cs, s30);
      v128.store(pc + 3 * Cs, s31, 16);
    }
    for (; col + 4 <= ncol; col += 4) {
      let s0 = f32x4.splat(0),
        s1 = f32x4.splat(0),
        s2 = f32x4.splat(0),
        s3 = f32x4.splat(0);
      let pb = b + ((<usize>col) << 2);
      let pa = a0;
      for (let i = 0; i < k; i++) {
        const b0 = v128.load(pb);
        s0 = f32x4.add(s0, f32x4.mul(f32x4.splat(load<f32>(pa)), b0));
        s1 = f32x4.add(s1, f32x4.mul(f32x4.splat(load<f32>(pa + A)), b0));
        s2 = f32x4.add(s2, f32x4.mul(f32x4.splat(load<f32>(pa + 2 * A)), b0));
        s3 = f32x4.add(s3, f32x4.mul(f32x4.splat(load<f32>(pa + 3 * A)), b0));
        pa += 4;
        pb += B;
      }
      const pc = c0 + ((<usize>col) << 2);
      v128.store(pc, s0);
      v128.store(pc + Cs, s1);
      v128.store(pc + 2 * Cs, s2);
      v128.store(pc + 3 * Cs, s3);
    }
    for (; col < ncol; col++) {
      for (let r = 0; r < 4; r++) scalarDot(a0 + <usize>r * A, b + ((<usize>col) << 2), B, c0 + <usize>r * Cs + ((<usize>col) << 2), k);
    }
  }
  for (; row < m; row++) {
    const a0 = a + <usize>row * A;
    const c0 = c + <usize>row * Cs;
    let col = 0;
    for (; col + 4 <= ncol; col += 4) {
      let s0 = f32x4.splat(0);
      let pb = b + ((<usize>col) << 2);
      for (let i = 0; i < k; i++) {
        s0 = f32x4.add(s0, f32x4.mul(f32x4.splat(load<f32>(a0 + ((<usize>i) << 2))), v128.load(pb)));
        pb += B;
      }
      v128.store(c0 + ((<usize>col) << 2), s0);
    }
    for (; col < ncol; col++) scalarDot(a0, b + ((<usize>col) << 2), B, c0 + ((<usize>col) << 2), k);
  }
}

function scalarDot(a: usize, b: usize, bStride: usize, c: usize, k: i32): void {
  let s: f32 = 0;
  for (let i = 0; i < k; i++) s += load<f32>(a + ((<usize>i) << 2)) * load<f32>(b + <usize>i * bStride);
  store<f32>(c, s);
}

/** T (cols x rows) = S^T, S rows x cols: the transposed operands of the backward products. */
export function transpose(s: usize, t: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const sr = s + ((<usize>(r * cols)) << 2);
    for (let c = 0; c < cols; c++) store<f32>(t + ((<usize>(c * rows + r)) << 2), load<f32>(sr + ((<usize>c) << 2)));
  }
}

function activate(act: i32, x: f32): f32 {
  if (act == 1) return x > 0 ? x : 0;
  if (act == 2) return 1 / (1 + Mathf.exp(-x));
  if (act == 3) return Mathf.tanh(x);
  return x;
}

function slope(act: i32, y: f32): f32 {
  if (act == 1) return y > 0 ? 1 : 0;
  if (act == 2) return y * (1 - y);
  if (act == 3) return 1 - y * y;
  return 1;
}

/** Y = act(Y + b) over N x O (the forward epilogue); act is activationCode (identity 0, relu 1, sigmoid 2, tanh 3). */
export function biasActivate(y: usize, b: usize, n: i32, o: i32, act: i32): void {
  for (let r = 0; r < n; r++) {
    const yr = y + ((<usize>(r * o)) << 2);
    for (let c = 0; c < o; c++) {
      const p = yr + ((<usize>c) << 2);
      store<f32>(p, activate(act, load<f32>(p) + load<f32>(b + ((<usize>c) << 2))));
    }
  }
}

/** dX *= act'(X) elementwise over count floats (the backward-data epilogue, through X = act(.)). */
export function maskSlope(dx: usize, x: usize, count: i32, act: i32): void {
  for (let i = 0; i < count; i++) {
    const p = dx + ((<usize>i) << 2);
    store<f32>(p, load<f32>(p) * slope(act, load<f32>(x + ((<usize>i) << 2))));
  }
}

/** db = column sums of dY (N x O). */
export function columnSums(dy: usize, db: usize, n: i32, o: i32): void {
  for (let c = 0; c < o; c++) {
    let s: f32 = 0;
    for (let r = 0; r < n; r++) s += load<f32>(dy + ((<usize>(r * o + c)) << 2));
    store<f32>(db + ((<usize>c) << 2), s);
  }
}

/** X (N x D) = images[indices[n]] / 255 as the GPU's batch_gather (f32(pixel) * f32(1/255)); past the set: zeros. */
export function gather(images: usize, count: u32, indices: usize, x: usize, n: i32, d: i32): void {
  const inv: f32 = <f32>(1.0 / 255.0);
  for (let r = 0; r < n; r++) {
    const j = load<u32>(indices + ((<usize>r) << 2));
    const xr = x + ((<usize>(r * d)) << 2);
    if (j >= count) {
      memory.fill(xr, 0, (<usize>d) << 2);
      continue;
    }
    const src = images + <usize>j * <usize>d;
    for (let i = 0; i < d; i++) store<f32>(xr + ((<usize>i) << 2), <f32>load<u8>(src + <usize>i) * inv);
  }
}

/**
 * Softmax cross-entropy of N rows of C logits (in place: the logits become dLogits = (p - onehot) / N);
 * returns the mean of -log(p_label + 1e-7) as the seed's SoftmaxWithLoss. Labels are u32.
 */
export function softmaxXent(logits: usize, labels: usize, n: i32, c: i32, withGrad: i32): f64 {
  let total: f64 = 0;
  const invN: f32 = <f32>1 / <f32>n;
  for (let r = 0; r < n; r++) {
    const row = logits + ((<usize>(r * c)) << 2);
    let max = load<f32>(row);
    for (let k = 1; k < c; k++) max = Mathf.max(max, load<f32>(row + ((<usize>k) << 2)));
    let sum: f32 = 0;
    for (let k = 0; k < c; k++) sum += Mathf.exp(load<f32>(row + ((<usize>k) << 2)) - max);
    const t = load<u32>(labels + ((<usize>r) << 2));
    let pt: f32 = 0;
    for (let k = 0; k < c; k++) {
      const p = Mathf.exp(load<f32>(row + ((<usize>k) << 2)) - max) / sum;
      if (<u32>k == t) pt = p;
      if (withGrad) store<f32>(row + ((<usize>k) << 2), (p - (<u32>k == t ? <f32>1 : <f32>0)) * invN);
    }
    total -= Math.log(<f64>(pt + <f32>1e-7));
  }
  return total / <f64>n;
}

/**
 * One optimizer step over `count` floats of p with gradient g and state s0, s1. `rule` is the
 * index in src/wasm/optimizer-kernels.ts; a..f its step scalars (the registry's step(h, t), in order).
 */
export function optimize(rule: i32, p: usize, g: usize, s0: usize, s1: usize, count: i32, a: f32, b: f32, c: f32, d: f32, e: f32, f: f32): void {
  for (let i = 0; i < count; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    let pi = load<f32>(p + o);
    if (rule == 0) {
      // sgd: lr
      pi -= a * gi;
    } else if (rule == 1) {
      // momentum: lr, momentum
      const v = b * load<f32>(s0 + o) - a * gi;
      store<f32>(s0 + o, v);
      pi += v;
    } else if (rule == 2) {
      // nesterov: lr, momentum
      const v = load<f32>(s0 + o);
      pi += b * b * v;
      pi -= (1 + b) * a * gi;
      store<f32>(s0 + o, b * v - a * gi);
    } else if (rule == 3) {
      // adagrad: lr, eps
      const h = load<f32>(s0 + o) + gi * gi;
      store<f32>(s0 + o, h);
      pi -= (a * gi) / (Mathf.sqrt(h) + b);
    } else if (rule == 4) {
      // rmsprop: lr, decay, eps
      const h = b * load<f32>(s0 + o) + (1 - b) * gi * gi;
      store<f32>(s0 + o, h);
      pi -= (a * gi) / (Mathf.sqrt(h) + c);
    } else if (rule == 5 || rule == 6) {
      // adam: lr, beta1, beta2, correction, eps; adamw: lr, beta1, beta2, weight_decay, correction, eps
      const corr = rule == 5 ? d : e;
      const eps = rule == 5 ? e : f;
      if (rule == 6) pi -= a * d * pi;
      let m = load<f32>(s0 + o);
      let v = load<f32>(s1 + o);
      m += (1 - b) * (gi - m);
      v += (1 - c) * (gi * gi - v);
      store<f32>(s0 + o, m);
      store<f32>(s1 + o, v);
      pi -= (a * corr * m) / (Mathf.sqrt(v) + eps);
    } else if (rule == 7) {
      // lion: lr, beta1, beta2, weight_decay
      const m = load<f32>(s0 + o);
      const u = b * m + (1 - b) * gi;
      const sign: f32 = u > 0 ? 1 : u < 0 ? -1 : 0;
      pi -= a * (sign + d * pi);
      store<f32>(s0 + o, c * m + (1 - c) * gi);
    } else if (rule == 8) {
      // adadelta: lr, rho, eps
      const v = b * load<f32>(s0 + o) + (1 - b) * gi * gi;
      const u = load<f32>(s1 + o);
      const delta = (Mathf.sqrt(u + c) / Mathf.sqrt(v + c)) * gi;
      store<f32>(s0 + o, v);
      store<f32>(s1 + o, b * u + (1 - b) * delta * delta);
      pi -= a * delta;
    } else if (rule == 9) {
      // adamax: lr, beta1, beta2, correction, eps
      const m = b * load<f32>(s0 + o) + (1 - b) * gi;
      const u = Mathf.max(c * load<f32>(s1 + o), Mathf.abs(gi) + e);
      store<f32>(s0 + o, m);
      store<f32>(s1 + o, u);
      pi -= (a * d * m) / u;
    }
    store<f32>(p + o, pi);
  }
}
