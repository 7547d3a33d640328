//! What std cannot reach, called directly under WASI (`smelt_wasi_programs::raw`):
//! `descriptor.get-type`, `sync-data`, `is-same-object`, `metadata-hash`, `metadata-hash-at` (following
//! symlinks and not), and `open-at` without `symlink-follow`. Natively the same facts come
//! from `(st_dev, st_ino)` and the file type, errors mapped to WASI `error-code` names as
//! Wasmtime maps errno values. Hash values are never printed, only whether two are equal.
//!
//! `fs_identity SANDBOX` — SANDBOX holds `hello.txt` and `sub/inner.txt`; the program adds
//! a hard link `hard.txt` and a symlink `ln` to `hello.txt`.

use std::path::Path;

fn main() {
    let dir = smelt_wasi_programs::sandbox();
    std::fs::hard_link(dir.join("hello.txt"), dir.join("hard.txt")).expect("hard link");
    let t = std::ffi::CString::new("hello.txt").unwrap();
    let l = smelt_wasi_programs::c_path(&dir.join("ln"));
    // SAFETY: both are NUL-terminated strings.
    assert_eq!(
        unsafe { smelt_wasi_programs::sys::symlink(t.as_ptr(), l.as_ptr()) },
        0
    );
    let fs = Fs::new(&dir);

    for rel in [".", "hello.txt", "sub", "sub/inner.txt", "ln", "sub/.."] {
        println!("get-type of {rel:?} (opened): {}", show(fs.get_type(rel)));
    }
    println!(
        "open-at \"ln\" without symlink-follow: {}",
        show(fs.open_nofollow("ln"))
    );
    for rel in [".", "hello.txt"] {
        println!(
            "sync-data of {rel:?} (opened to read): {}",
            show(fs.sync_data(rel))
        );
    }

    let pairs = [
        ("hello.txt", "hello.txt"),
        ("hello.txt", "sub/inner.txt"),
        ("hello.txt", "hard.txt"),
        ("hello.txt", "ln"),
        (".", "sub/.."),
        (".", "sub"),
    ];
    for (a, b) in pairs {
        println!("is-same-object {a:?} {b:?}: {}", show(fs.same_object(a, b)));
        println!(
            "metadata-hash equal {a:?} {b:?}: {}",
            show(fs.hash_equal(a, b))
        );
    }
    for (follow, rel, other) in [
        (true, "ln", "hello.txt"),
        (false, "ln", "hello.txt"),
        (true, "hard.txt", "hello.txt"),
        (true, ".", "."),
        (true, "sub/inner.txt", "sub/inner.txt"),
    ] {
        println!(
            "metadata-hash-at {rel:?} (follow {follow}) equals metadata-hash of {other:?}: {}",
            show(fs.hash_at_equal(follow, rel, other))
        );
    }
    for rel in ["missing", "hello.txt/x", "sub/missing/x"] {
        println!(
            "metadata-hash-at {rel:?}: {}",
            show(fs.hash_at_equal(true, rel, "."))
        );
    }
}

fn show<T: std::fmt::Display>(r: Result<T, &'static str>) -> String {
    match r {
        Ok(v) => v.to_string(),
        Err(code) => format!("err {code}"),
    }
}

#[cfg(target_os = "wasi")]
struct Fs {
    root: smelt_wasi_programs::raw::Descriptor,
}

#[cfg(target_os = "wasi")]
impl Fs {
    fn new(dir: &Path) -> Fs {
        let name = dir.to_str().unwrap();
        let root = smelt_wasi_programs::raw::preopens()
            .into_iter()
            .find(|(_, n)| n == name)
            .unwrap_or_else(|| panic!("no preopen named {name}"))
            .0;
        Fs { root }
    }

    fn open(&self, rel: &str) -> Result<smelt_wasi_programs::raw::Descriptor, &'static str> {
        use smelt_wasi_programs::raw::{READ, SYMLINK_FOLLOW};
        self.root.open_at(SYMLINK_FOLLOW, rel, READ)
    }

    fn get_type(&self, rel: &str) -> Result<&'static str, &'static str> {
        self.open(rel)?.get_type()
    }

    fn sync_data(&self, rel: &str) -> Result<&'static str, &'static str> {
        self.open(rel)?.sync_data().map(|()| "ok")
    }

    fn open_nofollow(&self, rel: &str) -> Result<&'static str, &'static str> {
        let d = self.root.open_at(0, rel, smelt_wasi_programs::raw::READ)?;
        d.get_type()
    }

    fn same_object(&self, a: &str, b: &str) -> Result<bool, &'static str> {
        Ok(self.open(a)?.is_same_object(&self.open(b)?))
    }

    fn hash_equal(&self, a: &str, b: &str) -> Result<bool, &'static str> {
        Ok(self.open(a)?.metadata_hash()? == self.open(b)?.metadata_hash()?)
    }

    fn hash_at_equal(&self, follow: bool, rel: &str, other: &str) -> Result<bool, &'static str> {
        let flags = if follow {
            smelt_wasi_programs::raw::SYMLINK_FOLLOW
        } else {
            0
        };
        let at = self.root.metadata_hash_at(flags, rel)?;
        Ok(at == self.open(other)?.metadata_hash()?)
    }
}

#[cfg(not(target_os = "wasi"))]
struct Fs {
    root: std::path::PathBuf,
}

#[cfg(not(target_os = "wasi"))]
impl Fs {
    fn new(dir: &Path) -> Fs {
        Fs {
            root: dir.to_path_buf(),
        }
    }

    /// The WASI `error-code` Wasmtime maps this error to.
    fn code(e: std::io::Error) -> &'static str {
        match smelt_wasi_programs::kind(&e).as_str() {
            "ENOENT" => "no-entry",
            "ENOTDIR" => "not-directory",
            "ELOOP" => "loop",
            "EACCES" => "access",
            "EPERM" => "not-permitted",
            "EISDIR" => "is-directory",
            "ENAMETOOLONG" => "name-too-long",
            _ => "unmapped",
        }
    }

    fn id(&self, rel: &str, follow: bool) -> Result<(u64, u64, std::fs::FileType), &'static str> {
        use std::os::unix::fs::MetadataExt;
        let path = self.root.join(rel);
        let m = if follow {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        let m = m.map_err(Fs::code)?;
        Ok((m.dev(), m.ino(), m.file_type()))
    }

    fn get_type(&self, rel: &str) -> Result<&'static str, &'static str> {
        let (_, _, t) = self.id(rel, true)?;
        Ok(if t.is_dir() {
            "directory"
        } else if t.is_file() {
            "regular-file"
        } else {
            "unknown"
        })
    }

    fn sync_data(&self, rel: &str) -> Result<&'static str, &'static str> {
        std::fs::File::open(self.root.join(rel))
            .and_then(|f| f.sync_data())
            .map(|()| "ok")
            .map_err(Fs::code)
    }

    fn open_nofollow(&self, rel: &str) -> Result<&'static str, &'static str> {
        let (_, _, t) = self.id(rel, false)?;
        // O_NOFOLLOW on a symlink fails with ELOOP.
        if t.is_symlink() {
            Err("loop")
        } else {
            self.get_type(rel)
        }
    }

    fn same_object(&self, a: &str, b: &str) -> Result<bool, &'static str> {
        let (a, b) = (self.id(a, true)?, self.id(b, true)?);
        Ok((a.0, a.1) == (b.0, b.1))
    }

    fn hash_equal(&self, a: &str, b: &str) -> Result<bool, &'static str> {
        self.same_object(a, b)
    }

    fn hash_at_equal(&self, follow: bool, rel: &str, other: &str) -> Result<bool, &'static str> {
        let (a, b) = (self.id(rel, follow)?, self.id(other, true)?);
        Ok((a.0, a.1) == (b.0, b.1))
    }
}
