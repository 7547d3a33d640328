//! `wit/` is the contract between smelt and the components it compiles (see `wit/README.md`).
//!
//! - `smelt_command_world`: `wit/` (with `wit/deps/`) resolves, and the world smelt
//!   implements imports exactly the `wasi:cli/command@0.2.12` interfaces and exports
//!   `wasi:cli/run`.
//! - `vendored_packages_are_wasi_0_2_12`: every package in `wit/deps/` is a WASI 0.2.12
//!   package, and every file there is part of one.
//! - `deps_match_lock`: every file in `wit/deps/` has the sha256 recorded in `wit/deps.lock`
//!   by `wit/vendor.sh`, and no file is missing or extra.
//! - `deps_match_published_crate`: every file in `wit/deps/` is byte for byte the file of the
//!   published crate it came from (the crate is a dev-dependency, so cargo has it locally),
//!   and the crate's `wit/deps/` has nothing that was not vendored; the crate's checksum in
//!   `Cargo.lock` is the one `wit/deps.lock` records.

use sha2::{Digest, Sha256};
use smelt_tests::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use wit_parser::{Resolve, WorldItem};

const WASI_VERSION: &str = "0.2.12";

/// What a `wasi:cli/command@0.2.12` component may import, as the vendored WIT defines it
/// (without `@unstable` items, which smelt does not enable). A new WASI release that changes
/// this list changes what smelt must provide, so it must be reviewed here.
const COMMAND_IMPORTS: &[&str] = &[
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:clocks/monotonic-clock",
    "wasi:clocks/wall-clock",
    "wasi:filesystem/types",
    "wasi:filesystem/preopens",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
    "wasi:sockets/network",
    "wasi:sockets/instance-network",
    "wasi:sockets/udp",
    "wasi:sockets/udp-create-socket",
    "wasi:sockets/tcp",
    "wasi:sockets/tcp-create-socket",
    "wasi:sockets/ip-name-lookup",
];

const COMMAND_EXPORTS: &[&str] = &["wasi:cli/run"];

fn wit_dir() -> PathBuf {
    root().join("wit")
}

fn deps_dir() -> PathBuf {
    wit_dir().join("deps")
}

fn resolve_wit() -> (Resolve, wit_parser::PackageId, Vec<PathBuf>) {
    let mut resolve = Resolve::default();
    let (pkg, sources) = resolve
        .push_dir(wit_dir())
        .unwrap_or_else(|e| panic!("wit/ does not resolve: {e:?}"));
    let paths = sources.paths().map(Path::to_path_buf).collect();
    (resolve, pkg, paths)
}

fn versioned(names: &[&str]) -> BTreeSet<String> {
    names
        .iter()
        .map(|n| format!("{n}@{WASI_VERSION}"))
        .collect()
}

/// Names of a world's imports or exports; every one must be a whole named interface.
fn interface_names<'a>(
    resolve: &Resolve,
    items: impl Iterator<Item = (&'a wit_parser::WorldKey, &'a WorldItem)>,
) -> BTreeSet<String> {
    items
        .map(|(key, item)| {
            let name = resolve.name_world_key(key);
            assert!(
                matches!(key, wit_parser::WorldKey::Interface(_))
                    && matches!(item, WorldItem::Interface { .. }),
                "`{name}` is not a named interface"
            );
            name
        })
        .collect()
}

#[test]
fn smelt_command_world() {
    let (resolve, pkg, _) = resolve_wit();
    let package = &resolve.packages[pkg];
    assert_eq!(package.name.to_string(), "smelt:host");
    let world_id = resolve
        .select_world(&[pkg], Some("command"))
        .expect("wit/smelt.wit defines world `command`");
    let world = &resolve.worlds[world_id];

    let imports = interface_names(&resolve, world.imports.iter());
    let exports = interface_names(&resolve, world.exports.iter());
    println!("smelt:host/command imports {} interfaces:", imports.len());
    for name in &imports {
        println!("  import {name}");
    }
    for name in &exports {
        println!("  export {name}");
    }

    let expected = versioned(COMMAND_IMPORTS);
    let missing: Vec<_> = expected.difference(&imports).collect();
    let extra: Vec<_> = imports.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "smelt:host/command imports differ from wasi:cli/command@{WASI_VERSION}: \
         missing {missing:?}, unexpected {extra:?}"
    );
    assert_eq!(exports, versioned(COMMAND_EXPORTS));

    // The world is the published one, not a copy: it includes `wasi:cli/command` and so has
    // exactly its imports and exports.
    let cli_command = resolve
        .select_world(&[pkg], Some(&format!("wasi:cli/command@{WASI_VERSION}")))
        .expect("wasi:cli/command is vendored");
    let cli_command = &resolve.worlds[cli_command];
    assert_eq!(
        imports,
        interface_names(&resolve, cli_command.imports.iter()),
        "smelt:host/command must be exactly wasi:cli/command's imports"
    );
    assert_eq!(
        exports,
        interface_names(&resolve, cli_command.exports.iter())
    );
}

#[test]
fn vendored_packages_are_wasi_0_2_12() {
    let (resolve, pkg, sources) = resolve_wit();
    let mut packages: Vec<String> = resolve
        .packages
        .iter()
        .filter(|(id, _)| *id != pkg)
        .map(|(_, p)| p.name.to_string())
        .collect();
    packages.sort();
    println!("vendored packages: {}", packages.join(", "));
    assert!(!packages.is_empty(), "wit/deps holds no package");
    for name in &packages {
        assert!(
            name.starts_with("wasi:") && name.ends_with(&format!("@{WASI_VERSION}")),
            "{name} is not a WASI {WASI_VERSION} package"
        );
    }
    for required in ["cli", "io", "clocks", "filesystem", "random", "sockets"] {
        let name = format!("wasi:{required}@{WASI_VERSION}");
        assert!(packages.contains(&name), "{name} is not vendored");
    }

    // wit-parser reads only `*.wit` files: anything else under wit/deps would be ignored
    // silently, so there must be nothing else.
    let parsed: BTreeSet<PathBuf> = sources
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    for (rel, _) in files_under(&deps_dir()) {
        let path = deps_dir().join(&rel).canonicalize().unwrap();
        assert!(
            parsed.contains(&path),
            "wit/deps/{rel} is not part of any parsed package"
        );
    }
}

/// Every file under `dir`, by `/`-separated path relative to it, with its contents.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().expect("UTF-8 file name");
            let rel = format!("{prefix}{name}");
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{rel}/"), out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Lock {
    source: Source,
    files: BTreeMap<String, LockedFile>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Source {
    #[serde(rename = "crate")]
    krate: String,
    version: String,
    crate_sha256: String,
    git_sha1: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LockedFile {
    sha256: String,
    crate_path: String,
}

fn read_lock() -> Lock {
    let path = wit_dir().join("deps.lock");
    let text = std::fs::read_to_string(&path).expect("wit/deps.lock (run wit/vendor.sh)");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn deps_match_lock() {
    let lock = read_lock();
    assert_eq!(lock.source.krate, "wasip2");
    assert!(
        lock.source
            .version
            .ends_with(&format!("+wasi-{WASI_VERSION}")),
        "wit/deps.lock: {} {} is not WASI {WASI_VERSION}",
        lock.source.krate,
        lock.source.version
    );
    assert_eq!(lock.source.crate_sha256.len(), 64);

    let files = files_under(&deps_dir());
    assert!(!files.is_empty(), "wit/deps is empty (run wit/vendor.sh)");
    let mut problems = Vec::new();
    for (rel, bytes) in &files {
        match lock.files.get(rel) {
            None => problems.push(format!("wit/deps/{rel} is not in wit/deps.lock")),
            Some(locked) if locked.sha256 != sha256_hex(bytes) => problems.push(format!(
                "wit/deps/{rel} has sha256 {}, wit/deps.lock says {}",
                sha256_hex(bytes),
                locked.sha256
            )),
            Some(_) => {}
        }
    }
    for rel in lock.files.keys() {
        if !files.contains_key(rel) {
            problems.push(format!("wit/deps/{rel} is in wit/deps.lock but missing"));
        }
    }
    assert!(
        problems.is_empty(),
        "wit/deps differs from the vendored package (re-run wit/vendor.sh; never edit \
         wit/deps by hand):\n  {}",
        problems.join("\n  ")
    );
    println!(
        "{} files match wit/deps.lock ({} {}, commit {})",
        files.len(),
        lock.source.krate,
        lock.source.version,
        lock.source.git_sha1
    );
}

/// The triple of the machine running the tests (what cargo builds for by default).
fn host_triple() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("run rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

/// The local copy of the crate cargo downloaded for this package's dev-dependency.
fn published_crate_dir(name: &str, version: &str) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        // Only the host's dependencies: a fresh machine has downloaded nothing else (no
        // Windows-only crates), and `--offline` must not need them.
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
        ])
        .arg(host_triple())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name && p["version"] == version)
        .unwrap_or_else(|| {
            panic!(
                "{name} {version} is not in the dependency graph: tests/Cargo.toml must \
                 depend on the crate wit/deps.lock names"
            )
        });
    let manifest = Path::new(package["manifest_path"].as_str().unwrap());
    manifest.parent().unwrap().to_path_buf()
}

#[test]
fn deps_match_published_crate() {
    let lock = read_lock();
    // The crate cargo resolved for this workspace is the one vendor.sh took the files from:
    // Cargo.lock's checksum (which cargo checks every download against) is the lock's.
    let cargo_lock: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.lock")).unwrap()).unwrap();
    let checksum = cargo_lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["name"].as_str() == Some(&lock.source.krate)
                && p["version"].as_str() == Some(&lock.source.version)
        })
        .and_then(|p| p.get("checksum")?.as_str())
        .unwrap_or_else(|| {
            panic!(
                "Cargo.lock has no checksummed {} {}: tests/Cargo.toml must depend on it",
                lock.source.krate, lock.source.version
            )
        });
    assert_eq!(
        checksum, lock.source.crate_sha256,
        "Cargo.lock's checksum of {} {} is not wit/deps.lock's crate-sha256",
        lock.source.krate, lock.source.version
    );

    let krate = published_crate_dir(&lock.source.krate, &lock.source.version);
    println!("comparing wit/deps with {}", krate.display());

    let files = files_under(&deps_dir());
    let mut problems = Vec::new();
    for (rel, bytes) in &files {
        let Some(locked) = lock.files.get(rel) else {
            problems.push(format!("wit/deps/{rel} is not in wit/deps.lock"));
            continue;
        };
        let theirs = krate.join(&locked.crate_path);
        match std::fs::read(&theirs) {
            Ok(theirs) if &theirs == bytes => {}
            Ok(_) => problems.push(format!(
                "wit/deps/{rel} differs from {} in the crate",
                locked.crate_path
            )),
            Err(e) => problems.push(format!("{}: {e}", theirs.display())),
        }
    }
    for rel in lock.files.keys() {
        if !files.contains_key(rel) {
            problems.push(format!("wit/deps/{rel} is in wit/deps.lock but missing"));
        }
    }
    // Everything the crate ships under wit/deps was vendored.
    let vendored: BTreeSet<&str> = lock.files.values().map(|f| f.crate_path.as_str()).collect();
    for rel in files_under(&krate.join("wit/deps")).keys() {
        let crate_path = format!("wit/deps/{rel}");
        if !vendored.contains(crate_path.as_str()) {
            problems.push(format!("the crate's {crate_path} was not vendored"));
        }
    }
    assert!(
        problems.is_empty(),
        "wit/deps differs from {} {} (re-run wit/vendor.sh):\n  {}",
        lock.source.krate,
        lock.source.version,
        problems.join("\n  ")
    );
    println!("{} files identical to the published crate's", files.len());
}
