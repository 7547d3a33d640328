//! smelt's runtime library, linked into every executable the compiler produces.
//!
//! A compiled program is static code and data (the compiler's object file) plus this
//! library, and nothing else: no libc, no dynamic loader. The runtime provides:
//!
//! ```text
//! _start ─▶ start: auxv, .init_array, signal handlers, wasm stack      start.rs, arch/*
//!            └─▶ on the wasm stack: the entry point (command mode)    start.rs
//!                               or the script loop (script mode)     script.rs
//! wasm code ─▶ builtins: memories, tables, raise_trap                 builtins.rs, memory.rs, table.rs
//!          ─▶ strings crossing fused adapters (string_transcode)      transcode.rs
//!          ─▶ WASI 0.2 host functions (bindings generated from wit/)  wasi/, handles.rs
//!          ─▶ libcalls: memcpy…, ceil…                               mem_intrinsics.rs, libcalls.rs
//! faults/traps ─▶ signal handler ─▶ recover (guard) or report + exit  signal.rs, trap.rs
//! ```
//!
//! What the compiler and runtime share (layouts, trap codes, builtin signatures, symbol
//! names) is in `smelt-contract`. Per-architecture knowledge (system calls, `_start`, context
//! switches, `ucontext_t` offsets, frame records) is in one file per architecture under
//! `arch/`, each providing the same items; nothing else reads machine state directly.
//!
//! Unsafe code is denied here and allowed only in the modules that need it, each with a
//! `# Safety` paragraph saying what it relies on.
#![no_std]
#![no_builtins]
#![deny(unsafe_code)]

#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
#[cfg_attr(target_arch = "riscv64", path = "arch/riscv64.rs")]
mod arch;

mod builtins;
mod cpu;
mod desc;
mod handles;
mod int128;
mod io;
mod libcalls;
mod mem_intrinsics;
mod memory;
mod process;
mod script;
mod signal;
mod signal_context;
mod start;
mod sys;
mod table;
mod transcode;
mod trap;
mod wasi;

/// A panic is a bug in the runtime: say where, and exit without unwinding.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut out = io::Out::new(io::STDERR);
    out.str("smelt runtime: internal error (panic)");
    if let Some(location) = info.location() {
        out.str(" at ")
            .str(location.file())
            .str(":")
            .dec(location.line().into());
    }
    out.str("\n").flush();
    sys::exit_group(io::RUNTIME_FAILURE)
}
