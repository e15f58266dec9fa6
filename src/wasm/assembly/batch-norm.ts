/**
 * Batch normalisation of one racer's activations: N rows x F features, row-major f32, as the
 * book's BatchNormalization (float64 reference: src/nn/batch-norm-reference.ts). Per feature over
 * the batch: the mean, the biased variance, std = sqrt(var + 1e-6), xn = (x - mean) / std,
 * out = γ xn + β; the running statistics (starting at zero) move as 0.9 running + 0.1 batch.
 * Four features at a time in f32x4 (a column block; its rows are F floats apart), a scalar tail for
 * the last F % 4. Each sum runs over the rows in order, so a feature's numbers never depend on its
 * neighbours or on the block it fell in. work(plan) (race-step.ts) runs them for its bn racers.
 */

/** The book's `10e-7`. */
const kEpsilon: f32 = 1e-6;
/** running = kMomentum running + kBatchWeight batch statistic. */
const kMomentum: f32 = 0.9;
const kBatchWeight: f32 = 0.1;

/**
 * Training forward: out = γ xn + β (out may be x). Keeps xn (N x F) and std (F) for the backward
 * pass, and moves the running mean and variance (F each) in place.
 */
export function batchNormTrain(x: usize, out: usize, n: i32, f: i32, gamma: usize, beta: usize, xn: usize, std: usize, runMean: usize, runVar: usize): void {
  const F = (<usize>f) << 2;
  const nv = f32x4.splat(<f32>n);
  let c = 0;
  for (; c + 4 <= f; c += 4) {
    const col = (<usize>c) << 2;
    let sum = f32x4.splat(0);
    for (let r = 0, p = x + col; r < n; r++, p += F) sum = f32x4.add(sum, v128.load(p));
    const mean = f32x4.div(sum, nv);
    let squares = f32x4.splat(0);
    for (let r = 0, p = x + col; r < n; r++, p += F) {
      const d = f32x4.sub(v128.load(p), mean);
      squares = f32x4.add(squares, f32x4.mul(d, d));
    }
    const variance = f32x4.div(squares, nv);
    const s = f32x4.sqrt(f32x4.add(variance, f32x4.splat(kEpsilon)));
    v128.store(std + col, s);
    v128.store(runMean + col, f32x4.add(f32x4.mul(f32x4.splat(kMomentum), v128.load(runMean + col)), f32x4.mul(f32x4.splat(kBatchWeight), mean)));
    v128.store(runVar + col, f32x4.add(f32x4.mul(f32x4.splat(kMomentum), v128.load(runVar + col)), f32x4.mul(f32x4.splat(kBatchWeight), variance)));
    const g = v128.load(gamma + col);
    const b = v128.load(beta + col);
    for (let r = 0, o = col; r < n; r++, o += F) {
      const q = f32x4.div(f32x4.sub(v128.load(x + o), mean), s);
      v128.store(xn + o, q);
      v128.store(out + o, f32x4.add(f32x4.mul(g, q), b));
    }
  }
  for (; c < f; c++) {
    const col = (<usize>c) << 2;
    let sum: f32 = 0;
    for (let r = 0, p = x + col; r < n; r++, p += F) sum += load<f32>(p);
    const mean = sum / <f32>n;
    let squares: f32 = 0;
    for (let r = 0, p = x + col; r < n; r++, p += F) {
      const d = load<f32>(p) - mean;
      squares += d * d;
    }
    const variance = squares / <f32>n;
    const s = Mathf.sqrt(variance + kEpsilon);
    store<f32>(std + col, s);
    store<f32>(runMean + col, kMomentum * load<f32>(runMean + col) + kBatchWeight * mean);
    store<f32>(runVar + col, kMomentum * load<f32>(runVar + col) + kBatchWeight * variance);
    const g = load<f32>(gamma + col);
    const b = load<f32>(beta + col);
    for (let r = 0, o = col; r < n; r++, o += F) {
      const q = (load<f32>(x + o) - mean) / s;
      store<f32>(xn + o, q);
      store<f32>(out + o, g * q + b);
    }
  }
}

/** Evaluation forward: out = γ (x - running mean) / sqrt(running var + 1e-6) + β (out may be x). */
export function batchNormEval(x: usize, out: usize, n: i32, f: i32, gamma: usize, beta: usize, runMean: usize, runVar: usize): void {
  const F = (<usize>f) << 2;
  let c = 0;
  for (; c + 4 <= f; c += 4) {
    const col = (<usize>c) << 2;
    const s = f32x4.sqrt(f32x4.add(v128.load(runVar + col), f32x4.splat(kEpsilon)));
    const m = v128.load(runMean + col);
    const g = v128.load(gamma + col);
    const b = v128.load(beta + col);
    for (let r = 0, o = col; r < n; r++, o += F) {
      v128.store(out + o, f32x4.add(f32x4.div(f32x4.mul(g, f32x4.sub(v128.load(x + o), m)), s), b));
    }
  }
  for (; c < f; c++) {
    const col = (<usize>c) << 2;
    const s = Mathf.sqrt(load<f32>(runVar + col) + kEpsilon);
    const m = load<f32>(runMean + col);
    const g = load<f32>(gamma + col);
    const b = load<f32>(beta + col);
    for (let r = 0, o = col; r < n; r++, o += F) store<f32>(out + o, (g * (load<f32>(x + o) - m)) / s + b);
  }
}

/**
 * Backward from the training pass's xn and std: dβ = Σ dout, dγ = Σ xn dout (F each, stored),
 * and dx (N x F; may be dout) as the book: dxc = dxn / std - xc Σ(dxn xc) / (N std³) with
 * dxn = γ dout, which with xc = xn std is (γ / std)(dout - xn dγ / N); then dx = dxc - mean(dxc).
 * Subtracting the mean as the book does keeps Σ_n dx at rounding level, so the bias of the affine
 * layer before it barely moves, as in the reference.
 */
export function batchNormBackward(dout: usize, dx: usize, n: i32, f: i32, gamma: usize, xn: usize, std: usize, dgamma: usize, dbeta: usize): void {
  const F = (<usize>f) << 2;
  const nv = f32x4.splat(<f32>n);
  let c = 0;
  for (; c + 4 <= f; c += 4) {
    const col = (<usize>c) << 2;
    let db = f32x4.splat(0);
    let dg = f32x4.splat(0);
    for (let r = 0, o = col; r < n; r++, o += F) {
      const d = v128.load(dout + o);
      db = f32x4.add(db, d);
      dg = f32x4.add(dg, f32x4.mul(v128.load(xn + o), d));
    }
    v128.store(dbeta + col, db);
    v128.store(dgamma + col, dg);
    const scale = f32x4.div(v128.load(gamma + col), v128.load(std + col));
    const dgMean = f32x4.div(dg, nv);
    let sum = f32x4.splat(0);
    for (let r = 0, o = col; r < n; r++, o += F) {
      const dxc = f32x4.mul(scale, f32x4.sub(v128.load(dout + o), f32x4.mul(v128.load(xn + o), dgMean)));
      v128.store(dx + o, dxc);
      sum = f32x4.add(sum, dxc);
    }
    const mean = f32x4.div(sum, nv);
    for (let r = 0, o = col; r < n; r++, o += F) v128.store(dx + o, f32x4.sub(v128.load(dx + o), mean));
  }
  for (; c < f; c++) {
    const col = (<usize>c) << 2;
    let db: f32 = 0;
    let dg: f32 = 0;
    for (let r = 0, o = col; r < n; r++, o += F) {
      const d = load<f32>(dout + o);
      db += d;
      dg += load<f32>(xn + o) * d;
    }
    store<f32>(dbeta + col, db);
    store<f32>(dgamma + col, dg);
    const scale = load<f32>(gamma + col) / load<f32>(std + col);
    const dgMean = dg / <f32>n;
    let sum: f32 = 0;
    for (let r = 0, o = col; r < n; r++, o += F) {
      const dxc = scale * (load<f32>(dout + o) - load<f32>(xn + o) * dgMean);
      store<f32>(dx + o, dxc);
      sum += dxc;
    }
    const mean = sum / <f32>n;
    for (let r = 0, o = col; r < n; r++, o += F) store<f32>(dx + o, load<f32>(dx + o) - mean);
  }
}
