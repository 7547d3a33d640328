//! Linking with an external lld-compatible linker (`--linker`): rustup's `rust-lld`,
//! `ld.lld`, or any linker that takes GNU ld's options.

use crate::error::{Error, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A linker script that only drops sections (`INSERT` keeps the linker's default layout), for
/// a runtime archive that still has them (smelt built without `rust-objcopy`): unwind tables
/// (nothing unwinds: the runtime aborts on panic and walks frame records for backtraces) and
/// compiler identification strings.
const DISCARD_SCRIPT: &str =
    "SECTIONS { /DISCARD/ : { *(.eh_frame) *(.comment) } } INSERT AFTER .text;\n";

/// Resolves the `--linker` argument: a path, or a name looked up first as rustup's
/// `rust-lld` (its path is recorded when smelt is built) and then on `PATH`.
pub fn find_linker(requested: &Path) -> Result<PathBuf> {
    if requested.components().count() > 1 || requested.is_file() {
        return Ok(requested.to_path_buf());
    }
    if requested == Path::new("rust-lld")
        && let Some(p) = option_env!("SMELT_RUST_LLD")
            .map(PathBuf::from)
            .filter(|p| p.exists())
    {
        return Ok(p);
    }
    search_path(requested).ok_or_else(|| {
        Error::Link(format!(
            "linker `{}` not found on PATH (for rustup's rust-lld: `rustup component add llvm-tools`)",
            requested.display()
        ))
    })
}

fn search_path(name: &Path) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Runs `linker` with `args`; `scratch` is a directory for the linker script.
pub(super) fn link(linker: &Path, args: Vec<OsString>, scratch: &Path) -> Result<()> {
    let script = scratch.join("discard.ld");
    std::fs::write(&script, DISCARD_SCRIPT)
        .map_err(|e| Error::Link(format!("writing {}: {e}", script.display())))?;
    let mut cmd = Command::new(linker);
    if linker
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("rust-lld"))
    {
        cmd.args(["-flavor", "gnu"]);
    }
    let out = cmd
        .args(args)
        .arg(&script)
        .output()
        .map_err(|e| Error::Link(format!("running {}: {e}", linker.display())))?;
    if !out.status.success() {
        return Err(Error::Link(format!(
            "{} failed:\n{}",
            linker.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
