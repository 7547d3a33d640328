//! Decoding one validated core module into [`Module`]: its types, imports, definitions,
//! segments, exports and function bodies, in the shape the later passes want.
//!
//! Invariant: a [`Module`] is only ever built from bytes that [`crate::validate`] accepted,
//! so index spaces are consistent and every body type-checks; decoding errors here are
//! reported as malformed input all the same, never as panics.

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use wasmparser::{
    BinaryReaderError, CompositeInnerType, DataKind, ElementItems, ElementKind, ExternalKind,
    FunctionBody, Name, NameSectionReader, Operator, Parser, Payload, RefType, TableInit, TypeRef,
};

pub use wasmparser::{FuncType, GlobalType, MemoryType, TableType, ValType};

/// Index of a function type in the module's type section.
pub type TypeIndex = u32;

/// An import.
#[derive(Clone, Debug)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub kind: ImportKind,
}

/// What an import is.
#[derive(Clone, Debug)]
pub enum ImportKind {
    /// A function of this type.
    Func(TypeIndex),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// A constant expression, already decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstOp {
    /// `i32.const`.
    I32(i32),
    /// `i64.const`.
    I64(i64),
    /// `f32.const` (raw bits).
    F32(u32),
    /// `f64.const` (raw bits).
    F64(u64),
    /// `v128.const`.
    V128(u128),
    /// `ref.null`.
    RefNull,
    /// `ref.func`.
    RefFunc(u32),
    /// `global.get` (of an imported global, or any global with extended-const).
    GlobalGet(u32),
    /// Extended-const arithmetic.
    I32Add,
    /// Extended-const arithmetic.
    I32Sub,
    /// Extended-const arithmetic.
    I32Mul,
    /// Extended-const arithmetic.
    I64Add,
    /// Extended-const arithmetic.
    I64Sub,
    /// Extended-const arithmetic.
    I64Mul,
}

/// A constant expression: a short stack program.
pub type ConstExpr = Vec<ConstOp>;

/// An element segment.
#[derive(Clone, Debug)]
pub struct ElemSegment {
    /// Where it goes.
    pub mode: SegmentMode,
    /// The element type.
    pub ty: RefType,
    /// The items, one constant expression each.
    pub items: Vec<ConstExpr>,
}

/// A data segment.
#[derive(Clone, Debug)]
pub struct DataSegment {
    /// Where it goes.
    pub mode: SegmentMode,
    /// Range of its bytes in the module binary.
    pub bytes: Range<usize>,
}

/// When and where a segment is applied.
#[derive(Clone, Debug)]
pub enum SegmentMode {
    /// Applied at instantiation to table/memory `index` at `offset`.
    Active {
        /// Table or memory index.
        index: u32,
        /// Offset expression.
        offset: ConstExpr,
    },
    /// Used by `table.init` / `memory.init`.
    Passive,
    /// Element segment that only declares references.
    Declared,
}

/// An export.
#[derive(Clone, Debug)]
pub struct Export {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: ExternalKind,
    /// Index in that kind's index space.
    pub index: u32,
}

/// A decoded core module.
#[derive(Debug)]
pub struct Module {
    /// Name for messages (the input file, or a script's module name).
    pub name: String,
    /// The binary.
    pub bytes: Vec<u8>,
    /// Function types by type index (non-function types are `None`).
    pub types: Vec<Option<FuncType>>,
    /// All imports in order.
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<TypeIndex>,
    /// Number of imported functions.
    pub imported_funcs: u32,
    /// Every table, imported ones first.
    pub tables: Vec<TableType>,
    /// Initialiser of each defined table (`None`: null).
    pub table_inits: Vec<Option<ConstExpr>>,
    /// Number of imported tables.
    pub imported_tables: u32,
    /// Every memory, imported ones first.
    pub memories: Vec<MemoryType>,
    /// Number of imported memories.
    pub imported_memories: u32,
    /// Every global, imported ones first.
    pub globals: Vec<GlobalType>,
    /// Initialiser of each defined global.
    pub global_inits: Vec<ConstExpr>,
    /// Number of imported globals.
    pub imported_globals: u32,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// Start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Vec<ElemSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// Byte range of each defined function's body (locals and code).
    pub bodies: Vec<Range<usize>>,
    /// Function names from the name section.
    pub func_names: HashMap<u32, String>,
    /// Functions whose reference is taken (`ref.func`, element segments, exports): they
    /// need a funcref record.
    pub escaping_funcs: Vec<bool>,
    /// Tables (by index, imported ones included) that some function body changes:
    /// `table.set`, `table.grow`, `table.fill`, `table.init`, or `table.copy` into it.
    pub written_tables: Vec<bool>,
}

impl Module {
    /// The type of function `func`.
    pub fn func_type(&self, func: u32) -> &FuncType {
        self.types[self.funcs[func as usize] as usize]
            .as_ref()
            .expect("validated: function types are function types")
    }

    /// The type with index `ty`.
    pub fn type_at(&self, ty: TypeIndex) -> &FuncType {
        self.types[ty as usize]
            .as_ref()
            .expect("validated: block types are function types")
    }

    /// Whether function `func` is imported.
    pub fn is_imported_func(&self, func: u32) -> bool {
        func < self.imported_funcs
    }

    /// The body of defined function `func`, to read its locals and operators (offsets are
    /// the module's).
    pub fn body(&self, func: u32) -> wasmparser::FunctionBody<'_> {
        let range = self.bodies[(func - self.imported_funcs) as usize].clone();
        wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(
            &self.bytes[range.clone()],
            range.start as u64,
        ))
    }

    /// The name of function `func` for backtraces: its name-section name, else
    /// `<wasm function N>`.
    pub fn display_name(&self, func: u32) -> String {
        match self.func_names.get(&func) {
            Some(n) => n.clone(),
            None => format!("<wasm function {func}>"),
        }
    }

    /// Decodes a module that has been validated.
    pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Module> {
        let mut m = Module {
            name: name.to_string(),
            bytes: Vec::new(),
            types: Vec::new(),
            imports: Vec::new(),
            funcs: Vec::new(),
            imported_funcs: 0,
            tables: Vec::new(),
            table_inits: Vec::new(),
            imported_tables: 0,
            memories: Vec::new(),
            imported_memories: 0,
            globals: Vec::new(),
            global_inits: Vec::new(),
            imported_globals: 0,
            exports: Vec::new(),
            start: None,
            elems: Vec::new(),
            datas: Vec::new(),
            bodies: Vec::new(),
            func_names: HashMap::new(),
            escaping_funcs: Vec::new(),
            written_tables: Vec::new(),
        };
        let err = |e: wasmparser::BinaryReaderError| Error::InvalidWasm {
            file: name.to_string(),
            offset: e.offset(),
            func_index: None,
            message: e.message().to_string(),
        };
        let cerr = |e: ConstExprError| match e {
            ConstExprError::Reader(e) => err(e),
            ConstExprError::Unsupported(op, offset) => Error::Unsupported {
                file: name.to_string(),
                what: format!("constant expression operator {op} at byte offset {offset:#x}"),
                func_index: None,
            },
        };
        let mut escaping = Vec::new();
        let mut bodies = Vec::new();
        for payload in Parser::new(0).parse_all(&bytes) {
            match payload.map_err(err)? {
                Payload::TypeSection(r) => {
                    for group in r {
                        for sub in group.map_err(err)?.into_types() {
                            m.types.push(match sub.composite_type.inner {
                                CompositeInnerType::Func(f) => Some(f),
                                _ => None,
                            });
                        }
                    }
                }
                Payload::ImportSection(r) => {
                    for import in r.into_imports() {
                        let import = import.map_err(err)?;
                        let kind = match import.ty {
                            TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                                m.funcs.push(t);
                                m.imported_funcs += 1;
                                ImportKind::Func(t)
                            }
                            TypeRef::Table(t) => {
                                m.tables.push(t);
                                m.imported_tables += 1;
                                ImportKind::Table(t)
                            }
                            TypeRef::Memory(t) => {
                                m.memories.push(t);
                                m.imported_memories += 1;
                                ImportKind::Memory(t)
                            }
                            TypeRef::Global(t) => {
                                m.globals.push(t);
                                m.imported_globals += 1;
                                ImportKind::Global(t)
                            }
                            TypeRef::Tag(_) => {
                                return Err(Error::Unsupported {
                                    file: name.to_string(),
                                    what: "exception handling (tag import)".into(),
                                    func_index: None,
                                });
                            }
                        };
                        m.imports.push(Import {
                            module: import.module.to_string(),
                            name: import.name.to_string(),
                            kind,
                        });
                    }
                }
                Payload::FunctionSection(r) => {
                    for t in r {
                        m.funcs.push(t.map_err(err)?);
                    }
                }
                Payload::TableSection(r) => {
                    for t in r {
                        let t = t.map_err(err)?;
                        m.tables.push(t.ty);
                        m.table_inits.push(match t.init {
                            TableInit::RefNull => None,
                            TableInit::Expr(e) => {
                                Some(const_expr(&e, &mut escaping).map_err(cerr)?)
                            }
                        });
                    }
                }
                Payload::MemorySection(r) => {
                    for t in r {
                        m.memories.push(t.map_err(err)?);
                    }
                }
                Payload::GlobalSection(r) => {
                    for g in r {
                        let g = g.map_err(err)?;
                        m.globals.push(g.ty);
                        m.global_inits
                            .push(const_expr(&g.init_expr, &mut escaping).map_err(cerr)?);
                    }
                }
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.map_err(err)?;
                        if e.kind == ExternalKind::Func {
                            escaping.push(e.index);
                        }
                        m.exports.push(Export {
                            name: e.name.to_string(),
                            kind: e.kind,
                            index: e.index,
                        });
                    }
                }
                Payload::StartSection { func, .. } => m.start = Some(func),
                Payload::ElementSection(r) => {
                    for e in r {
                        let e = e.map_err(err)?;
                        let (ty, items) = match e.items {
                            ElementItems::Functions(fs) => {
                                let mut items = Vec::new();
                                for f in fs {
                                    let f = f.map_err(err)?;
                                    escaping.push(f);
                                    items.push(vec![ConstOp::RefFunc(f)]);
                                }
                                (RefType::FUNCREF, items)
                            }
                            ElementItems::Expressions(ty, es) => {
                                let mut items = Vec::new();
                                for x in es {
                                    items.push(
                                        const_expr(&x.map_err(err)?, &mut escaping)
                                            .map_err(cerr)?,
                                    );
                                }
                                (ty, items)
                            }
                        };
                        let mode = match e.kind {
                            ElementKind::Passive => SegmentMode::Passive,
                            ElementKind::Declared => SegmentMode::Declared,
                            ElementKind::Active {
                                table_index,
                                offset_expr,
                            } => SegmentMode::Active {
                                index: table_index.unwrap_or(0),
                                offset: const_expr(&offset_expr, &mut escaping).map_err(cerr)?,
                            },
                        };
                        m.elems.push(ElemSegment { mode, ty, items });
                    }
                }
                Payload::DataSection(r) => {
                    for d in r {
                        let d = d.map_err(err)?;
                        let start = d.range.end as usize - d.data.len();
                        let mode = match d.kind {
                            DataKind::Passive => SegmentMode::Passive,
                            DataKind::Active {
                                memory_index,
                                offset_expr,
                            } => SegmentMode::Active {
                                index: memory_index,
                                offset: const_expr(&offset_expr, &mut escaping).map_err(cerr)?,
                            },
                        };
                        m.datas.push(DataSegment {
                            mode,
                            bytes: start..start + d.data.len(),
                        });
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let range = body.range();
                    m.bodies.push(range.start as usize..range.end as usize);
                    bodies.push(body);
                }
                Payload::CustomSection(c) if c.name() == "name" => {
                    if let wasmparser::KnownCustom::Name(r) = c.as_known() {
                        read_names(r, &mut m.func_names);
                    }
                }
                _ => {}
            }
        }
        // `ref.func` inside bodies makes a function escape too; table writes are noted
        // (bodies scanned in parallel).
        let scans: Vec<BodyScan> = bodies
            .par_iter()
            .map(|body| scan_body(body).map_err(err))
            .collect::<Result<_>>()?;
        m.written_tables = vec![false; m.tables.len()];
        for scan in &scans {
            for &t in &scan.written_tables {
                if let Some(w) = m.written_tables.get_mut(t as usize) {
                    *w = true;
                }
            }
        }
        escaping.extend(scans.into_iter().flat_map(|s| s.ref_funcs));
        m.escaping_funcs = vec![false; m.funcs.len()];
        for f in escaping {
            if let Some(e) = m.escaping_funcs.get_mut(f as usize) {
                *e = true;
            }
        }
        m.bytes = bytes;
        Ok(m)
    }
}

/// What the module-level analyses need from one function body.
#[derive(Default)]
struct BodyScan {
    /// Functions it takes the address of with `ref.func`.
    ref_funcs: Vec<u32>,
    /// Tables it changes.
    written_tables: Vec<u32>,
}

/// Scans a body for `ref.func` and table writes. A body in which none of those opcodes'
/// bytes occur (most: `ref.func` 0xd2, `table.set` 0x26, and 0xfc followed by the
/// one-byte sub-opcode of `table.init` 12, `table.copy` 14, `table.grow` 15 or
/// `table.fill` 17) is not decoded.
fn scan_body(body: &FunctionBody<'_>) -> std::result::Result<BodyScan, BinaryReaderError> {
    const REF_FUNC: u8 = 0xd2;
    const TABLE_SET: u8 = 0x26;
    const PREFIX_FC: u8 = 0xfc;
    let mut reader = body.get_binary_reader();
    let raw = reader.read_bytes(reader.bytes_remaining())?;
    let mut found = BodyScan::default();
    let maybe = raw.contains(&REF_FUNC)
        || raw.contains(&TABLE_SET)
        || raw
            .windows(2)
            .any(|w| w[0] == PREFIX_FC && matches!(w[1], 12 | 14 | 15 | 17));
    if !maybe {
        return Ok(found);
    }
    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        match ops.read()? {
            Operator::RefFunc { function_index } => found.ref_funcs.push(function_index),
            Operator::TableSet { table }
            | Operator::TableGrow { table }
            | Operator::TableFill { table }
            | Operator::TableInit { table, .. }
            | Operator::TableCopy {
                dst_table: table, ..
            } => found.written_tables.push(table),
            _ => {}
        }
    }
    Ok(found)
}

/// Reads function names; a malformed name section is ignored, as engines do.
fn read_names(reader: NameSectionReader<'_>, names: &mut HashMap<u32, String>) {
    for name in reader.into_iter().flatten() {
        if let Name::Function(map) = name {
            for naming in map.into_iter().flatten() {
                names.insert(naming.index, naming.name.to_string());
            }
        }
    }
}

/// Decodes a constant expression, noting the functions it references.
/// Why a constant expression could not be decoded.
enum ConstExprError {
    Reader(wasmparser::BinaryReaderError),
    Unsupported(String, u64),
}

impl From<wasmparser::BinaryReaderError> for ConstExprError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        ConstExprError::Reader(e)
    }
}

fn const_expr(
    expr: &wasmparser::ConstExpr<'_>,
    escaping: &mut Vec<u32>,
) -> Result<ConstExpr, ConstExprError> {
    let mut ops = Vec::new();
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        let offset = reader.original_position();
        ops.push(match reader.read()? {
            Operator::I32Const { value } => ConstOp::I32(value),
            Operator::I64Const { value } => ConstOp::I64(value),
            Operator::F32Const { value } => ConstOp::F32(value.bits()),
            Operator::F64Const { value } => ConstOp::F64(value.bits()),
            Operator::V128Const { value } => ConstOp::V128(value.i128() as u128),
            Operator::RefNull { .. } => ConstOp::RefNull,
            Operator::RefFunc { function_index } => {
                escaping.push(function_index);
                ConstOp::RefFunc(function_index)
            }
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::End => continue,
            op => return Err(ConstExprError::Unsupported(format!("{op:?}"), offset)),
        });
    }
    Ok(ops)
}
