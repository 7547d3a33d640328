//! Capabilities are refused unless granted: nothing outside a preopen can be reached, not
//! through `..`, absolute paths, nor symlinks (relative or absolute) pointing outside.
//!
//! `denied escape SANDBOX OUTSIDE` — SANDBOX is the granted directory, OUTSIDE the host path
//! of a sibling directory holding `secret.txt`, which is not granted. SANDBOX holds the
//! symlinks `out-rel` (`../outside/secret.txt`), `out-abs` (OUTSIDE/secret.txt), `out-dir`
//! (`../outside`), `sub/out-deep` (`../../outside/secret.txt`) and `in-link`
//! (`sub/../hello.txt`, which stays inside).
//! `denied none` — run with no directory granted at all.
//! `denied readonly SANDBOX` — SANDBOX (holding `hello.txt` and `sub/`) is granted read-only:
//! reading works, every change is refused.
//!
//! Natively everything here succeeds; the expected output is the case's, not the native
//! run's.

use smelt_wasi_programs::{kind, outcome};
use std::fs;
use std::path::Path;

fn read(label: &str, path: &Path) {
    match fs::read_to_string(path) {
        Ok(s) => println!("{label}: read {s:?}"),
        Err(e) => println!("{label}: err {}", kind(&e)),
    }
}

fn escape(dir: &Path, outside: &Path) {
    read("inside: sub/../hello.txt", &dir.join("sub/../hello.txt"));
    read("inside: symlink in-link", &dir.join("in-link"));
    read(
        "dotdot: ../outside/secret.txt",
        &dir.join("../outside/secret.txt"),
    );
    read(
        "dotdot: sub/../../outside/secret.txt",
        &dir.join("sub/../../outside/secret.txt"),
    );
    read("absolute host path", &outside.join("secret.txt"));
    read("symlink out-rel", &dir.join("out-rel"));
    read("symlink out-abs", &dir.join("out-abs"));
    read("symlink sub/out-deep", &dir.join("sub/out-deep"));
    read(
        "through directory symlink out-dir",
        &dir.join("out-dir/secret.txt"),
    );
    println!(
        "read_dir out-dir: {}",
        outcome(&fs::read_dir(dir.join("out-dir")))
    );
    println!("metadata ..: {}", outcome(&fs::metadata(dir.join(".."))));
    println!("read_dir ..: {}", outcome(&fs::read_dir(dir.join(".."))));
    println!(
        "metadata of symlink out-rel (not followed): {}",
        outcome(&fs::symlink_metadata(dir.join("out-rel")))
    );
    println!(
        "read_link out-rel: {}",
        fs::read_link(dir.join("out-rel"))
            .map_or_else(|e| format!("err {}", kind(&e)), |t| t.display().to_string())
    );
    println!(
        "write ../outside/new.txt: {}",
        outcome(&fs::write(dir.join("../outside/new.txt"), b"x"))
    );
    println!(
        "write through out-dir: {}",
        outcome(&fs::write(dir.join("out-dir/new.txt"), b"x"))
    );
    println!(
        "create_dir ../outside/newdir: {}",
        outcome(&fs::create_dir(dir.join("../outside/newdir")))
    );
    println!(
        "remove ../outside/secret.txt: {}",
        outcome(&fs::remove_file(dir.join("../outside/secret.txt")))
    );
    println!(
        "rename hello.txt to ../outside/moved.txt: {}",
        outcome(&fs::rename(
            dir.join("hello.txt"),
            dir.join("../outside/moved.txt")
        ))
    );
    println!(
        "rename ../outside/secret.txt inside: {}",
        outcome(&fs::rename(
            dir.join("../outside/secret.txt"),
            dir.join("stolen.txt")
        ))
    );
    println!(
        "hard_link ../outside/secret.txt inside: {}",
        outcome(&fs::hard_link(
            dir.join("../outside/secret.txt"),
            dir.join("stolen.txt")
        ))
    );
    println!(
        "hard_link through out-rel: {}",
        outcome(&fs::hard_link(dir.join("out-rel"), dir.join("stolen2.txt")))
    );
    println!(
        "set_len through out-rel: {}",
        outcome(
            &fs::OpenOptions::new()
                .write(true)
                .open(dir.join("out-rel"))
                .and_then(|f| f.set_len(0))
        )
    );
    // Creating a symlink that points outside may succeed; following it must not.
    let made = smelt_wasi_programs::c_path(&dir.join("made"));
    let target = std::ffi::CString::new("../outside/secret.txt").unwrap();
    // SAFETY: both are NUL-terminated strings.
    let r = smelt_wasi_programs::cvt(unsafe {
        smelt_wasi_programs::sys::symlink(target.as_ptr(), made.as_ptr())
    });
    println!("create a symlink pointing outside: {}", outcome(&r));
    read("follow the new symlink", &dir.join("made"));
    read("root /", Path::new("/"));
    println!("read_dir /: {}", outcome(&fs::read_dir("/")));
    read("/etc/passwd", Path::new("/etc/passwd"));
}

fn none() {
    println!("read_dir /: {}", outcome(&fs::read_dir("/")));
    println!("read_dir .: {}", outcome(&fs::read_dir(".")));
    read("/etc/passwd", Path::new("/etc/passwd"));
    read("relative hello.txt", Path::new("hello.txt"));
    println!("metadata /: {}", outcome(&fs::metadata("/")));
    println!(
        "create /tmp/smelt-denied.txt: {}",
        outcome(&fs::write("/tmp/smelt-denied.txt", b"x"))
    );
    println!(
        "create_dir /tmp/smelt-denied: {}",
        outcome(&fs::create_dir("/tmp/smelt-denied"))
    );
}

fn readonly(dir: &Path) {
    read("read hello.txt", &dir.join("hello.txt"));
    println!(
        "read_dir: {}",
        fs::read_dir(dir).map_or_else(|e| format!("err {}", kind(&e)), |d| d.count().to_string())
    );
    println!(
        "metadata: {}",
        outcome(&fs::metadata(dir.join("hello.txt")))
    );
    println!(
        "open for writing: {}",
        outcome(
            &fs::OpenOptions::new()
                .write(true)
                .open(dir.join("hello.txt"))
        )
    );
    println!(
        "open for appending: {}",
        outcome(
            &fs::OpenOptions::new()
                .append(true)
                .open(dir.join("hello.txt"))
        )
    );
    println!(
        "create a file: {}",
        outcome(&fs::write(dir.join("new.txt"), b"x"))
    );
    println!(
        "create_dir: {}",
        outcome(&fs::create_dir(dir.join("newdir")))
    );
    println!(
        "remove_file: {}",
        outcome(&fs::remove_file(dir.join("hello.txt")))
    );
    println!("remove_dir: {}", outcome(&fs::remove_dir(dir.join("sub"))));
    println!(
        "rename: {}",
        outcome(&fs::rename(dir.join("hello.txt"), dir.join("renamed.txt")))
    );
    println!(
        "hard_link: {}",
        outcome(&fs::hard_link(dir.join("hello.txt"), dir.join("link.txt")))
    );
    let made = smelt_wasi_programs::c_path(&dir.join("made"));
    let target = std::ffi::CString::new("hello.txt").unwrap();
    // SAFETY: both are NUL-terminated strings.
    let r = smelt_wasi_programs::cvt(unsafe {
        smelt_wasi_programs::sys::symlink(target.as_ptr(), made.as_ptr())
    });
    println!("symlink: {}", outcome(&r));
    let f = fs::File::open(dir.join("hello.txt"));
    println!(
        "set_len on a read-only open: {}",
        outcome(&f.and_then(|f| f.set_len(0)))
    );
    read("hello.txt unchanged", &dir.join("hello.txt"));
}

fn main() {
    let args = smelt_wasi_programs::args();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["escape", dir, outside] => escape(Path::new(dir), Path::new(outside)),
        ["none"] => none(),
        ["readonly", dir] => readonly(Path::new(dir)),
        _ => smelt_wasi_programs::usage("escape SANDBOX OUTSIDE | none | readonly SANDBOX"),
    }
}
