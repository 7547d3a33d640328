//! `wasi:io/poll`: pollables and waiting for several at once.
//!
//! A pollable is ready at once, at a monotonic-clock deadline, or when a file descriptor is
//! readable or writable. `poll` and `block` wait with `ppoll(2)` on the descriptors, with the
//! earliest deadline as the timeout, and re-check everything after each wake-up.

use crate::wasi::abi::{Borrow, Cx, List, Own};
use crate::wasi::bindings::io_poll::Pollable as PollableRes;
use crate::wasi::clocks::monotonic_clock;
use crate::wasi::slab::{Global, Slab};
use rustix::event::{PollFd, PollFlags};
use rustix::fd::BorrowedFd;
use rustix::time::Timespec;

/// What a pollable waits for.
#[derive(Clone, Copy, Debug)]
pub enum Pollable {
    /// Always ready.
    Ready,
    /// Ready once the monotonic clock reaches this instant (ns).
    Deadline(u64),
    /// Ready when the descriptor is readable (or at end of file or error).
    Readable(i32),
}

static POLLABLES: Global<Slab<Pollable>> = Global::new(Slab::new());

/// Most distinct file descriptors one `poll` call waits on (only standard input's is ever
/// waited on today: files are always ready); the number of pollables is not limited.
const MAX_FDS: usize = 64;
/// A new pollable.
pub fn new(p: Pollable) -> Own<PollableRes> {
    Own::new(POLLABLES.with(|s| s.insert(p)))
}

fn get(p: Borrow<PollableRes>) -> Pollable {
    POLLABLES.with(|s| *s.get(p.rep))
}

/// `ready`: whether the pollable is ready now.
pub fn pollable_ready(_: &mut Cx, this: Borrow<PollableRes>) -> bool {
    let item = get(this);
    let state = wait(1, |_| item, false);
    state.is_ready(item)
}

/// `block`: waits until the pollable is ready.
pub fn pollable_block(_: &mut Cx, this: Borrow<PollableRes>) {
    let item = get(this);
    wait(1, |_| item, true);
}

/// `poll`: waits until at least one of `in` is ready; returns the indices of the ready ones.
/// An empty list traps: nothing could ever wake it.
pub fn poll(cx: &mut Cx, r#in: List<Borrow<PollableRes>>) -> List<u32> {
    let n = r#in.len as usize;
    if n == 0 {
        crate::trap::raise_invalid_call("wasi:io/poll#poll: empty list");
    }
    let item = |cx: &mut Cx, i: usize| get(cx.get(r#in, i as u32));
    let state = wait(n, |i| item(cx, i), true);
    // Readiness is a function of the item and the state: count, then fill.
    let count = (0..n).filter(|&i| state.is_ready(item(cx, i))).count() as u32;
    let out = cx.new_list::<u32>(count);
    let mut j = 0;
    for i in 0..n {
        if state.is_ready(item(cx, i)) {
            cx.set(out, j, i as u32);
            j += 1;
        }
    }
    out
}

/// What one check found: the time, and which descriptors were ready.
struct State {
    now: u64,
    fds: [(i32, bool); MAX_FDS],
    nfds: usize,
}

impl State {
    fn is_ready(&self, item: Pollable) -> bool {
        match item {
            Pollable::Ready => true,
            Pollable::Deadline(t) => self.now >= t,
            Pollable::Readable(raw) => self.fds[..self.nfds]
                .iter()
                .any(|&(fd, ready)| fd == raw && ready),
        }
    }
}

/// Checks the `n` items `item(0..n)`; with `block`, first waits until one is ready.
fn wait(n: usize, mut item: impl FnMut(usize) -> Pollable, block: bool) -> State {
    loop {
        let now = monotonic_clock::now_ns();
        let mut any = false;
        let mut deadline: Option<u64> = None;
        let mut state = State {
            now,
            fds: [(0, false); MAX_FDS],
            nfds: 0,
        };
        for i in 0..n {
            match item(i) {
                Pollable::Ready => any = true,
                Pollable::Deadline(t) if now >= t => any = true,
                Pollable::Deadline(t) => deadline = Some(deadline.map_or(t, |d| d.min(t))),
                Pollable::Readable(raw) => {
                    if !state.fds[..state.nfds].iter().any(|&(fd, _)| fd == raw) {
                        if state.nfds == MAX_FDS {
                            crate::io::fatal("poll: more than 64 descriptors at once");
                        }
                        state.fds[state.nfds] = (raw, false);
                        state.nfds += 1;
                    }
                }
            }
        }
        let timeout = if any || !block {
            Some(Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            })
        } else {
            deadline.map(|d| {
                let ns = d - now;
                Timespec {
                    tv_sec: (ns / 1_000_000_000) as i64,
                    tv_nsec: (ns % 1_000_000_000) as i64,
                }
            })
        };
        if state.nfds > 0 || (block && !any) {
            let mut polled: [PollFd<'static>; MAX_FDS] =
                core::array::from_fn(|_| PollFd::from_borrowed_fd(fd(0), PollFlags::empty()));
            for (p, &(raw, _)) in polled.iter_mut().zip(&state.fds[..state.nfds]) {
                *p = PollFd::from_borrowed_fd(fd(raw), PollFlags::IN);
            }
            let _ = rustix::event::poll(&mut polled[..state.nfds], timeout.as_ref());
            for (k, p) in polled[..state.nfds].iter().enumerate() {
                if !p.revents().is_empty() {
                    state.fds[k].1 = true;
                    any = true;
                }
            }
        }
        if any || !block {
            return state;
        }
        if state.nfds == 0 && deadline.is_none() {
            // Nothing can ever become ready.
            crate::io::fatal("poll: waiting for nothing");
        }
    }
}

/// A descriptor of the process (stdio, or one the host opened and keeps open while a
/// pollable refers to it).
fn fd(raw: i32) -> BorrowedFd<'static> {
    // SAFETY: the host keeps the descriptors its pollables name open (see the callers).
    unsafe { BorrowedFd::borrow_raw(raw) }
}

/// Drops a pollable.
pub fn drop_pollable(_: &mut Cx, this: Own<PollableRes>) {
    POLLABLES.with(|s| s.remove(this.rep));
}
