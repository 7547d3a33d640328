//! Boundary benchmark: copies the file named by the first argument to the second in
//! 64 KiB chunks (reads and writes through the host).
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut src = std::fs::File::open(&args[1]).expect("open source");
    let mut dst = std::fs::File::create(&args[2]).expect("create destination");
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    loop {
        let n = src.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        dst.write_all(&buf[..n]).expect("write");
        total += n as u64;
    }
    eprintln!("copied {total} bytes");
}
