//! File I/O through a preopen: `wasi:filesystem/types.descriptor` reads and writes via
//! streams (`read-via-stream`, `write-via-stream`, `append-via-stream`) and positionally
//! (`read`, `write`), `stat`, `set-size`, `sync`, `sync-data`, `advise`, `get-flags`,
//! `set-times`, and the errors of misuse.
//!
//! `fs_file SANDBOX` — SANDBOX holds `hello.txt` (`hello, world\n`) and a directory `sub`;
//! everything else is created under SANDBOX.

use smelt_wasi_programs::{check, kind, must, outcome, show, sys};
use std::ffi::c_int;
use std::fs::{self, File, FileTimes, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() {
    let dir = smelt_wasi_programs::sandbox();
    streams(&dir);
    positional(&dir);
    seek(&dir);
    append(&dir);
    set_size(&dir);
    sync_and_advise(&dir);
    flags(&dir);
    times(&dir);
    misuse(&dir);
    large(&dir);
}

fn contents(path: &Path) -> String {
    match fs::read(path) {
        Ok(b) => format!("{:?}", String::from_utf8_lossy(&b)),
        Err(e) => format!("err {}", kind(&e)),
    }
}

/// `read-via-stream` and `write-via-stream`.
fn streams(dir: &Path) {
    println!("-- streams");
    show("read hello.txt", fs::read_to_string(dir.join("hello.txt")));
    let mut f = must("create new.txt", File::create(dir.join("new.txt")));
    check("write 10 bytes", f.write_all(b"0123456789")).ok();
    drop(f);
    println!("new.txt: {}", contents(&dir.join("new.txt")));
    let m = must("stat new.txt", fs::metadata(dir.join("new.txt")));
    // Not `permissions().readonly()`: WASI has no permission bits, and wasi-libc reports
    // every file as read-only.
    println!(
        "stat: len {}, file {}, dir {}, symlink {}",
        m.len(),
        m.is_file(),
        m.is_dir(),
        m.is_symlink()
    );
    // Reading in small pieces walks the stream forward.
    let mut f = must("open new.txt", File::open(dir.join("new.txt")));
    let mut piece = [0u8; 4];
    let mut pieces = Vec::new();
    loop {
        let n = must("read piece", f.read(&mut piece));
        if n == 0 {
            break;
        }
        pieces.push(String::from_utf8_lossy(&piece[..n]).into_owned());
    }
    println!("pieces: {pieces:?}");
    let m = must("fstat", f.metadata());
    println!("fstat: len {}, file {}", m.len(), m.is_file());
    // Overwriting with `truncate` starts from an empty file.
    let mut f = must(
        "open truncate",
        OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(dir.join("new.txt")),
    );
    check("write after truncate", f.write_all(b"abc")).ok();
    drop(f);
    println!("after truncate: {}", contents(&dir.join("new.txt")));
    // Writing without truncate overwrites in place.
    let mut f = must(
        "open write",
        OpenOptions::new().write(true).open(dir.join("new.txt")),
    );
    check("overwrite first byte", f.write_all(b"X")).ok();
    drop(f);
    println!("after overwrite: {}", contents(&dir.join("new.txt")));
}

/// `descriptor.read` and `descriptor.write` (pread/pwrite): no effect on the stream position.
fn positional(dir: &Path) {
    println!("-- positional");
    let path = dir.join("pos.txt");
    fs::write(&path, b"0123456789").unwrap();
    let f = must(
        "open rw",
        OpenOptions::new().read(true).write(true).open(&path),
    );
    let fd = f.as_raw_fd();
    let mut buf = [0u8; 4];
    // SAFETY: `buf` is valid for 4 bytes.
    let n = unsafe { sys::pread(fd, buf.as_mut_ptr().cast(), 4, 3) };
    println!(
        "pread 4 at 3: {n} {:?}",
        String::from_utf8_lossy(&buf[..n.max(0) as usize])
    );
    // SAFETY: as above.
    let n = unsafe { sys::pread(fd, buf.as_mut_ptr().cast(), 4, 8) };
    println!(
        "pread 4 at 8: {n} {:?}",
        String::from_utf8_lossy(&buf[..n.max(0) as usize])
    );
    // SAFETY: as above.
    let n = unsafe { sys::pread(fd, buf.as_mut_ptr().cast(), 4, 100) };
    println!("pread 4 at 100 (past the end): {n}");
    // SAFETY: the source is valid for its length.
    let n = unsafe { sys::pwrite(fd, b"AB".as_ptr().cast(), 2, 8) };
    println!("pwrite 2 at 8: {n}");
    // SAFETY: as above; past the end leaves a hole of zeros.
    let n = unsafe { sys::pwrite(fd, b"XY".as_ptr().cast(), 2, 12) };
    println!("pwrite 2 at 12: {n}");
    drop(f);
    println!("pos.txt: {}", contents(&path));
    // The stream position is independent of positional I/O.
    let mut f = must("open", File::open(&path));
    let mut first = [0u8; 2];
    // SAFETY: as above.
    unsafe { sys::pread(f.as_raw_fd(), buf.as_mut_ptr().cast(), 4, 4) };
    must("read at stream position", f.read_exact(&mut first));
    println!(
        "stream read after pread: {:?}",
        String::from_utf8_lossy(&first)
    );
    let ro = must("open read-only", File::open(&path));
    // SAFETY: as above.
    let n = unsafe { sys::pwrite(ro.as_raw_fd(), b"Z".as_ptr().cast(), 1, 0) };
    let e = std::io::Error::last_os_error();
    println!(
        "pwrite on a read-only file: {}",
        if n < 0 {
            format!("err {}", kind(&e))
        } else {
            format!("{n}")
        }
    );
}

/// Seeking moves where the streams read and write.
fn seek(dir: &Path) {
    println!("-- seek");
    let path = dir.join("seek.txt");
    fs::write(&path, b"abcdefghij").unwrap();
    let mut f = must(
        "open rw",
        OpenOptions::new().read(true).write(true).open(&path),
    );
    let mut three = [0u8; 3];
    show("seek start 2", f.seek(SeekFrom::Start(2)));
    must("read", f.read_exact(&mut three));
    println!("read: {:?}", String::from_utf8_lossy(&three));
    show("seek current +1", f.seek(SeekFrom::Current(1)));
    must("read", f.read_exact(&mut three));
    println!("read: {:?}", String::from_utf8_lossy(&three));
    show("seek end -2", f.seek(SeekFrom::End(-2)));
    let mut rest = String::new();
    show("read to end", f.read_to_string(&mut rest));
    println!("rest: {rest:?}");
    show("seek end +3", f.seek(SeekFrom::End(3)));
    check("write past the end", f.write_all(b"!")).ok();
    show("stream position", f.stream_position());
    show("seek before start", f.seek(SeekFrom::Current(-100)));
    drop(f);
    println!("seek.txt: {}", contents(&path));
}

/// `append-via-stream`: every write lands at the end, wherever the position was.
fn append(dir: &Path) {
    println!("-- append");
    let path = dir.join("log.txt");
    fs::write(&path, b"one\n").unwrap();
    let mut f = must("open append", OpenOptions::new().append(true).open(&path));
    check("append two", f.write_all(b"two\n")).ok();
    check("append three", f.write_all(b"three\n")).ok();
    drop(f);
    let mut f = must(
        "open append+read",
        OpenOptions::new().read(true).append(true).open(&path),
    );
    show("seek start", f.seek(SeekFrom::Start(0)));
    check("append four", f.write_all(b"four\n")).ok();
    drop(f);
    println!("log.txt: {}", contents(&path));
    let created = OpenOptions::new()
        .append(true)
        .create(true)
        .open(dir.join("fresh-log.txt"));
    if let Ok(mut f) = check("append create", created) {
        check("append to fresh", f.write_all(b"first\n")).ok();
    }
    println!("fresh-log.txt: {}", contents(&dir.join("fresh-log.txt")));
}

/// `set-size`: shrink, grow (zeros), and on a read-only descriptor.
fn set_size(dir: &Path) {
    println!("-- set-size");
    let path = dir.join("size.txt");
    fs::write(&path, b"0123456789").unwrap();
    let f = must("open", OpenOptions::new().write(true).open(&path));
    check("set_len 4", f.set_len(4)).ok();
    println!("size.txt: {}", contents(&path));
    check("set_len 7", f.set_len(7)).ok();
    println!("size.txt: {}", contents(&path));
    show("len", f.metadata().map(|m| m.len()));
    let ro = must("open read-only", File::open(&path));
    check("set_len on a read-only file", ro.set_len(1)).ok();
    println!("size.txt: {}", contents(&path));
}

/// `sync`, `sync-data`, `advise`.
fn sync_and_advise(dir: &Path) {
    println!("-- sync, advise");
    let path = dir.join("sync.txt");
    let mut f = must("create", File::create(&path));
    f.write_all(b"synced").unwrap();
    check("sync_all", f.sync_all()).ok();
    check("sync_data", f.sync_data()).ok();
    let ro = must("open read-only", File::open(&path));
    check("sync_all read-only", ro.sync_all()).ok();
    check("sync_data read-only", ro.sync_data()).ok();
    let d = must("open dir", File::open(dir));
    check("sync_all dir", d.sync_all()).ok();
    for (advice, name) in sys::FADV {
        // SAFETY: a plain call on a live descriptor; the result is an error number.
        let err = unsafe { sys::posix_fadvise(ro.as_raw_fd(), 0, 6, advice) };
        println!(
            "advise {name}: {}",
            if err == 0 {
                "ok".to_string()
            } else {
                format!("err {}", kind(&std::io::Error::from_raw_os_error(err)))
            }
        );
    }
    // SAFETY: as above; a negative length is invalid.
    let err = unsafe { sys::posix_fadvise(ro.as_raw_fd(), 0, -1, sys::FADV[0].0) };
    println!(
        "advise negative length: {}",
        if err == 0 {
            "ok".to_string()
        } else {
            format!("err {}", kind(&std::io::Error::from_raw_os_error(err)))
        }
    );
}

fn access_mode(flags: c_int) -> String {
    let mode = match flags & sys::O_ACCMODE {
        m if m == sys::O_RDONLY => "read-only",
        m if m == sys::O_WRONLY => "write-only",
        m if m == sys::O_RDWR => "read-write",
        _ => "other",
    };
    let mut out = mode.to_string();
    for (bit, name) in [
        (sys::O_APPEND, "append"),
        (sys::O_NONBLOCK, "nonblock"),
        (sys::O_SYNC, "sync"),
        (sys::O_DSYNC, "dsync"),
    ] {
        if flags & bit == bit {
            out += " ";
            out += name;
        }
    }
    out
}

/// `get-flags` through `fcntl(F_GETFL)`.
fn flags(dir: &Path) {
    println!("-- get-flags");
    let path = dir.join("flags.txt");
    fs::write(&path, b"f").unwrap();
    let opens: [(&str, OpenOptions); 4] = [
        ("read", OpenOptions::new().read(true).clone()),
        ("write", OpenOptions::new().write(true).clone()),
        (
            "read+write",
            OpenOptions::new().read(true).write(true).clone(),
        ),
        ("append", OpenOptions::new().append(true).clone()),
    ];
    for (name, opts) in opens {
        let f = must(name, opts.open(&path));
        // SAFETY: F_GETFL takes no argument.
        let fl = smelt_wasi_programs::cvt(unsafe { sys::fcntl(f.as_raw_fd(), sys::F_GETFL) });
        match fl {
            Ok(fl) => println!("flags of {name}: {}", access_mode(fl)),
            Err(e) => println!("flags of {name}: err {}", kind(&e)),
        }
    }
    let d = must("open dir", File::open(dir));
    // SAFETY: as above.
    let fl = smelt_wasi_programs::cvt(unsafe { sys::fcntl(d.as_raw_fd(), sys::F_GETFL) });
    println!(
        "flags of a directory: {}",
        fl.map_or_else(|e| format!("err {}", kind(&e)), access_mode)
    );
}

fn time_of(t: std::io::Result<SystemTime>) -> String {
    match t {
        Ok(t) => match t.duration_since(UNIX_EPOCH) {
            Ok(d) => format!("{}.{:09}", d.as_secs(), d.subsec_nanos()),
            Err(_) => "before 1970".into(),
        },
        Err(e) => format!("err {}", kind(&e)),
    }
}

/// `set-times`: exact nanoseconds, one time alone, and on a read-only descriptor.
fn times(dir: &Path) {
    println!("-- set-times");
    let path = dir.join("times.txt");
    fs::write(&path, b"t").unwrap();
    let f = must("open", OpenOptions::new().write(true).open(&path));
    let accessed = UNIX_EPOCH + Duration::new(1_000_000_000, 123_456_789);
    let modified = UNIX_EPOCH + Duration::new(1_234_567_890, 987_654_321);
    check(
        "set both",
        f.set_times(
            FileTimes::new()
                .set_accessed(accessed)
                .set_modified(modified),
        ),
    )
    .ok();
    let m = must("stat", fs::metadata(&path));
    println!("accessed: {}", time_of(m.accessed()));
    println!("modified: {}", time_of(m.modified()));
    let later = UNIX_EPOCH + Duration::new(1_500_000_000, 5);
    check("set modified only", f.set_modified(later)).ok();
    let m = must("stat", fs::metadata(&path));
    println!("accessed: {}", time_of(m.accessed()));
    println!("modified: {}", time_of(m.modified()));
    let ro = must("open read-only", File::open(&path));
    check(
        "set_modified on a read-only file",
        ro.set_modified(modified),
    )
    .ok();
    let m = must("stat", fs::metadata(&path));
    println!("modified: {}", time_of(m.modified()));
    // A file written now has a modification time near the wall clock.
    fs::write(dir.join("now.txt"), b"n").unwrap();
    let m = must("stat", fs::metadata(dir.join("now.txt")));
    let age = SystemTime::now().duration_since(m.modified().unwrap());
    println!(
        "fresh file modified within 60 s of now: {}",
        age.map_or(true, |a| a < Duration::from_secs(60))
    );
}

/// Using descriptors for what they cannot do.
fn misuse(dir: &Path) {
    println!("-- misuse");
    let path = dir.join("hello.txt");
    let mut ro = must("open read-only", File::open(&path));
    println!(
        "write to a read-only file: {}",
        outcome(&ro.write_all(b"x"))
    );
    let mut wo = must(
        "open write-only",
        OpenOptions::new().write(true).open(&path),
    );
    let mut buf = [0u8; 4];
    println!(
        "read from a write-only file: {}",
        outcome(&wo.read(&mut buf))
    );
    println!(
        "open missing: {}",
        outcome(&File::open(dir.join("missing.txt")))
    );
    println!(
        "create_new existing: {}",
        outcome(&OpenOptions::new().write(true).create_new(true).open(&path))
    );
    println!(
        "create without write: {}",
        outcome(
            &OpenOptions::new()
                .create(true)
                .truncate(false)
                .open(dir.join("x.txt"))
        )
    );
    println!(
        "open a directory for writing: {}",
        outcome(&OpenOptions::new().write(true).open(dir.join("sub")))
    );
    let mut d = must("open a directory", File::open(dir.join("sub")));
    println!("read a directory: {}", outcome(&d.read(&mut buf)));
    println!(
        "read_to_string a directory: {}",
        outcome(&fs::read_to_string(dir.join("sub")))
    );
    println!(
        "write to a directory path: {}",
        outcome(&fs::write(dir.join("sub"), b"x"))
    );
    println!(
        "open a file below a file: {}",
        outcome(&File::open(dir.join("hello.txt").join("x")))
    );
    println!(
        "create below a missing directory: {}",
        outcome(&File::create(dir.join("nodir").join("x.txt")))
    );
    println!("hello.txt unchanged: {}", contents(&path));
}

/// A 1 MiB file through the streams, in one write and one read.
fn large(dir: &Path) {
    println!("-- large");
    let data: Vec<u8> = (0..1u32 << 20).map(|i| (i % 251) as u8).collect();
    check("write 1 MiB", fs::write(dir.join("large.bin"), &data)).ok();
    match fs::read(dir.join("large.bin")) {
        Ok(back) => println!("read back: {} bytes, equal: {}", back.len(), back == data),
        Err(e) => println!("read back: err {}", kind(&e)),
    }
}
