#!/usr/bin/env bash
# Unpacks the pack of pack.sh and runs, in one go: the adapter's matmul throughput for both
# strategies over a grid of tilings, the seed race (six racers), the 48-racer race, and when
# python3 has torch, the same seed race in PyTorch (torch_race.py: eager, CUDA graphs, torch.compile);
# writes ours.json (+ init-params.f32) and torch.json to the results dir and prints the ratios.
#
#   run.sh PACK.tar.gz [--results DIR] [--iterations N] [--wide-iterations N] [--warmup N] [--matmul-runs N]
#          [--grid full|small] [--torch-iterations N] [--torch-modes eager,graphs,compile] [--no-torch]
#
# Defaults (2000 seed iterations, 1000 for 48 racers, the full grid) are sized to stay well under
# 8 minutes on a real GPU; on lavapipe pass far fewer iterations. Vulkan: when no libvulkan is
# installed and .gl/*.deb (the loader packages, see the device notes) is in the working directory,
# they are unpacked into /; an NVIDIA ICD under /usr/local/nvidia is used when present.
set -euo pipefail
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
pack=$1; shift
results=$PWD/gpubench-results
bench_args=()
torch_iterations=
torch_modes=
torch=1
while [ $# -gt 0 ]; do
  case $1 in
    --results) results=$2; shift 2 ;;
    --iterations|--wide-iterations|--warmup|--matmul-runs|--grid) bench_args+=("$1" "$2"); [ "$1" = --iterations ] && torch_iterations=${torch_iterations:-$2}; shift 2 ;;
    --torch-iterations) torch_iterations=$2; shift 2 ;;
    --torch-modes) torch_modes=$2; shift 2 ;;
    --no-torch) torch=0; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown option $1" >&2; usage ;;
  esac
done
mkdir -p "$results"
results=$(cd "$results" && pwd)
started=$(date +%s)
say() { echo "[run.sh $(($(date +%s) - started))s] $*" >&2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "unpacking $pack"
if command -v tar >/dev/null && command -v gzip >/dev/null; then
  tar -C "$work" -xzf "$pack"
else
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$pack" "$work"
fi
dir=$work/optimizer-race-gpubench
cat "$dir/VERSION" >&2

# Vulkan loader and driver (the device machine's notes): bring the loader when none is installed.
if ! ldconfig -p 2>/dev/null | grep -q libvulkan && ls .gl/*.deb >/dev/null 2>&1; then
  say "no libvulkan: unpacking .gl/*.deb into /"
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$nvidia_icd" ]; then
  export VK_DRIVER_FILES=$nvidia_icd VK_ICD_FILENAMES=$nvidia_icd
  say "Vulkan driver: $nvidia_icd"
fi

say "our race (node $("$dir/bin/node" --version), Dawn)"
status=0
"$dir/bin/node" "$dir/bench.js" --data "$dir/data" --out "$results" ${bench_args[@]+"${bench_args[@]}"} || status=$?

if [ "$torch" = 1 ] && command -v python3 >/dev/null && python3 -c 'import torch' 2>/dev/null; then
  say "PyTorch race"
  args=(--data "$dir/data" --out "$results/torch.json")
  [ -f "$results/init-params.f32" ] && args+=(--init "$results/init-params.f32")
  [ -n "$torch_iterations" ] && args+=(--iterations "$torch_iterations")
  [ -n "$torch_modes" ] && args+=(--modes "$torch_modes")
  PYTHONUNBUFFERED=1 python3 "$dir/torch_race.py" "${args[@]}" || status=$?
else
  say "no PyTorch race (python3 with torch not found, or --no-torch)"
fi

if command -v python3 >/dev/null && [ -f "$results/ours.json" ]; then
  python3 - "$results" <<'PY'
import json, os, sys
d = sys.argv[1]
ours = json.load(open(os.path.join(d, 'ours.json')))
seed = ours['seedRace']
print(f"adapter: {ours['adapter']['description'] or ours['adapter']['vendor']}")
best = {}
for m in ours['matmul']:
    if 'error' in m: continue
    key = (m['shape']['rows'], m['shape']['inner'], m['shape']['cols'])
    if key not in best or m['bestGflops'] > best[key]['bestGflops']: best[key] = m
for key, m in best.items():
    print(f"matmul {key[0]}x{key[1]}x{key[2]}: best {m['bestGflops']:.1f} GFLOP/s with {m['kernel']}")
for name in ('seedRace', 'wideRace'):
    r = ours.get(name)
    if r and not r.get('error'):
        print(f"{name}: {r['racers']} racers, {r['iterations']} iters, {r['msPerIteration']:.2f} ms/iter, "
              f"{r['dispatchesPerIteration']:.0f} dispatches/iter, {r['gflops']:.1f} GFLOP/s")
path = os.path.join(d, 'torch.json')
if os.path.exists(path) and not seed.get('error'):
    torch = json.load(open(path))
    for mode, r in torch['modes'].items():
        if 'msPerIteration' in r:
            print(f"ours/{mode}: {seed['msPerIteration'] / r['msPerIteration']:.3f} (ours {seed['msPerIteration']:.2f} ms/iter, torch {r['msPerIteration']:.2f})")
        else:
            print(f"torch {mode}: {r.get('error')}")
PY
fi
say "done (status $status); results in $results"
exit $status
