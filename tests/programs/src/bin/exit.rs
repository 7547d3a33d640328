//! `wasi:cli/exit` and how a program ends: returning from `main`, `std::process::exit(N)`,
//! `main` returning an error, a panic and `abort` (both a trap under WASI: wasm32-wasip2 has
//! `panic = "abort"`, and `abort` is `unreachable`).
//!
//! `exit return|code N|unflushed N|main-err|panic|abort|stderr`

use std::io::Write;

fn main() -> Result<(), String> {
    let args = smelt_wasi_programs::args();
    let code = || -> i32 {
        args.get(1)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| smelt_wasi_programs::usage("code N"))
    };
    match args.first().map(String::as_str) {
        Some("return") => println!("returning from main"),
        Some("code") => {
            println!("exiting with {}", code());
            std::process::exit(code());
        }
        Some("unflushed") => {
            // Line-buffered stdout holds this until a newline or a flush; `exit` flushes it.
            print!("no newline before exit");
            std::process::exit(code());
        }
        Some("flushed") => {
            print!("flushed without newline");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            std::process::exit(code());
        }
        Some("main-err") => {
            println!("about to fail");
            return Err("main failed".into());
        }
        Some("panic") => {
            println!("about to panic");
            panic!("deliberate panic");
        }
        Some("abort") => {
            println!("about to abort");
            std::process::abort();
        }
        Some("stderr") => {
            eprintln!("to stderr");
            println!("to stdout");
            eprintln!("to stderr again");
        }
        _ => smelt_wasi_programs::usage(
            "return|code N|unflushed N|flushed N|main-err|panic|abort|stderr",
        ),
    }
    Ok(())
}
