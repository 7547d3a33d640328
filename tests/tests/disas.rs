//! Golden tests of the translation: `tests/disas/*.wat` hold a module and, in comments
//! below it, the Cranelift IR smelt generates for each function (before optimisation). A
//! change in generated code shows up in review as a change to these files.
//!
//! File format:
//! ```text
//! ;;! target = "x86_64"
//! (module ...)
//!
//! ;; ==== <function name> ====
//! ;; function u0:0(i32) -> i32 tail {
//! ;; ...
//! ```
//! Run with `SMELT_TEST_BLESS=1` to rewrite the expectations.

use smelt_tests::root;
use std::fmt::Write as _;

const MARK: &str = ";; ==== ";

fn expected_and_input(text: &str) -> (String, String) {
    match text.find(MARK) {
        Some(i) => (text[..i].trim_end().to_string(), text[i..].to_string()),
        None => (text.trim_end().to_string(), String::new()),
    }
}

fn header_value<'a>(input: &'a str, key: &str) -> Option<&'a str> {
    input
        .lines()
        .filter_map(|l| l.strip_prefix(";;!"))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"'))
        })
}

fn render(input: &str) -> anyhow::Result<String> {
    let target_name = header_value(input, "target").unwrap_or("x86_64");
    let features: Vec<String> = header_value(input, "features")
        .map(|f| f.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let target = smelt::target::lookup(
        target_name,
        &smelt::TargetOptions {
            features,
            verify: true,
            ..Default::default()
        },
    )?;
    let wasm = wat::parse_str(input)?;
    let mut program = smelt::Program::new();
    let m = program.add_module("golden", wasm)?;
    program.instantiate(m, |_, _| None)?;
    let mut out = String::new();
    for (name, clif) in smelt::clif_text(&program, &target)? {
        writeln!(out, "{MARK}{name} ====")?;
        for line in clif.lines() {
            writeln!(out, ";; {line}").map(|_| ())?;
        }
    }
    Ok(out.replace(";; \n", ";;\n"))
}

#[test]
fn golden_clif() {
    let dir = root().join("tests/disas");
    let bless = std::env::var_os("SMELT_TEST_BLESS").is_some();
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut count = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wat"))
    {
        count += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let (input, expected) = expected_and_input(&text);
        let actual = render(&input).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
        if actual == expected {
            continue;
        }
        if bless {
            std::fs::write(path, format!("{input}\n\n{actual}")).unwrap();
            continue;
        }
        let diff = similar::TextDiff::from_lines(&expected, &actual);
        failures.push(format!(
            "{}:\n{}",
            path.display(),
            diff.unified_diff()
                .context_radius(3)
                .header("expected", "actual")
        ));
    }
    assert!(count > 0, "no golden tests found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{}\n{} golden file(s) differ; re-run with SMELT_TEST_BLESS=1 to update",
        failures.join("\n"),
        failures.len()
    );
}
