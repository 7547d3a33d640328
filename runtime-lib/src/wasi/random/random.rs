//! `wasi:random/random`.

use crate::wasi::abi::{Cx, List};

/// `get-random-bytes`.
pub fn get_random_bytes(cx: &mut Cx, len: u64) -> List<u8> {
    super::bytes(cx, len)
}

/// `get-random-u64`.
pub fn get_random_u64(_: &mut Cx) -> u64 {
    super::u64()
}
