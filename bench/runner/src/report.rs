//! The report as Markdown: run time and peak RSS per workload and system with ratios to
//! native and to smelt, compile time and sizes, and what could not be measured. The same
//! text goes to `bench/results/latest.md` and into the README between markers.

use crate::{Cell, Results, System};
use smelt::bench::measure::{fmt_bytes, fmt_secs, geomean};
use std::fmt::Write;
use std::path::Path;

pub const BEGIN: &str = "<!-- bench-results:begin (written by bench/suite/run.sh) -->";
pub const END: &str = "<!-- bench-results:end -->";

fn cell<'a>(r: &'a Results, w: &str, i: usize) -> Option<&'a Cell> {
    r.cells
        .get(&(r.workloads.iter().find(|x| x.name == w)?.name, i))
}

/// Median wall time of workload `w` under system index `i`.
pub fn wall(r: &Results, w: &str, i: usize) -> Option<f64> {
    cell(r, w, i)?.wall()
}

fn rss(r: &Results, w: &str, i: usize) -> Option<f64> {
    cell(r, w, i)?.rss()
}

/// Ratio of system `i` to system `base` on `w`, by `f`.
fn ratio(
    r: &Results,
    w: &str,
    i: usize,
    base: usize,
    f: fn(&Results, &str, usize) -> Option<f64>,
) -> Option<f64> {
    Some(f(r, w, i)? / f(r, w, base)?)
}

/// Geometric mean over the workloads of the ratio of `i` to `base`.
pub fn geo(
    r: &Results,
    i: usize,
    base: usize,
    f: fn(&Results, &str, usize) -> Option<f64>,
) -> Option<f64> {
    let v: Vec<f64> = r
        .workloads
        .iter()
        .filter_map(|w| ratio(r, w.name, i, base, f))
        .collect();
    if v.len() < r.workloads.len() {
        // Not comparable with a mean over every workload.
        return None;
    }
    geomean(&v)
}

/// A table's header: `workload` and one right-aligned column per label.
fn header_row<'a>(o: &mut String, labels: impl Iterator<Item = &'a str>) {
    o.push_str("| workload |");
    let mut align = String::from("\n|---|");
    for label in labels {
        let _ = write!(o, " {label} |");
        align.push_str("---:|");
    }
    o.push_str(&align);
    o.push('\n');
}

/// The closing `geomean` row of a ratio-to-native table of `metric`, and the blank line after.
fn geomean_row(o: &mut String, r: &Results, metric: fn(&Results, &str, usize) -> Option<f64>) {
    o.push_str("| **geomean** |");
    for i in 0..r.systems.len() {
        let cell = if i == 0 {
            "1.00×".into()
        } else {
            format!("**{}**", x(geo(r, i, 0, metric)))
        };
        let _ = write!(o, " {cell} |");
    }
    o.push_str("\n\n");
}

fn x(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.2}×"))
}

/// The report (without a title; the image is referenced as `image`).
pub fn markdown(r: &Results, image: &str) -> String {
    let mut o = String::new();
    for n in &r.notes {
        let _ = writeln!(o, "{n}  ");
    }
    let _ = writeln!(
        o,
        "Method: every system runs each workload once to warm up (its output must equal native's), \
         then {} measured runs in turns (each round starts with the next system; WAMR: {} runs); \
         medians of wall time and of peak RSS (`ru_maxrss` of the child). The machine is shared \
         (2 cores, other engineers' builds running), so expect ±10–20% noise on single figures.\n",
        r.runs, r.slow_runs
    );
    let _ = writeln!(o, "![ratio to native per workload and system]({image})\n");

    // Run time.
    let _ = writeln!(o, "### Run time (median; ratio to native)\n");
    header_row(&mut o, r.systems.iter().map(|s| s.label()));
    for w in &r.workloads {
        let _ = write!(o, "| {} |", w.name);
        for i in 0..r.systems.len() {
            let c = cell(r, w.name, i);
            let text = match (wall(r, w.name, i), c.and_then(|c| c.problem.as_ref())) {
                (Some(t), _) if i == 0 => fmt_secs(t),
                (Some(t), _) => format!("{} ({})", fmt_secs(t), x(ratio(r, w.name, i, 0, wall))),
                (None, Some(_)) => "failed¹".into(),
                (None, None) => "—".into(),
            };
            let _ = write!(o, " {text} |");
        }
        o.push('\n');
    }
    geomean_row(&mut o, r, wall);

    // Relative to smelt.
    if let Some(smelt) = r.systems.iter().position(|&s| s == System::Smelt) {
        let _ = writeln!(
            o,
            "### Time relative to smelt (other ÷ smelt; above 1: smelt is faster)\n"
        );
        let others: Vec<usize> = (0..r.systems.len()).filter(|&i| i != smelt).collect();
        header_row(&mut o, others.iter().map(|&i| r.systems[i].label()));
        for w in &r.workloads {
            let _ = write!(o, "| {} |", w.name);
            for &i in &others {
                let _ = write!(o, " {} |", x(ratio(r, w.name, i, smelt, wall)));
            }
            o.push('\n');
        }
        o.push_str("| **geomean** |");
        for &i in &others {
            let _ = write!(o, " **{}** |", x(geo(r, i, smelt, wall)));
        }
        o.push_str("\n\n");
    }

    // Peak RSS.
    let _ = writeln!(o, "### Peak RSS (median; ratio to native)\n");
    header_row(&mut o, r.systems.iter().map(|s| s.label()));
    for w in &r.workloads {
        let _ = write!(o, "| {} |", w.name);
        for i in 0..r.systems.len() {
            let text = match rss(r, w.name, i) {
                Some(b) if i == 0 => fmt_bytes(b),
                Some(b) => format!("{} ({})", fmt_bytes(b), x(ratio(r, w.name, i, 0, rss))),
                None => "—".into(),
            };
            let _ = write!(o, " {text} |");
        }
        o.push('\n');
    }
    geomean_row(&mut o, r, rss);

    // Compile time and sizes.
    let _ = writeln!(
        o,
        "### Compile time (median, link included) and output size\n\n\
         | input | wasm | smelt build | wasmtime compile | smelt ÷ wasmtime | wamrc | smelt exe (stripped) | wasmtime .cwasm | native exe (stripped) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for c in &r.compile {
        let t = |cell: &Cell| match (cell.wall(), &cell.problem) {
            (Some(t), _) => fmt_secs(t),
            (None, Some(_)) => "failed¹".into(),
            (None, None) => "—".into(),
        };
        let sz = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => format!("{} ({})", fmt_bytes(a as f64), fmt_bytes(b as f64)),
            (Some(a), None) => fmt_bytes(a as f64),
            _ => "—".into(),
        };
        let rel = match (c.smelt.wall(), c.wasmtime.wall()) {
            (Some(a), Some(b)) => format!("{:.2}×", a / b),
            _ => "—".into(),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.name,
            fmt_bytes(c.wasm_size as f64),
            t(&c.smelt),
            t(&c.wasmtime),
            rel,
            t(&c.wamrc),
            sz(c.smelt_size, c.smelt_stripped),
            c.cwasm_size.map_or("—".into(), |s| fmt_bytes(s as f64)),
            sz(c.native_size, c.native_stripped),
        );
    }
    o.push('\n');

    // What did not work.
    let mut problems = Vec::new();
    for w in &r.workloads {
        for (i, s) in r.systems.iter().enumerate() {
            if let Some(p) = cell(r, w.name, i).and_then(|c| c.problem.as_ref()) {
                problems.push(format!("{} under {}: {}", w.name, s.label(), one_line(p)));
            }
        }
    }
    for c in &r.compile {
        for (who, cell) in [
            ("smelt build", &c.smelt),
            ("wasmtime compile", &c.wasmtime),
            ("wamrc", &c.wamrc),
        ] {
            if let Some(p) = &cell.problem {
                problems.push(format!("compiling {} with {who}: {}", c.name, one_line(p)));
            }
        }
    }
    if !problems.is_empty() {
        o.push_str("¹ Not measured:\n\n");
        problems.dedup();
        for p in problems {
            let _ = writeln!(o, "- {p}");
        }
        o.push('\n');
    }
    let _ = writeln!(o, "Workloads:\n");
    for w in &r.workloads {
        let _ = writeln!(o, "- `{}`: {}", w.name, w.what);
    }
    o
}

fn one_line(s: &str) -> String {
    let s = s.lines().next().unwrap_or("").trim();
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Replaces the README's results section (between [`BEGIN`] and [`END`]) with `body`.
pub fn update_readme(readme: &Path, body: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(readme)?;
    let (Some(a), Some(b)) = (text.find(BEGIN), text.find(END)) else {
        anyhow::bail!(
            "{} has no results markers ({BEGIN} … {END})",
            readme.display()
        );
    };
    let new = format!("{}{BEGIN}\n{body}{}", &text[..a], &text[b..]);
    std::fs::write(readme, new)?;
    Ok(())
}
