//! Builds `runtime-lib` (a `#![no_std]` staticlib) for every supported target and leaves
//! `OUT_DIR/<triple>/libsmelt_rt.a` for `src/target/*.rs` to embed, so the `smelt` binary
//! carries the runtime of every target it can compile for. Also records where rustup's
//! `rust-lld` lives, the default linker.

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
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = out_dir.join("runtime-target");
    for triple in TRIPLES {
        build_runtime(&cargo, root, &target_dir, triple);
        let built = target_dir
            .join(triple)
            .join("release")
            .join("libsmelt_rt.a");
        let dest = out_dir.join(triple);
        std::fs::create_dir_all(&dest).unwrap();
        std::fs::copy(&built, dest.join("libsmelt_rt.a"))
            .unwrap_or_else(|e| panic!("copying {}: {e}", built.display()));
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    if let Ok(out) = Command::new(rustc).args(["--print", "sysroot"]).output() {
        let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let host = std::env::var("HOST").unwrap();
        let lld = Path::new(&sysroot)
            .join("lib/rustlib")
            .join(host)
            .join("bin/rust-lld");
        println!("cargo:rustc-env=SMELT_RUST_LLD={}", lld.display());
    }
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
