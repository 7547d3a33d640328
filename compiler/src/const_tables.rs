//! Constant tables: funcref tables whose contents are known when compiling.
//!
//! Seeing the whole program, the compiler can tell that nothing ever changes a table after
//! instantiation filled it: no function body of any instance that can name the table
//! (its definer, or any instance importing it) contains `table.set`, `table.grow`,
//! `table.fill`, `table.init` into it or `table.copy` into it, and the host never touches
//! core tables. Its contents are then what its initial value and the active element
//! segments targeting it leave, which are evaluated here. `call_indirect` through such a
//! table reads a read-only array of `{code, type id}` slots emitted beside it (the funcref
//! record of each element, inlined) and compares the index with a constant length: no load
//! of the table's length or base, no pointer chase through the record, no separate null
//! check (a null slot's type id, [`NULL_TYPE_ID`], matches no type; the mismatch path tells
//! null from a wrong signature). Everything else (`table.get`, `table.size`, `table.copy`
//! out of it) keeps using the runtime table, which is still filled as before.
//!
//! Invariants, each one a reason to leave a table out (it is then used as before):
//! - element type funcref (or a typed function reference); at most [`MAX_LEN`] elements;
//! - its initial value and every element item targeting it are `ref.null` or `ref.func`;
//!   every segment offset is a constant (through immutable constant globals) and every
//!   segment fits: an instantiation that would trap filling it is never folded;
//! - no call can run before its last filling segment is applied: segments of instances
//!   after the definer are only accepted in command mode and when no instance from the
//!   definer up to the last writer has a start function (a script may call exports
//!   between instantiations, so there only the definer may fill it).

use crate::emit::Mode;
use crate::module::{ConstExpr, ConstOp, SegmentMode};
use crate::program::{EntityRef, InstanceId, Program};
use std::collections::{BTreeMap, BTreeSet};
use wasmparser::{AbstractHeapType, HeapType};

/// Largest table folded (16 bytes per element in the executable).
pub const MAX_LEN: u64 = 1 << 16;

/// The type id of a null slot: no function type has it.
pub const NULL_TYPE_ID: u32 = u32::MAX;

/// The constant tables of `program`: for each, the function in every slot (None: null).
pub fn find(program: &Program, mode: Mode) -> BTreeMap<EntityRef, Vec<Option<EntityRef>>> {
    let mut written: BTreeSet<EntityRef> = BTreeSet::new();
    for inst in &program.instances {
        let m = &program.modules[inst.module];
        for (t, def) in inst.tables.iter().enumerate() {
            if m.written_tables.get(t).copied().unwrap_or(true) {
                written.insert(*def);
            }
        }
    }
    let mut found = BTreeMap::new();
    for (d, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        for t in m.imported_tables..m.tables.len() as u32 {
            let def = EntityRef {
                instance: d,
                index: t,
            };
            if !written.contains(&def)
                && let Some(slots) = contents(program, mode, def)
            {
                found.insert(def, slots);
            }
        }
    }
    found
}

/// The contents of table `def` after instantiation, if they are constant.
fn contents(program: &Program, mode: Mode, def: EntityRef) -> Option<Vec<Option<EntityRef>>> {
    let m = program.module_of(def.instance);
    let ty = m.tables[def.index as usize];
    let is_func = match ty.element_type.heap_type() {
        HeapType::Abstract { shared, ty } => !shared && ty == AbstractHeapType::Func,
        HeapType::Concrete(_) | HeapType::Exact(_) => true,
    };
    if !is_func || ty.initial > MAX_LEN {
        return None;
    }
    let init = match &m.table_inits[(def.index - m.imported_tables) as usize] {
        None => None,
        Some(expr) => item(program, def.instance, expr)?,
    };
    let mut slots = vec![init; ty.initial as usize];
    let mut last_writer = def.instance;
    for (k, inst) in program.instances.iter().enumerate().skip(def.instance) {
        let km = &program.modules[inst.module];
        for seg in &km.elems {
            let SegmentMode::Active { index, offset } = &seg.mode else {
                continue;
            };
            if inst.tables[*index as usize] != def {
                continue;
            }
            let start = usize::try_from(const_offset(program, k, offset)?).ok()?;
            let end = start.checked_add(seg.items.len())?;
            if end > slots.len() {
                return None;
            }
            for (slot, expr) in slots[start..end].iter_mut().zip(&seg.items) {
                *slot = item(program, k, expr)?;
            }
            last_writer = k;
        }
    }
    if last_writer != def.instance {
        let starts = (def.instance..last_writer)
            .any(|k| program.modules[program.instances[k].module].start.is_some());
        if mode != Mode::Command || starts {
            return None;
        }
    }
    Some(slots)
}

/// The function an element item of instance `inst` refers to (None: null), if it is
/// `ref.null` or `ref.func`.
fn item(program: &Program, inst: InstanceId, expr: &ConstExpr) -> Option<Option<EntityRef>> {
    match expr.as_slice() {
        [ConstOp::RefNull] => Some(None),
        [ConstOp::RefFunc(f)] => Some(Some(program.func_def(inst, *f))),
        _ => None,
    }
}

/// The value of a segment offset expression of instance `inst`, if it is a constant
/// (`i32`/`i64` constants, immutable constant globals, extended-const arithmetic; `i32`
/// arithmetic wraps at 32 bits, as the instantiation computes it).
fn const_offset(program: &Program, inst: InstanceId, expr: &ConstExpr) -> Option<u64> {
    /// A value: its bits (an `i32` zero-extended) and whether it is an `i64`.
    #[derive(Clone, Copy)]
    struct V {
        bits: u64,
        wide: bool,
    }
    let int = |op: ConstOp| match op {
        ConstOp::I32(x) => Some(V {
            bits: u64::from(x as u32),
            wide: false,
        }),
        ConstOp::I64(x) => Some(V {
            bits: x as u64,
            wide: true,
        }),
        _ => None,
    };
    let mut stack: Vec<V> = Vec::new();
    for op in expr {
        let v = match op {
            ConstOp::I32(_) | ConstOp::I64(_) => int(op.clone())?,
            ConstOp::GlobalGet(g) => {
                int(program.global_constant(program.instances[inst].globals[*g as usize])?)?
            }
            ConstOp::I32Add
            | ConstOp::I32Sub
            | ConstOp::I32Mul
            | ConstOp::I64Add
            | ConstOp::I64Sub
            | ConstOp::I64Mul => {
                let wide = matches!(op, ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul);
                let (b, a) = (stack.pop()?, stack.pop()?);
                if a.wide != wide || b.wide != wide {
                    return None;
                }
                // Arithmetic modulo 2^64, then modulo 2^32 for i32: the same wrapping.
                let bits = match op {
                    ConstOp::I32Add | ConstOp::I64Add => a.bits.wrapping_add(b.bits),
                    ConstOp::I32Sub | ConstOp::I64Sub => a.bits.wrapping_sub(b.bits),
                    _ => a.bits.wrapping_mul(b.bits),
                };
                V {
                    bits: if wide {
                        bits
                    } else {
                        bits & u64::from(u32::MAX)
                    },
                    wide,
                }
            }
            _ => return None,
        };
        stack.push(v);
    }
    match stack.as_slice() {
        [v] => Some(v.bits),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Binding;

    /// The program of module texts instantiated in order; each imports from the previous
    /// instance under the module name "prev".
    fn program(wats: &[&str]) -> Program {
        let mut p = Program::new();
        for (k, wat) in wats.iter().enumerate() {
            let m = p
                .add_module(&format!("m{k}"), wat::parse_str(wat).unwrap())
                .unwrap();
            p.instantiate(m, |module, field| {
                (module == "prev").then(|| Binding::Export(k - 1, field.to_string()))
            })
            .unwrap();
        }
        p
    }

    /// An entity as (instance, index).
    type Pair = (usize, u32);

    /// The constant tables, as (instance, table index) and the function definition in each
    /// slot.
    fn constant(wats: &[&str], mode: Mode) -> Vec<(Pair, Vec<Option<Pair>>)> {
        find(&program(wats), mode)
            .into_iter()
            .map(|(def, slots)| {
                let slots = slots
                    .into_iter()
                    .map(|s| s.map(|f| (f.instance, f.index)))
                    .collect();
                ((def.instance, def.index), slots)
            })
            .collect()
    }

    const FUNCS: &str = "(func $a) (func $b) (func $c (param i32))";

    #[test]
    fn segments_with_constant_offsets_fill_the_table() {
        let g = "(module (global (export \"g\") i32 (i32.const 1)))";
        let wat = format!(
            "(module (import \"prev\" \"g\" (global $g i32)) (table 4 funcref)
               (elem (offset (i32.add (global.get $g) (i32.const 1))) $b $c)
               (elem (i32.const 0) $a) {FUNCS})"
        );
        assert_eq!(
            constant(&[g, &wat], Mode::Command),
            vec![((1, 0), vec![Some((1, 0)), None, Some((1, 1)), Some((1, 2))])]
        );
    }

    #[test]
    fn i32_offset_arithmetic_wraps_at_32_bits() {
        // 0xffff_ffff + 2 is 1 as an i32, and 0x8000_0000 * 2 is 0.
        let wat = format!(
            "(module (table 2 funcref)
               (elem (offset (i32.add (i32.const -1) (i32.const 2))) $b)
               (elem (offset (i32.mul (i32.const 0x80000000) (i32.const 2))) $a) {FUNCS})"
        );
        assert_eq!(
            constant(&[&wat], Mode::Command),
            vec![((0, 0), vec![Some((0, 0)), Some((0, 1))])]
        );
    }

    #[test]
    fn a_table_some_body_changes_is_not_constant() {
        for change in [
            "(table.set (i32.const 0) (ref.func $a))",
            "(drop (table.grow (ref.null func) (i32.const 1)))",
            "(table.fill (i32.const 0) (ref.func $a) (i32.const 1))",
            "(table.copy (i32.const 0) (i32.const 1) (i32.const 1))",
            "(table.init $e (i32.const 0) (i32.const 0) (i32.const 1))",
        ] {
            let wat = format!(
                "(module (table 4 funcref) (elem $e func $a) (elem declare func $a)
                   (func (export \"w\") {change}) {FUNCS})"
            );
            assert_eq!(constant(&[&wat], Mode::Command), vec![], "{change}");
        }
        // Only the written one of two tables.
        let wat = format!(
            "(module (table $t0 1 funcref) (table $t1 1 funcref) (elem declare func $a)
               (func (table.set $t1 (i32.const 0) (ref.func $a))) {FUNCS})"
        );
        assert_eq!(constant(&[&wat], Mode::Command), vec![((0, 0), vec![None])]);
    }

    #[test]
    fn a_write_through_an_importing_instance_counts() {
        let a = format!("(module (table (export \"t\") 2 funcref) {FUNCS})");
        let b = "(module (import \"prev\" \"t\" (table 2 funcref)) (elem declare func $f)
                   (func $f (table.set (i32.const 1) (ref.func $f))))";
        assert_eq!(constant(&[&a, b], Mode::Command), vec![]);
    }

    #[test]
    fn segments_of_later_instances_fold_only_when_no_code_can_run_before_them() {
        let a =
            format!("(module (table (export \"t\") 2 funcref) (elem (i32.const 0) $a) {FUNCS})");
        let b =
            "(module (import \"prev\" \"t\" (table 2 funcref)) (func $f) (elem (i32.const 1) $f))";
        let filled = vec![((0, 0), vec![Some((0, 0)), Some((1, 0))])];
        assert_eq!(constant(&[&a, b], Mode::Command), filled);
        // A script may call the first instance before the second fills the table.
        assert_eq!(constant(&[&a, b], Mode::Script), vec![]);
        // A start function of the definer runs before the second instance's segment.
        let a_start = format!(
            "(module (table (export \"t\") 2 funcref) (elem (i32.const 0) $a) (start $a) {FUNCS})"
        );
        assert_eq!(constant(&[&a_start, b], Mode::Command), vec![]);
        // ... but is harmless when the definer alone fills it.
        assert_eq!(
            constant(&[&a_start], Mode::Script),
            vec![((0, 0), vec![Some((0, 0)), None])]
        );
    }

    #[test]
    fn an_instantiation_that_would_trap_is_not_folded() {
        let g = "(module (global (export \"g\") i32 (i32.const 4)))";
        for seg in [
            "(elem (i32.const 3) $a $b)",
            "(elem (i32.const -1) $a)",
            "(elem (global.get $g) $a)",
        ] {
            let wat = format!(
                "(module (import \"prev\" \"g\" (global $g i32)) (table 4 funcref) {seg} {FUNCS})"
            );
            assert_eq!(constant(&[g, &wat], Mode::Command), vec![], "{seg}");
        }
    }

    #[test]
    fn externref_and_huge_tables_stay_runtime_tables() {
        assert_eq!(
            constant(&["(module (table 2 externref))"], Mode::Command),
            vec![]
        );
        let huge = format!("(module (table {} funcref))", MAX_LEN + 1);
        assert_eq!(constant(&[&huge], Mode::Command), vec![]);
    }
}
