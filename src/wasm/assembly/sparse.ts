/**
 * The first layer's products over the input's nonzero pixels only (MNIST's are about 20 %): its
 * forward X·W and its weight gradient Xᵀ·dY. A sparse matrix is a list of rows: row r's entries
 * are starts[r] to starts[r + 1] of `entries`, each a pair (u32 index, f32 value), in increasing
 * index order: the rows of X by pixel (the images, built once per race, or a training batch), or
 * the columns of X by batch row (Xᵀ, built once per step). A skipped term is 0·b, and adding ±0 to
 * a running sum that started at +0 never changes it, so each output is bit for bit the dense
 * product's in-order sum (gemm.ts), as long as the other factor is finite: 0·Inf and 0·NaN are NaN.
 * The callers check that (allFinite) and run the dense product otherwise.
 */

import { finish1, finish4 } from './gemm';

/** Bytes of one entry: its index (u32) and its value (f32). */
const kEntryBytes: usize = 8;

/**
 * C (m x ncol) = S B, S sparse (m rows), B row-major with stride ldb; C's stride ldc (floats).
 * Epilogue as gemm's: kStore, or kBias with `bias` (a row of ncol) and ReLU for act 1.
 */
export function sparseGemm(starts: usize, entries: usize, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, ncol: i32, mode: i32, bias: usize, act: i32): void {
  const B = (<usize>ldb) << 2;
  for (let row = 0; row < m; row++) {
    const first = entries + <usize>load<u32>(starts + ((<usize>row) << 2)) * kEntryBytes;
    const end = entries + <usize>load<u32>(starts + ((<usize>row + 1) << 2)) * kEntryBytes;
    const pc = c + <usize>row * ((<usize>ldc) << 2);
    let col = 0;
    // 8 vectors (32 columns) of sums in registers while the row's entries stream by once.
    for (; col + 32 <= ncol; col += 32) {
      let s0 = f32x4.splat(0),
        s1 = f32x4.splat(0),
        s2 = f32x4.splat(0),
        s3 = f32x4.splat(0),
        s4 = f32x4.splat(0),
        s5 = f32x4.splat(0),
        s6 = f32x4.splat(0),
        s7 = f32x4.splat(0);
      const pcol = b + ((<usize>col) << 2);
      for (let e = first; e < end; e += kEntryBytes) {
        const pb = pcol + <usize>load<u32>(e) * B;
        const v = v128.load32_splat(e, 4);
        s0 = f32x4.add(s0, f32x4.mul(v, v128.load(pb)));
        s1 = f32x4.add(s1, f32x4.mul(v, v128.load(pb, 16)));
        s2 = f32x4.add(s2, f32x4.mul(v, v128.load(pb, 32)));
        s3 = f32x4.add(s3, f32x4.mul(v, v128.load(pb, 48)));
        s4 = f32x4.add(s4, f32x4.mul(v, v128.load(pb, 64)));
        s5 = f32x4.add(s5, f32x4.mul(v, v128.load(pb, 80)));
        s6 = f32x4.add(s6, f32x4.mul(v, v128.load(pb, 96)));
        s7 = f32x4.add(s7, f32x4.mul(v, v128.load(pb, 112)));
      }
      const o = (<usize>col) << 2;
      const pbias = bias + o;
      finish4(s0, pc + o, pbias, 0, mode, act);
      finish4(s1, pc + o + 16, pbias + 16, 0, mode, act);
      finish4(s2, pc + o + 32, pbias + 32, 0, mode, act);
      finish4(s3, pc + o + 48, pbias + 48, 0, mode, act);
      finish4(s4, pc + o + 64, pbias + 64, 0, mode, act);
      finish4(s5, pc + o + 80, pbias + 80, 0, mode, act);
      finish4(s6, pc + o + 96, pbias + 96, 0, mode, act);
      finish4(s7, pc + o + 112, pbias + 112, 0, mode, act);
    }
    for (; col + 8 <= ncol; col += 8) {
      let s0 = f32x4.splat(0),
        s1 = f32x4.splat(0);
      const pcol = b + ((<usize>col) << 2);
      for (let e = first; e < end; e += kEntryBytes) {
        const pb = pcol + <usize>load<u32>(e) * B;
        const v = v128.load32_splat(e, 4);
        s0 = f32x4.add(s0, f32x4.mul(v, v128.load(pb)));
        s1 = f32x4.add(s1, f32x4.mul(v, v128.load(pb, 16)));
      }
      const o = (<usize>col) << 2;
      finish4(s0, pc + o, bias + o, 0, mode, act);
      finish4(s1, pc + o + 16, bias + o + 16, 0, mode, act);
    }
    for (; col + 4 <= ncol; col += 4) {
      let s = f32x4.splat(0);
      const pcol = b + ((<usize>col) << 2);
      for (let e = first; e < end; e += kEntryBytes) s = f32x4.add(s, f32x4.mul(v128.load32_splat(e, 4), v128.load(pcol + <usize>load<u32>(e) * B)));
      const o = (<usize>col) << 2;
      finish4(s, pc + o, bias + o, 0, mode, act);
    }
    for (; col < ncol; col++) {
      let s: f32 = 0;
      const pcol = b + ((<usize>col) << 2);
      for (let e = first; e < end; e += kEntryBytes) s += load<f32>(e, 4) * load<f32>(pcol + <usize>load<u32>(e) * B);
      const o = (<usize>col) << 2;
      finish1(s, pc + o, bias + o, 0, mode, act);
    }
  }
}

/**
 * The sparse rows of `count` images of d uint8 pixels: pixel p becomes f32(p)·f32(1/255) as the
 * gather scales it (rows.ts), zeros are left out. starts gets count + 1 offsets; entries room for
 * every nonzero pixel (the caller counted them).
 */
export function sparseImages(images: usize, count: i32, d: i32, starts: usize, entries: usize): void {
  const inv: f32 = <f32>(1.0 / 255.0);
  let e: u32 = 0;
  for (let j = 0; j < count; j++) {
    store<u32>(starts + ((<usize>j) << 2), e);
    const src = images + <usize>j * <usize>d;
    for (let i = 0; i < d; i++) {
      const p = load<u8>(src + <usize>i);
      if (p === 0) continue;
      const at = entries + <usize>e * kEntryBytes;
      store<u32>(at, <u32>i);
      store<f32>(at, <f32>p * inv, 4);
      e++;
    }
  }
  store<u32>(starts + ((<usize>count) << 2), e);
}

/**
 * A batch of n rows of a sparse set (rows at setStarts/setEntries, `count` of them) by indices:
 * row r is the set's row indices[r], or empty past the set (the gather's zero row).
 */
export function sparseBatch(setStarts: usize, setEntries: usize, count: u32, indices: usize, n: i32, starts: usize, entries: usize): void {
  let e: u32 = 0;
  for (let r = 0; r < n; r++) {
    store<u32>(starts + ((<usize>r) << 2), e);
    const j = load<u32>(indices + ((<usize>r) << 2));
    if (j >= count) continue;
    const first = load<u32>(setStarts + ((<usize>j) << 2));
    const bytes = <usize>(load<u32>(setStarts + ((<usize>j + 1) << 2)) - first) * kEntryBytes;
    memory.copy(entries + <usize>e * kEntryBytes, setEntries + <usize>first * kEntryBytes, bytes);
    e += <u32>(bytes / kEntryBytes);
  }
  store<u32>(starts + ((<usize>n) << 2), e);
}

/**
 * Tᵀ of a sparse S (n rows of d columns): d rows, each listing (row of S, value) in increasing row
 * order (a stable counting sort), so that Xᵀ·dY sums over the batch in the dense product's order.
 */
export function sparseTranspose(starts: usize, entries: usize, n: i32, d: i32, tStarts: usize, tEntries: usize): void {
  // Counts per column at tStarts[c + 1], then their prefix sums: tStarts[c] is column c's first slot.
  memory.fill(tStarts, 0, (<usize>d + 1) << 2);
  const total = load<u32>(starts + ((<usize>n) << 2)) - load<u32>(starts);
  const base = entries + <usize>load<u32>(starts) * kEntryBytes;
  for (let e: u32 = 0; e < total; e++) {
    const slot = tStarts + ((<usize>load<u32>(base + <usize>e * kEntryBytes) + 1) << 2);
    store<u32>(slot, load<u32>(slot) + 1);
  }
  for (let c = 0; c < d; c++) {
    const slot = tStarts + ((<usize>c + 1) << 2);
    store<u32>(slot, load<u32>(slot) + load<u32>(slot - 4));
  }
  // Place each entry at its column's next slot (tStarts[c] moves up), then restore the starts.
  for (let r = 0; r < n; r++) {
    const end = entries + <usize>load<u32>(starts + ((<usize>r + 1) << 2)) * kEntryBytes;
    for (let p = entries + <usize>load<u32>(starts + ((<usize>r) << 2)) * kEntryBytes; p < end; p += kEntryBytes) {
      const slot = tStarts + ((<usize>load<u32>(p)) << 2);
      const at = tEntries + <usize>load<u32>(slot) * kEntryBytes;
      store<u32>(at, <u32>r);
      store<f32>(at, load<f32>(p, 4), 4);
      store<u32>(slot, load<u32>(slot) + 1);
    }
  }
  for (let c = d; c > 0; c--) store<u32>(tStarts + ((<usize>c) << 2), load<u32>(tStarts + ((<usize>c - 1) << 2)));
  store<u32>(tStarts, 0);
}

/**
 * The dense rows (m x d, stride d) of a sparse S: the fallback's input when the other factor is not
 * finite, so that the dense product gives its NaNs exactly where 0·Inf puts them.
 */
export function sparseToDense(starts: usize, entries: usize, m: i32, d: i32, x: usize): void {
  memory.fill(x, 0, (<usize>(m * d)) << 2);
  for (let r = 0; r < m; r++) {
    const xr = x + ((<usize>(r * d)) << 2);
    const end = entries + <usize>load<u32>(starts + ((<usize>r + 1) << 2)) * kEntryBytes;
    for (let p = entries + <usize>load<u32>(starts + ((<usize>r) << 2)) * kEntryBytes; p < end; p += kEntryBytes) {
      store<f32>(xr + ((<usize>load<u32>(p)) << 2), load<f32>(p, 4));
    }
  }
}

/** 1 when none of count floats (a multiple of 4 or not) is Inf or NaN: v - v is 0 for a finite v, else NaN. */
export function allFinite(p: usize, count: i32): i32 {
  let a = f32x4.splat(0),
    b = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const q = p + ((<usize>i) << 2);
    const x = v128.load(q);
    const y = v128.load(q, 16);
    a = f32x4.add(a, f32x4.sub(x, x));
    b = f32x4.add(b, f32x4.sub(y, y));
  }
  let s: f32 = 0;
  for (; i < count; i++) {
    const x = load<f32>(p + ((<usize>i) << 2));
    s += x - x;
  }
  const t = f32x4.add(a, b);
  s += f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1) + f32x4.extract_lane(t, 2) + f32x4.extract_lane(t, 3);
  return s === 0 ? 1 : 0;
}
