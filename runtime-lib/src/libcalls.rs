//! Math functions that Cranelift may call instead of emitting an instruction.
//!
//! Cranelift lowers wasm's rounding and fused multiply-add operators to calls of the C library
//! names below when the target lacks the instruction (x86_64 without SSE4.1 or FMA, for
//! example); the implementations come from `libm`, which is pure Rust and never calls back
//! into these symbols. `nearbyint` rounds to nearest, ties to even, as wasm's `nearest` does.
//! On x86_64, `__cranelift_x86_pshufb` stands in for `pshufb` on CPUs without SSSE3.
//!
//! # Safety
//!
//! Only the exported symbol names need `unsafe`: each name is the C library's (or
//! Cranelift's) and the signature matches it.
#![allow(unsafe_code)]

/// `ceilf(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn ceilf(x: f32) -> f32 {
    quiet(libm::ceilf(x), x)
}

/// `ceil(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn ceil(x: f64) -> f64 {
    quiet(libm::ceil(x), x)
}

/// `floorf(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn floorf(x: f32) -> f32 {
    quiet(libm::floorf(x), x)
}

/// `floor(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn floor(x: f64) -> f64 {
    quiet(libm::floor(x), x)
}

/// `truncf(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn truncf(x: f32) -> f32 {
    quiet(libm::truncf(x), x)
}

/// `trunc(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn trunc(x: f64) -> f64 {
    quiet(libm::trunc(x), x)
}

/// `nearbyintf(3)` in the default rounding mode (to nearest, ties to even).
#[unsafe(no_mangle)]
pub extern "C" fn nearbyintf(x: f32) -> f32 {
    quiet(libm::rintf(x), x)
}

/// `nearbyint(3)` in the default rounding mode (to nearest, ties to even).
#[unsafe(no_mangle)]
pub extern "C" fn nearbyint(x: f64) -> f64 {
    quiet(libm::rint(x), x)
}

/// `fmaf(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn fmaf(x: f32, y: f32, z: f32) -> f32 {
    libm::fmaf(x, y, z)
}

/// `fma(3)`.
#[unsafe(no_mangle)]
pub extern "C" fn fma(x: f64, y: f64, z: f64) -> f64 {
    libm::fma(x, y, z)
}

/// `pshufb` for x86_64 CPUs without SSSE3: byte `i` of the result is `a[b[i] & 15]`, or 0
/// when bit 7 of `b[i]` is set.
#[cfg(target_arch = "x86_64")]
#[unsafe(no_mangle)]
#[expect(
    improper_ctypes_definitions,
    reason = "__m128i travels in an xmm register in the System V ABI, as Cranelift passes it"
)]
pub extern "C" fn __cranelift_x86_pshufb(
    a: core::arch::x86_64::__m128i,
    b: core::arch::x86_64::__m128i,
) -> core::arch::x86_64::__m128i {
    use core::arch::x86_64::__m128i;
    use core::mem::transmute;
    // SAFETY: `__m128i` is 16 plain bytes.
    let (a, b): ([u8; 16], [u8; 16]) = unsafe {
        (
            transmute::<__m128i, [u8; 16]>(a),
            transmute::<__m128i, [u8; 16]>(b),
        )
    };
    let r: [u8; 16] = core::array::from_fn(|i| {
        if b[i] & 0x80 != 0 {
            0
        } else {
            a[usize::from(b[i] & 15)]
        }
    });
    // SAFETY: as above.
    unsafe { transmute::<[u8; 16], __m128i>(r) }
}

/// WebAssembly rounding returns an arithmetic (quiet) NaN for a NaN input, where libm may
/// return a signalling NaN unchanged: `x + x` quiets it and keeps the payload.
fn quiet<F: Copy + PartialEq + core::ops::Add<Output = F>>(rounded: F, x: F) -> F {
    #[allow(clippy::eq_op, reason = "x != x is the NaN test")]
    if x != x { x + x } else { rounded }
}
