//! The table `smelt bench` prints: the compile, then one row per system (median wall time,
//! median peak RSS, both as ratios to smelt's executable), then what the output check
//! found.

use super::System;
use super::measure::{Sample, fmt_bytes, fmt_secs, median};
use std::io::Write;
use std::path::Path;

/// Everything the table shows.
pub struct Report<'a> {
    pub input: &'a Path,
    pub runs: usize,
    pub compile: &'a Sample,
    pub exe_size: u64,
    /// smelt's executable first.
    pub systems: &'a [System],
    pub wasmtime_found: bool,
}

fn medians(s: &System) -> (f64, f64) {
    let wall: Vec<f64> = s.samples.iter().map(|x| x.wall.as_secs_f64()).collect();
    let rss: Vec<f64> = s.samples.iter().map(|x| x.max_rss as f64).collect();
    (
        median(&wall).unwrap_or(f64::NAN),
        median(&rss).unwrap_or(f64::NAN),
    )
}

impl Report<'_> {
    /// Writes the table; returns the output differences found (empty: all equal).
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<Vec<String>> {
        writeln!(
            out,
            "smelt bench: {} ({} runs each after a warm-up, alternating; medians)",
            self.input.display(),
            self.runs
        )?;
        writeln!(
            out,
            "compile: smelt build {} (link included), executable {}",
            fmt_secs(self.compile.wall.as_secs_f64()),
            fmt_bytes(self.exe_size as f64)
        )?;
        writeln!(
            out,
            "{:<16} {:>11} {:>10} {:>14} {:>13}",
            "system", "wall time", "peak RSS", "time / smelt", "RSS / smelt"
        )?;
        let (base_wall, base_rss) = medians(&self.systems[0]);
        for (i, s) in self.systems.iter().enumerate() {
            let (wall, rss) = medians(s);
            let name = if i == 0 { "smelt (native)" } else { &s.name };
            writeln!(
                out,
                "{:<16} {:>11} {:>10} {:>13.2}x {:>12.2}x",
                name,
                fmt_secs(wall),
                fmt_bytes(rss),
                wall / base_wall,
                rss / base_rss
            )?;
        }
        if !self.wasmtime_found {
            writeln!(out, "wasmtime: not found on PATH, not measured")?;
        }
        let problems = self.differences();
        if problems.is_empty() {
            let status = self.systems[0].outcome.map_or(-1, |o| o.status);
            writeln!(
                out,
                "outputs: equal (exit status {status} and standard output, every run{})",
                if self.systems.len() > 1 {
                    " of every system"
                } else {
                    ""
                }
            )?;
        }
        for p in &problems {
            writeln!(out, "outputs: DIFFER: {p}")?;
        }
        Ok(problems)
    }

    /// What differs: a system's runs from its warm-up, or a system from smelt's executable.
    fn differences(&self) -> Vec<String> {
        let mut v = Vec::new();
        let base = &self.systems[0];
        for s in self.systems {
            if s.unstable_runs > 0 {
                v.push(format!(
                    "{}: {} of {} runs gave another exit status or output than the warm-up",
                    s.name,
                    s.unstable_runs,
                    s.samples.len()
                ));
            }
        }
        for s in &self.systems[1..] {
            match (base.outcome, s.outcome) {
                (Some(a), Some(b)) if a.status != b.status => v.push(format!(
                    "{} exited with {}, smelt's executable with {}",
                    s.name, b.status, a.status
                )),
                (Some(a), Some(b)) if a.stdout_hash != b.stdout_hash => v.push(format!(
                    "{}'s standard output differs from smelt's executable's",
                    s.name
                )),
                _ => {}
            }
        }
        v
    }
}
