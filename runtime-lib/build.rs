//! Generates the WASI host bindings (`OUT_DIR/bindings.rs`, included by `src/wasi/mod.rs`)
//! from `../wit` for the interfaces the contract says the runtime implements.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let wit = root.join("wit");
    println!("cargo:rerun-if-changed={}", wit.display());
    let wit = smelt_hostgen::Wit::load(&wit).expect("reading wit/");
    let code = smelt_hostgen::rust::bindings(&wit, smelt_contract::host::INTERFACES)
        .expect("generating the WASI bindings");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bindings.rs");
    std::fs::write(out, code).unwrap();
}
