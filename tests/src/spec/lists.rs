//! `tests/spec/skips.toml`: the documented skips and known failures.
//!
//! Every skipped directive must be covered by a `[[skip]]` entry for its file, and every
//! failure not covered by a `[[known_failure]]` entry fails the test. Entries that no longer
//! match anything are reported as stale so the list shrinks as smelt grows.

use serde::Deserialize;
use std::path::PathBuf;

/// A file whose skipped directives are expected.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skip {
    /// Suite name (`wasm-latest`, `simd`, …).
    pub suite: String,
    /// File name (`call_ref.wast`).
    pub file: String,
    /// Why.
    pub reason: String,
    /// `false`: do not build or run the file at all; every directive counts as skipped.
    #[serde(default = "yes")]
    pub run: bool,
}

fn yes() -> bool {
    true
}

/// Failures that are known and tracked.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFailure {
    /// Suite name.
    pub suite: String,
    /// File name.
    pub file: String,
    /// Lines of the failing directives; empty: any directive of the file.
    #[serde(default)]
    pub lines: Vec<usize>,
    /// Targets it fails on (aliases); empty: every target.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Why (the root cause).
    pub reason: String,
}

/// The whole list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lists {
    /// Expected skips.
    #[serde(default)]
    pub skip: Vec<Skip>,
    /// Known failures.
    #[serde(default)]
    pub known_failure: Vec<KnownFailure>,
}

/// Where the list lives.
pub fn path() -> PathBuf {
    crate::root().join("tests/spec/skips.toml")
}

impl Lists {
    /// Reads `tests/spec/skips.toml`.
    pub fn load() -> Lists {
        let p = path();
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// The skip entry of a file.
    pub fn skip(&self, suite: &str, file: &str) -> Option<&Skip> {
        self.skip
            .iter()
            .find(|s| s.suite == suite && s.file == file)
    }

    /// The known-failure entry covering a failed directive.
    pub fn known(
        &self,
        suite: &str,
        file: &str,
        line: usize,
        target: &str,
    ) -> Option<(usize, &KnownFailure)> {
        self.known_failure.iter().enumerate().find(|(_, k)| {
            k.suite == suite
                && k.file == file
                && (k.lines.is_empty() || k.lines.contains(&line))
                && (k.targets.is_empty() || k.targets.iter().any(|t| t == target))
        })
    }
}
