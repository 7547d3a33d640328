//! `wasi:clocks`: the monotonic clock and the wall clock.

pub mod monotonic_clock;
pub mod wall_clock;
