//! `wasi:cli/stdin` and `wasi:io/streams` input: `blocking-read` until the end.
//!
//! `stdin cat` copies stdin to stdout in 4 KiB reads; `stdin sum` prints the length, line
//! count and FNV-1a hash of all input (for large inputs); `stdin lines` prints each line
//! with its number; `stdin twice` reads to the end and then again (the second read must see
//! the end at once).

use std::io::{BufRead, Read, Write};

fn main() {
    let args = smelt_wasi_programs::args();
    let stdin = std::io::stdin();
    match args.first().map(String::as_str) {
        Some("cat") => {
            let mut buf = [0u8; 4096];
            let mut out = std::io::stdout().lock();
            let mut lock = stdin.lock();
            loop {
                let n = lock.read(&mut buf).expect("read stdin");
                if n == 0 {
                    break;
                }
                out.write_all(&buf[..n]).expect("write stdout");
            }
        }
        Some("sum") => {
            let mut data = Vec::new();
            stdin.lock().read_to_end(&mut data).expect("read stdin");
            let lines = data.iter().filter(|&&b| b == b'\n').count();
            println!("bytes: {}", data.len());
            println!("lines: {lines}");
            println!("fnv1a: {:016x}", smelt_wasi_programs::fnv1a(&data));
        }
        Some("lines") => {
            for (i, line) in stdin.lock().lines().enumerate() {
                println!("{}: {:?}", i + 1, line.expect("read line"));
            }
        }
        Some("twice") => {
            let mut data = Vec::new();
            let first = stdin.lock().read_to_end(&mut data).expect("first read");
            let second = stdin.lock().read_to_end(&mut data).expect("second read");
            println!("first: {first} bytes, second: {second} bytes");
        }
        _ => smelt_wasi_programs::usage("cat|sum|lines|twice"),
    }
}
