//! Capabilities granted at build time: the `--dir`, `--dir-ro`, `--env`, `--inherit-env` and
//! `--allow-runtime-grants` options of `smelt build`, parsed and checked. `emit/descriptors.rs`
//! writes them into the executable as `smelt_contract::grants::GrantsDesc`; the runtime
//! decodes them once at start-up.
//!
//! Nothing is granted by default. The spellings are the Wasmtime CLI's:
//! - `--dir HOST[::GUEST]`: the host directory HOST, seen by the program as GUEST (HOST by
//!   default). A relative HOST is resolved at run time against the executable's working
//!   directory, as `wasmtime run --dir` resolves it against Wasmtime's.
//! - `--dir-ro HOST[::GUEST]`: the same, read-only (Wasmtime's `DirPerms::READ` and
//!   `FilePerms::READ`; its CLI has no spelling for it).
//! - `--env NAME=VALUE`: the variable with that value. `--env NAME`: the variable with the
//!   value it has in the executable's environment at run time, absent if it has none, as
//!   `wasmtime run --env NAME` takes it from Wasmtime's environment.
//! - `--inherit-env`: the executable's whole environment (Wasmtime's `-S inherit-env`);
//!   `--env` values take precedence.

use crate::error::{Error, Result};

/// A preopened directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirGrant {
    /// The host directory as given.
    pub host: String,
    /// The name the program sees.
    pub guest: String,
    /// Granted with `--dir-ro`.
    pub read_only: bool,
}

/// An environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvGrant {
    /// The variable's name.
    pub name: String,
    /// Its value, or `None` to take the executable's at run time.
    pub value: Option<String>,
}

/// Everything a program may reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    /// Preopened directories, in order.
    pub dirs: Vec<DirGrant>,
    /// Environment variables, in order.
    pub env: Vec<EnvGrant>,
    /// The whole environment of the executable.
    pub inherit_env: bool,
    /// Whoever runs the executable may add grants (`SMELT_GRANTS`).
    pub runtime_grants: bool,
}

impl DirGrant {
    /// Parses `HOST[::GUEST]`.
    pub fn parse(spec: &str, read_only: bool) -> Result<DirGrant> {
        let (host, guest) = spec.split_once("::").unwrap_or((spec, spec));
        let bad = |why: &str| Error::Grant(format!("--dir {spec}: {why}"));
        if host.is_empty() {
            return Err(bad("the host directory is empty"));
        }
        if guest.is_empty() {
            return Err(bad("the guest path is empty"));
        }
        if host.contains('\0') || guest.contains('\0') {
            return Err(bad("a path contains a NUL byte"));
        }
        Ok(DirGrant {
            host: host.into(),
            guest: guest.into(),
            read_only,
        })
    }
}

impl EnvGrant {
    /// Parses `NAME[=VALUE]`.
    pub fn parse(spec: &str) -> Result<EnvGrant> {
        let (name, value) = match spec.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (spec, None),
        };
        if name.is_empty()
            || name.contains('\0')
            || value.as_deref().is_some_and(|v| v.contains('\0'))
        {
            return Err(Error::Grant(format!(
                "--env {spec}: expected NAME or NAME=VALUE with a non-empty NAME and no NUL byte"
            )));
        }
        Ok(EnvGrant {
            name: name.into(),
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirs() {
        let d = DirGrant::parse("/srv/data::/data", false).unwrap();
        assert_eq!((d.host.as_str(), d.guest.as_str()), ("/srv/data", "/data"));
        let d = DirGrant::parse("rel", true).unwrap();
        assert_eq!(
            (d.host.as_str(), d.guest.as_str(), d.read_only),
            ("rel", "rel", true)
        );
        assert_eq!(DirGrant::parse("a::.", false).unwrap().guest, ".");
        assert!(DirGrant::parse("::/x", false).is_err());
        assert!(DirGrant::parse("/x::", false).is_err());
    }

    #[test]
    fn env() {
        let e = EnvGrant::parse("A=b=c d").unwrap();
        assert_eq!((e.name.as_str(), e.value.as_deref()), ("A", Some("b=c d")));
        assert_eq!(
            EnvGrant::parse("EMPTY=").unwrap().value.as_deref(),
            Some("")
        );
        assert_eq!(EnvGrant::parse("HOST").unwrap().value, None);
        assert!(EnvGrant::parse("=x").is_err());
    }
}
