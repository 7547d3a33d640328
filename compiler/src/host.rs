//! The host functions the runtime implements (WASI 0.2), from the contract's
//! [`smelt_contract::for_each_host_function!`] list: what a component's imports may bind to.
//!
//! A lowered import becomes, per importing core instance, an adapter function with the wasm
//! calling convention (`emit/entry.rs`) that passes the lowering's memory and the flat
//! arguments to the runtime symbol `smelt_host_<name>`; see the contract for the convention.

use smelt_contract::builtins::{Abi, AbiType};
use smelt_contract::host::{HOST_PREFIX, INTERFACES, MAX_PATCH};
use std::sync::LazyLock;
use wasmparser::ValType;

/// One host function.
#[derive(Debug, PartialEq, Eq)]
pub struct HostFunc {
    /// The interface without its version: `wasi:cli/stdout`.
    pub interface: &'static str,
    /// The function's name in the interface: `get-stdout`, `[method]output-stream.write`.
    pub func: &'static str,
    /// The runtime symbol.
    pub symbol: String,
    /// Flattened core parameters (after the implicit context pointer).
    pub params: Vec<ValType>,
    /// Flattened core results (at most one).
    pub results: Vec<ValType>,
}

fn val_type(t: AbiType) -> ValType {
    match t {
        AbiType::I32 => ValType::I32,
        AbiType::I64 => ValType::I64,
        AbiType::Ptr => unreachable!("host functions take wasm values only"),
    }
}

macro_rules! host_function_list {
    ($( $(#[$doc:meta])* $interface:literal $func:literal
        $name:ident( $($p:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)?; )*) => {
        fn list() -> Vec<HostFunc> {
            vec![$(
                HostFunc {
                    interface: $interface,
                    func: $func,
                    symbol: format!("{HOST_PREFIX}{}", stringify!($name)),
                    params: vec![$( val_type(<$ty as Abi>::TYPE) ),*],
                    results: vec![$( val_type(<$ret as Abi>::TYPE) )?],
                },
            )*]
        }
    };
}
smelt_contract::for_each_host_function!(host_function_list);

static HOST_FUNCS: LazyLock<Vec<HostFunc>> = LazyLock::new(list);

/// Every host function.
pub fn all() -> &'static [HostFunc] {
    &HOST_FUNCS
}

/// The interface an import name such as `wasi:cli/stdout@0.2.3` names, without its version,
/// if it is a WASI 0.2 version the host implements.
pub fn interface(import: &str) -> Option<&str> {
    let (interface, version) = import.split_once('@')?;
    let patch = version.strip_prefix("0.2.")?;
    let patch: u32 = patch.parse().ok()?;
    (patch <= MAX_PATCH && INTERFACES.contains(&interface)).then_some(interface)
}

/// The host function `func` of `interface` (unversioned).
///
/// Invariant (checked by a test): every function's interface is in [`INTERFACES`].
pub fn lookup(interface: &str, func: &str) -> Option<&'static HostFunc> {
    all()
        .iter()
        .find(|h| h.interface == interface && h.func == func)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_function_is_in_a_listed_interface() {
        for h in super::all() {
            assert!(super::INTERFACES.contains(&h.interface), "{}", h.interface);
        }
        assert_eq!(
            super::interface("wasi:cli/stdout@0.2.12"),
            Some("wasi:cli/stdout")
        );
        assert_eq!(super::interface("wasi:cli/stdout@0.2.13"), None);
        assert_eq!(super::interface("wasi:cli/stdout@0.3.0"), None);
        assert_eq!(super::interface("wasi:sockets/tcp@0.2.0"), None);
    }
}
