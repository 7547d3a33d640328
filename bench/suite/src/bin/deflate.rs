//! Compression: DEFLATE (crate `miniz_oxide`, pure Rust) at levels 1 and 6 over generated
//! text, then inflated back and compared: hashing, match finding, Huffman coding.
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec;
use smelt_bench_suite::{Rng, fnv1a, scale};

fn main() {
    let mib = scale(3) as usize;
    let mut rng = Rng::new(11);
    let mut data = rng.text(mib << 20);
    // Some incompressible stretches too.
    for chunk in data.chunks_mut(1 << 16).step_by(5) {
        for b in chunk.iter_mut().take(4096) {
            *b = rng.next_u64() as u8;
        }
    }
    for level in [1u8, 6] {
        let packed = compress_to_vec(&data, level);
        let unpacked = decompress_to_vec(&packed).unwrap();
        assert!(unpacked == data, "round trip at level {level}");
        println!(
            "level {level}: {} -> {} bytes, {:016x}",
            data.len(),
            packed.len(),
            fnv1a(&packed)
        );
    }
}
