//! One run of a program: wall time and peak resident set size, taken from the kernel's
//! accounting of that child alone (`wait4`), not from sampling.
//!
//! Peak RSS is `ru_maxrss` of the waited child. Linux carries the high-water mark of the
//! memory image an `exec` replaces into the new program's, and `posix_spawn` runs the child
//! on the parent's memory until it execs, so a big parent would inflate every child's figure
//! (a 3 MB runner made every small program "peak" at 3 MB). [`run`] therefore forks (the
//! forked image holds little before its exec), resets the parent's own high-water mark
//! (`/proc/self/clear_refs`) before each spawn, and the measuring process should stay small
//! (compile in a child process).

use std::io;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What one run of a program cost.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// From just before spawning to the child's exit being collected.
    pub wall: Duration,
    /// Peak resident set size of the child, in bytes.
    pub max_rss: u64,
    /// How the child ended.
    pub status: ExitStatus,
}

/// Runs `cmd` to completion with standard input closed and returns what it cost. Standard
/// output and error are whatever the caller set on `cmd`.
pub fn run(cmd: &mut Command) -> io::Result<Sample> {
    run_with_timeout(cmd, None)
}

/// [`run`], killing the child (SIGKILL) if it is still running after `timeout`.
pub fn run_with_timeout(cmd: &mut Command, timeout: Option<Duration>) -> io::Result<Sample> {
    use std::os::unix::process::CommandExt;
    use std::os::unix::process::ExitStatusExt;
    cmd.stdin(Stdio::null());
    // A `pre_exec` hook makes the standard library fork instead of `posix_spawn` (which
    // runs the child on this process's memory until the exec, so all of this process's
    // resident memory would count into the child's peak). A forked child shares only what
    // it touches and the anonymous pages it copies, so the floor under its figure is small.
    // SAFETY: the hook does nothing, which is async-signal-safe.
    unsafe { cmd.pre_exec(|| Ok(())) };
    // Best effort: without it (no procfs) the figures are upper bounds.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    // The watchdog may signal only before the child is reaped below: until then the pid
    // cannot be reused (the child is at worst a zombie).
    let (reaped, watch) = std::sync::mpsc::channel::<()>();
    let watchdog = timeout.map(|t| {
        std::thread::spawn(move || {
            if watch.recv_timeout(t).is_err() {
                // SAFETY: plain system call on our own unreaped child.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        })
    });
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value (plain integers and timevals).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes for the duration of the call;
        // `pid` is our own child, which nothing else waits for.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let wall = start.elapsed();
    // Invariant: the watchdog has finished before the pid is released by dropping `child`
    // returns; a send error only means it already timed out.
    let _ = reaped.send(());
    if let Some(w) = watchdog {
        let _ = w.join();
    }
    // The child has been reaped here; `child` is dropped without waiting (dropping a
    // `Child` never waits or kills).
    drop(child);
    Ok(Sample {
        wall,
        max_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        status: ExitStatus::from_raw(status),
    })
}

/// The median of `xs` (the mean of the middle two for an even count); `None` when empty.
pub fn median<T: Copy + Into<f64>>(xs: &[T]) -> Option<f64> {
    let mut v: Vec<f64> = xs.iter().map(|&x| x.into()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The geometric mean of positive ratios; `None` when empty.
pub fn geomean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some((xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp())
}

/// A duration in seconds, in the unit that reads best: `850 µs`, `12.3 ms`, `1.24 s`.
pub fn fmt_secs(s: f64) -> String {
    if s < 1e-3 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// A size in bytes: `812 KB`, `12.3 MB` (powers of 1024, as RSS is usually read).
pub fn fmt_bytes(b: f64) -> String {
    if b < 1024.0 * 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

/// An FNV-1a hash of a file's contents (outputs are compared by it).
pub fn file_hash(path: &std::path::Path) -> io::Result<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h);
        }
        for &b in &buf[..n] {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_means() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4u32, 1, 3, 2]), Some(2.5));
        assert_eq!(median::<f64>(&[]), None);
        let g = geomean(&[1.0, 4.0]).unwrap();
        assert!((g - 2.0).abs() < 1e-12);
    }

    #[test]
    fn measures_a_child() {
        let s = run(Command::new("true").stdout(Stdio::null())).unwrap();
        assert!(s.status.success());
        assert!(s.max_rss > 0);
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_secs(0.0123), "12.3 ms");
        assert_eq!(fmt_secs(2.0), "2.00 s");
        assert_eq!(fmt_bytes(2.5 * 1024.0 * 1024.0), "2.5 MB");
    }
}
