/**
 * The row-wise pieces of a step around the products: the batch gather, the activation pass
 * (ReLU is fused into the product's epilogue where no batch norm comes between), the bias gradient
 * and softmax cross-entropy.
 */

/** X (N x D) = images[indices[n]] / 255 as the GPU's batch_gather (f32(pixel) * f32(1/255)); past the set: zeros. */
export function gather(images: usize, count: u32, indices: usize, x: usize, n: i32, d: i32): void {
  const inv: f32 = <f32>(1.0 / 255.0);
  const invs = f32x4.splat(inv);
  for (let r = 0; r < n; r++) {
    const j = load<u32>(indices + ((<usize>r) << 2));
    const xr = x + ((<usize>(r * d)) << 2);
    if (j >= count) {
      memory.fill(xr, 0, (<usize>d) << 2);
      continue;
    }
    const src = images + <usize>j * <usize>d;
    let i = 0;
    for (; i + 16 <= d; i += 16) {
      const bytes = v128.load(src + <usize>i);
      const lo = i16x8.extend_low_i8x16_u(bytes);
      const hi = i16x8.extend_high_i8x16_u(bytes);
      const out = xr + ((<usize>i) << 2);
      v128.store(out, f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)), invs));
      v128.store(out, f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), invs), 16);
      v128.store(out, f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), invs), 32);
      v128.store(out, f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), invs), 48);
    }
    for (; i < d; i++) store<f32>(xr + ((<usize>i) << 2), <f32>load<u8>(src + <usize>i) * inv);
  }
}

/**
 * Y = act(Y) over count floats: ReLU (1; f32x4, zero where y <= 0 as gemm's epilogue), sigmoid (2)
 * and tanh (3). The plain forward fuses ReLU into the product; a batch-norm layer applies it here.
 */
export function activate(y: usize, count: i32, act: i32): void {
  if (act === 1) {
    const zero = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= count; i += 4) {
      const p = y + ((<usize>i) << 2);
      v128.store(p, f32x4.pmax(zero, v128.load(p)));
    }
    for (; i < count; i++) {
      const p = y + ((<usize>i) << 2);
      if (!(load<f32>(p) > 0)) store<f32>(p, 0);
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const p = y + ((<usize>i) << 2);
    const v = load<f32>(p);
    store<f32>(p, act === 2 ? 1 / (1 + Mathf.exp(-v)) : Mathf.tanh(v));
  }
}

/** db = column sums of dY (N x O), in row order per column. */
export function columnSums(dy: usize, db: usize, n: i32, o: i32): void {
  const O = (<usize>o) << 2;
  let c = 0;
  for (; c + 4 <= o; c += 4) {
    let s = f32x4.splat(0);
    let p = dy + ((<usize>c) << 2);
    for (let r = 0; r < n; r++) {
      s = f32x4.add(s, v128.load(p));
      p += O;
    }
    v128.store(db + ((<usize>c) << 2), s);
  }
  for (; c < o; c++) {
    let s: f32 = 0;
    let p = dy + ((<usize>c) << 2);
    for (let r = 0; r < n; r++) {
      s += load<f32>(p);
      p += O;
    }
    store<f32>(db + ((<usize>c) << 2), s);
  }
}

/**
 * Softmax cross-entropy of N rows of C logits (with withGrad, in place: the logits become
 * dLogits = (p - onehot) / N); returns the mean of -log(p_label + 1e-7) as the seed's
 * SoftmaxWithLoss. Labels are u32.
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
      if (<u32>k === t) pt = p;
      if (withGrad) store<f32>(row + ((<usize>k) << 2), (p - (<u32>k === t ? <f32>1 : <f32>0)) * invN);
    }
    total -= Math.log(<f64>(pt + <f32>1e-7));
  }
  return total / <f64>n;
}
