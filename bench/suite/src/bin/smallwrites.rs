//! Many small writes: one short line per `println!` (line-buffered stdout, so one write
//! system call per line natively and one `wasi:io` stream write per line under WASI).
use smelt_bench_suite::scale;

fn main() {
    let n = scale(200_000);
    for i in 0..n {
        println!("line {i} of {n}");
    }
}
