//! Directory operations through a preopen: `read-directory`, `create-directory-at`,
//! `remove-directory-at`, `rename-at`, `symlink-at`, `readlink-at`, `link-at`,
//! `unlink-file-at`, `stat-at` (following symlinks and not), `set-times-at`, `open-at` with
//! every open flag (`create`, `directory`, `exclusive`, `truncate`), `symlink-follow` and the
//! descriptor flags, a directory of 300 entries, and the error each misuse gives.
//!
//! `fs_dir SANDBOX` — SANDBOX holds `hello.txt` (`hello, world\n`), `sub/inner.txt`
//! (`inner\n`) and the empty directory `empty`; everything else is created under SANDBOX.

use smelt_wasi_programs::{c_path, check, cvt, kind, must, outcome, show, sys};
use std::ffi::c_int;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

fn main() {
    let dir = smelt_wasi_programs::sandbox();
    println!("-- initial listing");
    list(&dir, "");
    create_remove(&dir);
    rename(&dir);
    links(&dir);
    symlinks(&dir);
    unlink(&dir);
    stat_at(&dir);
    set_times_at(&dir);
    open_flags(&dir);
    names(&dir);
    many(&dir);
    println!("-- final listing");
    list(&dir, "");
}

/// Prints the tree under `dir/rel`, sorted, depth first, with each entry's type.
fn list(dir: &Path, rel: &str) {
    let path = dir.join(rel);
    let entries = match fs::read_dir(&path) {
        Ok(e) => e,
        Err(e) => return println!("read_dir {rel:?}: err {}", kind(&e)),
    };
    let mut names: Vec<(String, fs::FileType)> = entries
        .map(|e| {
            let e = e.expect("directory entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                e.file_type().expect("entry type"),
            )
        })
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, ty) in names {
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if ty.is_symlink() {
            let target = fs::read_link(dir.join(&child)).map(|t| t.display().to_string());
            println!("  {child} -> {}", target.unwrap_or_else(|e| kind(&e)));
        } else if ty.is_dir() {
            println!("  {child}/");
            list(dir, &child);
        } else {
            let len = fs::metadata(dir.join(&child)).map(|m| m.len());
            println!(
                "  {child} ({} bytes)",
                len.map_or_else(|e| kind(&e), |l| l.to_string())
            );
        }
    }
}

fn create_remove(dir: &Path) {
    println!("-- create and remove directories");
    check("create_dir a", fs::create_dir(dir.join("a"))).ok();
    check("create_dir a again", fs::create_dir(dir.join("a"))).ok();
    check(
        "create_dir over a file",
        fs::create_dir(dir.join("hello.txt")),
    )
    .ok();
    check(
        "create_dir below a missing directory",
        fs::create_dir(dir.join("missing/x")),
    )
    .ok();
    check(
        "create_dir below a file",
        fs::create_dir(dir.join("hello.txt/x")),
    )
    .ok();
    check(
        "create_dir_all a/b/c",
        fs::create_dir_all(dir.join("a/b/c")),
    )
    .ok();
    fs::write(dir.join("a/b/file.txt"), b"f").unwrap();
    println!(
        "read_dir of an empty directory: {}",
        fs::read_dir(dir.join("empty")).map_or_else(|e| kind(&e), |d| d.count().to_string())
    );
    println!(
        "read_dir of a file: {}",
        outcome(&fs::read_dir(dir.join("hello.txt")))
    );
    println!(
        "read_dir of a missing path: {}",
        outcome(&fs::read_dir(dir.join("missing")))
    );
    list(dir, "a");
    check(
        "remove_dir a/b (not empty)",
        fs::remove_dir(dir.join("a/b")),
    )
    .ok();
    check(
        "remove_dir a file",
        fs::remove_dir(dir.join("a/b/file.txt")),
    )
    .ok();
    check("remove_dir missing", fs::remove_dir(dir.join("a/missing"))).ok();
    check("remove_dir a/b/c", fs::remove_dir(dir.join("a/b/c"))).ok();
    check("remove_dir_all a", fs::remove_dir_all(dir.join("a"))).ok();
    println!(
        "a after remove_dir_all: {}",
        outcome(&fs::metadata(dir.join("a")))
    );
    check("remove_dir empty", fs::remove_dir(dir.join("empty"))).ok();
    check("create_dir empty again", fs::create_dir(dir.join("empty"))).ok();
}

fn rename(dir: &Path) {
    println!("-- rename");
    fs::write(dir.join("r1.txt"), b"one").unwrap();
    fs::write(dir.join("r2.txt"), b"two").unwrap();
    fs::create_dir(dir.join("rd")).unwrap();
    fs::create_dir(dir.join("rfull")).unwrap();
    fs::write(dir.join("rfull/x"), b"x").unwrap();
    check(
        "rename file",
        fs::rename(dir.join("r1.txt"), dir.join("moved.txt")),
    )
    .ok();
    println!("old name: {}", outcome(&fs::metadata(dir.join("r1.txt"))));
    show("new name", fs::read_to_string(dir.join("moved.txt")));
    check(
        "rename over an existing file",
        fs::rename(dir.join("moved.txt"), dir.join("r2.txt")),
    )
    .ok();
    show("r2.txt", fs::read_to_string(dir.join("r2.txt")));
    check(
        "rename into a subdirectory",
        fs::rename(dir.join("r2.txt"), dir.join("rd/r2.txt")),
    )
    .ok();
    check(
        "rename a directory",
        fs::rename(dir.join("rd"), dir.join("rd2")),
    )
    .ok();
    show(
        "through the renamed directory",
        fs::read_to_string(dir.join("rd2/r2.txt")),
    );
    check(
        "rename a missing file",
        fs::rename(dir.join("nothing"), dir.join("x")),
    )
    .ok();
    check(
        "rename a file over a directory",
        fs::rename(dir.join("rd2/r2.txt"), dir.join("rfull")),
    )
    .ok();
    check(
        "rename a directory over a file",
        fs::rename(dir.join("rd2"), dir.join("hello.txt")),
    )
    .ok();
    check(
        "rename a directory over a non-empty directory",
        fs::rename(dir.join("rd2"), dir.join("rfull")),
    )
    .ok();
    check(
        "rename a directory into itself",
        fs::rename(dir.join("rd2"), dir.join("rd2/inside")),
    )
    .ok();
    check(
        "rename into a missing directory",
        fs::rename(dir.join("rd2/r2.txt"), dir.join("missing/r2.txt")),
    )
    .ok();
    fs::create_dir(dir.join("rempty")).unwrap();
    check(
        "rename a directory over an empty directory",
        fs::rename(dir.join("rd2"), dir.join("rempty")),
    )
    .ok();
    show("through it", fs::read_to_string(dir.join("rempty/r2.txt")));
    check(
        "rename to the same name",
        fs::rename(dir.join("rfull"), dir.join("rfull")),
    )
    .ok();
}

fn links(dir: &Path) {
    println!("-- hard links");
    fs::write(dir.join("orig.txt"), b"original").unwrap();
    check(
        "hard_link",
        fs::hard_link(dir.join("orig.txt"), dir.join("hard.txt")),
    )
    .ok();
    fs::write(dir.join("hard.txt"), b"changed via the link").unwrap();
    show("orig.txt", fs::read_to_string(dir.join("orig.txt")));
    check(
        "hard_link onto an existing name",
        fs::hard_link(dir.join("orig.txt"), dir.join("hello.txt")),
    )
    .ok();
    check(
        "hard_link a missing file",
        fs::hard_link(dir.join("missing"), dir.join("h2")),
    )
    .ok();
    check(
        "hard_link a directory",
        fs::hard_link(dir.join("sub"), dir.join("subhard")),
    )
    .ok();
    check(
        "remove_file orig.txt",
        fs::remove_file(dir.join("orig.txt")),
    )
    .ok();
    show(
        "hard.txt after removing orig.txt",
        fs::read_to_string(dir.join("hard.txt")),
    );
}

/// `symlink-at` (through wasi-libc's `symlink`), `readlink-at`, and stat with and without
/// following.
fn symlink(target: &str, link: &Path) -> std::io::Result<c_int> {
    let (t, l) = (std::ffi::CString::new(target).unwrap(), c_path(link));
    // SAFETY: both are NUL-terminated strings.
    cvt(unsafe { sys::symlink(t.as_ptr(), l.as_ptr()) })
}

fn symlinks(dir: &Path) {
    println!("-- symlinks");
    check("symlink to a file", symlink("hello.txt", &dir.join("ln"))).ok();
    show("read_link", fs::read_link(dir.join("ln")));
    show("read through", fs::read_to_string(dir.join("ln")));
    let m = must("metadata", fs::metadata(dir.join("ln")));
    println!(
        "metadata (followed): file {}, symlink {}",
        m.is_file(),
        m.is_symlink()
    );
    let m = must("symlink_metadata", fs::symlink_metadata(dir.join("ln")));
    println!(
        "symlink_metadata: file {}, symlink {}",
        m.is_file(),
        m.is_symlink()
    );
    check("symlink to a directory", symlink("sub", &dir.join("lnsub"))).ok();
    show(
        "read through a directory link",
        fs::read_to_string(dir.join("lnsub/inner.txt")),
    );
    check(
        "symlink with a relative .. target",
        symlink("../hello.txt", &dir.join("sub/up")),
    )
    .ok();
    show("read through it", fs::read_to_string(dir.join("sub/up")));
    check(
        "dangling symlink",
        symlink("nowhere", &dir.join("dangling")),
    )
    .ok();
    println!(
        "metadata of a dangling link: {}",
        outcome(&fs::metadata(dir.join("dangling")))
    );
    println!(
        "symlink_metadata of a dangling link: {}",
        outcome(&fs::symlink_metadata(dir.join("dangling")))
    );
    show(
        "read_link of a dangling link",
        fs::read_link(dir.join("dangling")),
    );
    check(
        "symlink onto an existing name",
        symlink("x", &dir.join("hello.txt")),
    )
    .ok();
    check(
        "symlink loop a -> b",
        symlink("loop-b", &dir.join("loop-a")),
    )
    .ok();
    check(
        "symlink loop b -> a",
        symlink("loop-a", &dir.join("loop-b")),
    )
    .ok();
    println!(
        "metadata of a loop: {}",
        outcome(&fs::metadata(dir.join("loop-a")))
    );
    println!(
        "open a loop: {}",
        outcome(&fs::File::open(dir.join("loop-a")))
    );
    println!(
        "read_link of a file: {}",
        outcome(&fs::read_link(dir.join("hello.txt")))
    );
    println!(
        "read_link of a missing path: {}",
        outcome(&fs::read_link(dir.join("missing")))
    );
    check("remove_file a symlink", fs::remove_file(dir.join("ln"))).ok();
    show(
        "its target is still there",
        fs::read_to_string(dir.join("hello.txt")),
    );
    check(
        "remove_file a directory symlink",
        fs::remove_file(dir.join("lnsub")),
    )
    .ok();
    println!(
        "sub still a directory: {}",
        fs::metadata(dir.join("sub")).is_ok_and(|m| m.is_dir())
    );
    check("remove_dir a symlink to a directory", {
        symlink("sub", &dir.join("lnsub2")).ok();
        fs::remove_dir(dir.join("lnsub2"))
    })
    .ok();
    check(
        "rename a symlink",
        fs::rename(dir.join("dangling"), dir.join("dangling2")),
    )
    .ok();
    show(
        "read_link after rename",
        fs::read_link(dir.join("dangling2")),
    );
}

fn unlink(dir: &Path) {
    println!("-- unlink");
    fs::write(dir.join("gone.txt"), b"g").unwrap();
    check("remove_file", fs::remove_file(dir.join("gone.txt"))).ok();
    println!(
        "after remove_file: {}",
        outcome(&fs::metadata(dir.join("gone.txt")))
    );
    check("remove_file missing", fs::remove_file(dir.join("gone.txt"))).ok();
    check("remove_file a directory", fs::remove_file(dir.join("sub"))).ok();
    check(
        "remove_file below a file",
        fs::remove_file(dir.join("hello.txt/x")),
    )
    .ok();
    // An open file can be unlinked and still be read.
    fs::write(dir.join("open.txt"), b"still here").unwrap();
    let mut f = must("open", fs::File::open(dir.join("open.txt")));
    check(
        "remove_file an open file",
        fs::remove_file(dir.join("open.txt")),
    )
    .ok();
    let mut s = String::new();
    show(
        "read after unlink",
        std::io::Read::read_to_string(&mut f, &mut s),
    );
    println!("content: {s:?}");
}

fn stat_at(dir: &Path) {
    println!("-- stat-at");
    for rel in [
        "hello.txt",
        "sub",
        "sub/inner.txt",
        "sub/../hello.txt",
        "./hello.txt",
        "sub/./inner.txt",
        "sub/",
        "hello.txt/",
        "missing",
        "sub/missing/x",
    ] {
        let m = fs::metadata(dir.join(rel));
        match m {
            Ok(m) => println!(
                "stat {rel:?}: {} len {}",
                if m.is_dir() {
                    "dir"
                } else if m.is_file() {
                    "file"
                } else {
                    "other"
                },
                if m.is_dir() {
                    "-".into()
                } else {
                    m.len().to_string()
                },
            ),
            Err(e) => println!("stat {rel:?}: err {}", kind(&e)),
        }
    }
}

fn mtime(path: &Path, follow: bool) -> String {
    let m = if follow {
        fs::metadata(path)
    } else {
        fs::symlink_metadata(path)
    };
    match m.and_then(|m| m.modified()) {
        Ok(t) => {
            let d = t.duration_since(UNIX_EPOCH).unwrap();
            format!("{}.{:09}", d.as_secs(), d.subsec_nanos())
        }
        Err(e) => format!("err {}", kind(&e)),
    }
}

/// `set-times-at` through `utimensat`, following symlinks and not.
fn set_times_at(dir: &Path) {
    println!("-- set-times-at");
    fs::write(dir.join("t.txt"), b"t").unwrap();
    symlink("t.txt", &dir.join("t-link")).ok();
    let times = |sec: i64| {
        [
            sys::Timespec { sec, nsec: 111 },
            sys::Timespec {
                sec: sec + 1,
                nsec: 222_000_000,
            },
        ]
    };
    let set = |rel: &str, sec: i64, flags: c_int| {
        let p = c_path(&dir.join(rel));
        let ts = times(sec);
        // SAFETY: `p` is NUL-terminated, `ts` holds two timespecs.
        outcome(&cvt(unsafe {
            sys::utimensat(sys::AT_FDCWD, p.as_ptr(), ts.as_ptr(), flags)
        }))
    };
    println!("utimensat t.txt: {}", set("t.txt", 1_100_000_000, 0));
    println!("t.txt modified: {}", mtime(&dir.join("t.txt"), true));
    println!(
        "utimensat through the link: {}",
        set("t-link", 1_200_000_000, 0)
    );
    println!("t.txt modified: {}", mtime(&dir.join("t.txt"), true));
    println!(
        "utimensat on the link itself: {}",
        set("t-link", 1_300_000_000, sys::AT_SYMLINK_NOFOLLOW)
    );
    println!("t.txt modified: {}", mtime(&dir.join("t.txt"), true));
    println!("utimensat a directory: {}", set("sub", 1_400_000_000, 0));
    println!("sub modified: {}", mtime(&dir.join("sub"), true));
    println!(
        "utimensat a missing path: {}",
        set("missing", 1_400_000_000, 0)
    );
}

/// `open-at` with each flag, through `open(2)` so every flag can be named.
fn open_flags(dir: &Path) {
    println!("-- open-at flags");
    fs::write(dir.join("of.txt"), b"content").unwrap();
    symlink("of.txt", &dir.join("of-link")).ok();
    let cases: [(&str, &str, c_int); 19] = [
        ("of.txt", "read", sys::O_RDONLY),
        ("of.txt", "write", sys::O_WRONLY),
        ("of.txt", "read+write", sys::O_RDWR),
        ("sub", "directory", sys::O_RDONLY | sys::O_DIRECTORY),
        (
            "of.txt",
            "directory on a file",
            sys::O_RDONLY | sys::O_DIRECTORY,
        ),
        ("sub", "write a directory", sys::O_WRONLY),
        ("new1.txt", "create", sys::O_WRONLY | sys::O_CREAT),
        ("new1.txt", "create existing", sys::O_WRONLY | sys::O_CREAT),
        (
            "new1.txt",
            "create+exclusive existing",
            sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL,
        ),
        (
            "new2.txt",
            "create+exclusive new",
            sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL,
        ),
        (
            "of-link",
            "create+exclusive on a symlink",
            sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL,
        ),
        ("missing.txt", "no create, missing", sys::O_RDONLY),
        ("of.txt", "truncate", sys::O_WRONLY | sys::O_TRUNC),
        ("of-link", "follow a symlink", sys::O_RDONLY),
        (
            "of-link",
            "nofollow on a symlink",
            sys::O_RDONLY | sys::O_NOFOLLOW,
        ),
        (
            "of.txt",
            "nofollow on a file",
            sys::O_RDONLY | sys::O_NOFOLLOW,
        ),
        ("of.txt", "sync", sys::O_WRONLY | sys::O_SYNC),
        ("of.txt", "dsync", sys::O_WRONLY | sys::O_DSYNC),
        ("of.txt", "rsync", sys::O_RDONLY | sys::O_RSYNC),
    ];
    for (rel, what, flags) in cases {
        let p = c_path(&dir.join(rel));
        // SAFETY: `p` is NUL-terminated; the mode is read only with O_CREAT.
        let fd = cvt(unsafe { sys::open(p.as_ptr(), flags, 0o644 as c_int) });
        println!("open {what} ({rel}): {}", outcome(&fd));
        if let Ok(fd) = fd {
            // SAFETY: `fd` was opened above.
            unsafe { sys::close(fd) };
        }
    }
    println!(
        "of.txt after truncate: {}",
        fs::metadata(dir.join("of.txt")).map_or_else(|e| kind(&e), |m| m.len().to_string())
    );
}

/// Names that are invalid or too long.
fn names(dir: &Path) {
    println!("-- names");
    let long = "x".repeat(300);
    println!(
        "create a 300-byte name: {}",
        outcome(&fs::write(dir.join(&long), b""))
    );
    println!(
        "stat a 300-byte name: {}",
        outcome(&fs::metadata(dir.join(&long)))
    );
    let ok = "y".repeat(255);
    println!(
        "create a 255-byte name: {}",
        outcome(&fs::write(dir.join(&ok), b""))
    );
    check("remove it", fs::remove_file(dir.join(&ok))).ok();
    println!(
        "create a UTF-8 name: {}",
        outcome(&fs::write(dir.join("grüße ✓.txt"), b"u"))
    );
    show("read it back", fs::read_to_string(dir.join("grüße ✓.txt")));
    println!(
        "create a name with a space and a colon: {}",
        outcome(&fs::write(dir.join("a b:c.txt"), b""))
    );
}

/// A directory with more entries than one `read-directory` batch is likely to hold (the
/// runtime reads ahead 32 entries or 4 KiB of names at a time): names from 11 to 250 bytes,
/// some directories, two listings read in turns, and files removed while being listed.
fn many(dir: &Path) {
    println!("-- many entries");
    let many = dir.join("many");
    must("create_dir many", fs::create_dir(&many));
    for i in 0..300 {
        if i % 50 == 7 {
            must(
                "create_dir",
                fs::create_dir(many.join(format!("dir-{i:03}"))),
            );
        } else if i % 25 == 3 {
            let name = format!("long-{i:03}-{}", "L".repeat(241));
            must("create", fs::write(many.join(name), b""));
        } else {
            let name = format!("entry-{i:03}-{}", "n".repeat(i % 40));
            must("create", fs::write(many.join(name), b""));
        }
    }
    let listed = |e: std::io::Result<fs::DirEntry>| {
        let e = e.expect("entry");
        let dir = e.file_type().expect("type").is_dir();
        (e.file_name().to_string_lossy().into_owned(), dir)
    };
    let mut names: Vec<(String, bool)> = must("read_dir many", fs::read_dir(&many))
        .map(listed)
        .collect();
    names.sort();
    println!("entries: {}", names.len());
    println!("directories: {}", names.iter().filter(|n| n.1).count());
    println!(
        "longest name: {}",
        names.iter().map(|n| n.0.len()).max().unwrap_or(0)
    );
    println!("first: {:?}", names.first().map(|n| &n.0));
    println!("last: {:?}", names.last().map(|n| &n.0[..12]));
    // Two listings of the same directory, one entry from each in turn.
    let mut a = must("read_dir many (a)", fs::read_dir(&many));
    let mut b = must("read_dir many (b)", fs::read_dir(&many));
    let (mut from_a, mut from_b) = (Vec::new(), Vec::new());
    loop {
        let (x, y) = (a.next(), b.next());
        if x.is_none() && y.is_none() {
            break;
        }
        from_a.extend(x.map(listed));
        from_b.extend(y.map(listed));
    }
    from_a.sort();
    from_b.sort();
    println!(
        "two listings in turns agree: {}",
        from_a == names && from_b == names
    );
    // Every file removed as the listing returns it: each is returned once, the directories
    // are left.
    let mut removed = 0;
    for (name, is_dir) in must("read_dir many (remove)", fs::read_dir(&many)).map(listed) {
        if !is_dir {
            must("remove listed file", fs::remove_file(many.join(&name)));
            removed += 1;
        }
    }
    println!("removed while listing: {removed}");
    let left: Vec<(String, bool)> = must("read_dir many (left)", fs::read_dir(&many))
        .map(listed)
        .collect();
    println!(
        "left: {} ({} directories)",
        left.len(),
        left.iter().filter(|n| n.1).count()
    );
    check("remove_dir_all many", fs::remove_dir_all(&many)).ok();
}
