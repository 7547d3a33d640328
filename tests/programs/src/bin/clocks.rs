//! `wasi:clocks`: facts about the clocks that hold on every machine, never their values.
//!
//! Monotonic clock: never goes back over many reads, advances across a sleep
//! (`subscribe-duration` and `poll`) by at least the time slept, resolution above zero and at
//! most 1 ms. Wall clock: within 5 minutes of the time the harness passes (`clocks NOW` with
//! NOW in Unix seconds), sub-second part below 10^9, resolution above zero and at most 1 s.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let args = smelt_wasi_programs::args();
    let now_arg: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| smelt_wasi_programs::usage("NOW_UNIX_SECONDS"));

    let mut last = Instant::now();
    let mut backwards = 0;
    for _ in 0..10_000 {
        let t = Instant::now();
        if t < last {
            backwards += 1;
        }
        last = t;
    }
    println!("monotonic: backwards steps in 10000 reads: {backwards}");

    for ms in [0u64, 1, 20] {
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(ms));
        let slept = start.elapsed();
        println!(
            "sleep {ms} ms: elapsed >= {ms} ms: {}, < 5 s: {}",
            slept >= Duration::from_millis(ms),
            slept < Duration::from_secs(5)
        );
    }

    let (mono_res, wall_res) = resolutions();
    println!(
        "monotonic resolution: > 0: {}, <= 1 ms: {}",
        mono_res > Duration::ZERO,
        mono_res <= Duration::from_millis(1)
    );
    println!(
        "wall resolution: > 0: {}, <= 1 s: {}",
        wall_res > Duration::ZERO,
        wall_res <= Duration::from_secs(1)
    );

    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("wall clock after 1970");
    println!(
        "wall clock within 300 s of the harness's time: {}",
        wall.as_secs().abs_diff(now_arg) <= 300
    );
    println!(
        "wall nanoseconds < 1e9: {}",
        wall.subsec_nanos() < 1_000_000_000
    );
    let later = SystemTime::now();
    println!(
        "wall clock not behind by more than 1 s on a second read: {}",
        later.duration_since(UNIX_EPOCH).unwrap() + Duration::from_secs(1) >= wall
    );
    raw_reads();
    poll();
}

/// `wasi:io/poll`: of a pollable ready now and one due in 10 s, `poll` returns only the
/// first, and `ready` agrees. Natively: the same lines.
fn poll() {
    #[cfg(target_os = "wasi")]
    let (ready, now, later) = {
        use smelt_wasi_programs::raw::{Pollable, poll};
        let now = Pollable::after(0);
        let later = Pollable::after(10_000_000_000);
        (poll(&[&now, &later]), now.ready(), later.ready())
    };
    #[cfg(not(target_os = "wasi"))]
    let (ready, now, later) = (vec![0u32], true, false);
    println!("poll [now, in 10 s]: ready {ready:?}");
    println!("ready: now {now}, in 10 s {later}");
}

/// The resolutions: `clock_getres` natively, the WASI imports under WASI.
#[cfg(not(target_os = "wasi"))]
fn resolutions() -> (Duration, Duration) {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: std::ffi::c_long,
    }
    unsafe extern "C" {
        fn clock_getres(clock: std::ffi::c_int, res: *mut Timespec) -> std::ffi::c_int;
    }
    let res = |clock| {
        let mut ts = Timespec { sec: 0, nsec: 0 };
        // SAFETY: `ts` is a valid out-pointer.
        assert_eq!(unsafe { clock_getres(clock, &mut ts) }, 0);
        Duration::new(ts.sec as u64, ts.nsec as u32)
    };
    (res(1), res(0)) // CLOCK_MONOTONIC, CLOCK_REALTIME
}

#[cfg(target_os = "wasi")]
fn resolutions() -> (Duration, Duration) {
    let (_, mono_res) = smelt_wasi_programs::raw::monotonic();
    let (_, (secs, nanos)) = smelt_wasi_programs::raw::wall();
    (Duration::from_nanos(mono_res), Duration::new(secs, nanos))
}

/// Under WASI, the raw `now` imports agree with std's clocks (natively: the same lines).
fn raw_reads() {
    #[cfg(target_os = "wasi")]
    let (mono_ok, wall_ok) = {
        let before = Instant::now();
        let (raw_now, _) = smelt_wasi_programs::raw::monotonic();
        let after = Instant::now();
        let ((secs, _), _) = smelt_wasi_programs::raw::wall();
        let std_secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        (raw_now > 0 && before <= after, secs.abs_diff(std_secs) <= 1)
    };
    #[cfg(not(target_os = "wasi"))]
    let (mono_ok, wall_ok) = (true, true);
    println!("raw monotonic now consistent: {mono_ok}");
    println!("raw wall now within 1 s of std's: {wall_ok}");
}
