//! Linking the object with the target's runtime library into a static executable.
//!
//! No toolchain for the target is needed: by default smelt links in-process with the Wild
//! linker (`libwild`), which saves the 10–15 ms an external linker spends only starting up
//! (rustup's `rust-lld` loads a dynamically linked libLLVM) and links a program in a few
//! milliseconds. `--linker` runs an external lld-compatible linker instead (`external`).
//! The runtime library is embedded in smelt for every target.
//!
//! Both ways get the same inputs and the same command line (`command_line`): a static,
//! non-PIE executable entered at `_start`, unused sections collected. The embedded archive
//! carries no `.eh_frame` or `.comment` (removed when smelt is built), so no linker script is
//! needed to keep them out of the executable.
//!
//! Invariant: the output path is only ever written by renaming a complete, linked file onto
//! it; a failure leaves no partial output behind.

mod external;
mod in_process;

pub use external::find_linker;

use crate::error::{Error, Result};
use crate::target::Target;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Links `object` with the runtime into the executable `output`, with the external `linker`
/// if one is given and in-process otherwise.
pub fn link(object: &[u8], target: &Target, output: &Path, linker: Option<&Path>) -> Result<()> {
    let dir = tempfile::tempdir()
        .map_err(|e| Error::Link(format!("creating a temporary directory: {e}")))?;
    let obj_path = dir.path().join("program.o");
    let rt_path = dir.path().join("libsmelt_rt.a");
    let write = |p: &Path, b: &[u8]| {
        std::fs::write(p, b).map_err(|e| Error::Link(format!("writing {}: {e}", p.display())))
    };
    write(&obj_path, object)?;
    write(&rt_path, target.arch.runtime_lib)?;
    let tmp = temp_beside(output)?;
    let args = command_line(target, tmp.path(), &[&obj_path, &rt_path]);
    match linker {
        Some(linker) => external::link(&find_linker(linker)?, args, dir.path())?,
        None => in_process::link(args)?,
    }
    publish(tmp, output, 0o755)
}

/// The linker's arguments (after any flavour selection): link `inputs` into `output`.
fn command_line(target: &Target, output: &Path, inputs: &[&Path]) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "-m",
        target.arch.emulation,
        "-static",
        "-nostdlib",
        "--gc-sections",
        "-e",
        "_start",
        "-z",
        "noexecstack",
        "--build-id=none",
        "--strip-debug",
        "-o",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    args.push(output.into());
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args
}

/// Whether `output` exists and is something other than a regular file or a directory (a
/// device such as `/dev/null`, a FIFO): the result is written into it rather than renamed
/// over it, which would replace the device node with a regular file.
fn is_special(output: &Path) -> bool {
    std::fs::metadata(output).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A new temporary file in `output`'s directory, so that [`publish`] can rename it there
/// (in the temporary directory when `output` is a device: nothing is renamed then).
fn temp_beside(output: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = match output.parent() {
        _ if is_special(output) => std::env::temp_dir(),
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    tempfile::Builder::new()
        .prefix(".smelt-")
        .tempfile_in(dir)
        .map_err(|e| Error::Write {
            path: output.to_path_buf(),
            source: e,
        })
}

/// Writes bytes to `output` atomically (temporary file in the same directory, then rename).
pub fn write_atomically(output: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut tmp = temp_beside(output)?;
    tmp.write_all(bytes).map_err(|e| Error::Write {
        path: output.to_path_buf(),
        source: e,
    })?;
    publish(tmp, output, 0o644)
}

/// Gives a complete temporary file its permissions and renames it onto `output`; copies
/// it into `output` when that is a device or FIFO.
fn publish(tmp: tempfile::NamedTempFile, output: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let err = |source| Error::Write {
        path: output.to_path_buf(),
        source,
    };
    if is_special(output) {
        let mut into = std::fs::OpenOptions::new()
            .write(true)
            .open(output)
            .map_err(err)?;
        std::io::copy(
            &mut std::fs::File::open(tmp.path()).map_err(err)?,
            &mut into,
        )
        .map_err(err)?;
        return Ok(());
    }
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode)).map_err(err)?;
    tmp.persist(output).map_err(|e| err(e.error))?;
    Ok(())
}
