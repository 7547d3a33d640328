//! The host functions a component may import: every function of the WASI 0.2 interfaces in
//! smelt's `wit/` world, from the table `build.rs` generates with `smelt-hostgen` (so the
//! flat signatures and runtime symbols come from the same WIT as runtime-lib's bindings).
//! A function is implemented when the contract lists its interface
//! (`smelt_contract::host::INTERFACES`); the others are known by name so that a component
//! importing them gets a precise error, or, with `--trap-unknown-imports`, a trap.
//!
//! A lowered import becomes, per importing core instance, an adapter function with the wasm
//! calling convention (`emit/entry.rs`) that passes the lowering's static record and the
//! flat arguments to the runtime symbol; see `smelt_contract::host` for the convention.

use smelt_contract::host::MAX_PATCH;
use wasmparser::ValType;

/// One host function.
#[derive(Debug, PartialEq, Eq)]
pub struct HostFunc {
    /// The interface without its version: `wasi:cli/stdout`.
    pub interface: &'static str,
    /// The function's name in the interface: `get-stdout`, `[method]output-stream.write`,
    /// `[resource-drop]output-stream`.
    pub func: &'static str,
    /// The runtime symbol.
    pub symbol: &'static str,
    /// Flat core parameters (after the implicit lowering record).
    pub params: &'static [ValType],
    /// Flat core results (at most one).
    pub results: &'static [ValType],
    /// The component-level type in hostgen's structural form (`Wit::signature`: e.g.
    /// `func(borrow<#3>, list<u8>) -> result<_, variant{...}>`); empty for a resource drop.
    pub signature: &'static str,
    /// Whether the runtime implements it.
    pub implemented: bool,
}

include!(concat!(env!("OUT_DIR"), "/host_table.rs"));

/// Every host function.
pub fn all() -> &'static [HostFunc] {
    FUNCS
}

/// The interface an import name such as `wasi:cli/stdout@0.2.3` names, without its version,
/// if it is an interface of WASI 0.2.0 to 0.2.[`MAX_PATCH`] that `wit/` knows.
pub fn interface(import: &str) -> Option<&'static str> {
    let (interface, version) = import.split_once('@')?;
    let patch = version.strip_prefix("0.2.")?;
    // Pre-release versions (`0.2.0-rc-2023-11-10`) name drafts smelt does not implement.
    let patch: u32 = patch.parse().ok()?;
    if patch > MAX_PATCH {
        return None;
    }
    all()
        .iter()
        .find(|h| h.interface == interface)
        .map(|h| h.interface)
}

/// The handle tag of host resource `name` of `interface` (unversioned).
pub fn resource_tag(interface: &str, name: &str) -> Option<u32> {
    RESOURCES
        .iter()
        .position(|(i, n)| *i == interface && *n == name)
        .map(|p| p as u32 + 1)
}

/// Whether the runtime implements `interface` (unversioned).
pub fn implemented(interface: &str) -> bool {
    all()
        .iter()
        .any(|h| h.interface == interface && h.implemented)
}

/// The host function `func` of `interface` (unversioned).
pub fn lookup(interface: &str, func: &str) -> Option<&'static HostFunc> {
    all()
        .iter()
        .find(|h| h.interface == interface && h.func == func)
}

/// A stand-in for an import the host does not provide (`--trap-unknown-imports`): calling
/// it traps naming `import#func` (or `import` for a function import). Its signature is the
/// importing core function's own; it has no runtime symbol.
pub fn unknown(import: &str, func: &str) -> &'static HostFunc {
    // One per distinct import of a compilation: leaking is bounded by the input's size.
    Box::leak(Box::new(HostFunc {
        interface: Box::leak(import.into()),
        func: Box::leak(func.into()),
        symbol: "",
        params: &[],
        results: &[],
        signature: "",
        implemented: false,
    }))
}

impl HostFunc {
    /// `interface#func`, or the interface alone for a function import.
    pub fn name(&self) -> String {
        if self.func.is_empty() {
            self.interface.to_string()
        } else {
            format!("{}#{}", self.interface, self.func)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interfaces_and_versions() {
        assert_eq!(interface("wasi:cli/stdout@0.2.12"), Some("wasi:cli/stdout"));
        assert_eq!(interface("wasi:cli/stdout@0.2.0"), Some("wasi:cli/stdout"));
        assert_eq!(interface("wasi:cli/stdout@0.2.13"), None);
        assert_eq!(interface("wasi:cli/stdout@0.3.0"), None);
        assert_eq!(interface("wasi:cli/stdout@0.2.0-rc-2023-11-10"), None);
        assert_eq!(
            interface("wasi:sockets/tcp@0.2.0"),
            Some("wasi:sockets/tcp")
        );
        assert!(implemented("wasi:io/streams"));
        assert!(implemented("wasi:sockets/tcp"));
        assert!(!implemented("wasi:http/types"));
        for name in smelt_contract::host::INTERFACES {
            assert!(implemented(name), "{name}");
        }
    }

    #[test]
    fn signatures_come_from_wit() {
        let write = lookup("wasi:io/streams", "[method]output-stream.write").unwrap();
        assert_eq!(write.params, &[ValType::I32; 4]);
        assert!(write.results.is_empty());
        let now = lookup("wasi:clocks/monotonic-clock", "now").unwrap();
        assert_eq!(now.results, &[ValType::I64]);
        assert!(lookup("wasi:io/streams", "[resource-drop]output-stream").is_some());
        assert_eq!(resource_tag("wasi:io/error", "error"), Some(1));
        assert!(resource_tag("wasi:io/streams", "output-stream").is_some());
        assert_eq!(resource_tag("wasi:io/streams", "nothing"), None);
    }
}
