//! Hashing: SHA-256 and SHA-512 (crate `sha2`, portable code) over generated data, in
//! blocks of 1 MiB and as one stream: integer rotations, shifts and adds.
use sha2::{Digest, Sha256, Sha512};
use smelt_bench_suite::{Rng, fnv1a, scale};

fn main() {
    let mib = scale(16) as usize;
    let mut rng = Rng::new(1);
    let block: Vec<u8> = (0..1 << 20).map(|_| rng.next_u64() as u8).collect();
    let mut all256 = Sha256::new();
    let mut all512 = Sha512::new();
    let mut h = 0u64;
    for i in 0..mib {
        let mut b = Sha256::new();
        b.update(&block[i % 7..]);
        h ^= fnv1a(&b.finalize()).rotate_left(i as u32 % 64);
        all256.update(&block);
        if i % 2 == 0 {
            all512.update(&block);
        }
    }
    println!("sha256 {:x}", all256.finalize());
    println!("sha512 {:x}", all512.finalize());
    println!("blocks {h:016x}");
}
