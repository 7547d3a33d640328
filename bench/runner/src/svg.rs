//! The chart: per workload, one horizontal bar per system for its run time as a ratio to
//! native, on a log₂ axis with native (1×) marked, and a geomean group at the bottom.
//! Plain SVG written by hand; no plotting library.

use crate::Results;
use crate::report::{geo, wall};
use std::fmt::Write;

const WIDTH: f64 = 860.0;
const LEFT: f64 = 110.0;
const RIGHT: f64 = 70.0;
const BAR: f64 = 11.0;
const GAP: f64 = 12.0;
const TOP: f64 = 80.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The chart of `r` as an SVG document.
pub fn chart(r: &Results) -> String {
    // Systems other than native, each a bar.
    let bars: Vec<usize> = (1..r.systems.len()).collect();
    let mut groups: Vec<(String, Vec<Option<f64>>)> = r
        .workloads
        .iter()
        .map(|w| {
            let v = bars
                .iter()
                .map(|&i| Some(wall(r, w.name, i)? / wall(r, w.name, 0)?))
                .collect();
            (w.name.to_string(), v)
        })
        .collect();
    groups.push((
        "geomean".into(),
        bars.iter().map(|&i| geo(r, i, 0, wall)).collect(),
    ));

    let max = groups
        .iter()
        .flat_map(|g| g.1.iter().flatten())
        .fold(2.0f64, |m, &v| m.max(v));
    let lo = -1.0f64; // 0.5×
    let hi = max.log2().ceil().max(1.0);
    let plot = WIDTH - LEFT - RIGHT;
    let xpos = |ratio: f64| LEFT + (ratio.log2().clamp(lo, hi) - lo) / (hi - lo) * plot;
    let group_h = bars.len() as f64 * BAR + GAP;
    let legend_h = 24.0;
    let height = TOP + groups.len() as f64 * group_h + 30.0 + legend_h;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="20" font-size="14" font-weight="bold">Run time relative to native (log scale; lower is better)</text>"#
    );
    // Machine, date, load; versions.
    for (k, n) in r.notes.iter().take(2).enumerate() {
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="{}" fill="#555">{}</text>"##,
            36 + 14 * k,
            esc(&n.replace("**", ""))
        );
    }
    // Axis and grid: powers of two.
    let bottom = TOP + groups.len() as f64 * group_h;
    let mut e = lo as i32;
    while f64::from(e) <= hi {
        let v = 2f64.powi(e);
        let gx = xpos(v);
        let colour = if e == 0 { "#222" } else { "#ddd" };
        let _ = writeln!(
            s,
            r#"<line x1="{gx:.1}" y1="{:.1}" x2="{gx:.1}" y2="{bottom:.1}" stroke="{colour}"/>"#,
            TOP - 8.0
        );
        let label = if v < 1.0 {
            format!("{v}×")
        } else {
            format!("{v:.0}×")
        };
        let _ = writeln!(
            s,
            r#"<text x="{gx:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
            TOP - 12.0
        );
        e += 1;
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#222">native</text>"##,
        xpos(1.0),
        bottom + 14.0
    );
    for (g, (name, values)) in groups.iter().enumerate() {
        let y0 = TOP + g as f64 * group_h;
        let weight = if name == "geomean" { "bold" } else { "normal" };
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" font-weight="{weight}">{}</text>"#,
            LEFT - 8.0,
            y0 + bars.len() as f64 * BAR / 2.0 + 4.0,
            esc(name)
        );
        for (b, v) in values.iter().enumerate() {
            let sys = r.systems[bars[b]];
            let y = y0 + b as f64 * BAR;
            match v {
                Some(v) => {
                    let x1 = xpos(*v);
                    let (x, w) = if x1 >= xpos(1.0) {
                        (xpos(1.0), x1 - xpos(1.0))
                    } else {
                        (x1, xpos(1.0) - x1)
                    };
                    let _ = writeln!(
                        s,
                        r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {v:.2}×</title></rect>"#,
                        w.max(1.0),
                        BAR - 2.0,
                        sys.colour(),
                        esc(sys.label())
                    );
                    let _ = writeln!(
                        s,
                        r#"<text x="{:.1}" y="{:.1}" font-size="9">{v:.2}</text>"#,
                        x1.max(xpos(1.0)) + 3.0,
                        y + BAR - 3.0
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#999">not measured</text>"##,
                        xpos(1.0) + 3.0,
                        y + BAR - 3.0
                    );
                }
            }
        }
    }
    // Legend.
    let ly = bottom + 30.0;
    let mut lx = LEFT;
    for &i in &bars {
        let sys = r.systems[i];
        let _ = writeln!(
            s,
            r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="10" fill="{}"/><text x="{:.1}" y="{ly:.1}">{}</text>"#,
            ly - 9.0,
            sys.colour(),
            lx + 16.0,
            esc(sys.label())
        );
        lx += 30.0 + 7.0 * sys.label().len() as f64;
    }
    s.push_str("</svg>\n");
    s
}
