//! Directory listings, read ahead: one `getdents64` fills a queue of the next entries of the
//! listing being read, so a directory of n entries costs about n / 32 pairs of `lseek` and
//! `getdents64` instead of one pair per entry. No buffer is kept per listing.
//!
//! Invariants: the queue belongs to one listing (`rep`) and is valid at one position, the
//! cookie that listing is at (`start`); each queued entry carries the cookie after it (`.` and
//! `..`, never handed out, are folded into the cookie of the entry before them). A call for
//! another listing, or at another cookie, refills the queue from that cookie; a dropped
//! listing is forgotten, so a new one given the same `rep` never reads its queue. Like
//! glibc's `readdir` buffer, the queue may show entries removed after it was filled.

use crate::wasi::slab::Global;
use core::mem::MaybeUninit;
use rustix::fd::BorrowedFd;
use rustix::fs::{FileType, RawDir, SeekFrom};
use rustix::io::Errno;

/// Entries read ahead at most.
const QUEUE: usize = 32;
/// Bytes of names read ahead at most.
const NAMES: usize = 4096;
/// Longest name (Linux's `NAME_MAX`).
pub const NAME_MAX: usize = 255;
/// No listing.
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Entry {
    /// The cookie after this entry.
    next: u64,
    ty: FileType,
    /// The name: `names[at..at + len]`.
    at: u16,
    len: u8,
}

struct Ahead {
    rep: u32,
    start: u64,
    head: usize,
    len: usize,
    entries: [Entry; QUEUE],
    names: [u8; NAMES],
    names_len: usize,
}

static AHEAD: Global<Ahead> = Global::new(Ahead {
    rep: NONE,
    start: 0,
    head: 0,
    len: 0,
    entries: [Entry {
        next: 0,
        ty: FileType::Unknown,
        at: 0,
        len: 0,
    }; QUEUE],
    names: [0; NAMES],
    names_len: 0,
});

/// One entry handed out: its name is `name[..len]`.
pub struct Next {
    pub len: usize,
    pub ty: FileType,
    /// The cookie to read the entry after it from.
    pub cookie: u64,
}

/// The entry of listing `rep` (reading `fd`) at `cookie`, its name copied into `name`;
/// `None` at the end.
pub fn next(
    rep: u32,
    fd: BorrowedFd<'_>,
    cookie: u64,
    name: &mut [u8; NAME_MAX],
) -> Result<Option<Next>, Errno> {
    AHEAD.with(|a| {
        if a.rep != rep || a.start != cookie || a.head == a.len {
            fill(a, rep, fd, cookie)?;
        }
        if a.head == a.len {
            a.rep = NONE;
            return Ok(None);
        }
        let e = a.entries[a.head];
        a.head += 1;
        a.start = e.next;
        let (at, len) = (usize::from(e.at), usize::from(e.len));
        name[..len].copy_from_slice(&a.names[at..at + len]);
        Ok(Some(Next {
            len,
            ty: e.ty,
            cookie: e.next,
        }))
    })
}

/// Forgets listing `rep` (it is being dropped).
pub fn forget(rep: u32) {
    AHEAD.with(|a| {
        if a.rep == rep {
            a.rep = NONE;
        }
    });
}

/// Refills the queue with the entries of `fd` from `cookie` on. An error after the first
/// entry ends the queue there (the next refill meets it again and reports it).
fn fill(a: &mut Ahead, rep: u32, fd: BorrowedFd<'_>, cookie: u64) -> Result<(), Errno> {
    a.rep = NONE;
    a.head = 0;
    a.len = 0;
    a.names_len = 0;
    rustix::fs::seek(fd, SeekFrom::Start(cookie))?;
    let mut buf = [MaybeUninit::<u8>::uninit(); 2048];
    let mut dir = RawDir::new(fd, &mut buf);
    while a.len < QUEUE && a.names_len + NAME_MAX <= NAMES {
        let entry = match dir.next() {
            None => break,
            Some(Ok(entry)) => entry,
            Some(Err(e)) if a.len == 0 => return Err(e),
            Some(Err(_)) => break,
        };
        let next = entry.next_entry_cookie();
        let bytes = entry.file_name().to_bytes();
        if bytes == b"." || bytes == b".." {
            if a.len > 0 {
                a.entries[a.len - 1].next = next;
            }
            continue;
        }
        let len = bytes.len().min(NAME_MAX);
        a.names[a.names_len..a.names_len + len].copy_from_slice(&bytes[..len]);
        a.entries[a.len] = Entry {
            next,
            ty: entry.file_type(),
            at: a.names_len as u16,
            len: len as u8,
        };
        a.names_len += len;
        a.len += 1;
    }
    a.rep = rep;
    a.start = cookie;
    Ok(())
}
