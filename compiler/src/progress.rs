//! Progress of a compile, reported by the library and drawn by whoever called it (the
//! `smelt` CLI draws a progress bar). The library never draws anything itself.

use std::sync::Arc;

/// Receives a compile's progress. Called from the compiling threads.
pub trait Progress: Send + Sync {
    /// A new stage begins (`"compile"`, `"link"`), with `total` steps (0: unknown).
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
}

/// An optional [`Progress`] receiver, cheap to clone; the default reports nowhere.
#[derive(Clone, Default)]
pub struct ProgressHook(Option<Arc<dyn Progress>>);

impl ProgressHook {
    /// Reports to `p`.
    pub fn new(p: Arc<dyn Progress>) -> ProgressHook {
        ProgressHook(Some(p))
    }

    pub(crate) fn stage(&self, name: &str, total: u64) {
        if let Some(p) = &self.0 {
            p.stage(name, total);
        }
    }

    pub(crate) fn advance(&self, n: u64) {
        if let Some(p) = &self.0 {
            p.advance(n);
        }
    }
}

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressHook(set)"
        } else {
            "ProgressHook(none)"
        })
    }
}
