//! Linking the object with the target's runtime library into a static executable.
//!
//! No toolchain for the target is needed: the default linker is the `rust-lld` that ships
//! with rustup (its path is recorded when smelt is built), then `rust-lld` or `ld.lld` on
//! `PATH`; `--linker` overrides. The runtime library is embedded in smelt for every target.
//!
//! Invariant: the output path is only ever written by renaming a complete, linked file onto
//! it; a failure leaves no partial output behind.

use crate::error::{Error, Result};
use crate::target::Target;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Finds the linker to use.
pub fn find_linker(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = option_env!("SMELT_RUST_LLD")
        .map(PathBuf::from)
        .filter(|p| p.exists())
    {
        return Ok(p);
    }
    for name in ["rust-lld", "ld.lld"] {
        if let Some(p) = search_path(name) {
            return Ok(p);
        }
    }
    Err(Error::Link(
        "no linker found: install rustup's rust-lld (`rustup component add llvm-tools`) or ld.lld, or pass --linker".into(),
    ))
}

fn search_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.is_file())
}

/// A linker script that only drops sections (`INSERT` keeps the linker's default layout):
/// unwind tables (nothing unwinds: the runtime aborts on panic and walks frame records for
/// backtraces; 3.8 KB of hello world) and compiler identification strings.
const DISCARD_SCRIPT: &str =
    "SECTIONS { /DISCARD/ : { *(.eh_frame) *(.comment) } } INSERT AFTER .text;\n";

/// Links `object` with the runtime into the executable `output`.
pub fn link(object: &[u8], target: &Target, output: &Path, linker: Option<&Path>) -> Result<()> {
    let linker = find_linker(linker)?;
    let dir = tempfile::tempdir()
        .map_err(|e| Error::Link(format!("creating a temporary directory: {e}")))?;
    let obj_path = dir.path().join("program.o");
    let rt_path = dir.path().join("libsmelt_rt.a");
    let write = |p: &Path, b: &[u8]| {
        std::fs::write(p, b).map_err(|e| Error::Link(format!("writing {}: {e}", p.display())))
    };
    write(&obj_path, object)?;
    write(&rt_path, target.arch.runtime_lib)?;
    let script_path = dir.path().join("discard.ld");
    write(&script_path, DISCARD_SCRIPT.as_bytes())?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".smelt-")
        .tempfile_in(&parent)
        .map_err(|e| Error::Write {
            path: output.to_path_buf(),
            source: e,
        })?;
    let mut cmd = Command::new(&linker);
    if linker
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("rust-lld"))
    {
        cmd.args(["-flavor", "gnu"]);
    }
    cmd.args([
        "-m",
        target.arch.emulation,
        "-static",
        "-nostdlib",
        "--gc-sections",
        "-e",
        "_start",
    ]);
    cmd.args([
        "-z",
        "noexecstack",
        "--build-id=none",
        "--strip-debug",
        "-o",
    ]);
    cmd.arg(tmp.path())
        .arg(&obj_path)
        .arg(&rt_path)
        .arg(&script_path);
    let out = cmd
        .output()
        .map_err(|e| Error::Link(format!("running {}: {e}", linker.display())))?;
    if !out.status.success() {
        return Err(Error::Link(format!(
            "{} failed:\n{}",
            linker.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    publish(tmp, output, 0o755)
}

/// Writes bytes to `output` atomically (temporary file in the same directory, then rename).
pub fn write_atomically(output: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".smelt-")
        .tempfile_in(parent)
        .map_err(|e| Error::Write {
            path: output.to_path_buf(),
            source: e,
        })?;
    tmp.write_all(bytes).map_err(|e| Error::Write {
        path: output.to_path_buf(),
        source: e,
    })?;
    publish(tmp, output, 0o644)
}

/// Gives a complete temporary file its permissions and renames it onto `output`.
fn publish(tmp: tempfile::NamedTempFile, output: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let err = |source| Error::Write {
        path: output.to_path_buf(),
        source,
    };
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode)).map_err(err)?;
    tmp.persist(output).map_err(|e| err(e.error))?;
    Ok(())
}
