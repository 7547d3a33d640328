//! The runtime entry points that compiled code calls: the C ABI surface of the runtime.
//!
//! Expanding the contract's [`smelt_contract::for_each_builtin!`] list here defines one
//! exported function per builtin, with the symbol name (`smelt_rt_<name>`), parameter types and
//! result type taken from the list itself, each forwarding to the implementation of the same
//! name in [`crate::memory`], [`crate::table`] or [`crate::trap`]. An implementation whose
//! signature drifts from the list is a type error in this expansion, and a builtin missing
//! from the runtime is an unresolved name: the two halves cannot disagree silently.
//!
//! (The symbol is spelled with `export_name = concat!(..)` rather than `no_mangle` on a
//! hand-written `smelt_rt_<name>` because `macro_rules!` cannot build the identifier
//! `smelt_rt_<name>` from `<name>`; this way the symbol name cannot drift either.)
//!
//! # Safety
//!
//! The exported functions are called only by compiled wasm code, with pointers to the
//! compiler's static records as the contract describes; the implementations document what
//! they rely on.
#![allow(unsafe_code)]

/// The implementations, by builtin name.
mod imp {
    pub use crate::handles::{
        resource_drop, resource_end_lend, resource_lend, resource_move, resource_new, resource_rep,
    };
    pub use crate::int128::{int128_sdiv, int128_srem, int128_udiv, int128_urem};
    pub use crate::memory::{memory_grow, memory_init, memory_new};
    pub use crate::table::{table_copy, table_fill, table_grow, table_init, table_new};
    pub use crate::transcode::string_transcode;
    pub use crate::trap::{raise_trap, unimplemented_import};
}

macro_rules! define_builtins {
    ($( $(#[$doc:meta])* $name:ident( $($param:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)?; )*) => {
        $(
            $(#[$doc])*
            ///
            /// # Safety
            ///
            /// Called by compiled code only, with arguments as the contract describes.
            #[unsafe(export_name = concat!("smelt_rt_", stringify!($name)))]
            pub unsafe extern "C" fn $name($($param: $ty),*) $(-> $ret)? {
                // The implementation must take exactly the listed types.
                let implementation: unsafe fn($($ty),*) $(-> $ret)? = imp::$name;
                // SAFETY: forwarded as received; see the implementation.
                unsafe { implementation($($param),*) }
            }
        )*
    };
}

smelt_contract::for_each_builtin!(define_builtins);
