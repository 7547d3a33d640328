//! n-body: the classic five-planet simulation in f64 (the Computer Language Benchmarks Game
//! workload, written here from its description): square roots, divisions, tight loops.
use smelt_bench_suite::scale;

const PI: f64 = std::f64::consts::PI;
const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS: f64 = 365.24;

#[derive(Clone, Copy)]
struct Body {
    pos: [f64; 3],
    vel: [f64; 3],
    mass: f64,
}

fn bodies() -> [Body; 5] {
    let b = |p: [f64; 3], v: [f64; 3], m: f64| Body {
        pos: p,
        vel: [v[0] * DAYS, v[1] * DAYS, v[2] * DAYS],
        mass: m * SOLAR_MASS,
    };
    [
        b([0.0; 3], [0.0; 3], 1.0),
        b(
            [
                4.841_431_442_464_72,
                -1.160_320_044_027_428_4,
                -0.103_622_044_471_123_1,
            ],
            [
                1.660_076_642_744_037e-3,
                7.699_011_184_197_404e-3,
                -6.904_600_169_720_63e-5,
            ],
            9.547_919_384_243_266e-4,
        ),
        b(
            [
                8.343_366_718_244_58,
                4.124_798_564_124_305,
                -4.035_234_171_143_214e-1,
            ],
            [
                -2.767_425_107_268_624e-3,
                4.998_528_012_349_172e-3,
                2.304_172_975_737_639_3e-5,
            ],
            2.858_859_806_661_308e-4,
        ),
        b(
            [
                1.289_436_956_213_913_1e1,
                -1.511_115_140_169_863_1e1,
                -2.233_075_788_926_557_3e-1,
            ],
            [
                2.964_601_375_647_616e-3,
                2.378_471_739_594_809_5e-3,
                -2.965_895_685_402_375_6e-5,
            ],
            4.366_244_043_351_563e-5,
        ),
        b(
            [
                1.537_969_711_485_091_1e1,
                -2.591_931_460_998_796_4e1,
                1.792_587_729_503_711_8e-1,
            ],
            [
                2.680_677_724_903_893_2e-3,
                1.628_241_700_382_423e-3,
                -9.515_922_545_197_159e-5,
            ],
            5.151_389_020_466_114_5e-5,
        ),
    ]
}

fn energy(bs: &[Body; 5]) -> f64 {
    let mut e = 0.0;
    for (i, a) in bs.iter().enumerate() {
        e += 0.5 * a.mass * a.vel.iter().map(|v| v * v).sum::<f64>();
        for b in &bs[i + 1..] {
            let d: f64 = (0..3).map(|k| (a.pos[k] - b.pos[k]).powi(2)).sum();
            e -= a.mass * b.mass / d.sqrt();
        }
    }
    e
}

fn advance(bs: &mut [Body; 5], dt: f64) {
    for i in 0..5 {
        for j in i + 1..5 {
            let d = [
                bs[i].pos[0] - bs[j].pos[0],
                bs[i].pos[1] - bs[j].pos[1],
                bs[i].pos[2] - bs[j].pos[2],
            ];
            let d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            let mag = dt / (d2 * d2.sqrt());
            let (mi, mj) = (bs[i].mass * mag, bs[j].mass * mag);
            for k in 0..3 {
                bs[i].vel[k] -= d[k] * mj;
                bs[j].vel[k] += d[k] * mi;
            }
        }
    }
    for b in bs.iter_mut() {
        for k in 0..3 {
            b.pos[k] += dt * b.vel[k];
        }
    }
}

fn main() {
    let steps = scale(5_000_000);
    let mut bs = bodies();
    let mut p = [0.0; 3];
    for b in &bs {
        for k in 0..3 {
            p[k] += b.vel[k] * b.mass;
        }
    }
    for k in 0..3 {
        bs[0].vel[k] = -p[k] / SOLAR_MASS;
    }
    println!("{:.9}", energy(&bs));
    for _ in 0..steps {
        advance(&mut bs, 0.01);
    }
    println!("{:.9}", energy(&bs));
}
