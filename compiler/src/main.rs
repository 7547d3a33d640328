//! The `smelt` command line.

use clap::{Parser, Subcommand, ValueEnum};
use smelt::grants::{DirGrant, EnvGrant};
use smelt::{EmitOptions, Grants, OptLevel, TargetOptions};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod progress_bar;

#[derive(Parser)]
#[command(
    name = "smelt",
    version,
    about = "Compile WebAssembly into standalone native Linux executables"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a WebAssembly module (.wasm or .wat) into a static executable.
    Build(Box<BuildArgs>),
    /// List the supported targets and their CPU features.
    Targets,
    /// Compile a component, then run the executable and (when `wasmtime` is on PATH) the
    /// component under Wasmtime alternately, and compare wall time and peak memory.
    Bench(BenchArgs),
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The component or module to compile and run.
    input: PathBuf,
    /// Measured runs of each system, after one warm-up run each.
    #[arg(short, long, default_value_t = 5)]
    runs: usize,
    /// Grant a directory (HOST[::GUEST]) to the program, under both systems. Repeatable.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Build with `--trap-unknown-imports`.
    #[arg(long)]
    trap_unknown_imports: bool,
    /// The CPU to compile for (`smelt build --target-cpu`): this machine's (`native`) unless
    /// given, as Wasmtime compiles for the host's features; `x86-64-v2` measures the portable
    /// default.
    #[arg(long, value_name = "CPU")]
    target_cpu: Option<String>,
    /// The Wasmtime CLI to compare with (default: `wasmtime` on PATH, if any).
    #[arg(long, value_name = "PATH")]
    wasmtime: Option<PathBuf>,
    /// Arguments for the program (after `--`).
    #[arg(last = true)]
    args: Vec<OsString>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Emit {
    /// A linked static executable.
    Exe,
    /// Only the object file.
    Obj,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The input module.
    input: PathBuf,
    /// Where to write the result.
    #[arg(short, long)]
    output: PathBuf,
    /// Target triple or alias (x86_64, aarch64, riscv64); the host by default.
    #[arg(long)]
    target: Option<String>,
    /// Enable (+name) or disable (-name) a CPU feature; repeatable, comma-separated.
    #[arg(
        long = "target-feature",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    target_features: Vec<String>,
    /// Let the code use the features of this CPU besides the target's baseline: `native`
    /// (the machine compiling, when it is of the target's architecture), or a CPU name such
    /// as x86-64-v3, haswell, znver3 (`smelt targets` lists them). The executable may then
    /// not run on older CPUs. By default only the baseline is used.
    #[arg(long = "target-cpu", value_name = "CPU")]
    target_cpu: Option<String>,
    /// Compile every function for the target's baseline only. By default (without
    /// --target-cpu or --target-feature), on x86_64, functions whose loops do floating-point,
    /// SIMD or bit-rotation work are compiled a second time for AVX2 with BMI2, and the
    /// executable runs that copy on CPUs that have them (`SMELT_CPU=baseline` in its
    /// environment keeps it on the baseline's).
    #[arg(long)]
    no_multiversion: bool,
    /// Keep loops that LLVM unrolled over f64 or f32 arrays scalar. By default (x86_64,
    /// aarch64, riscv64 with +v), their lanes run two or four at a time as vector operations,
    /// behind a check before the loop that the arrays do not overlap.
    #[arg(long)]
    no_pair_lanes: bool,
    /// Optimisation level: none, speed, speed-and-size.
    #[arg(short = 'O', long = "opt-level", default_value = "speed")]
    opt_level: OptLevel,
    /// What to write.
    #[arg(long, value_enum, default_value = "exe")]
    emit: Emit,
    /// Largest size any linear memory may grow to (bytes; K, M, G suffixes).
    #[arg(long, default_value = "4G", value_parser = parse_size)]
    max_memory: u64,
    /// Size of the wasm call stack (bytes; K, M, G suffixes).
    #[arg(long, default_value = "8M", value_parser = parse_size)]
    stack_size: u64,
    /// Link with this external lld-compatible linker (a path, or a name such as `rust-lld`,
    /// rustup's, or `ld.lld` on PATH) instead of smelt's built-in one (Wild, in-process).
    #[arg(long)]
    linker: Option<PathBuf>,
    /// Bounds-check every access to 32-bit memories instead of reserving 8 GiB of address
    /// space per memory (slower; for emulators and tight address spaces).
    #[arg(long)]
    explicit_bounds_checks: bool,
    /// Run Cranelift's IR verifier on every function.
    #[arg(long)]
    verify: bool,
    /// Build a component even if it imports functions smelt's host does not provide; calling
    /// one traps with a message naming it.
    #[arg(long)]
    trap_unknown_imports: bool,
    /// Grant the host directory HOST to the program as GUEST (HOST by default); a relative
    /// HOST is resolved in the working directory at run time. Repeatable.
    #[arg(
        long = "dir",
        value_name = "HOST[::GUEST]",
        help_heading = "Capabilities (none by default)"
    )]
    dirs: Vec<String>,
    /// Like --dir, read-only: nothing below the directory can be changed.
    #[arg(
        long = "dir-ro",
        value_name = "HOST[::GUEST]",
        help_heading = "Capabilities (none by default)"
    )]
    dirs_ro: Vec<String>,
    /// Grant an environment variable: NAME=VALUE, or NAME to pass the value it has when the
    /// executable runs. Repeatable.
    #[arg(
        long = "env",
        value_name = "NAME[=VALUE]",
        help_heading = "Capabilities (none by default)"
    )]
    env: Vec<String>,
    /// Grant the whole environment the executable runs in.
    #[arg(long, help_heading = "Capabilities (none by default)")]
    inherit_env: bool,
    /// Let whoever runs the executable add grants through the SMELT_GRANTS environment
    /// variable (whitespace-separated --dir=, --dir-ro=, --env=, --inherit-env).
    #[arg(long, help_heading = "Capabilities (none by default)")]
    allow_runtime_grants: bool,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let (num, mul) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mul))
        .ok_or_else(|| format!("`{s}` is not a size (examples: 65536, 64K, 256M, 4G)"))
}

fn build(args: BuildArgs) -> smelt::Result<()> {
    let target_name = match &args.target {
        Some(t) => t.clone(),
        None => smelt::target::host()
            .ok_or_else(|| {
                smelt::Error::Target("this host is not a supported target; pass --target".into())
            })?
            .triple
            .to_string(),
    };
    let grants = grants(&args)?;
    let options = TargetOptions {
        opt_level: args.opt_level,
        features: args.target_features.clone(),
        verify: args.verify,
        cpu: args.target_cpu.clone(),
        no_multiversion: args.no_multiversion,
        no_pair_lanes: args.no_pair_lanes,
    };
    let target = smelt::target::lookup(&target_name, &options)?;
    let input = smelt::InputOptions {
        trap_unknown_imports: args.trap_unknown_imports,
    };
    let bar = progress_bar::Bar::start();
    let result = compile(&args, &target, &input, grants, &bar);
    bar.finish();
    result
}

fn compile(
    args: &BuildArgs,
    target: &smelt::Target,
    input: &smelt::InputOptions,
    grants: Grants,
    bar: &std::sync::Arc<progress_bar::Bar>,
) -> smelt::Result<()> {
    let program = smelt::program_from_file_with(&args.input, input)?;
    let emit = EmitOptions {
        max_memory: args.max_memory,
        stack_size: args.stack_size,
        bounds_checked: args.explicit_bounds_checks,
        grants,
        progress: smelt::ProgressHook::new(bar.clone()),
        ..EmitOptions::default()
    };
    match args.emit {
        Emit::Exe => smelt::build_executable(
            &program,
            target,
            &emit,
            &args.output,
            args.linker.as_deref(),
        ),
        Emit::Obj => smelt::build_object(&program, target, &emit, &args.output),
    }
}

/// The capability options, in the order given on the command line within each kind
/// (`--dir` before `--dir-ro`).
fn grants(args: &BuildArgs) -> smelt::Result<Grants> {
    let mut dirs = Vec::new();
    for d in &args.dirs {
        dirs.push(DirGrant::parse(d, false)?);
    }
    for d in &args.dirs_ro {
        dirs.push(DirGrant::parse(d, true)?);
    }
    let env = args
        .env
        .iter()
        .map(|e| EnvGrant::parse(e))
        .collect::<smelt::Result<_>>()?;
    Ok(Grants {
        dirs,
        env,
        inherit_env: args.inherit_env,
        runtime_grants: args.allow_runtime_grants,
    })
}

fn bench(args: BenchArgs) -> smelt::Result<()> {
    let smelt = std::env::current_exe()
        .map_err(|e| smelt::Error::Internal(format!("finding the smelt executable: {e}")))?;
    let opts = smelt::bench::Options {
        input: args.input,
        args: args.args,
        runs: args.runs.max(1),
        dirs: args.dirs,
        build_args: args
            .trap_unknown_imports
            .then(|| "--trap-unknown-imports".to_string())
            .into_iter()
            .chain(args.target_cpu.map(|cpu| format!("--target-cpu={cpu}")))
            .collect(),
        smelt,
        wasmtime: args
            .wasmtime
            .or_else(|| smelt::bench::find_on_path("wasmtime")),
    };
    smelt::bench::bench(&opts, &mut std::io::stdout().lock())
}

/// Lists the targets on `out`.
fn targets(out: &mut impl Write) -> std::io::Result<()> {
    let names = |flags: &[&str]| {
        flags
            .iter()
            .map(|f| f.trim_start_matches("has_"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for arch in smelt::target::ARCHES {
        writeln!(out, "{} (alias {})", arch.triple, arch.name)?;
        writeln!(out, "  baseline: {}", names(arch.base_flags))?;
        if let Some(tier) = &arch.fast_tier {
            writeln!(
                out,
                "  fast tier of multiversioned functions ({}): {}",
                tier.name,
                names(tier.flags)
            )?;
        }
        writeln!(out, "  features (--target-feature +NAME):")?;
        for (name, desc, default) in smelt::target::features(arch) {
            writeln!(out, "    {name:<16} {desc} [default {default}]")?;
        }
        let mut cpus = vec!["native (this machine's features)".to_string()];
        cpus.extend(smelt::target::cpus(arch).into_iter().map(|(name, _)| name));
        writeln!(out, "  CPUs (--target-cpu NAME): {}", cpus.join(", "))?;
    }
    out.flush()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(*args),
        Command::Bench(args) => bench(args),
        // A closed pipe (`smelt targets | head`) ends the listing quietly, as it does for
        // other command-line tools.
        Command::Targets => match targets(&mut std::io::stdout().lock()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(smelt::Error::Write {
                path: "standard output".into(),
                source: e,
            }),
            _ => Ok(()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::FAILURE
        }
    }
}
