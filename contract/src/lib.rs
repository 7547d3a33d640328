//! The contract between smelt's compiler and its runtime.
//!
//! Everything that both halves must agree on lives here and nowhere else: the layout of the
//! static structures the compiler emits and the runtime reads or writes ([`layout`]), the trap
//! codes ([`Trap`]), the runtime entry points that compiled code calls
//! ([`for_each_builtin!`]), the WASI interfaces the runtime implements
//! ([`host::INTERFACES`]; their functions come from `wit/` through `smelt-hostgen`), the
//! program descriptor the runtime starts from ([`program`]), the capabilities granted at build
//! time ([`grants`]) and the symbol names that tie them together ([`symbols`]).
//!
//! Invariant: this crate is `#![no_std]`, has no dependencies, and every type shared in memory
//! is `#[repr(C)]` with its offsets written down as constants that are checked at compile time
//! against `core::mem::offset_of!`. A layout change is therefore a compile error in both halves,
//! never a silent mismatch discovered under qemu.
#![no_std]

pub mod builtins;
pub mod grants;
pub mod host;
pub mod layout;
pub mod names;
pub mod program;
pub mod script;
pub mod symbols;
mod trap;

pub use trap::Trap;
