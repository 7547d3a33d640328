//! The WASI behaviour cases of `tests/programs/cases.toml`: the manifest, the directories a
//! case grants, how its programs are built, and how a WASI run is judged against the native
//! run (the oracle) or the case's own expectation. Used by `tests/wasi.rs`; the format is
//! described at the top of `cases.toml`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The programs' Cargo workspace.
pub fn programs_dir() -> PathBuf {
    crate::root().join("tests/programs")
}

/// `cases.toml`, parsed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub fixture: BTreeMap<String, Fixture>,
    pub case: Vec<Case>,
}

/// What a granted directory holds before a run.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    #[serde(default)]
    pub dirs: Vec<String>,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Link name → target (`{outside}` expands to the host path of `outside/`).
    #[serde(default)]
    pub symlinks: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Case {
    pub name: String,
    pub program: String,
    #[serde(default)]
    pub args: Vec<String>,
    pub stdin: Option<String>,
    pub stdin_repeat: Option<Repeat>,
    #[serde(default)]
    pub host_env: BTreeMap<String, String>,
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default)]
    pub inherit_env: bool,
    /// `--allow-runtime-grants`: the executable honours `SMELT_GRANTS` (smelt only).
    #[serde(default)]
    pub allow_runtime_grants: bool,
    #[serde(default)]
    pub dirs: Vec<DirGrant>,
    pub exit: Option<i32>,
    pub trap: Option<String>,
    pub stdout: Option<String>,
    #[serde(default)]
    pub differs: Vec<Differs>,
    /// `pending: <reason>`: smelt cannot run the case yet.
    pub smelt: Option<String>,
    /// `skip: <reason>`: the Wasmtime CLI cannot express the case.
    pub wasmtime: Option<String>,
    /// Options for `wasmtime run` (check-wasmtime.sh), before the grants.
    #[serde(default)]
    pub wasmtime_args: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    pub text: String,
    pub times: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirGrant {
    pub fixture: String,
    pub guest: String,
    #[serde(default = "default_grant_name")]
    pub name: String,
    #[serde(default)]
    pub readonly: bool,
}

fn default_grant_name() -> String {
    "sandbox".into()
}

/// A line of native stdout that reads otherwise under WASI, and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Differs {
    pub native: String,
    pub wasi: String,
    pub why: String,
}

/// Reads and checks `cases.toml`: unique names, known fixtures and programs.
pub fn load_manifest() -> Manifest {
    let path = programs_dir().join("cases.toml");
    let text = std::fs::read_to_string(&path).expect("tests/programs/cases.toml");
    let m: Manifest = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let programs = program_names();
    let mut names = std::collections::BTreeSet::new();
    for c in &m.case {
        assert!(names.insert(&c.name), "case {} is listed twice", c.name);
        assert!(
            programs.contains(&c.program),
            "case {}: no program {}",
            c.name,
            c.program
        );
        for d in &c.dirs {
            assert!(
                m.fixture.contains_key(&d.fixture),
                "case {}: no fixture {}",
                c.name,
                d.fixture
            );
        }
        if let Some(p) = &c.smelt {
            assert!(
                p.starts_with("pending: "),
                "case {}: smelt = \"pending: <reason>\"",
                c.name
            );
        }
        if let Some(s) = &c.wasmtime {
            assert!(
                s.starts_with("skip: "),
                "case {}: wasmtime = \"skip: <reason>\"",
                c.name
            );
        }
    }
    m
}

/// The programs: the binaries of the programs' workspace (`src/bin/*.rs`) and the C programs
/// (`c/*.c`, whose names start with `c_`), sorted.
pub fn program_names() -> Vec<String> {
    let mut names: Vec<String> = ["src/bin", "c"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(programs_dir().join(dir))
                .unwrap_or_else(|e| panic!("tests/programs/{dir}: {e}"))
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_string();
                    let stem = name
                        .strip_suffix(".rs")
                        .or_else(|| name.strip_suffix(".c"))?;
                    Some(stem.to_string())
                })
        })
        .collect();
    names.sort();
    names
}

/// Whether `program` is one of the C programs (`c/<program>.c`).
pub fn is_c(program: &str) -> bool {
    program.starts_with("c_")
}

/// Where the programs were built.
pub struct Programs {
    pub native: PathBuf,
    pub wasm: PathBuf,
    /// The C programs, native and `.wasm` side by side.
    pub c: PathBuf,
    /// Why the C programs could not be built for wasm32-wasi (no clang or no wasi-libc), if
    /// so: their cases are skipped (an error under CI).
    pub c_missing: Option<String>,
}

impl Programs {
    pub fn native(&self, program: &str) -> PathBuf {
        match is_c(program) {
            true => self.c.join(program),
            false => self.native.join(program),
        }
    }
    pub fn wasm(&self, program: &str) -> PathBuf {
        match is_c(program) {
            true => self.c.join(format!("{program}.wasm")),
            false => self.wasm.join(format!("{program}.wasm")),
        }
    }
}

/// Builds the C programs `c/*.c`: natively with `$CC` (default `cc`), and as WASI preview1
/// modules with `$SMELT_WASI_CC` (default `clang --target=wasm32-wasi`, which needs Debian's
/// `wasi-libc` and `libclang-rt-dev-wasm32`, or any wasi-sdk clang). smelt adapts the
/// modules into components, so these cases test the preview1 path: wasi-libc over Wasmtime's
/// command adapter over smelt's host. `Err` says why the wasm side could not be built.
fn build_c(out: &Path) -> Result<Result<(), String>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let wasi_cc =
        std::env::var("SMELT_WASI_CC").unwrap_or_else(|_| "clang --target=wasm32-wasi".into());
    let mut missing = Ok(());
    for name in program_names().into_iter().filter(|n| is_c(n)) {
        let src = programs_dir().join(format!("c/{name}.c"));
        for (compiler, output, native) in [
            (&cc, out.join(&name), true),
            (&wasi_cc, out.join(format!("{name}.wasm")), false),
        ] {
            if !native && missing.is_err() {
                continue;
            }
            let mut words = compiler.split_whitespace();
            let mut cmd = Command::new(words.next().ok_or("empty compiler command")?);
            cmd.args(words)
                .args(["-O1", "-Wall", "-o"])
                .arg(&output)
                .arg(&src)
                .arg("-lm");
            let result = cmd.output();
            match result {
                Ok(o) if o.status.success() => {}
                Ok(o) if native => {
                    return Err(format!(
                        "{compiler} {}:\n{}",
                        src.display(),
                        String::from_utf8_lossy(&o.stderr)
                    ));
                }
                Err(e) if native => return Err(format!("running {compiler}: {e}")),
                Ok(o) => {
                    missing = Err(format!(
                        "{compiler} cannot build {name}.c (apt-get install clang lld wasi-libc \
                         libclang-rt-dev-wasm32): {}",
                        String::from_utf8_lossy(&o.stderr)
                            .lines()
                            .next()
                            .unwrap_or("")
                    ))
                }
                Err(e) => missing = Err(format!("running {compiler}: {e}")),
            }
        }
    }
    Ok(missing)
}

/// Builds every program for the host and for wasm32-wasip2 (release, in
/// `<cargo target dir>/wasi-programs`).
pub fn build_programs() -> Result<Programs, String> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"))
        .join("wasi-programs");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for target in [None, Some("wasm32-wasip2")] {
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(programs_dir())
            .args(["build", "--release", "--locked", "--quiet", "--target-dir"])
            .arg(&target_dir)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET");
        if let Some(t) = target {
            cmd.args(["--target", t]);
        }
        let out = cmd.output().map_err(|e| format!("running cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "building tests/programs for {}:\n{}",
                target.unwrap_or("the host"),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let c = target_dir.join("c");
    let c_missing = build_c(&c)?.err();
    Ok(Programs {
        native: target_dir.join("release"),
        wasm: target_dir.join("wasm32-wasip2/release"),
        c,
        c_missing,
    })
}

/// A fresh directory tree for one run: `<tmp>/<grant name>/` per granted directory, filled
/// from its fixture, and `<tmp>/outside/secret.txt`, never granted.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

const SECRET: &str = "secret\n";

impl Sandbox {
    pub fn new(case: &Case, manifest: &Manifest) -> std::io::Result<Sandbox> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir(root.join("outside"))?;
        std::fs::write(root.join("outside/secret.txt"), SECRET)?;
        let outside = root.join("outside").display().to_string();
        for grant in &case.dirs {
            let base = root.join(&grant.name);
            std::fs::create_dir(&base)?;
            let f = &manifest.fixture[&grant.fixture];
            for d in &f.dirs {
                std::fs::create_dir_all(base.join(d))?;
            }
            for (name, text) in &f.files {
                std::fs::write(base.join(name), text)?;
            }
            for (name, target) in &f.symlinks {
                std::os::unix::fs::symlink(target.replace("{outside}", &outside), base.join(name))?;
            }
        }
        Ok(Sandbox { dir })
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The host directory granted as `name`.
    pub fn host(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    /// Whether `outside/` still holds exactly `secret.txt`, unchanged.
    pub fn check_outside(&self) -> Result<(), String> {
        let outside = self.root().join("outside");
        let mut names: Vec<String> = std::fs::read_dir(&outside)
            .map_err(|e| format!("outside/ is gone: {e}"))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let secret = std::fs::read_to_string(outside.join("secret.txt")).unwrap_or_default();
        if names != ["secret.txt"] || secret != SECRET {
            return Err(format!(
                "the run changed outside/: now {names:?}, secret.txt {secret:?}"
            ));
        }
        Ok(())
    }
}

/// Who runs the wasm program.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Native,
    Wasi,
}

impl Case {
    /// The arguments with `{...}` expanded for `runner`.
    pub fn args(&self, sandbox: &Sandbox, runner: Runner) -> Vec<String> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        self.args
            .iter()
            .map(|a| {
                let mut a = a
                    .replace(
                        "{outside}",
                        &sandbox.root().join("outside").display().to_string(),
                    )
                    .replace("{now}", &now.to_string());
                for g in &self.dirs {
                    let host = sandbox.host(&g.name).display().to_string();
                    a = a.replace(&format!("{{{}:host}}", g.name), &host);
                    let seen = if runner == Runner::Native {
                        &host
                    } else {
                        &g.guest
                    };
                    a = a.replace(&format!("{{{}}}", g.name), seen);
                }
                a
            })
            .collect()
    }

    pub fn stdin(&self) -> Vec<u8> {
        match (&self.stdin, &self.stdin_repeat) {
            (Some(s), _) => s.clone().into_bytes(),
            (None, Some(r)) => r.text.repeat(r.times).into_bytes(),
            (None, None) => Vec::new(),
        }
    }

    /// The environment every WASI run (and `smelt build`) gets: `host-env` plus one variable
    /// no case grants.
    pub fn host_env(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = self.host_env.clone().into_iter().collect();
        env.push(("SMELT_WASI_NOT_GRANTED".into(), "1".into()));
        env
    }

    /// The environment of the native run: exactly what the grants give the program.
    pub fn native_env(&self) -> Vec<(String, String)> {
        if self.inherit_env {
            return self.host_env();
        }
        self.env
            .iter()
            .filter_map(|g| match g.split_once('=') {
                Some((k, v)) => Some((k.to_string(), v.to_string())),
                None => self.host_env.get(g).map(|v| (g.clone(), v.clone())),
            })
            .collect()
    }

    /// The grants as `smelt build` options.
    pub fn smelt_grants(&self, sandbox: &Sandbox) -> Vec<String> {
        let mut out = Vec::new();
        for g in &self.dirs {
            out.push(if g.readonly { "--dir-ro" } else { "--dir" }.to_string());
            out.push(format!("{}::{}", sandbox.host(&g.name).display(), g.guest));
        }
        for e in &self.env {
            out.push("--env".into());
            out.push(e.clone());
        }
        if self.inherit_env {
            out.push("--inherit-env".into());
        }
        if self.allow_runtime_grants {
            out.push("--allow-runtime-grants".into());
        }
        out
    }

    /// The grants as `wasmtime run` options (never read-only: the CLI has none).
    pub fn wasmtime_grants(&self, sandbox: &Sandbox) -> Vec<String> {
        let mut out = Vec::new();
        for g in &self.dirs {
            out.push("--dir".into());
            out.push(format!("{}::{}", sandbox.host(&g.name).display(), g.guest));
        }
        for e in &self.env {
            out.push("--env".into());
            out.push(e.clone());
        }
        if self.inherit_env {
            out.extend(["-S".into(), "inherit-env".into()]);
        }
        out
    }
}

/// What one run did.
#[derive(Debug)]
pub struct Run {
    /// Exit status, or `None` when killed by a signal.
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` with exactly `env`, `stdin` and the working directory `cwd`.
pub fn run(
    mut cmd: Command,
    env: &[(String, String)],
    stdin: &[u8],
    cwd: &Path,
) -> std::io::Result<Run> {
    cmd.env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = crate::spawn(&mut cmd)?;
    let mut input = child.stdin.take().expect("piped");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output()?;
    let _ = writer.join();
    Ok(Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// What a WASI run of a case must do.
#[derive(Debug)]
pub struct Expected {
    pub status: i32,
    pub stdout: String,
    /// Native's stderr: all of the WASI stderr, or, for a trap, how it starts.
    pub stderr: String,
    /// For a trap: the reason a `wasm trap: <reason>` line must give.
    pub trap: Option<String>,
}

/// Thread ids in panic messages differ between runs (`thread 'main' (1234) panicked`).
fn normalize(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.strip_prefix("thread '") {
            Some(rest) => match rest
                .split_once("' (")
                .and_then(|(n, r)| Some((n, r.split_once(") ")?.1)))
            {
                Some((name, tail)) => format!("thread '{name}' {tail}\n"),
                None => format!("{l}\n"),
            },
            None => format!("{l}\n"),
        })
        .collect()
}

impl Case {
    /// The expectation, from the native run (`None` when the case gives its own stdout).
    pub fn expected(&self, native: Option<&Run>) -> Result<Expected, String> {
        let (mut stdout, stderr, status) = match (&self.stdout, native) {
            (Some(s), _) => (s.trim_start_matches('\n').to_string(), String::new(), 0),
            (None, Some(n)) => (
                n.stdout.clone(),
                normalize(&n.stderr),
                n.status.unwrap_or(-1),
            ),
            (None, None) => return Err("no native run to compare with".into()),
        };
        for d in &self.differs {
            let (from, to) = (format!("{}\n", d.native), format!("{}\n", d.wasi));
            if !stdout.contains(&from) {
                return Err(format!(
                    "stale `differs`: native stdout has no line {:?}",
                    d.native
                ));
            }
            stdout = stdout.replacen(&from, &to, 1);
        }
        let status = match (&self.trap, self.exit) {
            (Some(_), _) => 134,
            (None, Some(e)) => e,
            (None, None) => status,
        };
        Ok(Expected {
            status,
            stdout,
            stderr,
            trap: self.trap.clone(),
        })
    }
}

impl Expected {
    /// `Ok` when `run` is what was expected, else what differs.
    pub fn judge(&self, run: &Run) -> Result<(), String> {
        let mut problems = Vec::new();
        if run.status != Some(self.status) {
            problems.push(format!(
                "exit status: expected {}, got {}",
                self.status,
                run.status.map_or("a signal".into(), |s| s.to_string())
            ));
        }
        if run.stdout != self.stdout {
            problems.push(format!("stdout:\n{}", diff(&self.stdout, &run.stdout)));
        }
        let stderr = normalize(&run.stderr);
        match &self.trap {
            None if stderr != self.stderr => {
                problems.push(format!("stderr:\n{}", diff(&self.stderr, &stderr)))
            }
            None => {}
            Some(reason) => {
                if !stderr.starts_with(&self.stderr) {
                    problems.push(format!(
                        "stderr does not start with the program's own output:\n{}",
                        diff(&self.stderr, &stderr)
                    ));
                }
                let line = format!("wasm trap: {reason}");
                if !stderr.lines().any(|l| l.contains(&line)) {
                    problems.push(format!("stderr has no `{line}` line:\n{stderr}"));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}
