//! Random loops of the shape `translate/pair_lanes.rs` pairs, checked against themselves.
//!
//! Each generated module has a loop that stores 2 or 4 adjacent `f64` lanes (even seeds) or
//! 2, 4 or 8 `f32` lanes (odd seeds) per iteration (in a random order, addressed by offset, by an `i32.add` or as base + counter), each the same
//! random tree of arithmetic over three arrays, a shared value and constants; and a loop
//! doing one element per iteration in the same order, which is never paired. Both run from
//! the same memory (random values, NaN and -0 among them) with the destination placed
//! anywhere from 24 bytes below to far above a source, unaligned distances included, and the
//! module traps unless the two leave every byte of the region equal (any NaN equals any
//! NaN only where both are NaN, compared lane by lane). Fixed seeds, every test target.

use smelt_tests::{root, test_targets};

/// xorshift64*: deterministic, so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// The lanes' element type, as the text format spells it.
#[derive(Clone, Copy)]
struct Elem {
    ty: &'static str,
    /// The integer type of the same size (for comparing bits).
    int: &'static str,
    size: i64,
    log2: u32,
}

const F64: Elem = Elem {
    ty: "f64",
    int: "i64",
    size: 8,
    log2: 3,
};
const F32: Elem = Elem {
    ty: "f32",
    int: "i32",
    size: 4,
    log2: 2,
};

/// Operators are named without their type (`add`), which [`render`] prefixes.
enum Tree {
    Leaf(&'static str),
    Unary(&'static str, Box<Tree>),
    Binary(&'static str, Box<Tree>, Box<Tree>),
}

fn tree(r: &mut Rng, depth: u32) -> Tree {
    const LEAVES: [&str; 7] = ["s1", "s2", "d", "s1", "a", "c0", "c1"];
    let roll = r.below(100);
    if depth == 0 || roll < 30 {
        return Tree::Leaf(LEAVES[r.below(LEAVES.len() as u64) as usize]);
    }
    if roll < 45 {
        let op = *r.pick(&["sqrt", "neg", "abs"]);
        return Tree::Unary(op, Box::new(tree(r, depth - 1)));
    }
    let op = *r.pick(&["add", "sub", "mul", "div", "add", "mul", "min"]);
    Tree::Binary(
        op,
        Box::new(tree(r, depth - 1)),
        Box::new(tree(r, depth - 1)),
    )
}

/// `load` renders the load of array `base` for the current lane.
fn render(t: &Tree, e: Elem, load: &dyn Fn(&str) -> String) -> String {
    let ty = e.ty;
    match t {
        Tree::Leaf("a") => "(local.get $a)".into(),
        Tree::Leaf("c0") => format!("({ty}.const 0.5)"),
        Tree::Leaf("c1") => format!("({ty}.const -0)"),
        Tree::Leaf(base) => load(base),
        Tree::Unary(op, x) => format!("({ty}.{op} {})", render(x, e, load)),
        Tree::Binary(op, x, y) => {
            format!("({ty}.{op} {} {})", render(x, e, load), render(y, e, load))
        }
    }
}

fn module(seed: u64) -> String {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let e = if seed.is_multiple_of(2) { F64 } else { F32 };
    let (ty, int, size, log2) = (e.ty, e.int, e.size, e.log2);
    // `f32`: also eight lanes (two full f32x4 groups).
    let lanes = if size == 4 {
        *r.pick(&[2u32, 2, 4, 8])
    } else {
        *r.pick(&[2u32, 2, 4])
    };
    let mut order: Vec<u32> = (0..lanes).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, r.below(i as u64 + 1) as usize);
    }
    let form = *r.pick(&["offset", "add", "counter"]);
    let depth = 1 + r.below(3) as u32;
    let t = tree(&mut r, depth);
    let at = |base: &str| match form {
        "counter" => format!("(i32.add (local.get ${base}) (local.get $i))"),
        _ => format!("(local.get ${base})"),
    };
    let access = |op: &str, base: &str, lane: u32, value: &str| match form {
        "offset" => format!("({op} offset={} {} {value})", size * lane as i64, at(base)),
        _ => format!(
            "({op} (i32.add {} (i32.const {})) {value})",
            at(base),
            size * lane as i64
        ),
    };
    let body: Vec<String> = order
        .iter()
        .map(|&lane| {
            let value = render(&t, e, &|base| access(&format!("{ty}.load"), base, lane, ""));
            access(&format!("{ty}.store"), "d", lane, &value)
        })
        .collect();
    let body = body.join("\n      ");
    let step = size * lanes as i64;
    let paired = if form == "counter" {
        format!(
            "(func $paired (param $d i32) (param $s1 i32) (param $s2 i32) (param $a {ty}) (param $n i32)
    (local $i i32)
    (loop $l
      {body}
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const {step})))
                        (i32.mul (local.get $n) (i32.const {step}))))))"
        )
    } else {
        format!(
            "(func $paired (param $d i32) (param $s1 i32) (param $s2 i32) (param $a {ty}) (param $n i32)
    (loop $l
      {body}
      (local.set $d (i32.add (local.get $d) (i32.const {step})))
      (local.set $s1 (i32.add (local.get $s1) (i32.const {step})))
      (local.set $s2 (i32.add (local.get $s2) (i32.const {step})))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))"
        )
    };
    let one = render(&t, e, &|base| {
        format!("({ty}.load (i32.add (local.get ${base}) (local.get $off)))")
    });
    // The lane order as a table of byte offsets at address 0.
    let table: String = order
        .iter()
        .map(|&lane| format!("\\{:02x}\\00\\00\\00", size * lane as i64))
        .collect();
    let n = 1 + r.below(20);
    let mut checks = Vec::new();
    for _ in 0..6 {
        let s1 = 4096 + r.pick(&[0, 512, 1024]);
        let s2 = 4096 + r.pick(&[0, 256, 2048]);
        let mut d = s1 + r.pick(&[-24i64, -16, -12, -8, -4, 0, 4, 8, 12, 16, 20, 24, 32, 1500]);
        // `f32` lanes: also distances that are not a multiple of 4.
        if size == 4 && r.below(4) == 0 {
            d += *r.pick(&[-2i64, 2, 6]);
        }
        if r.below(10) < 3 {
            d = s2 + r.pick(&[-8i64, 0, 8, 16]);
        }
        checks.push(format!(
            "(call $check (i32.const {d}) (i32.const {s1}) (i32.const {s2}) (i32.const {n}))"
        ));
    }
    let checks = checks.join("\n    ");
    format!(
        r#"(module
  (memory 1)
  (data (i32.const 0) "{table}")
  (global $seed (mut i64) (i64.const {seed}))
  (func $next (result f64) (local $x i64)
    (global.set $seed (i64.add (i64.mul (global.get $seed) (i64.const 6364136223846793005))
                               (i64.const 1442695040888963407)))
    (local.set $x (i64.shr_u (global.get $seed) (i64.const 40)))
    (if (i64.eqz (i64.rem_u (local.get $x) (i64.const 23))) (then (return (f64.const nan))))
    (if (i64.eqz (i64.rem_u (local.get $x) (i64.const 19))) (then (return (f64.const -0))))
    (f64.sub (f64.convert_i64_u (local.get $x)) (f64.const 8388608.5)))
  {paired}
  (func $one (param $d i32) (param $s1 i32) (param $s2 i32) (param $a {ty}) (param $n i32)
    (local $k i32) (local $off i32)
    (loop $l
      (local.set $off (i32.add (i32.shl (i32.and (local.get $k) (i32.const -{lanes})) (i32.const {log2}))
                               (i32.load (i32.shl (i32.and (local.get $k) (i32.const {mask}))
                                                  (i32.const 2)))))
      ({ty}.store (i32.add (local.get $d) (local.get $off)) {one})
      (br_if $l (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 1)))
                        (i32.mul (local.get $n) (i32.const {lanes}))))))
  ;; Region [3072, 8192): filled, kept at +13312, $paired, saved at +21504, restored, $one,
  ;; compared with the saved bytes.
  (func $check (param $d i32) (param $s1 i32) (param $s2 i32) (param $n i32)
    (local $p i32) (local $x {ty}) (local $y {ty})
    (local.set $p (i32.const 3072))
    (loop $f
      (f64.store (local.get $p) (call $next))
      (f64.store (i32.add (local.get $p) (i32.const 13312)) (f64.load (local.get $p)))
      (br_if $f (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 8192))))
    (call $paired (local.get $d) (local.get $s1) (local.get $s2) ({ty}.const 1.75) (local.get $n))
    (local.set $p (i32.const 3072))
    (loop $f
      (f64.store (i32.add (local.get $p) (i32.const 21504)) (f64.load (local.get $p)))
      (f64.store (local.get $p) (f64.load (i32.add (local.get $p) (i32.const 13312))))
      (br_if $f (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 8))) (i32.const 8192))))
    (call $one (local.get $d) (local.get $s1) (local.get $s2) ({ty}.const 1.75) (local.get $n))
    (local.set $p (i32.const 3072))
    (loop $f
      (local.set $x ({ty}.load (local.get $p)))
      (local.set $y ({ty}.load (i32.add (local.get $p) (i32.const 21504))))
      (if (i32.eqz (i32.or (i32.and ({ty}.ne (local.get $x) (local.get $x))
                                    ({ty}.ne (local.get $y) (local.get $y)))
                           ({int}.eq ({int}.reinterpret_{ty} (local.get $x))
                                   ({int}.reinterpret_{ty} (local.get $y)))))
        (then unreachable))
      (br_if $f (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const {size}))) (i32.const 8192)))))
  (func (export "_start")
    {checks}))
"#,
        mask = lanes - 1
    )
}

#[test]
fn paired_loops_equal_one_element_loops() {
    let tmp = tempfile::tempdir().unwrap();
    // 128 seeds find the fault this test was written for (pairing `fmin`, whose NaN sign
    // differs between Cranelift's scalar and vector x86_64 code) at seeds 96 and 120;
    // SMELT_FUZZ_LONG=1 runs 1000.
    let seeds: u64 = if std::env::var_os("SMELT_FUZZ_LONG").is_some() {
        1000
    } else {
        128
    };
    let mut failures = Vec::new();
    let mut runs = 0;
    for target in test_targets() {
        let t = target.target(&[]).unwrap();
        for seed in 1..=seeds {
            let wat = tmp.path().join(format!("pl{seed}.wat"));
            std::fs::write(&wat, module(seed)).unwrap();
            let program = smelt::program_from_file_with(&wat, &Default::default()).unwrap();
            let exe = tmp.path().join(format!("pl{seed}-{}", target.alias));
            smelt::build_executable(&program, &t, &Default::default(), &exe, None).unwrap();
            let out = target.run(&exe, &[], b"").unwrap();
            runs += 1;
            if !out.status.success() {
                let keep = root().join(format!("target/pair_lanes_fuzz_{seed}.wat"));
                let _ = std::fs::copy(&wat, &keep);
                failures.push(format!(
                    "seed {seed} on {}: {:?}\n{} (module kept at {})",
                    target.alias,
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr),
                    keep.display()
                ));
            }
        }
    }
    println!("pair_lanes fuzz: {runs} runs, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
