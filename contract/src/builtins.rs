//! The runtime entry points that compiled code calls.
//!
//! [`for_each_builtin!`](crate::for_each_builtin) is the single list. The compiler expands it
//! into Cranelift signatures and imports (symbol `smelt_rt_<name>`); the runtime expands it
//! into compile-time assertions that its `extern "C"` definitions have exactly these types. A
//! signature that drifts on one side is a build error on the other.
//!
//! All builtins use the platform C calling convention. Pointer arguments point at the static
//! structures of [`crate::layout`]. Builtins that can trap do not return in that case.

/// How a builtin parameter or result is passed, as the compiler needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// Pointer-sized integer.
    Ptr,
    /// 128-bit integer, passed and returned as the platform C ABI passes `__int128` (two
    /// registers on x86_64, AArch64 and RISC-V 64; an argument pair starts at an
    /// even-numbered register on AArch64, so keep 128-bit parameters first).
    I128,
}

/// Rust types that may appear in a builtin signature.
pub trait Abi {
    /// How the type is passed.
    const TYPE: AbiType;
}

impl Abi for u32 {
    const TYPE: AbiType = AbiType::I32;
}
impl Abi for i32 {
    const TYPE: AbiType = AbiType::I32;
}
impl Abi for u64 {
    const TYPE: AbiType = AbiType::I64;
}
impl Abi for i64 {
    const TYPE: AbiType = AbiType::I64;
}
impl Abi for u128 {
    const TYPE: AbiType = AbiType::I128;
}
impl Abi for usize {
    const TYPE: AbiType = AbiType::Ptr;
}
impl<T> Abi for *mut T {
    const TYPE: AbiType = AbiType::Ptr;
}
impl<T> Abi for *const T {
    const TYPE: AbiType = AbiType::Ptr;
}

/// Calls `$mac!` with the list of builtins, each as
/// `/// doc  name(param: Type, ...) -> Ret;` (the result is optional).
#[macro_export]
macro_rules! for_each_builtin {
    ($mac:ident) => {
        $mac! {
            /// Reserves and commits a defined memory whose static fields `min_pages`,
            /// `max_pages`, `page_size_log2` and `flags` are set.
            memory_new(mem: *mut $crate::layout::VMMemory);
            /// `memory.grow`: returns the old size in pages, or `u64::MAX` on failure.
            memory_grow(mem: *mut $crate::layout::VMMemory, delta: u64) -> u64;
            /// `memory.init` from a data segment.
            memory_init(
                mem: *mut $crate::layout::VMMemory,
                seg: *mut $crate::layout::VMSegment,
                dst: u64,
                src: u32,
                len: u32
            );
            /// Allocates a defined table's elements, all set to `init`.
            table_new(table: *mut $crate::layout::VMTable, init: usize);
            /// `table.grow`: returns the old length, or `u64::MAX` on failure.
            table_grow(table: *mut $crate::layout::VMTable, delta: u64, init: usize) -> u64;
            /// `table.fill`.
            table_fill(table: *mut $crate::layout::VMTable, dst: u64, val: usize, len: u64);
            /// `table.copy` (the tables may be the same).
            table_copy(
                dst_table: *mut $crate::layout::VMTable,
                src_table: *mut $crate::layout::VMTable,
                dst: u64,
                src: u64,
                len: u64
            );
            /// `table.init` from an element segment.
            table_init(
                table: *mut $crate::layout::VMTable,
                seg: *mut $crate::layout::VMSegment,
                dst: u64,
                src: u32,
                len: u32
            );
            /// 128-bit unsigned division `a / b` (compiled code has trapped if `b` is 0).
            int128_udiv(a: u128, b: u128) -> u128;
            /// 128-bit unsigned remainder `a % b` (`b` is not 0).
            int128_urem(a: u128, b: u128) -> u128;
            /// 128-bit signed division of the bit patterns `a / b`, truncated toward zero;
            /// `i128::MIN / -1` wraps to `i128::MIN` (`b` is not 0).
            int128_sdiv(a: u128, b: u128) -> u128;
            /// 128-bit signed remainder, with the dividend's sign; `i128::MIN % -1` is 0
            /// (`b` is not 0).
            int128_srem(a: u128, b: u128) -> u128;
            /// Raises trap `code` (a [`crate::Trap`]) from compiled code that has no trap
            /// instruction for it.
            raise_trap(code: u32);
            /// Fused adapters: copies the string at `ptr` with stored length `len` (code
            /// units, tagged for `latin1+utf16`) in memory `src`, whose string encoding is
            /// `src_encoding` (a [`VMLowering`](crate::layout::VMLowering) encoding), into the
            /// memory of `dst` in its encoding, allocating with its `realloc` exactly as the
            /// Canonical ABI's `load_string` then `store_string` do. Traps as they do (unaligned
            /// pointer, out of bounds, invalid encoding, too long). Returns `ptr | len << 32`
            /// of the copy.
            string_transcode(
                dst: *const $crate::layout::VMLowering,
                src: *mut $crate::layout::VMMemory,
                src_encoding: u32,
                ptr: u32,
                len: u32
            ) -> u64;
            /// Raises [`Trap::UnimplementedImport`](crate::Trap) naming the import: the UTF-8
            /// text of `len` bytes at `name` (static data of the compiled program).
            unimplemented_import(name: *const u8, len: usize);
            /// `canon resource.new`: a new own handle in `table` for `rep` of the resource
            /// type with handle tag `tag`.
            resource_new(table: *mut $crate::layout::VMHandleTable, tag: u32, rep: u32) -> u32;
            /// `canon resource.rep`: the representation of `handle` (own or borrow), which
            /// must be of type `tag`.
            resource_rep(table: *mut $crate::layout::VMHandleTable, tag: u32, handle: u32) -> u32;
            /// `canon resource.drop`: removes `handle` (of type `tag`); returns
            /// `1 << 32 | rep` when it owned the resource (its destructor must run), else 0.
            resource_drop(table: *mut $crate::layout::VMHandleTable, tag: u32, handle: u32) -> u64;
            /// Moves own `handle` (type `tag`) from table `from` to table `to`; returns the new
            /// handle.
            resource_move(
                from: *mut $crate::layout::VMHandleTable,
                to: *mut $crate::layout::VMHandleTable,
                tag: u32,
                handle: u32
            ) -> u32;
            /// Lends `handle` (type `tag`, own or borrow) of table `from` for a call into the
            /// instance of table `to`: returns the representation if `to_defines` (the callee
            /// defines the resource), else a new borrow handle in `to`.
            resource_lend(
                from: *mut $crate::layout::VMHandleTable,
                to: *mut $crate::layout::VMHandleTable,
                tag: u32,
                handle: u32,
                to_defines: u32
            ) -> u32;
            /// Ends the lend of `from_handle` (0: none was made) when the call returns; traps if
            /// the callee still holds the borrow handle `to_handle` (0 when it got the
            /// representation).
            resource_end_lend(
                from: *mut $crate::layout::VMHandleTable,
                to: *mut $crate::layout::VMHandleTable,
                tag: u32,
                from_handle: u32,
                to_handle: u32
            );
        }
    };
}
