//! `wasi:clocks/wall-clock`: `CLOCK_REALTIME`.

use crate::wasi::abi::Cx;
use crate::wasi::bindings::clocks_wall_clock::Datetime;
use rustix::time::{ClockId, Timespec};

fn datetime(t: Timespec) -> Datetime {
    Datetime {
        seconds: t.tv_sec as u64,
        nanoseconds: t.tv_nsec as u32,
    }
}

/// `now`.
pub fn now(_: &mut Cx) -> Datetime {
    datetime(rustix::time::clock_gettime(ClockId::Realtime))
}

/// `resolution`.
pub fn resolution(_: &mut Cx) -> Datetime {
    datetime(rustix::time::clock_getres(ClockId::Realtime))
}
