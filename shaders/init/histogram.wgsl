// Histogram of activations, every racer in one dispatch: counts per (racer, slot, bin) with
// workgroup-local atomics, added to the global counts once per workgroup; plus per-workgroup
// partial sums of (v - pivot) and (v - pivot)^2 for the mean and std.
// Grid: (ceil(M / (kWorkgroupSize * kItemsPerThread)), R, 1); `slot` picks the record (a layer).
// Bins as numpy.histogram: [e_k, e_k+1), the last one closed; values outside the range are counted
// in the end bins and also in `below` / `above`, so a record's bins always sum to M.
// Bindings, group 0:
//   0 values   storage, read        racer r's M values at r * shape.valuesRacerStride
//   1 ranges   storage, read        racer r's record at r * (B + 2): B + 1 ascending edges, then the pivot
//   2 counts   storage, read_write  record (r, slot) at (r * slots + slot) * (B + 3): B bins, below, above, zeros
//   3 moments  storage, read_write  vec2(sum, sum of squares) of workgroup g at (r * slots + slot) * momentGroups + g
//   4 shape    uniform              Histogram

struct Histogram {
  valuesPerRacer: u32,    // M
  valuesRacerStride: u32, // floats between racers in values
  bins: u32,              // B, at most kMaxBins
  slot: u32,              // the record this dispatch adds to
  slots: u32,             // records per racer
  momentGroups: u32,      // moment partials per record (>= the grid's x)
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> ranges: array<f32>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> moments: array<vec2f>;
@group(0) @binding(4) var<uniform> shape: Histogram;

const kMaxBins = 256u;
const kExtras = 3u; // below, above, zeros
override kWorkgroupSize: u32 = 256u; // a power of two (tree reduction)
override kItemsPerThread: u32 = 16u;

var<workgroup> localCounts: array<atomic<u32>, kMaxBins + kExtras>;
var<workgroup> partialSums: array<vec2f, kWorkgroupSize>;

// The bin of v: the estimate from the spacing, corrected by one against the stored edges, so that
// the result is exactly "the last edge <= v" (the same comparisons as the TypeScript reference).
fn binOf(v: f32, e: u32, B: u32, lo: f32, hi: f32) -> u32 {
  if (v < lo) { return 0u; }
  if (v >= hi) { return B - 1u; }
  // min() also keeps a NaN's undefined conversion inside the array.
  var k = min(u32((v - lo) * (f32(B) / (hi - lo))), B - 1u);
  if (v < ranges[e + k]) {
    k -= 1u;
  } else if (k + 1u < B && v >= ranges[e + k + 1u]) {
    k += 1u;
  }
  return k;
}

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) t: u32) {
  let B = shape.bins;
  let r = group.y;
  for (var k = t; k < B + kExtras; k += kWorkgroupSize) { atomicStore(&localCounts[k], 0u); }
  workgroupBarrier();

  let e = r * (B + 2u);
  let lo = ranges[e];
  let hi = ranges[e + B];
  let pivot = ranges[e + B + 1u];
  let base = r * shape.valuesRacerStride;
  let first = group.x * kWorkgroupSize * kItemsPerThread;
  var acc = vec2f(0.0);
  // The activations of a bad init crowd into one or two bins, and every thread adding 1 to the
  // same counter serialises: a thread counts a run of values in one bin privately and adds the
  // run at once, and keeps its below / above / zeros counts private until the end.
  var runBin = 0u;
  var run = 0u;
  var extras = vec3u(0u);
  // Consecutive threads read consecutive values: coalesced.
  for (var i = 0u; i < kItemsPerThread; i++) {
    let n = first + i * kWorkgroupSize + t;
    if (n >= shape.valuesPerRacer) { break; }
    let v = values[base + n];
    let k = binOf(v, e, B, lo, hi);
    if (k != runBin && run > 0u) {
      atomicAdd(&localCounts[runBin], run);
      run = 0u;
    }
    runBin = k;
    run += 1u;
    extras += vec3u(select(0u, 1u, v < lo), select(0u, 1u, v > hi), select(0u, 1u, v == 0.0));
    let d = v - pivot;
    acc += vec2f(d, d * d);
  }
  if (run > 0u) { atomicAdd(&localCounts[runBin], run); }
  for (var x = 0u; x < kExtras; x++) {
    if (extras[x] > 0u) { atomicAdd(&localCounts[B + x], extras[x]); }
  }

  partialSums[t] = acc;
  workgroupBarrier();
  for (var stride = kWorkgroupSize / 2u; stride > 0u; stride /= 2u) {
    if (t < stride) { partialSums[t] += partialSums[t + stride]; }
    workgroupBarrier();
  }
  let record = r * shape.slots + shape.slot;
  if (t == 0u) { moments[record * shape.momentGroups + group.x] = partialSums[0]; }

  // One global atomic per non-empty bin and workgroup.
  let out = record * (B + kExtras);
  for (var k = t; k < B + kExtras; k += kWorkgroupSize) {
    let c = atomicLoad(&localCounts[k]);
    if (c > 0u) { atomicAdd(&counts[out + k], c); }
  }
}
