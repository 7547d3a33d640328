#!/usr/bin/env bash
# smelt's benchmarks, measured side by side in one run (the machines are shared and noisy):
#  1. run time of C programs built natively and built to wasm32 then compiled by smelt, from
#     the same source with no libc, so the ratio is code generation alone;
#  2. compile throughput on a large generated module (functions per second, seconds).
# Needs clang + lld (wasm32 target) and hyperfine: `apt-get install clang lld hyperfine`.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in clang wasm-ld hyperfine; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install clang lld hyperfine)" >&2; exit 1; }
done
cargo build --release -q -p smelt
smelt=target/release/smelt
out=target/bench
mkdir -p "$out"
runs=${BENCH_RUNS:-10}

echo "## Run time: smelt vs native (same C source, clang -O2; median of $runs runs)"
printf '%-8s %12s %12s %8s\n' program native_ms smelt_ms ratio
for src in bench/compute/*.c; do
    name=$(basename "$src" .c)
    clang -O2 --target=wasm32 -mbulk-memory -nostdlib -Wl,--no-entry -o "$out/$name.wasm" "$src"
    clang -O2 -static -o "$out/$name.native" "$src"
    "$smelt" build "$out/$name.wasm" -o "$out/$name.smelt"
    "$out/$name.native" && "$out/$name.smelt" || { echo "bench: $name gave a wrong result" >&2; exit 1; }
    hyperfine -N -w 2 -r "$runs" --export-json "$out/$name.json" "$out/$name.native" "$out/$name.smelt" >/dev/null 2>&1
    python3 - "$out/$name.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
n, s = (x["median"] * 1000 for x in r)
print(f"{sys.argv[2]:<8} {n:12.1f} {s:12.1f} {s / n:8.2f}")
PY
done

echo
echo "## Compile time of a large module"
funcs=${BENCH_FUNCS:-4000}
python3 bench/gen_large.py "$funcs" > "$out/large.c"
clang -O1 --target=wasm32 -nostdlib -Wl,--no-entry -o "$out/large.wasm" "$out/large.c"
size=$(stat -c %s "$out/large.wasm")
hyperfine -N -w 1 -r 3 --export-json "$out/compile.json" "$smelt build $out/large.wasm -o $out/large.smelt" >/dev/null 2>&1
"$out/large.smelt"
python3 - "$out/compile.json" "$funcs" "$size" "$(nproc)" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["results"][0]["median"]
funcs, size, cores = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print(f"{funcs} functions, {size / 1e6:.2f} MB of wasm: {t:.2f} s including link "
      f"({funcs / t:,.0f} functions/s on {cores} cores)")
PY
