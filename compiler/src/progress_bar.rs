//! The progress bar `smelt build` draws on a terminal (indicatif). It stays hidden for the
//! first second, so quick compiles print nothing, and always when standard error is not a
//! terminal (tests, pipes, CI logs). When drawn, it is cleared before anything else is
//! printed (an error, or nothing on success), so it never mixes with smelt's output.
//!
//! `SMELT_PROGRESS_DELAY_MS` changes the delay (tests set 0 to show that a pipe still gets
//! no bar).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use smelt::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a compile runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

fn delay() -> Duration {
    std::env::var("SMELT_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// A stage of unknown length (reading the input, linking).
fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg:<8} {elapsed}").expect("a valid template")
}

/// Compiling functions: how many of how many.
fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg:<8} [{bar:30}] {pos}/{len} functions {elapsed}")
        .expect("a valid template")
        .progress_chars("=> ")
}

/// A progress bar shown after [`DELAY`] on a terminal; [`Bar::finish`] clears it.
pub struct Bar {
    bar: ProgressBar,
    done: Arc<(Mutex<bool>, std::sync::Condvar)>,
    shown: Arc<AtomicBool>,
}

impl Bar {
    /// Starts timing; the bar appears after [`DELAY`] if still unfinished.
    pub fn start() -> Arc<Bar> {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(spinner_style());
        bar.set_message("reading");
        let done = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let shown = Arc::new(AtomicBool::new(false));
        if std::io::stderr().is_terminal() {
            let (bar, done, shown) = (bar.clone(), done.clone(), shown.clone());
            std::thread::spawn(move || {
                let (lock, cv) = &*done;
                let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, _) = cv
                    .wait_timeout_while(guard, delay(), |finished| !*finished)
                    .unwrap_or_else(|e| e.into_inner());
                if !*guard {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(100));
                    shown.store(true, Ordering::Relaxed);
                }
            });
        }
        Arc::new(Bar { bar, done, shown })
    }

    /// Stops the timer and clears the bar if it was drawn.
    pub fn finish(&self) {
        let (lock, cv) = &*self.done;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
        if self.shown.load(Ordering::Relaxed) {
            self.bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.bar.set_message(name.to_string());
        if total > 0 {
            self.bar.set_style(bar_style());
            self.bar.set_length(total);
            self.bar.set_position(0);
        } else {
            self.bar.set_style(spinner_style());
        }
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}
