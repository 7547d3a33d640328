#!/usr/bin/env python3
"""Runs a WASI 0.2 command component under Wasmtime's embedding API (PyPI `wasmtime`),
taking grants spelled as smelt takes them. check-wasmtime.sh uses it for cases the Wasmtime
CLI cannot express: read-only directories (`--dir-ro`, Wasmtime's DirPerms::READ and
FilePerms::READ).

    wasmtime-py.py [--dir HOST::GUEST] [--dir-ro HOST::GUEST] [--env NAME[=VALUE]]
                   [--inherit-env] PROGRAM.wasm [ARGS...]

Exit status: 0 when `run` returns ok, 1 when it returns err or the program exits non-zero,
134 on a trap (with `wasm trap:` and Wasmtime's message on stderr).
"""
import os
import sys

import wasmtime
import wasmtime.component as component


def main(argv):
    dirs, env, inherit_env = [], [], False
    while argv and argv[0].startswith("--"):
        flag = argv.pop(0)
        if flag in ("--dir", "--dir-ro"):
            host, _, guest = argv.pop(0).partition("::")
            dirs.append((host, guest or host, flag == "--dir"))
        elif flag == "--env":
            name, eq, value = argv.pop(0).partition("=")
            if eq:
                env.append((name, value))
            elif name in os.environ:
                env.append((name, os.environ[name]))
        elif flag == "--inherit-env":
            inherit_env = True
        else:
            sys.exit(f"unknown option {flag}")
    wasm, args = argv[0], argv[1:]

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = [os.path.basename(wasm)] + args
    if inherit_env:
        config.inherit_env()
    else:
        config.env = env
    config.inherit_stdin()
    config.inherit_stdout()
    config.inherit_stderr()
    for host, guest, mutable in dirs:
        config.preopen_dir(host, guest, fs_mutable=mutable)
    store.set_wasi(config)
    linker = component.Linker(engine)
    linker.add_wasip2()
    instance = linker.instantiate(store, component.Component.from_file(engine, wasm))
    run_interface = instance.get_export_index(store, "wasi:cli/run@0.2.0")
    run = instance.get_func(store, instance.get_export_index(store, "run", run_interface))
    try:
        result = run(store)
    except wasmtime.ExitTrap as e:
        return e.code
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        sys.stdout.flush()
        print(e, file=sys.stderr)
        return 134 if "wasm trap:" in str(e) else 1
    return 0 if getattr(result, "tag", "ok") == "ok" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
