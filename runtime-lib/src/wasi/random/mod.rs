//! `wasi:random`: the kernel's `getrandom(2)` serves all three interfaces (the insecure ones
//! need not be cryptographic, but nothing is gained by weakening them).

pub mod insecure;
pub mod insecure_seed;
#[allow(clippy::module_inception)]
pub mod random;

use crate::wasi::abi::{Cx, List};

/// Fills `buf` from the kernel's random source.
pub fn fill(buf: &mut [u8]) {
    let mut done = 0;
    while done < buf.len() {
        match rustix::rand::getrandom(&mut buf[done..], rustix::rand::GetRandomFlags::empty()) {
            Ok(n) => done += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => crate::io::fatal("getrandom failed"),
        }
    }
}

/// A random `u64`.
pub fn u64() -> u64 {
    let mut b = [0; 8];
    fill(&mut b);
    u64::from_le_bytes(b)
}

/// A new list of `len` random bytes, filled in place in the caller's memory.
pub fn bytes(cx: &mut Cx, len: u64) -> List<u8> {
    let Ok(len) = u32::try_from(len) else {
        crate::trap::raise(smelt_contract::Trap::MemoryOutOfBounds)
    };
    let list = cx.new_list::<u8>(len);
    fill(cx.bytes_mut(list.ptr, list.len));
    list
}
