//! Fused adapters: `canon lower` of a function another component instance lifted
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#canon-lower>,
//! with the callee's `canon lift`).
//!
//! Both halves of the call are known at compile time, so the lift of the caller's
//! arguments and the lower into the callee (and back for the result) fuse into one core
//! function that copies each value straight from the caller's representation to the
//! callee's: flat values between locals, strings and lists from one linear memory into a
//! buffer the other side's `realloc` returns. The adapter is emitted as a small core wasm
//! module ([`adapter_module`]) that imports both sides' memories, reallocs, the lifted core
//! function and its post-return, and is then instantiated and compiled like every other
//! module: one code generator, one set of bounds checks.
//!
//! Invariants of the generated code: every memory access is a wasm access (traps on out of
//! bounds); lists are aligned-checked as the explainer's `load_list` does; `realloc` is
//! called once per list, before its elements are copied; the post-return function runs
//! after the result has been copied to the caller. Where the Canonical ABI traps, the
//! adapter raises the trap kind smelt reports for it through the `trap` built-in
//! (`invalid discriminant value` for a bad variant case or `char`, `unaligned pointer`),
//! never `unreachable`. Lifting ignores what the type does not define: the bits of a
//! `flags` value above its last flag are cleared.
//!
//! Strings are not copied by generated code: the runtime's `string_transcode` built-in
//! (`runtime-lib/src/transcode.rs`) does the explainer's `load_string` (alignment, bounds,
//! UTF-8/UTF-16 validity) and `store_string` (every pair of encodings, with its exact
//! `realloc` sequence) between the two memories. The adapter imports it once per direction
//! that carries strings; the inliner binds it to the sending side's memory and encoding and
//! to a lowering record of the receiving side's memory, `realloc` and encoding.
//!
//! Handles move between the two component instances' handle tables through runtime
//! built-ins the module imports (`handles`): an `own` handle leaves one table for the other;
//! a `borrow` lends the caller's handle for the call (the callee gets the representation if
//! it defines the resource, else a borrow handle, which must be dropped before it returns).
//!
//! Not yet: borrows inside lists. These are refused with a named reason.

use super::abi::{Flat, Ty, discriminant_size};
use smelt_contract::Trap;
use wasm_encoder::{
    BlockType, CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
    ImportSection, InstructionSink, MemArg, MemoryType, Module, TypeSection, ValType,
};

/// Most flat parameters passed in locals (`MAX_FLAT_PARAMS`).
const MAX_FLAT_PARAMS: usize = 16;
/// Most flat results returned directly by a lowered function (`MAX_FLAT_RESULTS`).
const MAX_FLAT_RESULTS: usize = 1;

/// One side's canonical options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Side {
    /// Has `(memory ...)`.
    pub memory: bool,
    /// Has `(realloc ...)`.
    pub realloc: bool,
    /// `string-encoding=` (a `VMLowering` constant).
    pub string_encoding: u32,
}

/// What to adapt.
pub struct Spec<'a> {
    /// The parameters.
    pub params: &'a [Ty],
    /// The result.
    pub result: Option<&'a Ty>,
    /// The lifting (callee) side.
    pub callee: Side,
    /// Whether the lift has `(post-return ...)`.
    pub post_return: bool,
    /// The lowering (caller) side.
    pub caller: Side,
    /// The callee's component instance (a borrow of a resource it defines passes the
    /// representation).
    pub callee_component: u32,
}

/// Names of the adapter module's imports and export.
pub mod names {
    /// The lifted core function.
    pub const CALLEE: &str = "callee";
    /// Module name of the caller's options.
    pub const CALLER: &str = "caller";
    /// The function field.
    pub const FUNC: &str = "func";
    /// The post-return field (callee).
    pub const POST_RETURN: &str = "post-return";
    /// The memory field.
    pub const MEMORY: &str = "memory";
    /// The realloc field.
    pub const REALLOC: &str = "realloc";
    /// The adapter's export.
    pub const ADAPTER: &str = "adapter";
    /// Module name of the handle built-ins.
    pub const HANDLES: &str = "handles";
    /// `(tag, handle) -> handle`: moves an own handle from the caller's table to the callee's.
    pub const OWN_IN: &str = "own-in";
    /// `(tag, handle) -> handle`: moves an own handle from the callee's table to the caller's.
    pub const OWN_OUT: &str = "own-out";
    /// `(tag, handle, callee_defines) -> handle or rep`: lends the caller's handle.
    pub const BORROW: &str = "borrow";
    /// `(tag, caller_handle, callee_handle)`: ends a lend after the call.
    pub const BORROW_END: &str = "borrow-end";
    /// Module name of the other runtime built-ins.
    pub const BUILTINS: &str = "builtins";
    /// `(code)`: raises trap `code` (a `smelt_contract::Trap`); does not return.
    pub const TRAP: &str = "trap";
    /// `(ptr, len) -> ptr | len << 32`: copies a string from the caller's memory into the
    /// callee's, transcoding it between their encodings (the runtime's `string_transcode`).
    pub const STRING_IN: &str = "string-in";
    /// `(ptr, len) -> ptr | len << 32`: the same from the callee to the caller.
    pub const STRING_OUT: &str = "string-out";
}

/// Whether `ty` contains strings.
pub fn has_strings(ty: &Ty) -> bool {
    match ty {
        Ty::String => true,
        Ty::List(e) => has_strings(e),
        Ty::Record(fields) => fields.iter().any(has_strings),
        Ty::Variant(cases) => cases.iter().flatten().any(has_strings),
        _ => false,
    }
}

/// Whether `ty` contains handles.
fn has_handles(ty: &Ty) -> bool {
    match ty {
        Ty::Own(_) | Ty::Borrow(_) => true,
        Ty::List(e) => has_handles(e),
        Ty::Record(fields) => fields.iter().any(has_handles),
        Ty::Variant(cases) => cases.iter().flatten().any(has_handles),
        _ => false,
    }
}

fn val(f: Flat) -> ValType {
    match f {
        Flat::I32 => ValType::I32,
        Flat::I64 => ValType::I64,
        Flat::F32 => ValType::F32,
        Flat::F64 => ValType::F64,
    }
}

/// The natural flat type of a primitive.
fn natural(ty: &Ty) -> Flat {
    match ty {
        Ty::S64 | Ty::U64 => Flat::I64,
        Ty::F32 => Flat::F32,
        Ty::F64 => Flat::F64,
        _ => Flat::I32,
    }
}

/// Where values are read from or written to.
#[derive(Clone, Debug)]
enum Place {
    /// Consecutive locals, each of a (possibly joined) flat type.
    Flat(Vec<(u32, Flat)>),
    /// Memory `mem` at the address in local `base` plus `offset`.
    Mem { mem: u32, base: u32, offset: u32 },
}

impl Place {
    /// The place of a component starting `flat` values / `offset` bytes in, `len` values
    /// long.
    fn sub(&self, flat: usize, len: usize, offset: u32) -> Place {
        match self {
            Place::Flat(slots) => Place::Flat(slots[flat..flat + len].to_vec()),
            Place::Mem {
                mem,
                base,
                offset: o,
            } => Place::Mem {
                mem: *mem,
                base: *base,
                offset: o + offset,
            },
        }
    }
}

fn memarg(offset: u32, align: u32, mem: u32) -> MemArg {
    MemArg {
        offset: offset.into(),
        align: align.trailing_zeros(),
        target: wasm_encoder::MemArgTarget::Memory(mem),
        ordering: None,
    }
}

struct Gen {
    body: Vec<u8>,
    /// Types of the locals after the parameters.
    locals: Vec<ValType>,
    first_local: u32,
    callee_mem: Option<u32>,
    caller_mem: Option<u32>,
    callee_realloc: Option<u32>,
    caller_realloc: Option<u32>,
    callee_encoding: u32,
    caller_encoding: u32,
    /// The handle built-ins: own-in, own-out, borrow, borrow-end.
    handles: Option<[u32; 4]>,
    /// The `trap` built-in.
    trap: u32,
    /// The string built-ins: to the callee, to the caller.
    strings: [Option<u32>; 2],
    callee_component: u32,
    /// Lends to end after the call: (tag, caller handle local, callee handle local).
    lends: Vec<(u32, u32, u32)>,
    /// How many lists deep the value being copied is.
    list_depth: u32,
}

type R<T> = Result<T, String>;

impl Gen {
    fn ins(&mut self) -> InstructionSink<'_> {
        InstructionSink::new(&mut self.body)
    }

    fn local(&mut self, t: ValType) -> u32 {
        self.locals.push(t);
        self.first_local + self.locals.len() as u32 - 1
    }

    /// Raises `trap`: the kind smelt reports for the Canonical ABI's trap at this point.
    fn trap(&mut self, trap: Trap) {
        let f = self.trap;
        self.ins().i32_const(trap as i32).call(f).unreachable();
    }

    /// Traps if the i32 on the stack is not zero.
    fn trap_if(&mut self, trap: Trap) {
        self.ins().if_(BlockType::Empty);
        self.trap(trap);
        self.ins().end();
    }

    /// Traps unless the i32 in `local` is a multiple of `align`.
    fn check_align(&mut self, local: u32, align: u32) {
        if align > 1 {
            self.ins()
                .local_get(local)
                .i32_const(align as i32 - 1)
                .i32_and();
            self.trap_if(Trap::UnalignedPointer);
        }
    }

    /// Pushes primitive `ty` read from `src` (at flat index `at`), as its natural type.
    fn read_prim(&mut self, ty: &Ty, src: &Place) {
        match src {
            Place::Flat(slots) => {
                let (local, slot) = slots[0];
                self.ins().local_get(local);
                self.coerce_from_slot(slot, natural(ty));
                match ty {
                    Ty::Bool => {
                        self.ins().i32_const(0).i32_ne();
                    }
                    Ty::U8 => {
                        self.ins().i32_const(0xff).i32_and();
                    }
                    Ty::S8 => {
                        self.ins().i32_extend8_s();
                    }
                    Ty::U16 => {
                        self.ins().i32_const(0xffff).i32_and();
                    }
                    Ty::S16 => {
                        self.ins().i32_extend16_s();
                    }
                    _ => {}
                }
            }
            Place::Mem { mem, base, offset } => {
                let (mem, offset) = (*mem, *offset);
                self.ins().local_get(*base);
                let m = |a| memarg(offset, a, mem);
                match ty {
                    Ty::Bool => {
                        self.ins().i32_load8_u(m(1)).i32_const(0).i32_ne();
                    }
                    Ty::U8 => {
                        self.ins().i32_load8_u(m(1));
                    }
                    Ty::S8 => {
                        self.ins().i32_load8_s(m(1));
                    }
                    Ty::U16 => {
                        self.ins().i32_load16_u(m(2));
                    }
                    Ty::S16 => {
                        self.ins().i32_load16_s(m(2));
                    }
                    Ty::S64 | Ty::U64 => {
                        self.ins().i64_load(m(8));
                    }
                    Ty::F32 => {
                        self.ins().f32_load(m(4));
                    }
                    Ty::F64 => {
                        self.ins().f64_load(m(8));
                    }
                    _ => {
                        self.ins().i32_load(m(4));
                    }
                }
            }
        }
        if *ty == Ty::Char {
            // Not a Unicode scalar value: trap.
            let c = self.local(ValType::I32);
            self.ins()
                .local_tee(c)
                .i32_const(0x11_0000)
                .i32_ge_u()
                .local_get(c)
                .i32_const(0xd800)
                .i32_sub()
                .i32_const(0x800)
                .i32_lt_u()
                .i32_or();
            self.trap_if(Trap::InvalidDiscriminant);
            self.ins().local_get(c);
        }
    }

    /// Writes the primitive `ty` on the stack (natural type) to `dst`.
    fn write_prim(&mut self, ty: &Ty, dst: &Place) {
        let t = natural(ty);
        let tmp = self.local(val(t));
        self.ins().local_set(tmp);
        match dst {
            Place::Flat(slots) => {
                let (local, slot) = slots[0];
                self.ins().local_get(tmp);
                self.coerce_to_slot(t, slot);
                self.ins().local_set(local);
            }
            Place::Mem { mem, base, offset } => {
                let (mem, offset) = (*mem, *offset);
                self.ins().local_get(*base).local_get(tmp);
                let m = |a| memarg(offset, a, mem);
                match ty {
                    Ty::Bool | Ty::U8 | Ty::S8 => {
                        self.ins().i32_store8(m(1));
                    }
                    Ty::U16 | Ty::S16 => {
                        self.ins().i32_store16(m(2));
                    }
                    Ty::S64 | Ty::U64 => {
                        self.ins().i64_store(m(8));
                    }
                    Ty::F32 => {
                        self.ins().f32_store(m(4));
                    }
                    Ty::F64 => {
                        self.ins().f64_store(m(8));
                    }
                    _ => {
                        self.ins().i32_store(m(4));
                    }
                }
            }
        }
    }

    fn coerce_from_slot(&mut self, slot: Flat, want: Flat) {
        match (slot, want) {
            (a, b) if a == b => {}
            (Flat::I64, Flat::I32) => {
                self.ins().i32_wrap_i64();
            }
            (Flat::I32, Flat::F32) => {
                self.ins().f32_reinterpret_i32();
            }
            (Flat::I64, Flat::F32) => {
                self.ins().i32_wrap_i64().f32_reinterpret_i32();
            }
            (Flat::I64, Flat::F64) => {
                self.ins().f64_reinterpret_i64();
            }
            (a, b) => unreachable!("no join reads {b:?} from {a:?}"),
        }
    }

    fn coerce_to_slot(&mut self, have: Flat, slot: Flat) {
        match (have, slot) {
            (a, b) if a == b => {}
            (Flat::I32, Flat::I64) => {
                self.ins().i64_extend_i32_u();
            }
            (Flat::F32, Flat::I32) => {
                self.ins().i32_reinterpret_f32();
            }
            (Flat::F32, Flat::I64) => {
                self.ins().i32_reinterpret_f32().i64_extend_i32_u();
            }
            (Flat::F64, Flat::I64) => {
                self.ins().i64_reinterpret_f64();
            }
            (a, b) => unreachable!("no join stores {a:?} in {b:?}"),
        }
    }

    /// Copies a value of `ty` from `src` (caller side when `to_callee`) to `dst`.
    fn copy(&mut self, ty: &Ty, src: &Place, dst: &Place, to_callee: bool) -> R<()> {
        match ty {
            Ty::Record(fields) => {
                let offsets = Ty::field_offsets(fields);
                let mut flat = 0;
                for (f, off) in fields.iter().zip(offsets) {
                    let n = f.flat().len();
                    let (s, d) = (src.sub(flat, n, off), dst.sub(flat, n, off));
                    self.copy(f, &s, &d, to_callee)?;
                    flat += n;
                }
                Ok(())
            }
            Ty::Flags(n) => {
                // Lifting ignores the bits above the last flag (`unpack_flags_from_int`), so
                // they are cleared on the way.
                let (as_int, words) = match n {
                    0 => return Ok(()),
                    1..=8 => (Ty::U8, 1),
                    9..=16 => (Ty::U16, 1),
                    _ => (Ty::U32, n.div_ceil(32)),
                };
                for w in 0..words {
                    let bits = (n - 32 * w).min(32);
                    let at = 4 * w as u32;
                    self.read_prim(&as_int, &src.sub(w, 1, at));
                    if bits < 32 {
                        self.ins().i32_const(((1u64 << bits) - 1) as i32).i32_and();
                    }
                    self.write_prim(&as_int, &dst.sub(w, 1, at));
                }
                Ok(())
            }
            Ty::Variant(cases) => self.copy_variant(ty, cases, src, dst, to_callee),
            Ty::String => self.copy_string(src, dst, to_callee),
            Ty::List(elem) => self.copy_list(elem, src, dst, to_callee),
            Ty::Own(res) => {
                let [own_in, own_out, ..] = self.handles.ok_or("handles without built-ins")?;
                self.ins().i32_const(res.tag as i32);
                self.read_prim(&Ty::U32, src);
                self.ins().call(if to_callee { own_in } else { own_out });
                self.write_prim(&Ty::U32, dst);
                Ok(())
            }
            Ty::Borrow(res) => {
                let [_, _, borrow, _] = self.handles.ok_or("handles without built-ins")?;
                if !to_callee || self.list_depth > 0 {
                    return Err("borrowed handles inside lists".into());
                }
                let (from, to) = (self.local(ValType::I32), self.local(ValType::I32));
                let defines = res.owner == Some(self.callee_component);
                self.ins().i32_const(res.tag as i32);
                self.read_prim(&Ty::U32, src);
                self.ins()
                    .local_tee(from)
                    .i32_const(i32::from(defines))
                    .call(borrow)
                    .local_tee(to);
                self.write_prim(&Ty::U32, dst);
                self.lends.push((res.tag, from, to));
                Ok(())
            }
            prim => {
                self.read_prim(prim, src);
                self.write_prim(prim, dst);
                Ok(())
            }
        }
    }

    fn copy_variant(
        &mut self,
        ty: &Ty,
        cases: &[Option<Ty>],
        src: &Place,
        dst: &Place,
        to_callee: bool,
    ) -> R<()> {
        let n = cases.len();
        let disc = match discriminant_size(n) {
            1 => Ty::U8,
            2 => Ty::U16,
            _ => Ty::U32,
        };
        let d = self.local(ValType::I32);
        self.read_prim(&disc, &src.sub(0, 1, 0));
        self.ins().local_tee(d).i32_const(n as i32).i32_ge_u();
        self.trap_if(Trap::InvalidDiscriminant);
        self.ins().local_get(d);
        self.write_prim(&disc, &dst.sub(0, 1, 0));
        let payload = ty.payload_offset();
        // block $end, then one block per case, innermost = case 0.
        self.ins().block(BlockType::Empty);
        for _ in 0..n {
            self.ins().block(BlockType::Empty);
        }
        self.ins()
            .local_get(d)
            .br_table(0..n as u32, n as u32 - 1)
            .end();
        for (i, case) in cases.iter().enumerate() {
            if let Some(t) = case {
                let len = t.flat().len();
                let (s, d2) = (src.sub(1, len, payload), dst.sub(1, len, payload));
                self.copy(t, &s, &d2, to_callee)?;
            }
            // To $end: the case blocks still open are those of cases i+1..n.
            self.ins().br((n - 1 - i) as u32);
            self.ins().end();
        }
        Ok(())
    }

    /// The memory, realloc and string encoding of the side values are read from and the
    /// side they are written to.
    fn sides(&self, to_callee: bool) -> R<(u32, u32, u32, u32, u32)> {
        let (src_mem, dst_mem, dst_realloc, src_enc, dst_enc) = if to_callee {
            (
                self.caller_mem,
                self.callee_mem,
                self.callee_realloc,
                self.caller_encoding,
                self.callee_encoding,
            )
        } else {
            (
                self.callee_mem,
                self.caller_mem,
                self.caller_realloc,
                self.callee_encoding,
                self.caller_encoding,
            )
        };
        let missing = || "a string or list without `memory`/`realloc` options".to_string();
        Ok((
            src_mem.ok_or_else(missing)?,
            dst_mem.ok_or_else(missing)?,
            dst_realloc.ok_or_else(missing)?,
            src_enc,
            dst_enc,
        ))
    }

    /// Reads a pointer and a length into two new locals.
    fn read_ptr_len(&mut self, src: &Place) -> (u32, u32) {
        let ptr = self.local(ValType::I32);
        let len = self.local(ValType::I32);
        self.read_prim(&Ty::U32, &src.sub(0, 1, 0));
        self.ins().local_set(ptr);
        self.read_prim(&Ty::U32, &src.sub(1, 1, 4));
        self.ins().local_set(len);
        (ptr, len)
    }

    /// Writes a pointer and a length.
    fn write_ptr_len(&mut self, ptr: u32, len: u32, dst: &Place) {
        self.ins().local_get(ptr);
        self.write_prim(&Ty::U32, &dst.sub(0, 1, 0));
        self.ins().local_get(len);
        self.write_prim(&Ty::U32, &dst.sub(1, 1, 4));
    }

    /// Calls `realloc(0, 0, align, size)` with the byte count on the stack; returns the new
    /// pointer's local (alignment checked).
    fn alloc(&mut self, realloc: u32, align: u32, size: u32) -> u32 {
        let new = self.local(ValType::I32);
        self.ins()
            .i32_const(0)
            .i32_const(0)
            .i32_const(align as i32)
            .local_get(size)
            .call(realloc)
            .local_set(new);
        self.check_align(new, align);
        new
    }

    /// A string: the runtime's `string_transcode` lifts it from one side (checking its
    /// alignment, bounds and encoding) and lowers it into the other with that side's
    /// `realloc`, in that side's encoding.
    fn copy_string(&mut self, src: &Place, dst: &Place, to_callee: bool) -> R<()> {
        self.sides(to_callee)?;
        let f = self.strings[usize::from(!to_callee)].ok_or("a string without its built-in")?;
        let (ptr, len) = self.read_ptr_len(src);
        let both = self.local(ValType::I64);
        let (new, new_len) = (self.local(ValType::I32), self.local(ValType::I32));
        self.ins()
            .local_get(ptr)
            .local_get(len)
            .call(f)
            .local_tee(both)
            .i32_wrap_i64()
            .local_set(new)
            .local_get(both)
            .i64_const(32)
            .i64_shr_u()
            .i32_wrap_i64()
            .local_set(new_len);
        self.write_ptr_len(new, new_len, dst);
        Ok(())
    }

    fn copy_list(&mut self, elem: &Ty, src: &Place, dst: &Place, to_callee: bool) -> R<()> {
        let (src_mem, dst_mem, realloc, _, _) = self.sides(to_callee)?;
        let (ptr, len) = self.read_ptr_len(src);
        let (size, align) = (elem.size(), elem.align());
        self.check_align(ptr, align);
        // The byte length must fit in 32 bits.
        let bytes = self.local(ValType::I32);
        let wide = self.local(ValType::I64);
        self.ins()
            .local_get(len)
            .i64_extend_i32_u()
            .i64_const(size.into())
            .i64_mul()
            .local_tee(wide)
            .i64_const(u32::MAX.into())
            .i64_gt_u();
        // Past the end of any 32-bit memory (`load_list_from_range`'s bounds check).
        self.trap_if(Trap::MemoryOutOfBounds);
        self.ins().local_get(wide).i32_wrap_i64().local_set(bytes);
        let new = self.alloc(realloc, align, bytes);
        self.list_depth += 1;
        if elem.is_plain() {
            self.ins()
                .local_get(new)
                .local_get(ptr)
                .local_get(bytes)
                .memory_copy(dst_mem, src_mem);
        } else {
            let (sp, dp, i) = (
                self.local(ValType::I32),
                self.local(ValType::I32),
                self.local(ValType::I32),
            );
            self.ins()
                .local_get(ptr)
                .local_set(sp)
                .local_get(new)
                .local_set(dp)
                .local_get(len)
                .local_set(i)
                .block(BlockType::Empty)
                .local_get(i)
                .i32_eqz()
                .br_if(0)
                .loop_(BlockType::Empty);
            let s = Place::Mem {
                mem: src_mem,
                base: sp,
                offset: 0,
            };
            let d = Place::Mem {
                mem: dst_mem,
                base: dp,
                offset: 0,
            };
            self.copy(elem, &s, &d, to_callee)?;
            self.ins()
                .local_get(sp)
                .i32_const(size as i32)
                .i32_add()
                .local_set(sp)
                .local_get(dp)
                .i32_const(size as i32)
                .i32_add()
                .local_set(dp)
                .local_get(i)
                .i32_const(1)
                .i32_sub()
                .local_tee(i)
                .br_if(0)
                .end()
                .end();
        }
        self.list_depth -= 1;
        self.write_ptr_len(new, len, dst);
        Ok(())
    }
}

/// The core wasm module of the fused adapter for `spec`, or why smelt cannot build it.
pub fn adapter_module(spec: &Spec<'_>) -> R<Vec<u8>> {
    let param_tuple = Ty::Record(spec.params.to_vec());
    let param_flat = param_tuple.flat();
    let result_flat = spec.result.map(Ty::flat).unwrap_or_default();
    let params_in_memory = param_flat.len() > MAX_FLAT_PARAMS;
    let result_in_memory = result_flat.len() > MAX_FLAT_RESULTS;

    // Core signatures: the callee's as lifted, the adapter's as lowered.
    let as_vals = |f: &[Flat]| f.iter().map(|f| val(*f)).collect::<Vec<_>>();
    let callee_params = if params_in_memory {
        vec![ValType::I32]
    } else {
        as_vals(&param_flat)
    };
    let callee_results = if result_in_memory {
        vec![ValType::I32]
    } else {
        as_vals(&result_flat)
    };
    let mut adapter_params = callee_params.clone();
    let adapter_results = if result_in_memory {
        adapter_params.push(ValType::I32);
        Vec::new()
    } else {
        as_vals(&result_flat)
    };

    let mut types = TypeSection::new();
    let mut imports = ImportSection::new();
    types
        .ty()
        .function(callee_params.clone(), callee_results.clone());
    imports.import(names::CALLEE, names::FUNC, EntityType::Function(0));
    types.ty().function(callee_results.clone(), []);
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    types
        .ty()
        .function(adapter_params.clone(), adapter_results.clone());
    let mut funcs = 1;
    let post_return = spec.post_return.then(|| {
        imports.import(names::CALLEE, names::POST_RETURN, EntityType::Function(1));
        funcs += 1;
        funcs - 1
    });
    let mut import_realloc = |module: &str, wanted: bool, funcs: &mut u32| {
        wanted.then(|| {
            imports.import(module, names::REALLOC, EntityType::Function(2));
            *funcs += 1;
            *funcs - 1
        })
    };
    let callee_realloc = import_realloc(names::CALLEE, spec.callee.realloc, &mut funcs);
    let caller_realloc = import_realloc(names::CALLER, spec.caller.realloc, &mut funcs);
    let any_handles = spec.params.iter().any(has_handles) || spec.result.is_some_and(has_handles);
    let handles = any_handles.then(|| {
        types.ty().function([ValType::I32; 2], [ValType::I32]);
        types.ty().function([ValType::I32; 3], [ValType::I32]);
        types.ty().function([ValType::I32; 3], []);
        let mut import = |name: &str, ty: u32| {
            imports.import(names::HANDLES, name, EntityType::Function(ty));
            funcs += 1;
            funcs - 1
        };
        [
            import(names::OWN_IN, 4),
            import(names::OWN_OUT, 4),
            import(names::BORROW, 5),
            import(names::BORROW_END, 6),
        ]
    });
    let mut builtin = |name: &str, params: &[ValType], results: &[ValType]| {
        let ty = types.len();
        types
            .ty()
            .function(params.iter().copied(), results.iter().copied());
        imports.import(names::BUILTINS, name, EntityType::Function(ty));
        funcs += 1;
        funcs - 1
    };
    let trap = builtin(names::TRAP, &[ValType::I32], &[]);
    let mut string = |name: &str, wanted: bool| {
        wanted.then(|| builtin(name, &[ValType::I32; 2], &[ValType::I64]))
    };
    let strings = [
        string(names::STRING_IN, spec.params.iter().any(has_strings)),
        string(names::STRING_OUT, spec.result.is_some_and(has_strings)),
    ];
    let memory = EntityType::Memory(MemoryType {
        minimum: 0,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut mems = 0;
    let mut import_memory = |module: &str, wanted: bool| {
        wanted.then(|| {
            imports.import(module, names::MEMORY, memory);
            mems += 1;
            mems - 1
        })
    };
    let callee_mem = import_memory(names::CALLEE, spec.callee.memory);
    let caller_mem = import_memory(names::CALLER, spec.caller.memory);

    let mut g = Gen {
        body: Vec::new(),
        locals: Vec::new(),
        first_local: adapter_params.len() as u32,
        callee_mem,
        caller_mem,
        callee_realloc,
        caller_realloc,
        callee_encoding: spec.callee.string_encoding,
        caller_encoding: spec.caller.string_encoding,
        handles,
        trap,
        strings,
        callee_component: spec.callee_component,
        lends: Vec::new(),
        list_depth: 0,
    };
    let need = |m: Option<u32>| m.ok_or_else(|| "a value in memory without `memory`".to_string());

    // Arguments: caller → callee.
    let src = if params_in_memory {
        let mem = need(caller_mem)?;
        g.check_align(0, param_tuple.align());
        Place::Mem {
            mem,
            base: 0,
            offset: 0,
        }
    } else {
        Place::Flat(
            param_flat
                .iter()
                .enumerate()
                .map(|(i, f)| (i as u32, *f))
                .collect(),
        )
    };
    let (dst, args) = if params_in_memory {
        let mem = need(callee_mem)?;
        let realloc = callee_realloc.ok_or("parameters in memory without `realloc`")?;
        let size = g.local(ValType::I32);
        g.ins().i32_const(param_tuple.size() as i32).local_set(size);
        let base = g.alloc(realloc, param_tuple.align(), size);
        (
            Place::Mem {
                mem,
                base,
                offset: 0,
            },
            vec![base],
        )
    } else {
        let slots: Vec<(u32, Flat)> = param_flat.iter().map(|f| (g.local(val(*f)), *f)).collect();
        let args = slots.iter().map(|(l, _)| *l).collect();
        (Place::Flat(slots), args)
    };
    g.copy(&param_tuple, &src, &dst, true)?;

    // The call.
    for a in &args {
        g.ins().local_get(*a);
    }
    g.ins().call(0);
    let raw: Vec<u32> = callee_results.iter().map(|t| g.local(*t)).collect();
    for r in raw.iter().rev() {
        g.ins().local_set(*r);
    }
    // Lends end when the callee returns (it must have dropped its borrow handles).
    if let Some([_, _, _, borrow_end]) = handles {
        for (tag, from, to) in std::mem::take(&mut g.lends) {
            g.ins()
                .i32_const(tag as i32)
                .local_get(from)
                .local_get(to)
                .call(borrow_end);
        }
    }

    // The result: callee → caller.
    let mut ret = Vec::new();
    if let Some(result) = spec.result {
        if result_in_memory {
            let src = Place::Mem {
                mem: need(callee_mem)?,
                base: raw[0],
                offset: 0,
            };
            g.check_align(raw[0], result.align());
            let retptr = adapter_params.len() as u32 - 1;
            g.check_align(retptr, result.align());
            let dst = Place::Mem {
                mem: need(caller_mem)?,
                base: retptr,
                offset: 0,
            };
            g.copy(result, &src, &dst, false)?;
        } else {
            let src = Place::Flat(
                raw.iter()
                    .copied()
                    .zip(result_flat.iter().copied())
                    .collect(),
            );
            let slots: Vec<(u32, Flat)> =
                result_flat.iter().map(|f| (g.local(val(*f)), *f)).collect();
            ret = slots.iter().map(|(l, _)| *l).collect();
            g.copy(result, &src, &Place::Flat(slots), false)?;
        }
    }
    if let Some(post) = post_return {
        for r in &raw {
            g.ins().local_get(*r);
        }
        g.ins().call(post);
    }
    for r in &ret {
        g.ins().local_get(*r);
    }
    g.ins().end();

    let mut f = Function::new_with_locals_types(g.locals.iter().copied());
    f.raw(g.body.iter().copied());
    let mut functions = FunctionSection::new();
    functions.function(3);
    let mut exports = ExportSection::new();
    exports.export(names::ADAPTER, ExportKind::Func, funcs);
    let mut code = CodeSection::new();
    code.function(&f);
    let mut module = Module::new();
    module
        .section(&types)
        .section(&imports)
        .section(&functions)
        .section(&exports)
        .section(&code);
    Ok(module.finish())
}
