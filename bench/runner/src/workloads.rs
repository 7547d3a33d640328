//! The workloads of `bench/suite`: names, what each exercises, and the input file
//! `filecopy` copies (generated here, deterministic).

use crate::systems::System;
use anyhow::Result;
use std::ffi::OsString;
use std::path::Path;

/// A workload of the suite: its binary name, what it does, its arguments.
pub struct Workload {
    pub name: &'static str,
    pub what: &'static str,
    /// Copies a file: gets a granted directory with the input in it.
    pub file_io: bool,
}

pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "hello",
        what: "start-up: print one line",
        file_io: false,
    },
    Workload {
        name: "hash",
        what: "SHA-256 + SHA-512 of 16 MiB (sha2, portable)",
        file_io: false,
    },
    Workload {
        name: "json",
        what: "serde_json: 10k orders to JSON and back, 4 rounds",
        file_io: false,
    },
    Workload {
        name: "regex",
        what: "regex: 6 patterns + captures over 10 MiB of text",
        file_io: false,
    },
    Workload {
        name: "deflate",
        what: "miniz_oxide: 3 MiB at levels 1 and 6, inflate",
        file_io: false,
    },
    Workload {
        name: "image",
        what: "1600² RGB f32: blur, Sobel, bilinear resize",
        file_io: false,
    },
    Workload {
        name: "nbody",
        what: "n-body, 5M steps (f64)",
        file_io: false,
    },
    Workload {
        name: "matmul",
        what: "700×700 f64 matrix multiply ×2 + transpose",
        file_io: false,
    },
    Workload {
        name: "filecopy",
        what: "copy 256 MiB in 64 KiB chunks",
        file_io: true,
    },
    Workload {
        name: "smallwrites",
        what: "200k println! lines (one write each)",
        file_io: false,
    },
];

/// Size of the file `filecopy` copies.
const COPY_BYTES: usize = 256 << 20;

/// The input of `filecopy`: deterministic, incompressible-looking bytes.
pub fn write_copy_input(path: &Path) -> Result<()> {
    if path.metadata().is_ok_and(|m| m.len() == COPY_BYTES as u64) {
        return Ok(());
    }
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut buf = Vec::with_capacity(COPY_BYTES);
    while buf.len() < COPY_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(path, &buf)?;
    Ok(())
}

/// The arguments of workload `w` as system `sys` sees its files.
pub fn workload_args(w: &Workload, sys: System, data: &Path) -> Vec<OsString> {
    if !w.file_io {
        return Vec::new();
    }
    let dir = if sys == System::Native {
        data.display().to_string()
    } else {
        "/data".to_string()
    };
    vec![
        format!("{dir}/src.bin").into(),
        format!("{dir}/dst.bin").into(),
    ]
}
