//! Running one script on one target: plan, build one script-mode executable holding every
//! instance, send it all commands, and judge each directive by its answer.
//!
//! A module the target cannot build is left out and the script re-planned: an
//! `Error::Unsupported` names its module; any other build error is pinned on a module by
//! building growing prefixes of the script (binary search). If the executable dies or stops
//! answering, the command it was on fails and the run resumes without that command (the
//! earlier commands are replayed, so state is rebuilt), a few times at most.

use super::plan::{self, Check, Excluded, Exclusions, Expect, Judge, Outcome, Plan};
use super::value;
use crate::TestTarget;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Knobs for running scripts.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// How long the executable may take to answer one command.
    pub idle_timeout: Duration,
    /// Where to keep each executable and its commands (`SMELT_SPEC_KEEP`), for debugging.
    pub keep: Option<PathBuf>,
    /// How many times a run resumes after the executable died or hung.
    pub max_resumes: usize,
    /// Build with explicit bounds checks instead of guard regions
    /// (`SMELT_SPEC_BOUNDS_CHECKED=1`).
    pub bounds_checked: bool,
}

/// The outcome of one directive.
#[derive(Clone, Debug)]
pub struct Judged {
    /// 1-based line (0 for the runner's own `spectest` instance).
    pub line: usize,
    /// Source text, shortened.
    pub text: String,
    /// The outcome.
    pub outcome: Outcome,
}

/// Everything about one script on one target.
#[derive(Debug)]
pub struct FileRun {
    /// One entry per directive.
    pub judged: Vec<Judged>,
    /// Modules left out of the build, with why (for the report).
    pub notes: Vec<String>,
    /// Time spent planning and building.
    pub build_time: Duration,
    /// Time spent running.
    pub run_time: Duration,
}

/// Runs the script `text` (called `name`) on `target`.
pub fn run_file(name: &str, text: &str, target: &TestTarget, options: &RunOptions) -> FileRun {
    let start = Instant::now();
    let dir = tempfile::tempdir().expect("temporary directory");
    let exe = dir.path().join("script.exe");
    let mut exclusions = Exclusions::new();
    let mut features: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    let emit = smelt::EmitOptions {
        mode: smelt::Mode::Script,
        bounds_checked: options.bounds_checked,
        ..Default::default()
    };
    let plan = loop {
        let plan = plan::plan(name, text, &exclusions, None);
        let feature_refs: Vec<&str> = features.iter().map(|s| s.as_str()).collect();
        let built = target.target(&feature_refs).and_then(|t| {
            guarded(|| smelt::build_executable(&plan.program, &t, &emit, &exe, None))
        });
        let err = match built {
            Ok(()) => break plan,
            Err(e) => e,
        };
        // A target that needs a CPU feature for SIMD (riscv64's V) gets it.
        if let smelt::Error::Target(message) = &err
            && let Some(feature) = needed_feature(message)
            && !features.contains(&feature)
        {
            features.push(feature);
            continue;
        }
        let culprit = attribute(&err, &plan)
            .or_else(|| bisect(name, text, &exclusions, &plan, target, &features, &emit));
        let Some(index) = culprit else {
            // Nothing to leave out: every executed directive fails.
            let why = format!("building the script failed: {err}");
            notes.push(why.clone());
            let judged = plan
                .checks
                .iter()
                .map(|c| {
                    judged(
                        c,
                        match &c.judge {
                            Judge::Decided(o) => o.clone(),
                            Judge::Answer { .. } => Outcome::Fail(why.clone()),
                        },
                    )
                })
                .collect();
            return FileRun {
                judged,
                notes,
                build_time: start.elapsed(),
                run_time: Duration::ZERO,
            };
        };
        if exclusions.contains_key(&index) || exclusions.len() > 256 {
            let why = format!("runner: could not isolate a build failure: {err}");
            let judged = plan
                .checks
                .iter()
                .map(|c| judged(c, Outcome::Fail(why.clone())))
                .collect();
            return FileRun {
                judged,
                notes,
                build_time: start.elapsed(),
                run_time: Duration::ZERO,
            };
        }
        let excluded = match &err {
            smelt::Error::Unsupported { what, .. } => {
                Excluded::Unsupported(format!("not supported yet: {what}"))
            }
            e => Excluded::Broken(format!("build failed: {e}")),
        };
        let line = plan.directive_lines.get(index).copied().unwrap_or(0);
        let why = match &excluded {
            Excluded::Unsupported(why) => format!("skipped: {why}"),
            Excluded::Broken(why) => format!("failed: {why}"),
        };
        notes.push(format!(
            "left the module at line {line} out of the build ({why})"
        ));
        exclusions.insert(index, excluded);
    };
    let build_time = start.elapsed();

    let started = Instant::now();
    if let Some(keep) = &options.keep {
        let base = format!("{}.{}", name.replace('/', "-"), target.alias);
        let _ = std::fs::create_dir_all(keep);
        let _ = std::fs::copy(&exe, keep.join(format!("{base}.exe")));
        let _ = std::fs::write(
            keep.join(format!("{base}.cmds")),
            plan.commands.join("\n") + "\n",
        );
    }
    let (answers, lost) = converse(target, &exe, &plan.commands, &command_lines(&plan), options);
    let judged = plan
        .checks
        .iter()
        .map(|c| {
            let outcome = match &c.judge {
                Judge::Decided(o) => o.clone(),
                Judge::Answer { command, expect } => match &answers[*command] {
                    Some(answer) => judge_answer(answer, expect),
                    None => Outcome::Fail(
                        lost.get(command)
                            .cloned()
                            .unwrap_or_else(|| "no answer".into()),
                    ),
                },
            };
            judged(c, outcome)
        })
        .collect();
    FileRun {
        judged,
        notes,
        build_time,
        run_time: started.elapsed(),
    }
}

fn judged(c: &Check, outcome: Outcome) -> Judged {
    Judged {
        line: c.line,
        text: c.text.clone(),
        outcome,
    }
}

/// The `--target-feature` a target error asks for.
pub fn needed_feature(message: &str) -> Option<String> {
    let rest = message.split("--target-feature ").nth(1)?;
    Some(rest.split('`').next()?.trim().to_string())
}

/// The directive whose module an error names.
fn attribute(err: &smelt::Error, plan: &Plan) -> Option<usize> {
    let file = match err {
        smelt::Error::Unsupported { file, .. }
        | smelt::Error::InvalidWasm { file, .. }
        | smelt::Error::InvalidText { file, .. } => file,
        _ => return None,
    };
    plan.module_directives.get(file).copied()
}

/// Finds the first instance-adding directive whose prefix of the script fails to build.
fn bisect(
    name: &str,
    text: &str,
    exclusions: &Exclusions,
    full: &Plan,
    target: &TestTarget,
    features: &[String],
    emit: &smelt::EmitOptions,
) -> Option<usize> {
    let candidates = &full.instance_directives;
    let feature_refs: Vec<&str> = features.iter().map(|s| s.as_str()).collect();
    let t = target.target(&feature_refs).ok()?;
    let dir = tempfile::tempdir().ok()?;
    let obj = dir.path().join("prefix.o");
    let fails = |k: usize| {
        let plan = plan::plan(name, text, exclusions, Some(candidates[k]));
        guarded(|| smelt::build_object(&plan.program, &t, emit, &obj)).is_err()
    };
    if candidates.is_empty() || !fails(candidates.len() - 1) {
        return None;
    }
    let (mut lo, mut hi) = (0, candidates.len() - 1); // hi fails
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(candidates[hi])
}

/// Runs a build step, turning a compiler panic into an internal error.
pub fn guarded<T>(f: impl FnOnce() -> smelt::Result<T>) -> smelt::Result<T> {
    catch_panic(f).unwrap_or_else(|message| {
        Err(smelt::Error::Internal(format!(
            "compiler panicked: {message}"
        )))
    })
}

/// Runs `f`, turning a panic into its message and location (with
/// [`install_panic_hook`] installed).
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(no message)".into());
        let at = PANIC_LOCATIONS
            .lock()
            .unwrap()
            .get(&message)
            .cloned()
            .unwrap_or_default();
        format!("{message}{at}")
    })
}

static PANIC_LOCATIONS: std::sync::LazyLock<std::sync::Mutex<HashMap<String, String>>> =
    std::sync::LazyLock::new(Default::default);

/// Keeps panics quiet (the runner reports them as build failures) but remembers where each
/// message was raised.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        PANIC_LOCATIONS.lock().unwrap().insert(message, at);
    }));
}

/// An answer line against the expectation.
pub fn judge_answer(answer: &str, expect: &Expect) -> Outcome {
    let mut words = answer.split_whitespace();
    let head = words.next().unwrap_or("");
    match (head, expect) {
        ("ok", Expect::Ok(None)) => Outcome::Pass,
        ("ok", Expect::Ok(Some(pats))) => {
            let values: Result<Vec<u128>, _> = words.map(|w| u128::from_str_radix(w, 16)).collect();
            let Ok(values) = values else {
                return Outcome::Fail(format!("runner: unreadable answer {answer:?}"));
            };
            if values.len() != pats.len() {
                return Outcome::Fail(format!("expected {} results, got {answer:?}", pats.len()));
            }
            let bad: Vec<String> = pats
                .iter()
                .zip(&values)
                .enumerate()
                .filter(|(_, (p, v))| !value::matches(p, **v))
                .map(|(i, (p, v))| {
                    let at = if pats.len() > 1 {
                        format!("result {i}: ")
                    } else {
                        String::new()
                    };
                    format!(
                        "{at}expected {}, got {}",
                        value::show_pattern(p),
                        value::show_value(p, *v)
                    )
                })
                .collect();
            if bad.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail(bad.join("; "))
            }
        }
        ("trap", Expect::Trap(want, message)) => {
            match words.next().and_then(|c| c.parse::<u8>().ok()) {
                Some(code) if code == *want as u8 => Outcome::Pass,
                Some(code) => Outcome::Fail(format!(
                    "expected trap {:?} ({message:?}), got trap {}",
                    want,
                    smelt_contract::Trap::from_u8(code)
                        .map_or(format!("code {code}"), |t| format!("{t:?}"))
                )),
                None => Outcome::Fail(format!("runner: unreadable answer {answer:?}")),
            }
        }
        ("trap", Expect::Ok(_)) => {
            let code = words.next().and_then(|c| c.parse::<u8>().ok());
            let trap = code.and_then(smelt_contract::Trap::from_u8);
            Outcome::Fail(format!(
                "unexpected trap: {}",
                trap.map_or(format!("code {code:?}"), |t| format!(
                    "{t:?} ({})",
                    t.message()
                ))
            ))
        }
        ("ok", Expect::Trap(want, message)) => Outcome::Fail(format!(
            "expected trap {want:?} ({message:?}), got {answer:?}"
        )),
        _ => Outcome::Fail(format!("executable answered {answer:?}")),
    }
}

/// How one run of the executable ended.
enum End {
    /// Every command answered.
    Completed,
    /// Exited or was killed by a signal before answering all.
    Died(ExitStatus, String),
    /// Stopped answering within the idle timeout.
    Hung(String),
}

/// Sends `commands` to the script-mode executable `exe`; returns the answer to each command
/// (by index) and, for the unanswered ones, why. `command_line` gives the script line of a
/// command, for messages. If the executable dies or hangs, the command it was on is dropped
/// and the run resumes from the start without it, at most `options.max_resumes` times.
pub fn converse(
    target: &TestTarget,
    exe: &Path,
    commands: &[String],
    command_line: &HashMap<usize, usize>,
    options: &RunOptions,
) -> (Vec<Option<String>>, HashMap<usize, String>) {
    let n = commands.len();
    let mut answers: Vec<Option<String>> = vec![None; n];
    let mut lost: HashMap<usize, String> = HashMap::new();
    let mut active: Vec<usize> = (0..n).collect();
    let mut resumes = 0;
    while !active.is_empty() {
        let input: String = active
            .iter()
            .map(|&i| commands[i].as_str())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        let (got, end) = run_once(target, exe, &input, options.idle_timeout);
        for (j, a) in got.iter().enumerate() {
            answers[active[j]] = Some(a.clone());
        }
        let why = match end {
            End::Completed if got.len() >= active.len() => break,
            End::Completed => "runner: the executable stopped early".to_string(),
            End::Died(status, stderr) => format!(
                "executable died ({}){}",
                describe_status(status),
                stderr_tail(&stderr)
            ),
            End::Hung(stderr) => {
                format!(
                    "executable hung (no answer within {:?}){}",
                    options.idle_timeout,
                    stderr_tail(&stderr)
                )
            }
        };
        let k = got.len();
        if k >= active.len() {
            break;
        }
        let culprit = active[k];
        lost.insert(culprit, why.clone());
        resumes += 1;
        if resumes > options.max_resumes {
            for &i in &active[k + 1..] {
                let at = command_line
                    .get(&culprit)
                    .map_or(String::new(), |l| format!(" at line {l}"));
                lost.insert(
                    i,
                    format!("no answer: the executable died earlier{at} ({why}); gave up resuming"),
                );
            }
            break;
        }
        // Replay everything before the culprit, skip it, continue.
        active.remove(k);
        if active.len() == k {
            break;
        }
    }
    (answers, lost)
}

/// The script line of each command.
fn command_lines(plan: &Plan) -> HashMap<usize, usize> {
    plan.checks
        .iter()
        .filter_map(|c| match c.judge {
            Judge::Answer { command, .. } => Some((command, c.line)),
            _ => None,
        })
        .collect()
}

fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(s)) => format!("signal {s}"),
        _ => format!("{status}"),
    }
}

fn stderr_tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = lines[lines.len().saturating_sub(3)..].join(" | ");
    format!("; stderr: {}", plan::shorten(&tail, 300))
}

/// Runs the executable once with `input`, collecting answer lines until it exits or stays
/// silent for `idle`.
fn run_once(target: &TestTarget, exe: &Path, input: &str, idle: Duration) -> (Vec<String>, End) {
    let mut cmd = target.command(exe);
    if target.alias == "riscv64" && std::env::var_os("QEMU_CPU").is_none() {
        // SIMD needs the vector extension, which qemu's default riscv64 CPU lacks.
        cmd.env("QEMU_CPU", "rv64,v=true,vlen=128,vext_spec=v1.0");
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match crate::spawn(&mut cmd) {
        Ok(c) => c,
        Err(e) => return (Vec::new(), End::Hung(format!("cannot start: {e}"))),
    };
    let mut stdin = child.stdin.take().expect("piped");
    let data = input.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr_pipe).take(1 << 20).read_to_end(&mut buf);
        // Drain the rest so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut stderr_pipe, &mut std::io::sink());
        String::from_utf8_lossy(&buf).into_owned()
    });
    let mut answers = Vec::new();
    let mut hung = false;
    loop {
        match rx.recv_timeout(idle) {
            Ok(line) => answers.push(line),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                hung = true;
                let _ = child.kill();
                break;
            }
        }
    }
    let status = child.wait().expect("waiting for the executable");
    let _ = reader.join();
    let _ = writer.join();
    let stderr = stderr_reader.join().unwrap_or_default();
    // Answers that arrived between the timeout and the kill.
    answers.extend(rx.try_iter());
    let end = if hung {
        End::Hung(stderr)
    } else if status.success() {
        End::Completed
    } else {
        End::Died(status, stderr)
    };
    (answers, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runner itself: passes what holds, fails what does not, survives a hang.
    #[test]
    fn runner_judges_directives() {
        let Some(target) = crate::all_targets()
            .into_iter()
            .find(|t| t.alias == std::env::consts::ARCH)
        else {
            return;
        };
        let script = r#"(module $M
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "spin") (loop (br 0)))
  (func $rec (export "rec") (call $rec))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (global (export "g") i32 (i32.const 7)))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow")
(assert_return (get "g") (i32.const 7))
(assert_exhaustion (invoke "rec") "call stack exhausted")
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "ext" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))
(assert_return (invoke "ext" (ref.extern 0)) (ref.null extern))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_invalid (module (func)) "accepted")
(assert_malformed (module quote "(func") "unexpected end")
(assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
(assert_unlinkable (module (import "spectest" "print" (func))) "links")
(module $start (func $s (unreachable)) (start $s))
(assert_trap (module (func $s (unreachable)) (start $s)) "unreachable")
(invoke $M "spin")
(assert_return (invoke $M "add" (i32.const 2) (i32.const 2)) (i32.const 4))
"#;
        let options = RunOptions {
            idle_timeout: Duration::from_secs(3),
            keep: None,
            max_resumes: 2,
            bounds_checked: false,
        };
        let run = run_file("selftest.wast", script, &target, &options);
        let got: Vec<(usize, &str)> = run
            .judged
            .iter()
            .filter(|j| j.line > 0)
            .map(|j| {
                let o = match &j.outcome {
                    Outcome::Pass => "pass",
                    Outcome::Fail(_) => "fail",
                    Outcome::Skip(_) => "skip",
                };
                (j.line, o)
            })
            .collect();
        let want = [
            (1, "pass"),
            (9, "pass"),
            (10, "fail"),
            (11, "pass"),
            (12, "fail"),
            (13, "pass"),
            (14, "pass"),
            (15, "pass"),
            (16, "pass"),
            (17, "pass"),
            (18, "fail"),
            (19, "pass"),
            (20, "fail"),
            (21, "pass"),
            (22, "pass"),
            (23, "fail"),
            (24, "fail"),
            (25, "pass"),
            (26, "fail"),
            (27, "pass"),
        ];
        assert_eq!(got, want, "{:#?}", run.judged);
    }
}
