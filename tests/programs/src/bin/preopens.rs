//! `wasi:filesystem/preopens.get-directories`: exactly the granted directories, under their
//! guest names, each a directory.
//!
//! `preopens NAME...` — natively there are no preopens, so the native build prints the names
//! it is given (the case's expectation); under WASI the arguments are ignored and the real
//! preopens are printed, sorted.

fn main() {
    #[cfg(target_os = "wasi")]
    let mut found: Vec<(String, String)> = smelt_wasi_programs::raw::preopens()
        .into_iter()
        .map(|(d, name)| {
            let ty = d.get_type().unwrap_or_else(|e| e);
            (name, ty.to_string())
        })
        .collect();
    #[cfg(not(target_os = "wasi"))]
    let mut found: Vec<(String, String)> = smelt_wasi_programs::args()
        .into_iter()
        .map(|name| (name, "directory".to_string()))
        .collect();
    found.sort();
    println!("preopens: {}", found.len());
    for (name, ty) in found {
        println!("  {name:?}: {ty}");
    }
}
