/**
 * The three matrix products of an MLP step with one register-tiled f32x4 kernel (XNNPACK's
 * "loadsplat" GEMM shape): C (M x Ncol) = A (M x K) B (K x Ncol). A is read through two strides,
 * so A = X (forward, backward data) and A = Xᵀ (backward weights, Xᵀ·dY) cost the same: each k
 * step broadcasts one A element per tile row (v128.load32_splat) and loads one contiguous row
 * segment of B, so the inner loop never gathers. 4 x 8 tiles: 8 v128 accumulators + 2 B vectors
 * + 1 broadcast = 11 of the 16 xmm registers V8 allocates on x64; scalar lanes only at the edges.
 * Every output is one running sum over k in order, whatever the tile or the thread that computes
 * it, so a split of the columns or the racers never changes a bit. sparseGemm is the same sum over
 * a sparse A's entries (its zeros skipped), with the same epilogue.
 */

import { kBias, kSlope } from './gemm-epilogues';

function finish4(s: v128, pc: usize, pbias: usize, px: usize, mode: i32, act: i32): void {
  if (mode === kBias) {
    s = f32x4.add(s, v128.load(pbias));
    if (act === 1) s = f32x4.pmax(f32x4.splat(0), s);
  } else if (mode === kSlope) {
    s = f32x4.mul(s, slope4(act, v128.load(px)));
  }
  v128.store(pc, s);
}

/** An 8-column segment of a row: s0 the first 4 columns, s1 the next 4 (bias and x advance with them). */
function finish8(s0: v128, s1: v128, pc: usize, pbias: usize, px: usize, mode: i32, act: i32): void {
  finish4(s0, pc, pbias, px, mode, act);
  finish4(s1, pc + 16, pbias + 16, px + 16, mode, act);
}

function finish1(s: f32, pc: usize, pbias: usize, px: usize, mode: i32, act: i32): void {
  if (mode === kBias) {
    s += load<f32>(pbias);
    if (act === 1 && !(s > 0)) s = 0;
  } else if (mode === kSlope) {
    s *= slope1(act, load<f32>(px));
  }
  store<f32>(pc, s);
}

/** act'(.) from the activation's output y: relu 1/0, sigmoid y(1-y), tanh 1-y², identity 1. */
function slope4(act: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (act === 1) return v128.and(one, f32x4.gt(y, f32x4.splat(0)));
  if (act === 2) return f32x4.mul(y, f32x4.sub(one, y));
  if (act === 3) return f32x4.sub(one, f32x4.mul(y, y));
  return one;
}

function slope1(act: i32, y: f32): f32 {
  if (act === 1) return y > 0 ? 1 : 0;
  if (act === 2) return y * (1 - y);
  if (act === 3) return 1 - y * y;
  return 1;
}

/**
 * C = A B. A's element (row r, k i) is at a + r * ars + i * aks (bytes): ars = 4 lda, aks = 4 for
 * A = X; ars = 4, aks = 4 lda for A = Xᵀ. B and C are row-major with strides ldb, ldc (floats).
 * Epilogue `mode` with `bias` (a row of Ncol) or `x` (M x Ncol, stride ldc), activation code `act`.
 */
export function gemm(
  a: usize,
  ars: usize,
  aks: usize,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  ncol: i32,
  mode: i32,
  bias: usize,
  x: usize,
  act: i32,
): void {
  const B = (<usize>ldb) << 2;
  const Cs = (<usize>ldc) << 2;
  let row = 0;
  for (; row + 4 <= m; row += 4) {
    const a0 = a + <usize>row * ars;
    const rc = <usize>row * Cs;
    let col = 0;
    for (; col + 8 <= ncol; col += 8) {
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0),
        s10 = f32x4.splat(0),
        s11 = f32x4.splat(0),
        s20 = f32x4.splat(0),
        s21 = f32x4.splat(0),
        s30 = f32x4.splat(0),
        s31 = f32x4.splat(0);
      let pb = b + ((<usize>col) << 2);
      let p0 = a0;
      if (ars === 4) {
        // A = Xᵀ: the tile's 4 rows are 4 adjacent floats, read at immediate offsets from one pointer.
        for (let i = 0; i < k; i++) {
          const b0 = v128.load(pb);
          const b1 = v128.load(pb, 16);
          let v = v128.load32_splat(p0);
          s00 = f32x4.add(s00, f32x4.mul(v, b0));
          s01 = f32x4.add(s01, f32x4.mul(v, b1));
          v = v128.load32_splat(p0, 4);
          s10 = f32x4.add(s10, f32x4.mul(v, b0));
          s11 = f32x4.add(s11, f32x4.mul(v, b1));
          v = v128.load32_splat(p0, 8);
          s20 = f32x4.add(s20, f32x4.mul(v, b0));
          s21 = f32x4.add(s21, f32x4.mul(v, b1));
          v = v128.load32_splat(p0, 12);
          s30 = f32x4.add(s30, f32x4.mul(v, b0));
          s31 = f32x4.add(s31, f32x4.mul(v, b1));
          p0 += aks;
          pb += B;
        }
      } else {
        let p1 = a0 + ars;
        let p2 = a0 + 2 * ars;
        let p3 = a0 + 3 * ars;
        for (let i = 0; i < k; i++) {
          const b0 = v128.load(pb);
          const b1 = v128.load(pb, 16);
          let v = v128.load32_splat(p0);
          s00 = f32x4.add(s00, f32x4.mul(v, b0));
          s01 = f32x4.add(s01, f32x4.mul(v, b1));
          v = v128.load32_splat(p1);
          s10 = f32x4.add(s10, f32x4.mul(v, b0));
          s11 = f32x4.add(s11, f32x4.mul(v, b1));
          v = v128.load32_splat(p2);
          s20 = f32x4.add(s20, f32x4.mul(v, b0));
          s21 = f32x4.add(s21, f32x4.mul(v, b1));
          v = v128.load32_splat(p3);
          s30 = f32x4.add(s30, f32x4.mul(v, b0));
          s31 = f32x4.add(s31, f32x4.mul(v, b1));
          p0 += aks;
          p1 += aks;
          p2 += aks;
          p3 += aks;
          pb += B;
        }
      }
      const o = rc + ((<usize>col) << 2);
      const pbias = bias + ((<usize>col) << 2);
      finish8(s00, s01, c + o, pbias, x + o, mode, act);
      finish8(s10, s11, c + o + Cs, pbias, x + o + Cs, mode, act);
      finish8(s20, s21, c + o + 2 * Cs, pbias, x + o + 2 * Cs, mode, act);
      finish8(s30, s31, c + o + 3 * Cs, pbias, x + o + 3 * Cs, mode, act);
    }
    for (; col + 4 <= ncol; col += 4) {
      let s0 = f32x4.splat(0),
        s1 = f32x4.splat(0),
        s2 = f32x4.splat(0),
        s3 = f32x4.splat(0);
      let pb = b + ((<usize>col) << 2);
      let p0 = a0;
      for (let i = 0; i < k; i++) {
        const b0 = v128.load(pb);
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(p0), b0));
        s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(p0 + ars), b0));
        s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(p0 + 2 * ars), b0));
        s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(p0 + 3 * ars), b0));
        p0 += aks;
        pb += B;
      }
      const o = rc + ((<usize>col) << 2);
      const pbias = bias + ((<usize>col) << 2);
      finish4(s0, c + o, pbias, x + o, mode, act);
      finish4(s1, c + o + Cs, pbias, x + o + Cs, mode, act);
      finish4(s2, c + o + 2 * Cs, pbias, x + o + 2 * Cs, mode, act);
      finish4(s3, c + o + 3 * Cs, pbias, x + o + 3 * Cs, mode, act);
    }
    for (; col < ncol; col++) {
      for (let r = 0; r < 4; r++)
        dot1(a0 + <usize>r * ars, aks, b + ((<usize>col) << 2), B, c, rc + <usize>r * Cs + ((<usize>col) << 2), k, mode, bias + ((<usize>col) << 2), x, act);
    }
  }
  for (; row < m; row++) {
    const a0 = a + <usize>row * ars;
    const rc = <usize>row * Cs;
    let col = 0;
    for (; col + 4 <= ncol; col += 4) {
      let s0 = f32x4.splat(0);
      let pb = b + ((<usize>col) << 2);
      let p0 = a0;
      for (let i = 0; i < k; i++) {
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(p0), v128.load(pb)));
        p0 += aks;
        pb += B;
      }
      const o = rc + ((<usize>col) << 2);
      finish4(s0, c + o, bias + ((<usize>col) << 2), x + o, mode, act);
    }
    for (; col < ncol; col++) dot1(a0, aks, b + ((<usize>col) << 2), B, c, rc + ((<usize>col) << 2), k, mode, bias + ((<usize>col) << 2), x, act);
  }
}

/** One output of C at byte offset o (an edge column): the same in-order sum as a vector lane. */
function dot1(a: usize, aks: usize, b: usize, B: usize, c: usize, o: usize, k: i32, mode: i32, pbias: usize, x: usize, act: i32): void {
  let s: f32 = 0;
  for (let i = 0; i < k; i++) {
    s += load<f32>(a) * load<f32>(b);
    a += aks;
    b += B;
  }
  finish1(s, c + o, pbias, x + o, mode, act);
}

/** T (cols x rows) = Sᵀ, S rows x cols: Wᵀ for the backward-data product (I·O floats, 1/N of its work). */
export function transpose(s: usize, t: usize, rows: i32, cols: i32): void {
  const S = (<usize>cols) << 2;
  for (let c = 0; c < cols; c++) {
    let ps = s + ((<usize>c) << 2);
    const tc = t + ((<usize>(c * rows)) << 2);
    for (let r = 0; r < rows; r++) {
      store<f32>(tc + ((<usize>r) << 2), load<f32>(ps));
      ps += S;
    }
  }
}

/** Bytes of a sparse entry (sparse.ts): its index (u32) and its value (f32). */
export const kEntryBytes: usize = 8;

/**
 * C (m x ncol) = S B over S's entries only (sparse.ts: the first layer's products), S sparse (m
 * rows), B row-major with stride ldb; C's stride ldc (floats).
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
      finish8(s0, s1, pc + o, pbias, 0, mode, act);
      finish8(s2, s3, pc + o + 32, pbias + 32, 0, mode, act);
      finish8(s4, s5, pc + o + 64, pbias + 64, 0, mode, act);
      finish8(s6, s7, pc + o + 96, pbias + 96, 0, mode, act);
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
      finish8(s0, s1, pc + o, bias + o, 0, mode, act);
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
