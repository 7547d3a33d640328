//! The progress bar `smelt build` draws on a terminal (indicatif). It stays hidden for the
//! first second, so quick compiles print nothing, and always when standard error is not a
//! terminal (tests, pipes, CI logs).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use smelt::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a compile runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

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
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<8} [{bar:30}] {pos}/{len} functions")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message("read");
        let done = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let shown = Arc::new(AtomicBool::new(false));
        if std::io::stderr().is_terminal() {
            let (bar, done, shown) = (bar.clone(), done.clone(), shown.clone());
            std::thread::spawn(move || {
                let (lock, cv) = &*done;
                let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, _) = cv
                    .wait_timeout_while(guard, DELAY, |finished| !*finished)
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
            self.bar.set_length(total);
            self.bar.set_position(0);
        }
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}
