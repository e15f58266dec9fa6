#!/usr/bin/env bash
# Packs what a bare Linux x86-64 machine with a Vulkan driver needs to run our race in Node:
# this machine's `node`, Dawn (node_modules/webgpu: index.js + dist/linux-x64/dawn.node), the
# benchmark (dist-gpubench/bench.js) and the CLI (dist-cli/) built by Vite with the shaders inlined,
# the embedded MNIST data, run.sh and torch_race.py; one gzip'd tarball (Python's tarfile opens
# it where tar cannot), at most 64 MiB or it fails.
#   bench/gpu/pack.sh [--cli DIR] [--fast] [OUT.tar.gz]   (default bench/gpu/out/optimizer-race-gpubench.tar.gz)
#   --cli DIR  packs the CLI already built from this checkout in DIR (dist-cli/) instead of building it
#   --fast     gzip -1 instead of -6: a few MiB bigger, made in a third of the time (the tests use it)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cli=
level=-6
out=
while [ $# -gt 0 ]; do
  case $1 in
    --cli) cli=$(cd "$2" && pwd); shift 2 ;;
    --fast) level=-1; shift ;;
    -*) echo "pack.sh: unknown option $1" >&2; exit 2 ;;
    *) out=$1; shift ;;
  esac
done
out=${out:-$root/bench/gpu/out/optimizer-race-gpubench.tar.gz}
limit=$((64 * 1024 * 1024))
cd "$root"

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "pack.sh: packs Linux x86-64 binaries; this is $(uname -s)-$(uname -m)" >&2; exit 2; }
dawn=node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$dawn" ] || { echo "pack.sh: $dawn is missing (the optional 'webgpu' package is not installed)" >&2; exit 2; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pack=$stage/optimizer-race-gpubench

# Built into the stage, not dist-cli/: a pack made while the tests build the CLI must not race them.
what="the benchmark and the CLI"
[ -z "$cli" ] || what="the benchmark (the CLI from $cli)"
echo "pack.sh: building the embedded MNIST data, $what" >&2
node scripts/build-embedded-mnist.mjs >&2
npx vite build --config vite.gpubench.config.ts --logLevel warn --outDir "$stage/build-bench"
if [ -n "$cli" ]; then
  [ -f "$cli/cli.js" ] || { echo "pack.sh: --cli $cli has no cli.js" >&2; exit 2; }
  mkdir -p "$pack" && cp -r "$cli" "$pack/dist-cli"
else
  npx vite build --config vite.cli.config.ts --logLevel warn --outDir "$pack/dist-cli"
fi
mkdir -p "$pack/bin" "$pack/node_modules/webgpu/dist/linux-x64" "$pack/data"
cp "$(command -v node)" "$pack/bin/node"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$pack/node_modules/webgpu/"
cp "$dawn" "$pack/node_modules/webgpu/dist/linux-x64/"
cp "$stage/build-bench/bench.js" "$pack/"
cp public/data/embedded/* "$pack/data/"
cp bench/gpu/run.sh bench/gpu/torch_race.py "$pack/"
printf '{ "type": "module", "private": true }\n' >"$pack/package.json"
printf 'node %s, packed %s from %s\n' "$(node --version)" "$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" >"$pack/VERSION"

mkdir -p "$(dirname "$out")"
tar -C "$stage" -cf - optimizer-race-gpubench | gzip "$level" >"$out.partial"
size=$(stat -c %s "$out.partial")
echo "pack.sh: $out: $size bytes ($((size / 1024 / 1024)) MiB; limit 64 MiB)"
if [ "$size" -gt "$limit" ]; then
  rm -f "$out.partial"
  echo "pack.sh: the pack is over 64 MiB" >&2
  exit 1
fi
mv "$out.partial" "$out"
