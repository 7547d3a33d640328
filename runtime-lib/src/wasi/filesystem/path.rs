//! Path resolution beneath a directory descriptor, one component at a time: the sandbox.
//!
//! Every path a program passes is resolved here, relative to a descriptor that is a preopen or
//! was opened below one; nothing is ever handed to the kernel as a multi-component path. The
//! walk keeps a stack of the directories it went through, so `..` pops to a directory it holds
//! (never `openat(dir, "..")`, which a concurrent rename could turn into an escape), and `..`
//! with an empty stack is an escape. Symbolic links are read with `readlinkat` and their
//! target spliced in front of the rest of the path, so they are followed by the same walk.
//!
//! Refused with `not-permitted`, as Wasmtime (cap-std) refuses them: absolute paths, `..`
//! above the base, and symbolic links whose target is absolute or leads above the base, at any
//! component, the last one included when it is followed. More than [`MAX_LINKS`] links in one
//! resolution is `loop`; a path longer than [`PATH_MAX`] (also after splicing) or deeper than
//! [`MAX_DEPTH`] directories is `name-too-long`.
//!
//! Intermediate directories are opened `O_PATH | O_DIRECTORY | O_NOFOLLOW`: a component that
//! is a symlink fails that open and is then read as a link. The last component is left to the
//! operation, which passes it to one `*at` system call on the directory the walk ended in; it
//! is a single name (never `..`, never containing `/`), and the operations that could follow a
//! link there (`open`, `stat`, `utimensat`) are told not to (`O_NOFOLLOW`,
//! `AT_SYMLINK_NOFOLLOW`): the walk has already followed it when asked to.
//!
//! The directories are first tried in one system call: `openat2(RESOLVE_BENEATH |
//! RESOLVE_NO_MAGICLINKS)` of everything before the last component, which the kernel resolves
//! with the same rules (symbolic links followed, `..` and absolute targets confined beneath
//! the directory, at most 40 links). It is only a shortcut: on any failure (an escape, a
//! missing entry, a kernel or qemu-user without `openat2`, which is remembered) the walk above
//! runs from the start and gives the answer, so errors are the walk's on every kernel. What
//! the shortcut opened stands for several directories; should a `..` later need one of them
//! (from a followed last component), the resolution restarts with the walk. The walk alone
//! serves every other `*at` call's last component, which `openat2` cannot. A path three
//! directories deep costs one `openat` and one `close` instead of three of each.

use crate::wasi::abi::{Cx, Str};
use crate::wasi::bindings::filesystem_types::ErrorCode;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicBool, Ordering};
use rustix::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags, ResolveFlags};
use rustix::io::Errno;

/// `openat2` returned `ENOSYS` once: the kernel (or qemu-user) has none.
static NO_OPENAT2: AtomicBool = AtomicBool::new(false);

/// Longest path, also after symbolic links are spliced in (Linux's `PATH_MAX`).
pub const PATH_MAX: usize = 4096;
/// Most symbolic links followed in one resolution (Linux's `MAXSYMLINKS`).
pub const MAX_LINKS: u32 = 40;
/// Most directories the walk holds at once.
pub const MAX_DEPTH: usize = 128;

/// How the last component is treated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Last {
    /// Followed if it is a symbolic link (`symlink-follow`).
    Follow,
    /// Not followed, unless the path ends with `/` (POSIX: a trailing slash follows).
    NoFollow,
    /// The entry itself, never followed: for creating, removing and renaming entries. A
    /// trailing `/` stays on the name, so the kernel checks it names a directory.
    Entry,
}

/// A walk in progress, then its result: the directory it ended in and the last component.
pub struct Walk<'a> {
    base: BorrowedFd<'a>,
    /// The directories walked through: `stack[..depth]` are initialised and owned (closed
    /// by `pop` and on drop), the rest never read. Left uninitialised so that a walk costs
    /// nothing per slot it does not use (zeroing and scanning all 128 slots was a fifth of
    /// a `stat-at`).
    stack: [MaybeUninit<OwnedFd>; MAX_DEPTH],
    depth: usize,
    buf: [u8; PATH_MAX],
    /// The last component: `buf[name.0..name.1]`, or `.` for the directory itself.
    name: (usize, usize),
    /// The path ended with `/` (or `.`/`..`): it must name a directory.
    dir_required: bool,
    /// `stack[0]` was opened by the `openat2` shortcut and stands for several directories.
    coarse: bool,
    /// A `..` needed a directory the shortcut skipped: resolve again by walking.
    restart: bool,
}

impl Drop for Walk<'_> {
    fn drop(&mut self) {
        self.close_all();
    }
}

/// Maps an errno of a system call made for the guest.
pub fn code(e: Errno) -> ErrorCode {
    super::error_code(e)
}

impl<'a> Walk<'a> {
    /// A walk that has not started, at `base`. Built where it is used and then [`start`]ed
    /// there (see `walk!` in `types`): a `Walk` is 4.7 KB, which returning it by value
    /// copied twice per path operation.
    ///
    /// [`start`]: Walk::start
    #[inline(always)]
    pub fn empty(base: BorrowedFd<'a>) -> Walk<'a> {
        Walk {
            base,
            stack: [const { MaybeUninit::uninit() }; MAX_DEPTH],
            depth: 0,
            buf: [0; PATH_MAX],
            name: (0, 0),
            dir_required: false,
            coarse: false,
            restart: false,
        }
    }

    /// Resolves the path argument `path` beneath the base.
    pub fn start(&mut self, cx: &Cx, path: Str, last: Last) -> Result<(), ErrorCode> {
        let len = cx.utf8_len(path);
        if len > PATH_MAX - 1 {
            return Err(ErrorCode::NameTooLong);
        }
        cx.utf8_into(path, &mut self.buf[PATH_MAX - len..]);
        let resolved = self.resolve(len, last, true);
        if !self.restart {
            return resolved;
        }
        // Walk from the start: the path again, nothing held.
        self.close_all();
        self.coarse = false;
        self.restart = false;
        cx.utf8_into(path, &mut self.buf[PATH_MAX - len..]);
        self.resolve(len, last, false)
    }

    /// The directory the walk ended in.
    pub fn dir(&self) -> BorrowedFd<'_> {
        match self.depth {
            0 => self.base,
            // SAFETY: `stack[..depth]` is initialised (the invariant of `stack`).
            d => unsafe { self.stack[d - 1].assume_init_ref() }.as_fd(),
        }
    }

    /// The last component (`.` when the path names the directory itself); with
    /// [`Last::Entry`], followed by `/` when the path ended with one.
    pub fn name(&self) -> &[u8] {
        if self.name.0 == self.name.1 {
            b"."
        } else {
            &self.buf[self.name.0..self.name.1]
        }
    }

    /// Whether the path can only name a directory (it ended with `/`, `.` or `..`).
    pub fn dir_required(&self) -> bool {
        self.dir_required
    }

    fn push(&mut self, fd: OwnedFd) -> Result<(), ErrorCode> {
        if self.depth == MAX_DEPTH {
            return Err(ErrorCode::NameTooLong);
        }
        self.stack[self.depth].write(fd);
        self.depth += 1;
        Ok(())
    }

    fn pop(&mut self) -> Result<(), ErrorCode> {
        if self.coarse && self.depth == 1 {
            // The directory above is one the shortcut went through without holding it.
            self.restart = true;
            return Err(ErrorCode::NotPermitted);
        }
        if self.depth == 0 {
            // `..` above the base.
            return Err(ErrorCode::NotPermitted);
        }
        self.depth -= 1;
        // SAFETY: the slot was below `depth`, so initialised; it is now above and unread.
        unsafe { self.stack[self.depth].assume_init_drop() };
        Ok(())
    }

    /// Closes every directory held.
    fn close_all(&mut self) {
        while self.depth > 0 {
            self.depth -= 1;
            // SAFETY: as in `pop`.
            unsafe { self.stack[self.depth].assume_init_drop() };
        }
    }

    /// Reads the symbolic link `name` (in `buf[name]`) of the current directory and splices
    /// its target in front of `buf[rest..]`; returns where the path now starts. `Ok(None)`:
    /// `name` is not a symbolic link (or does not exist).
    fn splice(&mut self, name: (usize, usize), rest: usize) -> Result<Option<usize>, ErrorCode> {
        if name.0 == 0 {
            // No room to read a target into: the path is as long as a path can be.
            return Err(ErrorCode::NameTooLong);
        }
        let dir = self.dir().as_raw_fd();
        // SAFETY: the walk holds `dir` open until it is dropped.
        let dir = unsafe { BorrowedFd::borrow_raw(dir) };
        // Read the target into the free space before the name (the name is still needed).
        let (free, tail) = self.buf.split_at_mut(name.0);
        let n = match rustix::fs::readlinkat_raw(dir, &tail[..name.1 - name.0], &mut free[..]) {
            Ok(n) => n,
            // Not a link, or nothing: the operation on the entry gives the answer.
            Err(Errno::INVAL | Errno::NOENT) => return Ok(None),
            Err(e) => return Err(code(e)),
        };
        if n == 0 {
            return Err(ErrorCode::NoEntry);
        }
        if n == name.0 {
            // Possibly truncated: too long to splice in anyway.
            return Err(ErrorCode::NameTooLong);
        }
        if self.buf[0] == b'/' {
            // An absolute target always leaves the sandbox.
            return Err(ErrorCode::NotPermitted);
        }
        let sep = usize::from(rest < PATH_MAX);
        let Some(start) = rest.checked_sub(n + sep) else {
            return Err(ErrorCode::NameTooLong);
        };
        self.buf.copy_within(0..n, start);
        if sep == 1 {
            self.buf[start + n] = b'/';
        }
        Ok(Some(start))
    }

    /// The `openat2` shortcut for the path `buf[start..]` at the base: opens every directory
    /// before its last component at once and returns where that component starts; `None`
    /// (nothing held) when there is no such directory, the last component is `.` or `..`,
    /// or the kernel refuses, in which case the walk does it.
    fn shortcut(&mut self, start: usize) -> Option<usize> {
        if NO_OPENAT2.load(Ordering::Relaxed) {
            return None;
        }
        let mut end = PATH_MAX;
        while end > start && self.buf[end - 1] == b'/' {
            end -= 1;
        }
        let slash = start + self.buf[start..end].iter().rposition(|&b| b == b'/')?;
        if matches!(&self.buf[slash + 1..end], b"." | b"..") {
            return None;
        }
        let opened = rustix::fs::openat2(
            self.base,
            &self.buf[start..slash],
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
        );
        match opened {
            Ok(fd) => {
                self.push(fd).ok()?;
                self.coarse = true;
                Some(slash + 1)
            }
            Err(e) => {
                if e == Errno::NOSYS {
                    NO_OPENAT2.store(true, Ordering::Relaxed);
                }
                None
            }
        }
    }

    /// Walks the `len`-byte path at the end of `buf`, first trying the `openat2` shortcut
    /// when `shortcut` is set.
    fn resolve(&mut self, len: usize, last: Last, shortcut: bool) -> Result<(), ErrorCode> {
        // The unwalked rest of the path is `buf[start..]`.
        let mut start = PATH_MAX - len;
        if len == 0 {
            return Err(ErrorCode::NoEntry);
        }
        if self.buf[start] == b'/' {
            return Err(ErrorCode::NotPermitted);
        }
        if shortcut && let Some(s) = self.shortcut(start) {
            start = s;
        }
        let mut links = 0;
        // A followed last component had a trailing slash: whatever it leads to must be a
        // directory.
        let mut slash_followed = false;
        loop {
            while start < PATH_MAX && self.buf[start] == b'/' {
                start += 1;
            }
            if start == PATH_MAX {
                // Only slashes were left after a directory (or a link to `..`, `.`, or with
                // a trailing slash): the path names the directory itself.
                self.name = (start, start);
                self.dir_required = true;
                return Ok(());
            }
            let end = self.buf[start..]
                .iter()
                .position(|&b| b == b'/')
                .map_or(PATH_MAX, |i| start + i);
            let mut next = end;
            while next < PATH_MAX && self.buf[next] == b'/' {
                next += 1;
            }
            let is_last = next == PATH_MAX;
            let trailing = is_last && end < PATH_MAX;
            let comp = (start, end);
            if let dots @ (b"." | b"..") = &self.buf[start..end] {
                // `.` stays, `..` goes up one; either way the path names a directory if it
                // ends here.
                if dots.len() == 2 {
                    self.pop()?;
                }
                start = next;
                if is_last {
                    self.name = (start, start);
                    self.dir_required = true;
                    return Ok(());
                }
                continue;
            }
            if is_last {
                let follow = match last {
                    Last::Follow => true,
                    Last::NoFollow => trailing,
                    Last::Entry => false,
                };
                if follow && let Some(s) = self.splice(comp, next)? {
                    slash_followed |= trailing;
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(ErrorCode::Loop);
                    }
                    start = s;
                    continue;
                }
                self.name = if last == Last::Entry && trailing {
                    (start, end + 1)
                } else {
                    comp
                };
                self.dir_required = trailing || slash_followed;
                return Ok(());
            }
            let opened = rustix::fs::openat(
                self.dir(),
                &self.buf[start..end],
                OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            );
            match opened {
                Ok(fd) => {
                    self.push(fd)?;
                    start = next;
                }
                Err(Errno::NOTDIR | Errno::LOOP) => match self.splice(comp, next)? {
                    Some(s) => {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(ErrorCode::Loop);
                        }
                        start = s;
                    }
                    None => return Err(ErrorCode::NotDirectory),
                },
                Err(e) => return Err(code(e)),
            }
        }
    }
}
