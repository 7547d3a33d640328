//! Regular expressions (crate `regex`): several patterns over generated log text, counting
//! matches and capture groups: automata, byte scanning, UTF-8 decoding.
use regex::Regex;
use smelt_bench_suite::{Rng, scale};

fn main() {
    let mib = scale(10) as usize;
    let text = String::from_utf8(Rng::new(3).text(mib << 20)).unwrap();
    let patterns = [
        r"[a-z]+@[a-z]+\.[a-z]{2,}",
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"(?i)ERROR|warning",
        r"(quick|lazy) (brown|dog|fox)",
        r"\b[a-z]{6,}\b",
        r"(\w+) \1",
    ];
    for p in patterns {
        // `regex` has no back-references; the last pattern is refused and says so.
        match Regex::new(p) {
            Ok(re) => println!("{p}: {}", re.find_iter(&text).count()),
            Err(_) => println!("{p}: unsupported"),
        }
    }
    let re = Regex::new(r"(\w+) (\w+) (\d+)").unwrap();
    let mut sum = 0usize;
    for c in re.captures_iter(&text) {
        sum += c[1].len() * 3 + c[2].len() + c[3].len();
    }
    println!("captures {sum}");
}
