//! Traps inside the component: `trap unreachable|div-zero|oob|stack|null-call`. Each prints a
//! line, then executes the trapping instruction; the run must end like Wasmtime's: exit status
//! 134 and a `wasm trap: <reason>` line on stderr after what the program printed.
//!
//! Natively there is no wasm instruction to trap on, so the native build prints the same line
//! and aborts; only its stdout and stderr are the oracle (see `cases.toml`).
//!
//! `trap deep N` does not trap: it recurses N calls deep and prints a checksum (deep recursion
//! that works natively must work under smelt's default wasm stack).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Where [`recurse`] stops: never (0) unless `deep N` sets it.
static LIMIT: AtomicU64 = AtomicU64::new(0);

/// Recursion whose frames hold nothing in linear memory (no shadow stack: no local has its
/// address taken), so only the wasm call stack grows; the combination of results is not
/// associative, so LLVM cannot turn the recursion into a loop.
#[inline(never)]
fn recurse(n: u64) -> u64 {
    if n == LIMIT.load(Relaxed) {
        0
    } else {
        recurse(n + 1).rotate_left(1) ^ n
    }
}

fn main() {
    let args = smelt_wasi_programs::args();
    let what = args.first().map(String::as_str).unwrap_or("");
    if what == "deep" {
        let depth: u64 = args.get(1).and_then(|d| d.parse().ok()).unwrap_or(100_000);
        LIMIT.store(depth, Relaxed);
        println!("recursed {depth} deep: {:#x}", recurse(1));
        return;
    }
    println!("about to trap: {what}");
    eprintln!("stderr before the trap");
    trap(what);
    println!("not reached");
}

#[cfg(not(target_os = "wasi"))]
fn trap(_: &str) {
    std::process::abort()
}

#[cfg(target_os = "wasi")]
fn trap(what: &str) {
    use std::hint::black_box;
    match what {
        // `unreachable`.
        "unreachable" => core::arch::wasm32::unreachable(),
        // `i32.div_u` by zero: the promise lets LLVM drop Rust's own zero check.
        "div-zero" => {
            let d: u32 = black_box(0);
            // SAFETY: deliberately false; the wasm instruction traps before anything else.
            unsafe { std::hint::assert_unchecked(d != 0) };
            println!("{}", black_box(7u32) / d);
        }
        // A load far past the end of linear memory.
        "oob" => {
            let p = black_box(0xffff_fff0usize) as *const u64;
            // SAFETY: deliberately out of bounds; the wasm load traps.
            println!("{}", unsafe { p.read_volatile() });
        }
        // Unbounded recursion that uses no shadow stack, so the wasm call stack runs out.
        "stack" => println!("{}", recurse(black_box(1))),
        // `call_indirect` of table slot 0, which LLVM leaves null.
        "null-call" => {
            let f: fn() = unsafe { std::mem::transmute(black_box(0usize)) };
            f();
        }
        _ => smelt_wasi_programs::usage("unreachable|div-zero|oob|stack|null-call"),
    }
}
