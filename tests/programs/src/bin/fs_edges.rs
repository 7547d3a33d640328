//! Edges of the sandbox: paths that stay inside only through `..`, symlink chains, links to
//! `.` and `..`, links created with absolute targets, trailing slashes, and operations on a
//! link that points outside (allowed on the link itself, refused through it).
//!
//! `fs_edges SANDBOX` — SANDBOX holds the `escape` fixture (see `denied`): `hello.txt`,
//! `sub/`, and links `out-rel`, `out-abs`, `out-dir` pointing outside, `in-link` inside.
//! Natively nothing is refused; the expected output is the case's, checked against Wasmtime.

use smelt_wasi_programs::{c_path, cvt, kind, outcome};
use std::fs;
use std::path::Path;

fn read(label: &str, path: &Path) {
    match fs::read_to_string(path) {
        Ok(s) => println!("{label}: read {s:?}"),
        Err(e) => println!("{label}: err {}", kind(&e)),
    }
}

fn symlink(target: &str, link: &Path) -> std::io::Result<std::ffi::c_int> {
    let (t, l) = (std::ffi::CString::new(target).unwrap(), c_path(link));
    // SAFETY: both are NUL-terminated strings.
    cvt(unsafe { smelt_wasi_programs::sys::symlink(t.as_ptr(), l.as_ptr()) })
}

fn main() {
    let dir = smelt_wasi_programs::sandbox();
    let d = |p: &str| dir.join(p);
    read("sub/../sub/../hello.txt", &d("sub/../sub/../hello.txt"));
    read("sub//./../hello.txt", &d("sub//./../hello.txt"));
    read("out-dir/../hello.txt", &d("out-dir/../hello.txt"));
    read("in-link/", &d("in-link/"));
    println!("symlink self -> .: {}", outcome(&symlink(".", &d("self"))));
    read("self/self/self/hello.txt", &d("self/self/self/hello.txt"));
    println!(
        "symlink sub/up -> ..: {}",
        outcome(&symlink("..", &d("sub/up")))
    );
    read("sub/up/hello.txt", &d("sub/up/hello.txt"));
    read(
        "sub/up/up/outside/secret.txt",
        &d("sub/up/up/outside/secret.txt"),
    );
    println!(
        "symlink chain1 -> chain2: {}",
        outcome(&symlink("chain2", &d("chain1")))
    );
    println!(
        "symlink chain2 -> out-rel: {}",
        outcome(&symlink("out-rel", &d("chain2")))
    );
    read("chain1", &d("chain1"));
    println!(
        "symlink loop -> loop: {}",
        outcome(&symlink("loop", &d("loop")))
    );
    read("loop", &d("loop"));
    println!(
        "symlink abs -> /etc/passwd: {}",
        outcome(&symlink("/etc/passwd", &d("abs")))
    );
    read("abs", &d("abs"));
    println!("metadata out-abs: {}", outcome(&fs::metadata(d("out-abs"))));
    println!(
        "symlink_metadata out-abs: {}",
        outcome(&fs::symlink_metadata(d("out-abs")))
    );
    println!(
        "create_dir out-dir/x: {}",
        outcome(&fs::create_dir(d("out-dir/x")))
    );
    println!(
        "read_dir out-dir/..: {}",
        outcome(&fs::read_dir(d("out-dir/..")))
    );
    println!(
        "read_dir sub/..: {}",
        fs::read_dir(d("sub/..")).map_or_else(
            |e| format!("err {}", kind(&e)),
            |r| format!("{} entries", r.count())
        )
    );
    println!(
        "metadata hello.txt/.: {}",
        outcome(&fs::metadata(d("hello.txt/.")))
    );
    println!(
        "remove_file hello.txt/: {}",
        outcome(&fs::remove_file(d("hello.txt/")))
    );
    println!("remove_dir sub/.: {}", outcome(&fs::remove_dir(d("sub/."))));
    println!(
        "create_dir sub/..: {}",
        outcome(&fs::create_dir(d("sub/..")))
    );
    println!(
        "rename out-rel to moved-link: {}",
        outcome(&fs::rename(d("out-rel"), d("moved-link")))
    );
    read("moved-link", &d("moved-link"));
    println!(
        "remove_file moved-link: {}",
        outcome(&fs::remove_file(d("moved-link")))
    );
    println!(
        "remove_file out-dir: {}",
        outcome(&fs::remove_file(d("out-dir")))
    );
    println!(
        "secret still unreachable: {}",
        outcome(&fs::metadata(d("../outside/secret.txt")))
    );
    // The directories before the last component may be opened in one system call; a last
    // component that is a link climbing out of them makes the runtime walk the path again.
    let is_dir = |p: &str| {
        fs::metadata(d(p)).map_or_else(
            |e| format!("err {}", kind(&e)),
            |m| format!("dir {}", m.is_dir()),
        )
    };
    println!("metadata sub/up: {}", is_dir("sub/up"));
    println!(
        "symlink sub/uphello -> ../hello.txt: {}",
        outcome(&symlink("../hello.txt", &d("sub/uphello")))
    );
    read("sub/uphello", &d("sub/uphello"));
    println!(
        "create_dir sub/inner: {}",
        outcome(&fs::create_dir(d("sub/inner")))
    );
    println!(
        "symlink sub/inner/top -> ../../hello.txt: {}",
        outcome(&symlink("../../hello.txt", &d("sub/inner/top")))
    );
    read("sub/inner/top", &d("sub/inner/top"));
    println!("metadata sub/inner/top: {}", is_dir("sub/inner/top"));
    println!(
        "symlink sub/inner/out -> ../../../outside/secret.txt: {}",
        outcome(&symlink("../../../outside/secret.txt", &d("sub/inner/out")))
    );
    read("sub/inner/out", &d("sub/inner/out"));
    println!("metadata sub/inner/out: {}", is_dir("sub/inner/out"));
    read("sub/inner/../inner/./top", &d("sub/inner/../inner/./top"));
}
