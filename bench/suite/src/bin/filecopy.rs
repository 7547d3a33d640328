//! File copy: `filecopy SRC DST` copies SRC to DST in 64 KiB reads and writes through
//! `std::fs` (wasi:filesystem streams under WASI), then prints the byte count.
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (src, dst) = (&args[1], &args[2]);
    let mut input = std::fs::File::open(src).expect("open source");
    let mut output = std::fs::File::create(dst).expect("create destination");
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    loop {
        let n = input.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        output.write_all(&buf[..n]).expect("write");
        total += n as u64;
    }
    output.flush().expect("flush");
    println!("copied {total} bytes");
}
