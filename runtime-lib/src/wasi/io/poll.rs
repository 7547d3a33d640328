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

/// Most pollables one `poll` call waits for.
const MAX_POLL: usize = 256;

/// A new pollable.
pub fn new(p: Pollable) -> Own<PollableRes> {
    Own::new(POLLABLES.with(|s| s.insert(p)))
}

fn get(p: Borrow<PollableRes>) -> Pollable {
    POLLABLES.with(|s| *s.get(p.rep))
}

/// `ready`: whether the pollable is ready now.
pub fn pollable_ready(_: &mut Cx, this: Borrow<PollableRes>) -> bool {
    let mut ready = [false];
    check(&[get(this)], &mut ready, false);
    ready[0]
}

/// `block`: waits until the pollable is ready.
pub fn pollable_block(_: &mut Cx, this: Borrow<PollableRes>) {
    let mut ready = [false];
    check(&[get(this)], &mut ready, true);
}

/// `poll`: waits until at least one of `in` is ready; returns the indices of the ready ones.
pub fn poll(cx: &mut Cx, r#in: List<Borrow<PollableRes>>) -> List<u32> {
    let n = r#in.len as usize;
    if n > MAX_POLL {
        crate::io::fatal("poll: more than 256 pollables at once");
    }
    let mut items = [Pollable::Ready; MAX_POLL];
    for (i, item) in items.iter_mut().enumerate().take(n) {
        *item = get(cx.get(r#in, i as u32));
    }
    let mut ready = [false; MAX_POLL];
    check(&items[..n], &mut ready[..n], true);
    let count = ready[..n].iter().filter(|r| **r).count() as u32;
    let out = cx.new_list::<u32>(count);
    let indices = ready[..n].iter().enumerate().filter(|(_, r)| **r);
    for (j, (i, _)) in indices.enumerate() {
        cx.set(out, j as u32, i as u32);
    }
    out
}

/// Sets `ready[i]` for each ready item; with `wait`, first waits until one is.
fn check(items: &[Pollable], ready: &mut [bool], wait: bool) {
    loop {
        let now = monotonic_clock::now_ns();
        let mut any = false;
        let mut deadline: Option<u64> = None;
        let mut fds: [PollFd<'static>; MAX_POLL] =
            core::array::from_fn(|_| PollFd::from_borrowed_fd(fd(0), PollFlags::empty()));
        let mut fd_of = [0usize; MAX_POLL];
        let mut nfds = 0;
        for (i, item) in items.iter().enumerate() {
            ready[i] = false;
            let (raw, flags) = match *item {
                Pollable::Ready => {
                    ready[i] = true;
                    any = true;
                    continue;
                }
                Pollable::Deadline(t) => {
                    if now >= t {
                        ready[i] = true;
                        any = true;
                    } else {
                        deadline = Some(deadline.map_or(t, |d| d.min(t)));
                    }
                    continue;
                }
                Pollable::Readable(raw) => (raw, PollFlags::IN),
            };
            fds[nfds] = PollFd::from_borrowed_fd(fd(raw), flags);
            fd_of[nfds] = i;
            nfds += 1;
        }
        let timeout = if any || !wait {
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
        if nfds > 0 || (wait && !any) {
            let _ = rustix::event::poll(&mut fds[..nfds], timeout.as_ref());
        }
        for (k, pfd) in fds[..nfds].iter().enumerate() {
            if !pfd.revents().is_empty() {
                ready[fd_of[k]] = true;
                any = true;
            }
        }
        if any || !wait {
            return;
        }
        if nfds == 0 && deadline.is_none() {
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
