//! Builds `runtime-lib` (a `#![no_std]` staticlib) for every supported target and leaves
//! `OUT_DIR/<triple>/libsmelt_rt.a` for `src/target/*.rs` to embed, so the `smelt` binary
//! carries the runtime of every target it can compile for. Also records where rustup's
//! `rust-lld` lives, the default linker, and writes `OUT_DIR/host_table.rs`, the WASI
//! functions a component may import (from `wit/`, see `smelt-hostgen`), for `src/host.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

const TRIPLES: [&str; 3] = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu",
];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for path in [
        "runtime-lib/src",
        "runtime-lib/Cargo.toml",
        "runtime-lib/Cargo.lock",
        "contract/src",
        "hostgen/src",
        "wit",
        "rust-toolchain.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let tools = toolchain_bin();
    let target_dir = out_dir.join("runtime-target");
    ensure_rust_targets(root);
    for triple in TRIPLES {
        build_runtime(&cargo, root, &target_dir, triple);
        let built = target_dir
            .join(triple)
            .join("release")
            .join("libsmelt_rt.a");
        let dest = out_dir.join(triple);
        std::fs::create_dir_all(&dest).unwrap();
        embed_archive(tools.as_deref(), &built, &dest.join("libsmelt_rt.a"));
    }
    write_host_table(root, &out_dir);
    if let Some(bin) = &tools {
        println!(
            "cargo:rustc-env=SMELT_RUST_LLD={}",
            bin.join("rust-lld").display()
        );
    }
}

/// The toolchain's own tool directory (`rust-lld`, `rust-objcopy`), if rustc tells its sysroot.
fn toolchain_bin() -> Option<PathBuf> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let host = std::env::var("HOST").unwrap();
    Some(
        Path::new(&sysroot)
            .join("lib/rustlib")
            .join(host)
            .join("bin"),
    )
}

/// Copies the runtime archive `built` to `dest`, the file the compiler embeds, without what a
/// link never reads: debug info of the prebuilt `core`/`compiler_builtins` members and their
/// embedded LLVM bitcode (4.6 MB -> 0.8 MB for x86_64, so smelt is ~11 MB smaller and writes
/// less per build), and without what no executable needs: unwind tables (nothing unwinds:
/// the runtime aborts on panic and walks frame records) and compiler identification. Uses
/// the toolchain's `rust-objcopy`; copies unchanged if it is missing.
fn embed_archive(tools: Option<&Path>, built: &Path, dest: &Path) {
    if let Some(objcopy) = tools.map(|b| b.join("rust-objcopy")).filter(|p| p.exists()) {
        let stripped = Command::new(objcopy)
            .args([
                "--strip-debug",
                "--remove-section=.llvmbc",
                "--remove-section=.llvmcmd",
                "--remove-section=.eh_frame",
                "--remove-section=.comment",
            ])
            .arg(built)
            .arg(dest)
            .status();
        if stripped.is_ok_and(|s| s.success()) {
            return;
        }
        println!(
            "cargo:warning=rust-objcopy could not strip {}; embedding it whole",
            built.display()
        );
    }
    std::fs::copy(built, dest).unwrap_or_else(|e| panic!("copying {}: {e}", built.display()));
}

/// Adds with rustup every target `rust-toolchain.toml` lists that the toolchain lacks: the
/// runtime's three and the wasm targets the tests build programs for. rustup adds them by
/// itself only when it installs the toolchain; on a machine that already had the toolchain
/// they are missing, and the README's two commands must still work there.
fn ensure_rust_targets(root: &Path) {
    let toolchain_file = std::fs::read_to_string(root.join("rust-toolchain.toml"))
        .expect("reading rust-toolchain.toml");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let missing: Vec<&str> = listed_targets(&toolchain_file)
        .into_iter()
        .filter(|triple| {
            let libdir = Command::new(&rustc)
                .args(["--print", "target-libdir", "--target", triple])
                .output()
                .ok()
                .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
            !libdir.is_some_and(|d| has_core(&d))
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add"]).args(&missing);
    if let Ok(toolchain) = std::env::var("RUSTUP_TOOLCHAIN") {
        rustup.args(["--toolchain", &toolchain]);
    }
    if !rustup.status().is_ok_and(|s| s.success()) {
        println!(
            "cargo:warning=Rust targets {missing:?} are missing and `rustup target add` failed"
        );
    }
}

/// The quoted entries of the `targets = [...]` array of a rust-toolchain.toml (comments
/// skipped).
fn listed_targets(toolchain_file: &str) -> Vec<&str> {
    let Some(start) = toolchain_file.find("targets = [") else {
        return Vec::new();
    };
    let rest = &toolchain_file[start + "targets = [".len()..];
    let array = &rest[..rest.find(']').unwrap_or(rest.len())];
    array
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| l.split('"').skip(1).step_by(2))
        .collect()
}

/// Whether a target library directory holds `core` (its file name carries a hash).
fn has_core(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libcore-"))
    })
}

fn build_runtime(cargo: &str, root: &Path, target_dir: &Path, triple: &str) {
    let status = Command::new(cargo)
        .current_dir(root.join("runtime-lib"))
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            triple,
            "--target-dir",
        ])
        .arg(target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", "-Cforce-frame-pointers=yes")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .status()
        .expect("running cargo for runtime-lib");
    assert!(status.success(), "building runtime-lib for {triple} failed");
}

/// Writes `host_table.rs`: one `HostFunc` per function of every interface the world imports,
/// marked implemented when the contract lists its interface.
fn write_host_table(root: &Path, out_dir: &Path) {
    use std::fmt::Write as _;
    let wit = smelt_hostgen::Wit::load(&root.join("wit")).expect("reading wit/");
    let implemented = smelt_contract::host::INTERFACES;
    let mut out = String::from(
        "// @generated by build.rs from wit/.\n\n/// Every function a component may import from the host.\npub static FUNCS: &[HostFunc] = &[\n",
    );
    let types = |ts: &[smelt_hostgen::CoreType]| {
        ts.iter()
            .map(|t| format!("ValType::{}", t.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for iface in wit.interfaces() {
        for f in wit.functions(&iface) {
            writeln!(
                out,
                "    HostFunc {{ interface: {:?}, func: {:?}, symbol: {:?}, params: &[{}], results: &[{}], signature: {:?}, implemented: {} }},",
                f.interface,
                f.name,
                f.symbol,
                types(&f.params),
                types(&f.results),
                f.signature,
                implemented.contains(&f.interface.as_str())
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    out.push_str("\n/// Every host resource type (interface, name); its handle tag is its index plus one.\npub static RESOURCES: &[(&str, &str)] = &[\n");
    for (interface, name, _) in wit.resources() {
        writeln!(out, "    ({interface:?}, {name:?}),").unwrap();
    }
    out.push_str("];\n");
    writeln!(
        out,
        "\n/// How many host resource types there are: their handle tags are 1 to this; resource\n\
         /// types that components define get the tags after them.\npub const HOST_RESOURCE_TYPES: u32 = {};",
        wit.resources().len()
    )
    .unwrap();
    std::fs::write(out_dir.join("host_table.rs"), out).unwrap();
}
