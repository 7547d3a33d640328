//! Canonical function types across the whole program.
//!
//! `call_indirect` and `call_ref` across instances compare function types by structure, and
//! with typed function references a type may mention other types by *module-local* index
//! (`(ref $t)`). Two modules' `FuncType`s can therefore be equal as values yet different
//! types, or different values yet the same type. Each type is given a canonical key that
//! spells out every referenced type, and every distinct key one id.
//!
//! Invariant: two function types get the same id iff they are equivalent by the spec's
//! type equivalence (structural, through references), for the types smelt accepts (no GC
//! recursion groups beyond self-reference).

use crate::module::Module;
use crate::program::{ModuleId, Program};
use std::collections::HashMap;
use std::fmt::Write as _;
use wasmparser::{HeapType, RefType, UnpackedIndex, ValType};

/// The canonical id of every function type of every module.
#[derive(Debug, Default)]
pub struct TypeIds {
    per_module: Vec<Vec<u32>>,
}

impl TypeIds {
    /// Assigns ids to every function type of the program's modules.
    pub fn new(program: &Program) -> TypeIds {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let per_module = program
            .modules
            .iter()
            .map(|m| {
                (0..m.types.len() as u32)
                    .map(|t| {
                        let next = ids.len() as u32;
                        *ids.entry(canonical_key(m, t)).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        TypeIds { per_module }
    }

    /// The id of type `ty` of module `module`.
    pub fn get(&self, module: ModuleId, ty: u32) -> u32 {
        self.per_module[module][ty as usize]
    }
}

/// The canonical spelling of type `ty` of `m`.
pub fn canonical_key(m: &Module, ty: u32) -> String {
    let mut out = String::new();
    write_type(m, ty, ty, &mut out, 0);
    out
}

fn write_type(m: &Module, ty: u32, group: u32, out: &mut String, depth: u32) {
    let Some(f) = m.types.get(ty as usize).and_then(|t| t.as_ref()) else {
        let _ = write!(out, "nonfunc{ty}");
        return;
    };
    out.push_str("(func");
    for p in f.params() {
        out.push(' ');
        write_val(m, *p, group, out, depth);
    }
    out.push_str(" ->");
    for r in f.results() {
        out.push(' ');
        write_val(m, *r, group, out, depth);
    }
    out.push(')');
}

fn write_val(m: &Module, v: ValType, group: u32, out: &mut String, depth: u32) {
    match v {
        ValType::Ref(r) => write_ref(m, r, group, out, depth),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn write_ref(m: &Module, r: RefType, group: u32, out: &mut String, depth: u32) {
    out.push_str(if r.is_nullable() {
        "(ref null "
    } else {
        "(ref "
    });
    match r.heap_type() {
        HeapType::Abstract { shared, ty } => {
            let _ = write!(out, "{}{ty:?}", if shared { "shared " } else { "" });
        }
        HeapType::Concrete(i) | HeapType::Exact(i) => match i {
            UnpackedIndex::Module(t) if depth < 32 && t != group => {
                write_type(m, t, t, out, depth + 1)
            }
            UnpackedIndex::Module(_) => out.push_str("self"),
            UnpackedIndex::RecGroup(k) => {
                let _ = write!(out, "rec{k}");
            }
            UnpackedIndex::Id(id) => {
                let _ = write!(out, "{id:?}");
            }
        },
    }
    out.push(')');
}
