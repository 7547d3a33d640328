//! Running one reference-test script: [`prepare`] plans it and finds out, once for all
//! targets, what smelt refuses to build (a slot whose component it cannot flatten, an export
//! whose calls it cannot adapt); [`run`] builds the wrapper of everything else into one
//! script-mode executable per target, sends it the commands (instantiate each slot's core
//! instances, call each directive's driver function) and judges every directive by its
//! answers, with the spec runner's machinery ([`crate::spec::exec::converse`]).

use super::driver::{self, Lowered, Modules};
use super::plan::{self, Expect, Judge, Plan};
use super::wrapper::{self, SlotBuild};
use crate::TestTarget;
use crate::spec::exec::{FileRun, Judged, RunOptions, converse, guarded, needed_feature};
use crate::spec::plan::Outcome;
use smelt_contract::Trap;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A slot as it will be built.
pub struct SlotState {
    /// Why smelt refuses to build the slot at all (its directives then fail).
    pub refused: Option<String>,
    /// Why smelt refuses to lower an export into the driver, by export name (calls of it
    /// fail; the slot's other directives run).
    pub export_refused: HashMap<String, String>,
    /// The exports lowered into the driver.
    pub lowered: Vec<Lowered>,
    /// For each call of the plan, its driver function, if it has one.
    pub driver_calls: Vec<Option<usize>>,
    /// The generated libc and driver.
    pub modules: Modules,
}

/// A planned script with what will be built of it.
pub struct Prepared {
    /// `dir/file.wast`.
    pub name: String,
    /// The plan.
    pub plan: Plan,
    /// One per slot of the plan.
    pub slots: Vec<SlotState>,
    /// Time spent.
    pub time: Duration,
}

/// The driver of slot `slot` of `plan`, calling every export not in `refused`.
fn slot_state(plan: &Plan, slot: usize, refused: HashMap<String, String>) -> SlotState {
    let s = &plan.slots[slot];
    let mut lowered: Vec<Lowered> = Vec::new();
    let mut calls = Vec::new();
    let mut driver_calls = Vec::new();
    for call in &s.calls {
        if refused.contains_key(&call.export) {
            driver_calls.push(None);
            continue;
        }
        let func = match lowered.iter().position(|l| l.name == call.export) {
            Some(f) => f,
            None => {
                lowered.push(Lowered {
                    name: call.export.clone(),
                    params: call.params.clone(),
                    result: call.result.clone(),
                });
                lowered.len() - 1
            }
        };
        driver_calls.push(Some(calls.len()));
        calls.push(driver::Call {
            func,
            args: call.args.clone(),
            check: match &call.expect {
                Expect::Value(v) => driver::Check::Equals(v.clone()),
                Expect::Trap(..) | Expect::Completes => driver::Check::Nothing,
            },
        });
    }
    let modules = driver::modules(slot, &lowered, &calls);
    SlotState {
        refused: None,
        export_refused: refused,
        lowered,
        driver_calls,
        modules,
    }
}

fn slot_build<'a>(plan: &Plan, slot: usize, state: &'a SlotState) -> SlotBuild<'a> {
    SlotBuild {
        def: plan.slots[slot].def,
        lowered: state
            .lowered
            .iter()
            .map(|l| (l.name.clone(), l.needs_memory(), l.needs_realloc()))
            .collect(),
        libc: &state.modules.libc,
        driver: &state.modules.driver,
    }
}

/// The wrapper of `slots` (indices into `states`).
fn wrapper_of(plan: &Plan, states: &[SlotState], slots: &[usize]) -> Vec<u8> {
    let defs: Vec<&[u8]> = plan.defs.iter().map(|d| d.bytes.as_slice()).collect();
    let builds: Vec<SlotBuild<'_>> = slots
        .iter()
        .map(|&k| slot_build(plan, k, &states[k]))
        .collect();
    wrapper::wrapper(&defs, &builds)
}

/// Plans the script and finds what smelt refuses to build, slot by slot and export by
/// export.
pub fn prepare(name: &str, text: &str) -> Prepared {
    let start = Instant::now();
    let plan = plan::plan(name, text);
    let probe_name = format!("{name} (wrapper)");
    let slots = (0..plan.slots.len())
        .map(|k| probed_slot(&probe_name, &plan, k))
        .collect();
    Prepared {
        name: name.to_string(),
        plan,
        slots,
        time: start.elapsed(),
    }
}

/// Slot `k` as smelt builds it (alone in a wrapper): whole, without the exports smelt
/// cannot lower, or refused.
fn probed_slot(probe_name: &str, plan: &Plan, k: usize) -> SlotState {
    let whole = slot_state(plan, k, HashMap::new());
    let Err(err) = probe_alone(probe_name, plan, k, &whole) else {
        return whole;
    };
    // Does the component build at all, without calls?
    let bare = slot_state(plan, k, all_refused(plan, k, "unused"));
    if let Err(e) = probe_alone(probe_name, plan, k, &bare) {
        return SlotState {
            refused: Some(describe(&e)),
            ..whole
        };
    }
    // It does: find the exports smelt cannot lower.
    let mut refused = HashMap::new();
    for call in &plan.slots[k].calls {
        if refused.contains_key(&call.export) {
            continue;
        }
        let mut only = all_refused(plan, k, "unused");
        only.remove(&call.export);
        let state = slot_state(plan, k, only);
        if let Err(e) = probe_alone(probe_name, plan, k, &state) {
            refused.insert(call.export.clone(), describe(&e));
        }
    }
    let state = slot_state(plan, k, refused);
    match probe_alone(probe_name, plan, k, &state) {
        Ok(()) => state,
        Err(_) => SlotState {
            refused: Some(describe(&err)),
            ..whole
        },
    }
}

/// Every export slot `k` calls, refused for `why`.
fn all_refused(plan: &Plan, k: usize, why: &str) -> HashMap<String, String> {
    plan.slots[k]
        .calls
        .iter()
        .map(|c| (c.export.clone(), why.to_string()))
        .collect()
}

/// Whether smelt makes a program of the wrapper of slot `k` built as `state`.
fn probe_alone(name: &str, plan: &Plan, k: usize, state: &SlotState) -> smelt::Result<()> {
    let defs: Vec<&[u8]> = plan.defs.iter().map(|d| d.bytes.as_slice()).collect();
    let bytes = wrapper::wrapper(&defs, &[slot_build(plan, k, state)]);
    guarded(|| smelt::program_from_binary(name, bytes)).map(|_| ())
}

/// An error as a reason, without the wrapper's file name.
fn describe(e: &smelt::Error) -> String {
    match e {
        smelt::Error::Unsupported { what, .. } => format!("not supported yet: {what}"),
        smelt::Error::InvalidWasm { message, .. } => format!("refused as invalid: {message}"),
        e => e.to_string(),
    }
}

/// Where a built slot lives in the program.
struct Located {
    /// Its core instances (the tested component's, libc, adapters, the driver).
    instances: std::ops::Range<usize>,
    /// The driver instance.
    driver: usize,
    /// The export index of each driver function.
    calls: Vec<usize>,
}

/// Runs a prepared script on `target`.
pub fn run(prep: &Prepared, target: &TestTarget, options: &RunOptions) -> FileRun {
    let start = Instant::now();
    let mut notes = Vec::new();
    let dir = tempfile::tempdir().expect("temporary directory");
    let exe = dir.path().join("script.exe");
    let emit = smelt::EmitOptions {
        mode: smelt::Mode::Script,
        bounds_checked: options.bounds_checked,
        ..Default::default()
    };
    let mut features: Vec<String> = Vec::new();
    // Slots that fail to build on this target, with why.
    let mut broken: HashMap<usize, String> = HashMap::new();
    let wrapper_name = format!("{} (wrapper)", prep.name);
    let (program, built) = loop {
        let slots: Vec<usize> = (0..prep.slots.len())
            .filter(|k| prep.slots[*k].refused.is_none() && !broken.contains_key(k))
            .collect();
        let bytes = wrapper_of(&prep.plan, &prep.slots, &slots);
        let feature_refs: Vec<&str> = features.iter().map(|s| s.as_str()).collect();
        let t = match target.target(&feature_refs) {
            Ok(t) => t,
            Err(e) => return all_failed(prep, &format!("runner: target: {e}"), start),
        };
        let result = guarded(|| smelt::program_from_binary(&wrapper_name, bytes)).and_then(|p| {
            guarded(|| smelt::build_executable(&p, &t, &emit, &exe, None)).map(|()| p)
        });
        let err = match result {
            Ok(p) => break (p, slots),
            Err(e) => e,
        };
        if let smelt::Error::Target(message) = &err
            && let Some(feature) = needed_feature(message)
            && !features.contains(&feature)
        {
            features.push(feature);
            continue;
        }
        // Find the slots that fail alone and leave them out.
        let obj = dir.path().join("slot.o");
        let mut found = false;
        for &k in &slots {
            let bytes = wrapper_of(&prep.plan, &prep.slots, &[k]);
            let alone = guarded(|| smelt::program_from_binary(&wrapper_name, bytes))
                .and_then(|p| guarded(|| smelt::build_object(&p, &t, &emit, &obj)));
            if let Err(e) = alone {
                notes.push(format!(
                    "left the component of line {} out of the build: {e}",
                    prep.plan.checks[prep.plan.slots[k].check].line
                ));
                broken.insert(k, format!("build failed: {}", describe(&e)));
                found = true;
            }
        }
        if !found {
            return all_failed(prep, &format!("building the script failed: {err}"), start);
        }
    };
    let build_time = start.elapsed();

    // Each driver marks where its slot ends.
    let mut located: HashMap<usize, Located> = HashMap::new();
    let mut first = 0;
    for i in 0..program.instances.len() {
        let exports = program.export_types(i);
        let Some(&k) = built
            .iter()
            .find(|&&k| exports.iter().any(|(n, _)| *n == driver::names::marker(k)))
        else {
            continue;
        };
        let calls = (0..prep.slots[k].modules.checks.len())
            .map(|n| {
                let name = driver::names::call(n);
                exports
                    .iter()
                    .position(|(e, _)| *e == name)
                    .expect("the driver exports every call")
            })
            .collect();
        located.insert(
            k,
            Located {
                instances: first..i + 1,
                driver: i,
                calls,
            },
        );
        first = i + 1;
    }

    // Commands, in directive order.
    let mut commands: Vec<String> = Vec::new();
    let mut lines: HashMap<usize, usize> = HashMap::new();
    let mut of_check: Vec<Vec<usize>> = vec![Vec::new(); prep.plan.checks.len()];
    for (c, check) in prep.plan.checks.iter().enumerate() {
        let mut push = |command: String| {
            lines.insert(commands.len(), check.line);
            of_check[c].push(commands.len());
            commands.push(command);
        };
        match check.judge {
            Judge::Decided(_) => {}
            Judge::Instantiate(k) => {
                if let Some(l) = located.get(&k) {
                    for i in l.instances.clone() {
                        push(format!("instantiate {i}"));
                    }
                }
            }
            Judge::Call { slot, call } => {
                if let (Some(l), Some(n)) =
                    (located.get(&slot), prep.slots[slot].driver_calls[call])
                {
                    push(format!("invoke {} {}", l.driver, l.calls[n]));
                }
            }
        }
    }
    if let Some(keep) = &options.keep {
        let base = format!("{}.{}", prep.name.replace('/', "-"), target.alias);
        let _ = std::fs::create_dir_all(keep);
        let _ = std::fs::copy(&exe, keep.join(format!("{base}.exe")));
        let _ = std::fs::write(
            keep.join(format!("{base}.cmds")),
            commands.join("\n") + "\n",
        );
    }
    let started = Instant::now();
    let (answers, lost) = converse(target, &exe, &commands, &lines, options);
    let answer = |i: usize| -> Result<&str, String> {
        match &answers[i] {
            Some(a) => Ok(a.as_str()),
            None => Err(lost.get(&i).cloned().unwrap_or_else(|| "no answer".into())),
        }
    };

    let judged = prep
        .plan
        .checks
        .iter()
        .enumerate()
        .map(|(c, check)| {
            let outcome = match &check.judge {
                Judge::Decided(o) => o.clone(),
                Judge::Instantiate(k) => match slot_problem(prep, &broken, *k) {
                    Some(why) => Outcome::Fail(why),
                    None => judge_instantiation(&of_check[c], &answer),
                },
                Judge::Call { slot, call } => {
                    let planned = &prep.plan.slots[*slot].calls[*call];
                    match slot_problem(prep, &broken, *slot) {
                        Some(why) => Outcome::Fail(format!("component unusable: {why}")),
                        None => match prep.slots[*slot].driver_calls[*call] {
                            None => Outcome::Fail(
                                prep.slots[*slot]
                                    .export_refused
                                    .get(&planned.export)
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            Some(n) => match answer(of_check[c][0]) {
                                Ok(a) => judge_call(
                                    a,
                                    &planned.expect,
                                    &prep.slots[*slot].modules.checks[n],
                                ),
                                Err(why) => Outcome::Fail(why),
                            },
                        },
                    }
                }
            };
            Judged {
                line: check.line,
                text: check.text.clone(),
                outcome,
            }
        })
        .collect();
    FileRun {
        judged,
        notes,
        build_time,
        run_time: started.elapsed(),
    }
}

/// Why slot `k` was not built, if it was not.
fn slot_problem(prep: &Prepared, broken: &HashMap<usize, String>, k: usize) -> Option<String> {
    prep.slots[k]
        .refused
        .clone()
        .or_else(|| broken.get(&k).cloned())
}

/// Every directive that needs the executable fails with `why`.
fn all_failed(prep: &Prepared, why: &str, start: Instant) -> FileRun {
    let judged = prep
        .plan
        .checks
        .iter()
        .map(|c| Judged {
            line: c.line,
            text: c.text.clone(),
            outcome: match &c.judge {
                Judge::Decided(o) => o.clone(),
                _ => Outcome::Fail(why.to_string()),
            },
        })
        .collect();
    FileRun {
        judged,
        notes: vec![why.to_string()],
        build_time: start.elapsed(),
        run_time: Duration::ZERO,
    }
}

/// An answer: `ok` with its values, or `trap` with its code.
enum Answer {
    Ok(Vec<u128>),
    Trap(u8),
}

fn parse_answer(a: &str) -> Result<Answer, String> {
    let mut words = a.split_whitespace();
    let bad = || format!("executable answered {a:?}");
    match words.next() {
        Some("ok") => words
            .map(|w| u128::from_str_radix(w, 16).map_err(|_| bad()))
            .collect::<Result<_, _>>()
            .map(Answer::Ok),
        Some("trap") => words
            .next()
            .and_then(|c| c.parse().ok())
            .map(Answer::Trap)
            .ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn show_trap(code: u8) -> String {
    match Trap::from_u8(code) {
        Some(t) => format!("{t:?} ({})", t.message()),
        None => format!("code {code}"),
    }
}

/// An instantiation passes when every core instance of its slot instantiated.
fn judge_instantiation<'a>(
    commands: &[usize],
    answer: &dyn Fn(usize) -> Result<&'a str, String>,
) -> Outcome {
    for &i in commands {
        match answer(i).and_then(parse_answer) {
            Ok(Answer::Ok(_)) => {}
            Ok(Answer::Trap(code)) => {
                return Outcome::Fail(format!("instantiation trapped: {}", show_trap(code)));
            }
            Err(why) => return Outcome::Fail(why),
        }
    }
    Outcome::Pass
}

/// A call's answer against its expectation; `checks` describes the driver's result codes.
fn judge_call(a: &str, expect: &Expect, checks: &[String]) -> Outcome {
    let answer = match parse_answer(a) {
        Ok(answer) => answer,
        Err(why) => return Outcome::Fail(why),
    };
    match (answer, expect) {
        (Answer::Ok(_), Expect::Completes) => Outcome::Pass,
        (Answer::Ok(values), Expect::Value(_)) => match values.as_slice() {
            [1] => Outcome::Pass,
            [code] if *code >= 2 && ((*code - 2) as usize) < checks.len() => {
                Outcome::Fail(format!("wrong result: {}", checks[(*code - 2) as usize]))
            }
            _ => Outcome::Fail(format!("runner: the driver answered {a:?}")),
        },
        (Answer::Trap(code), Expect::Trap(message, traps)) => {
            if traps.iter().any(|t| *t as u8 == code) {
                Outcome::Pass
            } else if traps.is_empty() {
                Outcome::Fail(format!(
                    "smelt has no trap for {message:?}; trapped with {}",
                    show_trap(code)
                ))
            } else {
                Outcome::Fail(format!(
                    "expected trap {message:?} ({traps:?}), got {}",
                    show_trap(code)
                ))
            }
        }
        (Answer::Trap(code), _) => Outcome::Fail(format!("unexpected trap: {}", show_trap(code))),
        (Answer::Ok(_), Expect::Trap(message, _)) => {
            Outcome::Fail(format!("expected trap {message:?}, the call returned"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runner itself: right expectations pass and wrong ones fail, for every shape of
    /// value the driver passes and compares.
    #[test]
    fn runner_judges_directives() {
        let Some(target) = crate::all_targets()
            .into_iter()
            .find(|t| t.alias == std::env::consts::ARCH)
        else {
            return;
        };
        let script = r#"(component
  (core module $M
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (global.set $next (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (i32.sub (global.get $next) (local.get 3)))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "pair") (param i32 i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (i32.store (i32.const 4) (local.get 1))
      (i32.const 0))
    (func (export "rec") (param i32 i32 i32) (result i32)
      (i32.store8 (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.store (i32.const 24) (local.get 2))
      (i32.const 16))
    (func (export "sum17") (param i32) (result i32)
      (local $i i32) (local $s i32)
      (loop $l
        (local.set $s (i32.add (local.get $s)
          (i32.load (i32.add (local.get 0) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 17))))
      (local.get $s))
    (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
    (func (export "id") (param i32) (result i32) (local.get 0))
    (func (export "boom") unreachable)
  )
  (core instance $m (instantiate $M))
  (type $r (record (field "a" u8) (field "b" string)))
  (export $r' "r" (type $r))
  (type $t17 (tuple u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "pair") (memory (core memory $m "mem"))
      (realloc (core func $m "realloc"))))
  (func (export "echo-list") (param "l" (list u32)) (result (list u32))
    (canon lift (core func $m "pair") (memory (core memory $m "mem"))
      (realloc (core func $m "realloc"))))
  (func (export "echo-option") (param "o" (option u32)) (result (option u32))
    (canon lift (core func $m "pair") (memory (core memory $m "mem"))))
  (func (export "echo-rec") (param "r" $r') (result $r')
    (canon lift (core func $m "rec") (memory (core memory $m "mem"))
      (realloc (core func $m "realloc"))))
  (func (export "sum17") (param "t" $t17) (result u32)
    (canon lift (core func $m "sum17") (memory (core memory $m "mem"))
      (realloc (core func $m "realloc"))))
  (func (export "nan") (result f32) (canon lift (core func $m "nan")))
  (func (export "s8") (param "x" s8) (result s8) (canon lift (core func $m "id")))
  (func (export "char") (param "x" char) (result char) (canon lift (core func $m "id")))
  (func (export "boom") (canon lift (core func $m "boom")))
)
(assert_return (invoke "add" (u32.const 1) (u32.const 2)) (u32.const 3))
(assert_return (invoke "add" (u32.const 1) (u32.const 2)) (u32.const 4))
(assert_return (invoke "echo" (str.const "héllo")) (str.const "héllo"))
(assert_return (invoke "echo" (str.const "héllo")) (str.const "hallo"))
(assert_return (invoke "echo" (str.const "héllo")) (str.const "héllo!"))
(assert_return (invoke "echo-list" (list.const (u32.const 7) (u32.const 8))) (list.const (u32.const 7) (u32.const 8)))
(assert_return (invoke "echo-list" (list.const (u32.const 7) (u32.const 8))) (list.const (u32.const 7) (u32.const 9)))
(assert_return (invoke "echo-option" (option.some (u32.const 5))) (option.some (u32.const 5)))
(assert_return (invoke "echo-option" (option.some (u32.const 5))) (option.none))
(assert_return (invoke "echo-rec" (record.const (field "a" u8.const 9) (field "b" str.const "x"))) (record.const (field "a" u8.const 9) (field "b" str.const "x")))
(assert_return (invoke "echo-rec" (record.const (field "a" u8.const 9) (field "b" str.const "x"))) (record.const (field "a" u8.const 8) (field "b" str.const "x")))
(assert_return (invoke "sum17" (tuple.const (u32.const 1) (u32.const 2) (u32.const 3) (u32.const 4) (u32.const 5) (u32.const 6) (u32.const 7) (u32.const 8) (u32.const 9) (u32.const 10) (u32.const 11) (u32.const 12) (u32.const 13) (u32.const 14) (u32.const 15) (u32.const 16) (u32.const 17))) (u32.const 153))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (f32.const 1))
(assert_return (invoke "s8" (s8.const -2)) (s8.const -2))
(assert_return (invoke "char" (char.const "☃")) (char.const "☃"))
(assert_trap (invoke "boom") "unreachable")
(assert_trap (invoke "add" (u32.const 1) (u32.const 2)) "unreachable")
(invoke "boom")
(assert_return (invoke "add" (u32.const 2) (u32.const 2)) (u32.const 4))
(assert_invalid (component (core func (canon lower (func 0)))) "unknown function")
(assert_invalid (component) "accepted")
(assert_malformed (component quote "(core func") "unexpected end")
"#;
        let options = RunOptions {
            idle_timeout: Duration::from_secs(10),
            keep: None,
            max_resumes: 2,
            bounds_checked: false,
        };
        let prep = prepare("selftest.wast", script);
        let run = run(&prep, &target, &options);
        let got: Vec<(usize, &str)> = run
            .judged
            .iter()
            .map(|j| {
                let o = match &j.outcome {
                    Outcome::Pass => "pass",
                    Outcome::Fail(_) => "fail",
                    Outcome::Skip(_) => "skip",
                };
                (j.line, o)
            })
            .collect();
        let mut want = vec![(1, "pass")];
        let fails = [57, 59, 60, 62, 64, 66, 69, 73, 74, 77];
        for line in 56..=78 {
            want.push((
                line,
                if fails.contains(&line) {
                    "fail"
                } else {
                    "pass"
                },
            ));
        }
        assert_eq!(got, want, "{:#?}", run.judged);
    }
}
