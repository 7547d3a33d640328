//! `wasi:cli/environment.get-arguments`: every argument given to the executable reaches the
//! program unchanged — including ones that look like options of smelt or of a runtime.
//! The program name (argument 0) differs by runner, so only its presence is printed.

fn main() {
    let mut all = std::env::args();
    let name = all.next();
    println!("argv0 present: {}", name.is_some_and(|n| !n.is_empty()));
    let rest: Vec<String> = all.collect();
    println!("argc: {}", rest.len());
    for (i, a) in rest.iter().enumerate() {
        println!("arg {}: {a:?} ({} bytes)", i + 1, a.len());
    }
}
