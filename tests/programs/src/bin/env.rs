//! `wasi:cli/environment.get-environment`: the program sees exactly the variables granted.
//!
//! `env NAME...` prints each named variable or `absent`; `env --all` prints every variable,
//! sorted. The harness runs the native build with exactly the granted variables, so its
//! output is what a correctly sandboxed executable prints.

fn main() {
    let args = smelt_wasi_programs::args();
    if args.first().is_some_and(|a| a == "--all") {
        let mut vars: Vec<(String, String)> = std::env::vars().collect();
        vars.sort();
        println!("count: {}", vars.len());
        for (k, v) in vars {
            println!("{k}={v:?}");
        }
        return;
    }
    for name in &args {
        match std::env::var(name) {
            Ok(v) => println!("{name}: {v:?}"),
            Err(std::env::VarError::NotPresent) => println!("{name}: absent"),
            Err(std::env::VarError::NotUnicode(_)) => println!("{name}: not unicode"),
        }
    }
}
