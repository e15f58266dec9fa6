/**
 * The first layer's products over the input's nonzero pixels only (MNIST's are about 20 %): its
 * forward X·W and its weight gradient Xᵀ·dY. A sparse matrix is a list of rows: row r's entries
 * are starts[r] to starts[r + 1] of `entries`, each a pair (u32 index, f32 value), in increasing
 * index order: the rows of X by pixel (the images, built once per race, or a training batch), or
 * the columns of X by batch row (Xᵀ, built once per step). A skipped term is 0·b, and adding ±0 to
 * a running sum that started at +0 never changes it, so each output is bit for bit the dense
 * product's in-order sum (gemm.ts), as long as the other factor is finite: 0·Inf and 0·NaN are NaN.
 * sparseLayerForward and sparseLayerWeights check that (allFinite) and run the dense product
 * otherwise. The product itself is gemm.ts's sparseGemm (it shares the dense kernel's epilogue).
 */

import { gemm, kEntryBytes, sparseGemm } from './gemm';
import { kBias, kStore } from './gemm-epilogues';

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

/**
 * The first layer's Y (rows x O) = X W + b (and ReLU for act 1), X the sparse rows at starts and
 * entries (rows x I): over their entries while W is finite, else the dense product on the rows made
 * dense 4 at a time in `scratch` (4 I floats), so that 0·Inf gives its NaN as the dense sum does.
 */
export function sparseLayerForward(starts: usize, entries: usize, w: usize, b: usize, y: usize, rows: i32, I: i32, O: i32, act: i32, scratch: usize): void {
  if (allFinite(w, I * O)) {
    sparseGemm(starts, entries, w, O, y, O, rows, O, kBias, b, act);
    return;
  }
  for (let row = 0; row < rows; row += 4) {
    const m = min(4, rows - row);
    sparseToDense(starts + ((<usize>row) << 2), entries, m, I, scratch);
    gemm(scratch, (<usize>I) << 2, 4, w, O, y + ((<usize>(row * O)) << 2), O, m, I, O, kBias, b, 0, act);
  }
}

/**
 * The first layer's dW (I x O) = Xᵀ dY, dY n x O: over the entries of Xᵀ's sparse rows (colStarts,
 * colEntries) while dY is finite, else the dense product on X (n x I, dense).
 */
export function sparseLayerWeights(colStarts: usize, colEntries: usize, x: usize, dY: usize, dW: usize, n: i32, I: i32, O: i32): void {
  if (allFinite(dY, n * O)) sparseGemm(colStarts, colEntries, dY, O, dW, O, I, O, kStore, 0, 0);
  else gemm(x, 4, (<usize>I) << 2, dY, O, dW, O, I, n, O, kStore, 0, 0, 0);
}
