//! `tests/component-model/known.toml`: the known failures of the reference tests, each with
//! its reason.
//!
//! Every failing directive must be listed (by file, line and, optionally, targets), and
//! every listed directive must fail: a failure not listed, or a listed directive that
//! passes, fails the test, so the list stays exactly what smelt cannot do yet.

use serde::Deserialize;

/// Directives known to fail, for one reason.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    /// `dir/file.wast`.
    pub file: String,
    /// Lines of the failing directives.
    pub lines: Vec<usize>,
    /// Targets it fails on (aliases); empty: every target.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Why, and what smelt needs for it to pass.
    pub reason: String,
}

impl Known {
    /// Whether the entry applies on `target`.
    pub fn applies_to(&self, target: &str) -> bool {
        self.targets.is_empty() || self.targets.iter().any(|t| t == target)
    }
}

/// The whole list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lists {
    /// Known failures.
    #[serde(default)]
    pub known: Vec<Known>,
}

impl Lists {
    /// Reads `tests/component-model/known.toml`.
    pub fn load() -> Lists {
        let path = crate::root().join("tests/component-model/known.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The entry covering directive `line` of `file` on `target`, if any.
    pub fn known(&self, file: &str, line: usize, target: &str) -> Option<&Known> {
        self.known
            .iter()
            .find(|k| k.file == file && k.lines.contains(&line) && k.applies_to(target))
    }
}
