//! Matrix multiply: dense f64 matrices, the cache-friendly i-k-j loop order plus a blocked
//! transpose: loads, stores, multiply-adds, address arithmetic.
use smelt_bench_suite::{Rng, fold_f64, scale};

fn main() {
    let n = scale(700) as usize;
    let mut rng = Rng::new(9);
    let a: Vec<f64> = (0..n * n).map(|_| rng.unit() - 0.5).collect();
    let b: Vec<f64> = (0..n * n).map(|_| rng.unit() - 0.5).collect();
    let mut c = vec![0.0f64; n * n];
    for _round in 0..2 {
        for i in 0..n {
            for k in 0..n {
                let aik = a[i * n + k];
                let row = &b[k * n..(k + 1) * n];
                let out = &mut c[i * n..(i + 1) * n];
                for j in 0..n {
                    out[j] += aik * row[j];
                }
            }
        }
    }
    // Transpose by 16×16 blocks, then a dot-product pass over rows of both.
    let mut t = vec![0.0f64; n * n];
    for ib in (0..n).step_by(16) {
        for jb in (0..n).step_by(16) {
            for i in ib..(ib + 16).min(n) {
                for j in jb..(jb + 16).min(n) {
                    t[j * n + i] = c[i * n + j];
                }
            }
        }
    }
    let mut h = 0u64;
    let mut trace = 0.0;
    for i in 0..n {
        let dot: f64 = (0..n).map(|j| c[i * n + j] * t[i * n + j]).sum();
        trace += c[i * n + i];
        if i % 37 == 0 {
            h = fold_f64(h, dot);
        }
    }
    println!("n {n} trace {trace:.9e} checksum {h:016x}");
}
