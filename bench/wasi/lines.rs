//! Boundary benchmark: 1,000,000 short lines to standard output, one write per line
//! (Rust's stdout is line-buffered), so the cost is dominated by host calls.
use std::io::Write;

fn main() {
    let mut out = std::io::stdout().lock();
    for i in 0..1_000_000u32 {
        writeln!(out, "line {i}").unwrap();
    }
}
