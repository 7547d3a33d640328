//! `wasi:clocks/monotonic-clock`: `CLOCK_MONOTONIC` in nanoseconds, and pollables that become
//! ready at an instant.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::clocks_monotonic_clock::{Duration, Instant, Pollable};
use crate::wasi::io::poll;
use rustix::time::{ClockId, Timespec};

fn ns(t: Timespec) -> u64 {
    (t.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(t.tv_nsec as u64)
}

/// The monotonic clock now, in nanoseconds.
pub fn now_ns() -> u64 {
    ns(rustix::time::clock_gettime(ClockId::Monotonic))
}

/// `now`.
pub fn now(_: &mut Cx) -> Instant {
    now_ns()
}

/// `resolution`.
pub fn resolution(_: &mut Cx) -> Duration {
    ns(rustix::time::clock_getres(ClockId::Monotonic)).max(1)
}

/// `subscribe-instant`: ready at `when`.
pub fn subscribe_instant(_: &mut Cx, when: Instant) -> Own<Pollable> {
    poll::new(poll::Pollable::Deadline(when))
}

/// `subscribe-duration`: ready `when` nanoseconds from now.
pub fn subscribe_duration(_: &mut Cx, when: Duration) -> Own<Pollable> {
    poll::new(poll::Pollable::Deadline(now_ns().saturating_add(when)))
}
