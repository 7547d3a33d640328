//! What every workload shares: a deterministic input generator (no files or downloads) and
//! a checksum, so that every system's output can be compared with native's byte for byte.

/// A small xorshift64* generator: the same numbers on every target.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `n` bytes of text-like data: words from a small vocabulary, so that compressors and
    /// matchers find real structure.
    pub fn text(&mut self, n: usize) -> Vec<u8> {
        const WORDS: &[&str] = &[
            "the",
            "quick",
            "brown",
            "fox",
            "jumps",
            "over",
            "lazy",
            "dog",
            "smelt",
            "wasm",
            "native",
            "compiler",
            "cranelift",
            "component",
            "memory",
            "table",
            "stack",
            "42",
            "2026-11-24",
            "error",
            "warning",
            "info",
            "user@example.com",
            "GET",
            "POST",
        ];
        let mut out = Vec::with_capacity(n + 32);
        while out.len() < n {
            let w = WORDS[self.below(WORDS.len() as u64) as usize];
            out.extend_from_slice(w.as_bytes());
            out.push(if self.below(12) == 0 { b'\n' } else { b' ' });
        }
        out.truncate(n);
        out
    }
}

/// FNV-1a over bytes: the checksum the workloads print.
pub fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Folds a float into a checksum by its bits, rounded to 9 significant digits so that
/// targets that contract or reorder differently in the last bits still agree.
pub fn fold_f64(h: u64, x: f64) -> u64 {
    let s = format!("{x:.9e}");
    h ^ fnv1a(s.as_bytes()).rotate_left(7)
}

/// The workload's size factor: the first argument if given, else `default`.
pub fn scale(default: u64) -> u64 {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}
