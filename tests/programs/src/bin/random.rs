//! `wasi:random`: lengths, not all zero, two draws differ — never the values.
//! Natively the same facts come from `getrandom(2)`.

fn main() {
    for len in [0u64, 1, 16, 4096, 1 << 20] {
        let a = secure(len);
        let b = secure(len);
        println!("{}", facts("random bytes", len, &a, &b));
        let a = insecure(len);
        let b = insecure(len);
        println!("{}", facts("insecure bytes", len, &a, &b));
    }
    let (a, b) = (secure_u64(), secure_u64());
    println!("random u64: two draws differ: {}", a != b);
    let (a, b) = (insecure_u64(), insecure_u64());
    println!("insecure u64: two draws differ: {}", a != b);
    let (s1, s2) = seed();
    println!("insecure seed: not both zero: {}", s1 != 0 || s2 != 0);
    // std's own randomness (HashMap keys) comes from the same source.
    use std::hash::BuildHasher;
    let h1 = std::collections::hash_map::RandomState::new().hash_one(1u8);
    let h2 = std::collections::hash_map::RandomState::new().hash_one(1u8);
    println!("hash seeds differ: {}", h1 != h2);
}

fn facts(what: &str, len: u64, a: &[u8], b: &[u8]) -> String {
    // Tiny draws may legitimately be zero or equal; only judge 16 bytes and more.
    let judged = len >= 16;
    format!(
        "{what} {len}: lengths {} {}, not all zero: {}, differ: {}",
        a.len(),
        b.len(),
        !judged || a.iter().any(|&x| x != 0),
        !judged || a != b
    )
}

#[cfg(target_os = "wasi")]
use smelt_wasi_programs::raw::{
    insecure_random_bytes as insecure, insecure_random_u64 as insecure_u64, insecure_seed as seed,
    random_bytes as secure, random_u64 as secure_u64,
};

#[cfg(not(target_os = "wasi"))]
fn getrandom(len: u64) -> Vec<u8> {
    unsafe extern "C" {
        fn getrandom(buf: *mut u8, len: usize, flags: u32) -> isize;
    }
    let mut v = vec![0u8; len as usize];
    let mut done = 0;
    while done < v.len() {
        // SAFETY: writes at most the remaining length into `v`.
        let n = unsafe { getrandom(v[done..].as_mut_ptr(), v.len() - done, 0) };
        assert!(n > 0, "getrandom failed");
        done += n as usize;
    }
    v
}

#[cfg(not(target_os = "wasi"))]
fn secure(len: u64) -> Vec<u8> {
    getrandom(len)
}
#[cfg(not(target_os = "wasi"))]
fn insecure(len: u64) -> Vec<u8> {
    getrandom(len)
}
#[cfg(not(target_os = "wasi"))]
fn secure_u64() -> u64 {
    u64::from_le_bytes(getrandom(8).try_into().unwrap())
}
#[cfg(not(target_os = "wasi"))]
fn insecure_u64() -> u64 {
    secure_u64()
}
#[cfg(not(target_os = "wasi"))]
fn seed() -> (u64, u64) {
    (secure_u64(), secure_u64())
}
