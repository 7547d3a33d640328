#!/usr/bin/env python3
"""Runs components from large toolchains under smelt (every target) and under Wasmtime, and
compares exit status, stdout and stderr. For developers, not CI (the toolchains are hundreds of
megabytes and need the network to install):

    pip install componentize-py          # Python: tests/toolchains/python/app.py
    npm install @bytecodealliance/componentize-js   # in tests/toolchains/js (node_modules)
    tests/toolchains/check.py [python|js ...] [--targets x86_64,aarch64,riscv64]

Wasmtime: `wasmtime` on PATH or $WASMTIME. smelt: $SMELT_BIN or target/release/smelt.
Components may import more than smelt's host provides (componentize-js: wasi:http), so smelt
builds them with --trap-unknown-imports and Wasmtime runs them with -S http where needed; the
apps never call those imports.

What is compared: the exit status and stdout exactly; stderr exactly up to the point where the
engine reports a trap or error (Wasmtime: a line starting `Error: failed to run main module`;
smelt: a line starting `wasm trap:`), since the two engines word that report differently.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests/toolchains"
TARGETS = {
    "x86_64": ("x86_64-unknown-linux-gnu", []),
    "aarch64": ("aarch64-unknown-linux-gnu", ["qemu-aarch64"]),
    "riscv64": ("riscv64gc-unknown-linux-gnu", ["qemu-riscv64"]),
}


def build_python(out: Path) -> Path:
    tool = os.environ.get("COMPONENTIZE_PY") or shutil.which("componentize-py")
    if not tool:
        raise RuntimeError("no componentize-py (pip install componentize-py)")
    wasm = out / "python.wasm"
    subprocess.run(
        [tool, "-d", str(ROOT / "wit"), "-w", "wasi:cli/command@0.2.12", "componentize",
         "-p", str(HERE / "python"), "app", "-o", str(wasm)],
        check=True, cwd=out, stdout=subprocess.DEVNULL)
    return wasm


def build_js(out: Path) -> Path:
    js = HERE / "js"
    tool = js / "node_modules/.bin/componentize-js"
    if not tool.exists():
        raise RuntimeError(f"no componentize-js (cd {js} && npm install "
                           "@bytecodealliance/componentize-js)")
    wit = out / "js-wit"
    shutil.rmtree(wit, ignore_errors=True)
    shutil.copytree(ROOT / "wit/deps", wit / "deps")
    shutil.copy(js / "app.wit", wit / "app.wit")
    wasm = out / "js.wasm"
    subprocess.run([str(tool), "--wit", str(wit), "--world-name", "app", "-o", str(wasm),
                    str(js / "app.js")], check=True, cwd=out, stdout=subprocess.DEVNULL)
    return wasm


# Each run: (name, args, env grants {NAME: value}, a granted directory?).
APPS = {
    "python": (build_python, [], [
        ("plain", [], {}, False),
        ("files", ["/sandbox"], {"PY_VALUE": "v"}, True),
        ("raise", ["/sandbox", "raise"], {}, True),
        ("exit", ["/sandbox", "exit"], {}, True),
    ]),
    "js": (build_js, ["-S", "http"], [
        ("plain", ["a", "b c"], {"JS_X": "1"}, False),
        ("throw", ["throw"], {}, False),
        ("exit", ["exit"], {}, False),
    ]),
}


def cut_report(stderr: str) -> str:
    lines = stderr.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("Error: failed to run main module") or line.startswith("wasm trap:"):
            return "".join(lines[:i])
    return stderr


def run(cmd, env, cwd):
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, timeout=600)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("apps", nargs="*", default=list(APPS))
    ap.add_argument("--targets", default="x86_64,aarch64,riscv64")
    args = ap.parse_args()
    wasmtime = os.environ.get("WASMTIME") or shutil.which("wasmtime")
    smelt = os.environ.get("SMELT_BIN") or str(ROOT / "target/release/smelt")
    failures, passed = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for app in args.apps:
            build, wasmtime_opts, runs = APPS[app]
            try:
                wasm = build(tmp)
            except (RuntimeError, subprocess.CalledProcessError) as e:
                print(f"{app}: skipped: {e}")
                continue
            for name, argv, env, with_dir in runs:
                def fresh():
                    d = tmp / "sandbox"
                    shutil.rmtree(d, ignore_errors=True)
                    d.mkdir()
                    (d / "hello.txt").write_text("hello\n")
                    return d
                base_env = {"PATH": os.environ["PATH"], **env}
                grants = [] if not with_dir else ["--dir", f"{tmp / 'sandbox'}::/sandbox"]
                for k in env:
                    grants += ["--env", k]
                fresh()
                want = run([wasmtime, "run", *wasmtime_opts, *grants, str(wasm), *argv],
                           base_env, tmp)
                for alias in args.targets.split(","):
                    triple, runner = TARGETS[alias]
                    exe = tmp / f"{app}.{name}.{alias}"
                    b = subprocess.run([smelt, "build", str(wasm), "-o", str(exe), "--target",
                                        triple, "--trap-unknown-imports", *grants],
                                       capture_output=True)
                    label = f"{app}/{name} on {alias}"
                    if b.returncode != 0:
                        failures.append(f"{label}: smelt build failed: {b.stderr.decode()}")
                        continue
                    fresh()
                    got = run([*runner, str(exe), *argv], base_env, tmp)
                    problems = []
                    if got[0] != want[0]:
                        problems.append(f"status {got[0]}, wasmtime {want[0]}")
                    if got[1] != want[1]:
                        problems.append(f"stdout:\n--- wasmtime\n{want[1]}--- smelt\n{got[1]}")
                    if cut_report(got[2]) != cut_report(want[2]):
                        problems.append(f"stderr:\n--- wasmtime\n{want[2]}--- smelt\n{got[2]}")
                    if problems:
                        failures.append(f"{label}: " + "\n".join(problems))
                    else:
                        passed += 1
                        print(f"ok {label} (status {got[0]})")
    for f in failures:
        print(f"FAILED {f}\n")
    print(f"toolchains: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
