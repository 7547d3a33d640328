//! `wasi:random/insecure-seed`: one seed per process, as the interface asks.

use crate::wasi::abi::Cx;
use crate::wasi::slab::Global;

static SEED: Global<Option<(u64, u64)>> = Global::new(None);

/// `insecure-seed`.
pub fn insecure_seed(_: &mut Cx) -> (u64, u64) {
    SEED.with(|s| *s.get_or_insert_with(|| (super::u64(), super::u64())))
}
