//! Image processing on a generated RGB image, own kernels in f32: separable blur (binomial),
//! Sobel edges, bilinear down-scaling, histogram; float arithmetic over arrays, conversions.
use smelt_bench_suite::{Rng, fnv1a, scale};

struct Image {
    w: usize,
    h: usize,
    px: Vec<f32>, // 3 channels, row-major
}

fn blur(img: &Image, radius: usize) -> Image {
    // Binomial weights approximate a Gaussian without `exp`, whose last bits differ
    // between libms (the outputs are compared byte for byte).
    let mut k = vec![1.0f32];
    for _ in 0..2 * radius {
        let mut next = vec![1.0f32; k.len() + 1];
        for i in 1..k.len() {
            next[i] = k[i - 1] + k[i];
        }
        k = next;
    }
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let (w, h) = (img.w, img.h);
    let mut tmp = vec![0.0f32; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let mut acc = 0.0;
                for (i, kv) in k.iter().enumerate() {
                    let sx = (x + i).saturating_sub(radius).min(w - 1);
                    acc += kv * img.px[(y * w + sx) * 3 + c];
                }
                tmp[(y * w + x) * 3 + c] = acc;
            }
        }
    }
    let mut out = vec![0.0f32; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let mut acc = 0.0;
                for (i, kv) in k.iter().enumerate() {
                    let sy = (y + i).saturating_sub(radius).min(h - 1);
                    acc += kv * tmp[(sy * w + x) * 3 + c];
                }
                out[(y * w + x) * 3 + c] = acc;
            }
        }
    }
    Image { w, h, px: out }
}

fn gray(img: &Image) -> Vec<f32> {
    img.px
        .chunks_exact(3)
        .map(|p| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2])
        .collect()
}

fn sobel(g: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: usize, dy: usize| g[(y + dy - 1) * w + x + dx - 1];
            let gx = p(2, 0) + 2.0 * p(2, 1) + p(2, 2) - p(0, 0) - 2.0 * p(0, 1) - p(0, 2);
            let gy = p(0, 2) + 2.0 * p(1, 2) + p(2, 2) - p(0, 0) - 2.0 * p(1, 0) - p(2, 0);
            out[y * w + x] = (gx * gx + gy * gy).sqrt();
        }
    }
    out
}

fn downscale(img: &Image, w2: usize, h2: usize) -> Image {
    let mut px = vec![0.0f32; w2 * h2 * 3];
    for y in 0..h2 {
        let fy = y as f32 * (img.h - 1) as f32 / (h2 - 1) as f32;
        let (y0, ty) = (fy as usize, fy.fract());
        let y1 = (y0 + 1).min(img.h - 1);
        for x in 0..w2 {
            let fx = x as f32 * (img.w - 1) as f32 / (w2 - 1) as f32;
            let (x0, tx) = (fx as usize, fx.fract());
            let x1 = (x0 + 1).min(img.w - 1);
            for c in 0..3 {
                let at = |xx: usize, yy: usize| img.px[(yy * img.w + xx) * 3 + c];
                let top = at(x0, y0) * (1.0 - tx) + at(x1, y0) * tx;
                let bottom = at(x0, y1) * (1.0 - tx) + at(x1, y1) * tx;
                px[(y * w2 + x) * 3 + c] = top * (1.0 - ty) + bottom * ty;
            }
        }
    }
    Image { w: w2, h: h2, px }
}

fn main() {
    let side = scale(1600) as usize;
    let mut rng = Rng::new(5);
    let mut px = Vec::with_capacity(side * side * 3);
    for y in 0..side {
        for x in 0..side {
            // Triangle waves (no `sin`: libms differ in the last bits).
            let tri = |v: usize, p: usize| (((v % p) as f32 / p as f32) - 0.5).abs() * 2.0;
            let base = (tri(x, 74) + tri(y, 46)) * 60.0 + 68.0;
            for c in 0..3 {
                px.push(base + c as f32 * 10.0 + rng.unit() as f32 * 40.0);
            }
        }
    }
    let img = Image {
        w: side,
        h: side,
        px,
    };
    let blurred = blur(&img, 4);
    let edges = sobel(&gray(&blurred), side, side);
    let small = downscale(&blurred, side / 3, side / 3);
    let mut hist = [0u32; 256];
    for &e in &edges {
        hist[(e as usize).min(255)] += 1;
    }
    let bytes: Vec<u8> = small
        .px
        .iter()
        .map(|&v| v.clamp(0.0, 255.0) as u8)
        .collect();
    let hb: Vec<u8> = hist.iter().flat_map(|v| v.to_le_bytes()).collect();
    println!("small {:016x} hist {:016x}", fnv1a(&bytes), fnv1a(&hb));
}
