//! What this run of the program may reach: one [`Capabilities`] value, decided once at
//! start-up ([`decide`]) and never changed afterwards. Nothing is reachable unless granted.
//!
//! - Build-time grants come from the program descriptor (`smelt_contract::grants`):
//!   `--dir`, `--dir-ro`, `--env`, `--inherit-env`.
//! - Run-time grants: only when the build said `--allow-runtime-grants`, the variable
//!   `SMELT_GRANTS` adds grants with the same spellings, separated by ASCII whitespace
//!   (`--dir=HOST[::GUEST]`, `--dir-ro=...`, `--env=NAME[=VALUE]`, `--inherit-env`; the value
//!   may also be the next word). Otherwise `SMELT_GRANTS` is an ordinary variable, granted
//!   to nobody.
//! - Directories are opened here, before the program runs; a relative host path is resolved
//!   against the working directory at start-up. A granted directory that cannot be opened
//!   stops the executable with an error, as Wasmtime refuses to start. Each preopen's
//!   descriptor stays open for the whole run; `get-directories` hands out duplicates.
//! - `--env NAME` (no value) reads NAME from the executable's environment now; it is absent
//!   when unset. Explicit `--env` grants override inherited variables of the same name.
#![allow(unsafe_code)]

use crate::io::{Out, RUNTIME_FAILURE, STDERR};
use crate::{desc, process, sys};
use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicBool, Ordering};
use smelt_contract::grants::{DirGrant, EnvGrant, GrantsDesc, RUNTIME_GRANTS_VAR};

/// Most preopened directories.
const MAX_DIRS: usize = 64;
/// Most explicitly granted variables.
const MAX_ENV: usize = 128;

/// A preopened directory.
#[derive(Clone, Copy, Debug)]
pub struct Preopen {
    /// The descriptor opened at start-up (kept open for the whole run).
    pub fd: i32,
    /// The guest path.
    pub guest: &'static str,
    /// Granted read-only.
    pub read_only: bool,
}

/// An explicitly granted variable, its value resolved.
#[derive(Clone, Copy, Debug)]
struct Var {
    name: &'static [u8],
    value: &'static [u8],
}

/// Every grant of this run.
pub struct Capabilities {
    // Uninitialised past the counts, so that the static's initial value is zeroes and
    // undefined bytes only: it goes to .bss and costs no file space (5.6 KB otherwise).
    preopens: [MaybeUninit<Preopen>; MAX_DIRS],
    preopen_count: usize,
    env: [MaybeUninit<Var>; MAX_ENV],
    env_count: usize,
    inherit_env: bool,
}

struct Decided {
    caps: UnsafeCell<Capabilities>,
    done: AtomicBool,
}

// SAFETY: written once by `decide` at start-up on the only thread, read-only afterwards.
unsafe impl Sync for Decided {}

static CAPS: Decided = Decided {
    caps: UnsafeCell::new(Capabilities {
        preopens: [const { MaybeUninit::uninit() }; MAX_DIRS],
        preopen_count: 0,
        env: [const { MaybeUninit::uninit() }; MAX_ENV],
        env_count: 0,
        inherit_env: false,
    }),
    done: AtomicBool::new(false),
};

/// The capabilities of this run.
pub fn get() -> &'static Capabilities {
    if !CAPS.done.load(Ordering::Acquire) {
        crate::io::fatal("capabilities used before start-up decided them");
    }
    // SAFETY: immutable once `done` is set (see `Decided`).
    unsafe { &*CAPS.caps.get() }
}

/// Decides the capabilities: build-time grants, then run-time ones if allowed. Runs once, at
/// start-up, before any wasm code.
pub fn decide() {
    // SAFETY: start-up, single thread, before any reader (`get` checks `done`).
    let caps = unsafe { &mut *CAPS.caps.get() };
    let grants = desc::grants();
    caps.inherit_env = grants.flags & GrantsDesc::INHERIT_ENV != 0;
    for d in desc::dir_grants() {
        let host = desc::bytes(d.host, d.host_len);
        let guest = desc::bytes(d.guest, d.guest_len);
        caps.add_dir(host, guest, d.flags & DirGrant::READ_ONLY != 0);
    }
    for e in desc::env_grants() {
        let name = desc::bytes(e.name, e.name_len);
        if e.flags & EnvGrant::FROM_HOST != 0 {
            caps.add_env_from_host(name);
        } else {
            caps.add_env(name, desc::bytes(e.value, e.value_len));
        }
    }
    if grants.flags & GrantsDesc::RUNTIME_GRANTS != 0
        && let Some(spec) = process::var(RUNTIME_GRANTS_VAR.as_bytes())
    {
        caps.add_runtime_grants(spec);
    }
    CAPS.done.store(true, Ordering::Release);
}

fn refuse(what: &str, detail: &[u8]) -> ! {
    Out::new(STDERR)
        .str("smelt: ")
        .str(what)
        .bytes(detail)
        .str("\n")
        .flush();
    sys::exit_group(RUNTIME_FAILURE)
}

impl Capabilities {
    fn add_dir(&mut self, host: &'static [u8], guest: &'static [u8], read_only: bool) {
        let Ok(guest) = core::str::from_utf8(guest) else {
            refuse("a granted directory's guest path is not UTF-8: ", guest);
        };
        if self.preopen_count == MAX_DIRS {
            refuse("too many granted directories (at most 64)", b"");
        }
        let fd = match crate::wasi::filesystem::open_preopen(host) {
            Ok(fd) => fd,
            Err(e) => {
                let mut digits = [0u8; 20];
                Out::new(STDERR)
                    .str("smelt: cannot open the granted directory `")
                    .bytes(host)
                    .str("`: errno ")
                    .bytes(crate::io::decimal(
                        e.raw_os_error().unsigned_abs().into(),
                        &mut digits,
                    ))
                    .str("\n")
                    .flush();
                sys::exit_group(RUNTIME_FAILURE)
            }
        };
        self.preopens[self.preopen_count].write(Preopen {
            fd,
            guest,
            read_only,
        });
        self.preopen_count += 1;
    }

    fn add_env(&mut self, name: &'static [u8], value: &'static [u8]) {
        if let Some(v) = self.env_mut().iter_mut().find(|v| v.name == name) {
            v.value = value;
            return;
        }
        if self.env_count == MAX_ENV {
            refuse("too many granted environment variables (at most 128)", b"");
        }
        self.env[self.env_count].write(Var { name, value });
        self.env_count += 1;
    }

    fn add_env_from_host(&mut self, name: &'static [u8]) {
        if let Some(value) = process::var(name) {
            self.add_env(name, value);
        }
    }

    /// Parses `SMELT_GRANTS` (module docs).
    fn add_runtime_grants(&mut self, spec: &'static [u8]) {
        let mut words = spec
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        while let Some(word) = words.next() {
            if word == b"--inherit-env" {
                self.inherit_env = true;
                continue;
            }
            let (option, inline) = match word.iter().position(|&b| b == b'=') {
                Some(i) => (&word[..i], Some(&word[i + 1..])),
                None => (word, None),
            };
            let Some(value) = inline.or_else(|| words.next()) else {
                refuse("SMELT_GRANTS: a value is missing after ", word);
            };
            match option {
                b"--dir" | b"--dir-ro" => {
                    let (host, guest) = split_dir(value);
                    if host.is_empty() || guest.is_empty() {
                        refuse("SMELT_GRANTS: expected --dir=HOST[::GUEST], got ", value);
                    }
                    self.add_dir(host, guest, option == b"--dir-ro");
                }
                b"--env" => match value.iter().position(|&b| b == b'=') {
                    Some(0) => refuse("SMELT_GRANTS: an --env name is empty: ", value),
                    Some(i) => self.add_env(&value[..i], &value[i + 1..]),
                    None => self.add_env_from_host(value),
                },
                _ => refuse("SMELT_GRANTS: unknown grant ", word),
            }
        }
    }

    /// The preopened directory `i`, in grant order.
    pub fn preopen(&self, i: usize) -> Option<Preopen> {
        // SAFETY: the first `preopen_count` entries are initialised (`add_dir`).
        let preopens = unsafe { init_prefix(&self.preopens, self.preopen_count) };
        preopens.get(i).copied()
    }

    /// The number of preopened directories.
    pub fn preopen_count(&self) -> usize {
        self.preopen_count
    }

    /// The environment the program sees, `(name, value)`: inherited variables not granted
    /// explicitly, then the explicit grants.
    pub fn environment(&self) -> impl Iterator<Item = (&'static [u8], &'static [u8])> + '_ {
        let explicit = self.env();
        let inherited = process::env()
            .filter(move |_| self.inherit_env)
            .filter_map(|kv| {
                let i = kv.iter().position(|&b| b == b'=')?;
                Some((&kv[..i], &kv[i + 1..]))
            })
            .filter(move |(name, _)| !explicit.iter().any(|v| v.name == *name));
        inherited.chain(explicit.iter().map(|v| (v.name, v.value)))
    }
}

impl Capabilities {
    fn env(&self) -> &[Var] {
        // SAFETY: the first `env_count` entries are initialised (`add_env`).
        unsafe { init_prefix(&self.env, self.env_count) }
    }

    fn env_mut(&mut self) -> &mut [Var] {
        // SAFETY: as in `env`.
        unsafe { core::slice::from_raw_parts_mut(self.env.as_mut_ptr().cast(), self.env_count) }
    }
}

/// The first `n` entries of `slots`.
///
/// # Safety
///
/// They must be initialised.
unsafe fn init_prefix<T>(slots: &[MaybeUninit<T>], n: usize) -> &[T] {
    let n = n.min(slots.len());
    // SAFETY: `MaybeUninit<T>` has `T`'s layout; the caller promises the first `n` are set.
    unsafe { core::slice::from_raw_parts(slots.as_ptr().cast(), n) }
}

/// `HOST[::GUEST]` as `(HOST, GUEST)`, GUEST defaulting to HOST.
fn split_dir(spec: &'static [u8]) -> (&'static [u8], &'static [u8]) {
    match spec.windows(2).position(|w| w == b"::") {
        Some(i) => (&spec[..i], &spec[i + 2..]),
        None => (spec, spec),
    }
}
