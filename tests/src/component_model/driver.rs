//! The core modules that call a tested component: `libc` (a memory holding every argument
//! and expected string, and a bump `realloc`) and the driver, which imports the tested
//! functions `canon lower`ed with libc's memory and realloc and exports one function per
//! directive.
//!
//! Driver function `a<N>: () -> i32` passes the directive's arguments (flat constants, or
//! pointers into libc's data; a pointer to a stored tuple when there are more than
//! `MAX_FLAT_PARAMS` flat parameters), calls the lowered function (with a return pointer
//! when there is more than `MAX_FLAT_RESULTS` flat result) and compares the result with the
//! expected value: 1 when equal, `2 + k` when check `k` (described in [`Modules::checks`])
//! fails. Strings compare byte by byte against a copy in libc's data; a NaN matches any NaN.
//! For `assert_trap` and bare `invoke` the function only calls, and returns 1.

use super::values::{FlatVal, Image, Val, has_pointers, lower_flat, store};
use smelt::component::abi::{Flat, Ty, discriminant_size};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, EntityType, ExportKind, ExportSection,
    Function, FunctionSection, GlobalSection, GlobalType, Ieee32, Ieee64, ImportSection,
    Instruction, MemArg, MemorySection, MemoryType, Module, TypeSection, ValType,
};

/// `MAX_FLAT_PARAMS` of the Canonical ABI.
const MAX_FLAT_PARAMS: usize = 16;
/// `MAX_FLAT_RESULTS` of the Canonical ABI for `canon lower`.
const MAX_FLAT_RESULTS: usize = 1;
/// Where libc's data starts (address 0 stays unused).
const DATA_BASE: u32 = 16;

/// Names the wrapper and the runner use.
pub mod names {
    /// libc's memory export; the driver's import module for libc.
    pub const MEMORY: &str = "mem";
    /// libc's realloc export.
    pub const REALLOC: &str = "realloc";
    /// The driver's import module for libc's memory.
    pub const LIBC: &str = "libc";
    /// The driver's import module for the lowered functions (named by their index).
    pub const FUNCS: &str = "f";
    /// The driver's export that marks it as slot `k`'s driver.
    pub fn marker(slot: usize) -> String {
        format!("cm-driver:slot{slot}")
    }
    /// The driver's export for directive `n` of its slot.
    pub fn call(n: usize) -> String {
        format!("a{n}")
    }
}

/// A tested export, lowered into the driver.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// Export name in the tested component.
    pub name: String,
    /// Parameter types.
    pub params: Vec<Ty>,
    /// Result type.
    pub result: Option<Ty>,
}

impl Lowered {
    fn flat_params(&self) -> Vec<Flat> {
        self.params.iter().flat_map(Ty::flat).collect()
    }

    fn flat_results(&self) -> Vec<Flat> {
        self.result.as_ref().map(Ty::flat).unwrap_or_default()
    }

    /// Whether the parameters travel as a pointer to a stored tuple.
    fn spilled(&self) -> bool {
        self.flat_params().len() > MAX_FLAT_PARAMS
    }

    /// Whether the result comes back through a return pointer.
    fn retptr(&self) -> bool {
        self.flat_results().len() > MAX_FLAT_RESULTS
    }

    /// Whether the lowering needs `(memory ...)`.
    pub fn needs_memory(&self) -> bool {
        self.spilled()
            || self.retptr()
            || self.params.iter().any(has_pointers)
            || self.result.as_ref().is_some_and(has_pointers)
    }

    /// Whether the lowering needs `(realloc ...)`.
    pub fn needs_realloc(&self) -> bool {
        self.result.as_ref().is_some_and(has_pointers)
    }

    /// The lowered core function's type.
    fn core_type(&self) -> (Vec<ValType>, Vec<ValType>) {
        let mut params: Vec<ValType> = if self.spilled() {
            vec![ValType::I32]
        } else {
            self.flat_params().into_iter().map(val).collect()
        };
        let results = if self.retptr() {
            params.push(ValType::I32);
            Vec::new()
        } else {
            self.flat_results().into_iter().map(val).collect()
        };
        (params, results)
    }
}

/// What a driver function checks after the call.
#[derive(Clone, Debug)]
pub enum Check {
    /// Nothing (`assert_trap`, bare `invoke`).
    Nothing,
    /// The result equals this (`None`: the function has no result).
    Equals(Option<Val>),
}

/// One driver function: a call of `func` (index in the slot's lowered functions).
#[derive(Clone, Debug)]
pub struct Call {
    /// The lowered function.
    pub func: usize,
    /// The arguments.
    pub args: Vec<Val>,
    /// What to check.
    pub check: Check,
}

/// The generated modules of one slot.
pub struct Modules {
    /// libc: memory, data, realloc.
    pub libc: Vec<u8>,
    /// The driver.
    pub driver: Vec<u8>,
    /// For each call, what each of its checks compares (for failure messages).
    pub checks: Vec<Vec<String>>,
}

fn val(f: Flat) -> ValType {
    match f {
        Flat::I32 => ValType::I32,
        Flat::I64 => ValType::I64,
        Flat::F32 => ValType::F32,
        Flat::F64 => ValType::F64,
    }
}

fn mem(offset: u64) -> MemArg {
    MemArg {
        offset,
        align: 0,
        target: wasm_encoder::MemArgTarget::Memory(0),
        ordering: None,
    }
}

/// Generates libc and the driver of slot `slot` for `calls` of `lowered`.
pub fn modules(slot: usize, lowered: &[Lowered], calls: &[Call]) -> Modules {
    let mut image = Image::new(DATA_BASE);
    let mut bodies = Vec::new();
    let mut checks = Vec::new();
    for call in calls {
        let mut body = Body {
            memeq: lowered.len() as u32,
            locals: Vec::new(),
            code: Vec::new(),
            checks: Vec::new(),
        };
        body.call(lowered, call, &mut image);
        checks.push(body.checks.clone());
        bodies.push(body);
    }
    Modules {
        libc: libc(&image),
        driver: driver(slot, lowered, &bodies),
        checks,
    }
}

/// libc: the memory (exported), the image as an active data segment, and a bump allocator
/// after it that grows the memory as needed.
fn libc(image: &Image) -> Vec<u8> {
    let heap = image.end().div_ceil(16) * 16;
    let pages = u64::from(heap / 65536 + 1);
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: pages,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut globals = GlobalSection::new();
    globals.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(heap as i32),
    );
    let mut exports = ExportSection::new();
    exports.export(names::MEMORY, ExportKind::Memory, 0);
    exports.export(names::REALLOC, ExportKind::Func, 0);
    // realloc(old, old_size, align, size): p = align_up(heap, align); heap = p + size,
    // growing the memory to cover it; the old block is never reused (lowering only ever
    // allocates fresh blocks).
    let (align, size, p, end) = (2, 3, 4, 5);
    let mut f = Function::new([(2, ValType::I32)]);
    use Instruction as I;
    for i in [
        I::GlobalGet(0),
        I::LocalGet(align),
        I::I32Add,
        I::I32Const(1),
        I::I32Sub,
        I::I32Const(0),
        I::LocalGet(align),
        I::I32Sub,
        I::I32And,
        I::LocalTee(p),
        I::LocalGet(size),
        I::I32Add,
        I::LocalTee(end),
        I::MemorySize(0),
        I::I32Const(16),
        I::I32Shl,
        I::I32GtU,
        I::If(BlockType::Empty),
        I::LocalGet(end),
        I::I32Const(65535),
        I::I32Add,
        I::I32Const(16),
        I::I32ShrU,
        I::MemorySize(0),
        I::I32Sub,
        I::MemoryGrow(0),
        I::I32Const(-1),
        I::I32Eq,
        I::If(BlockType::Empty),
        I::Unreachable,
        I::End,
        I::End,
        I::LocalGet(end),
        I::GlobalSet(0),
        I::LocalGet(p),
        I::End,
    ] {
        f.instruction(&i);
    }
    let mut code = CodeSection::new();
    code.function(&f);
    let mut data = DataSection::new();
    data.active(
        0,
        &ConstExpr::i32_const(image.base as i32),
        image.bytes.iter().copied(),
    );
    let mut m = Module::new();
    m.section(&types)
        .section(&funcs)
        .section(&memories)
        .section(&globals)
        .section(&exports)
        .section(&code)
        .section(&data);
    m.finish()
}

/// The driver: imports libc's memory and the lowered functions; function 0 (after the
/// imports) is `memeq`, exported as the slot's marker; then one function per call.
fn driver(slot: usize, lowered: &[Lowered], bodies: &[Body]) -> Vec<u8> {
    let mut types = TypeSection::new();
    let mut imports = ImportSection::new();
    imports.import(
        names::LIBC,
        names::MEMORY,
        EntityType::Memory(MemoryType {
            minimum: 0,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        }),
    );
    let mut ntypes = 0;
    for (i, l) in lowered.iter().enumerate() {
        let (params, results) = l.core_type();
        types.ty().function(params, results);
        imports.import(names::FUNCS, &i.to_string(), EntityType::Function(ntypes));
        ntypes += 1;
    }
    let memeq_type = ntypes;
    types
        .ty()
        .function([ValType::I32, ValType::I32, ValType::I32], [ValType::I32]);
    let call_type = ntypes + 1;
    types.ty().function([], [ValType::I32]);
    let first = lowered.len() as u32;
    let mut funcs = FunctionSection::new();
    let mut exports = ExportSection::new();
    let mut code = CodeSection::new();
    funcs.function(memeq_type);
    exports.export(&names::marker(slot), ExportKind::Func, first);
    code.function(&memeq());
    for (n, body) in bodies.iter().enumerate() {
        funcs.function(call_type);
        exports.export(&names::call(n), ExportKind::Func, first + 1 + n as u32);
        code.function(&body.function());
    }
    let mut m = Module::new();
    m.section(&types)
        .section(&imports)
        .section(&funcs)
        .section(&exports)
        .section(&code);
    m.finish()
}

/// `memeq(a, b, n) -> i32`: whether the `n` bytes at `a` and `b` are equal.
fn memeq() -> Function {
    let (a, b, n) = (0, 1, 2);
    let mut f = Function::new([]);
    use Instruction as I;
    for i in [
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(n),
        I::I32Eqz,
        I::BrIf(1),
        I::LocalGet(a),
        I::I32Load8U(mem(0)),
        I::LocalGet(b),
        I::I32Load8U(mem(0)),
        I::I32Ne,
        I::If(BlockType::Empty),
        I::I32Const(0),
        I::Return,
        I::End,
        I::LocalGet(a),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(a),
        I::LocalGet(b),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(b),
        I::LocalGet(n),
        I::I32Const(1),
        I::I32Sub,
        I::LocalSet(n),
        I::Br(0),
        I::End,
        I::End,
        I::I32Const(1),
        I::End,
    ] {
        f.instruction(&i);
    }
    f
}

/// A driver function being generated.
struct Body {
    /// The index of `memeq`.
    memeq: u32,
    /// Its locals (it has no parameters).
    locals: Vec<ValType>,
    /// Its instructions, without the final `end`.
    code: Vec<Instruction<'static>>,
    /// What each check compares.
    checks: Vec<String>,
}

impl Body {
    fn local(&mut self, ty: ValType) -> u32 {
        self.locals.push(ty);
        self.locals.len() as u32 - 1
    }

    fn push(&mut self, i: Instruction<'static>) {
        self.code.push(i);
    }

    /// Consumes an i32 condition: when it is true, the function returns check `what`'s
    /// code.
    fn fail_if(&mut self, what: String) {
        let code = 2 + self.checks.len() as i32;
        self.checks.push(what);
        self.push(Instruction::If(BlockType::Empty));
        self.push(Instruction::I32Const(code));
        self.push(Instruction::Return);
        self.push(Instruction::End);
    }

    fn constant(&mut self, (f, bits): FlatVal) {
        self.push(match f {
            Flat::I32 => Instruction::I32Const(bits as u32 as i32),
            Flat::I64 => Instruction::I64Const(bits as i64),
            Flat::F32 => Instruction::F32Const(Ieee32::new(bits as u32)),
            Flat::F64 => Instruction::F64Const(Ieee64::new(bits)),
        });
    }

    fn call(&mut self, lowered: &[Lowered], call: &Call, image: &mut Image) {
        let f = &lowered[call.func];
        if f.spilled() {
            let tuple = Ty::Record(f.params.clone());
            let at = image.alloc(tuple.size(), tuple.align());
            store(&tuple, &Val::Record(call.args.clone()), image, at);
            self.constant((Flat::I32, u64::from(at)));
        } else {
            for (ty, v) in f.params.iter().zip(&call.args) {
                for flat in lower_flat(ty, v, image) {
                    self.constant(flat);
                }
            }
        }
        let retptr = f.retptr().then(|| {
            let ty = f.result.as_ref().expect("a result");
            image.alloc(ty.size(), ty.align())
        });
        if let Some(at) = retptr {
            self.constant((Flat::I32, u64::from(at)));
        }
        self.push(Instruction::Call(call.func as u32));
        let results = if f.retptr() {
            0
        } else {
            f.flat_results().len()
        };
        match &call.check {
            Check::Nothing | Check::Equals(None) => {
                for _ in 0..results {
                    self.push(Instruction::Drop);
                }
            }
            Check::Equals(Some(expected)) => {
                let ty = f.result.as_ref().expect("checked against the type");
                match retptr {
                    Some(at) => {
                        let base = self.local(ValType::I32);
                        self.push(Instruction::I32Const(at as i32));
                        self.push(Instruction::LocalSet(base));
                        self.compare_mem(ty, base, 0, expected, "result", image);
                    }
                    None => {
                        let flats = lower_flat(ty, expected, image);
                        let [flat] = flats[..] else {
                            unreachable!("one flat result")
                        };
                        let r = self.local(val(flat.0));
                        self.push(Instruction::LocalSet(r));
                        self.compare_flat(r, flat, "result");
                    }
                }
            }
        }
        self.push(Instruction::I32Const(1));
    }

    /// Compares local `r` with the flat value `expected`.
    fn compare_flat(&mut self, r: u32, (f, bits): FlatVal, what: &str) {
        use Instruction as I;
        let shown = show_flat((f, bits));
        match f {
            Flat::F32 if f32::from_bits(bits as u32).is_nan() => {
                self.code.extend([I::LocalGet(r), I::LocalGet(r), I::F32Eq]);
                self.fail_if(format!("{what}: not a NaN"));
                return;
            }
            Flat::F64 if f64::from_bits(bits).is_nan() => {
                self.code.extend([I::LocalGet(r), I::LocalGet(r), I::F64Eq]);
                self.fail_if(format!("{what}: not a NaN"));
                return;
            }
            Flat::F32 => self.code.extend([
                I::LocalGet(r),
                I::I32ReinterpretF32,
                I::I32Const(bits as u32 as i32),
                I::I32Ne,
            ]),
            Flat::F64 => self.code.extend([
                I::LocalGet(r),
                I::I64ReinterpretF64,
                I::I64Const(bits as i64),
                I::I64Ne,
            ]),
            Flat::I32 => {
                self.code
                    .extend([I::LocalGet(r), I::I32Const(bits as u32 as i32), I::I32Ne])
            }
            Flat::I64 => self
                .code
                .extend([I::LocalGet(r), I::I64Const(bits as i64), I::I64Ne]),
        }
        self.fail_if(format!("{what} is not {shown}"));
    }

    /// Compares the value of type `ty` at local `base` + `off` with `v`.
    fn compare_mem(
        &mut self,
        ty: &Ty,
        base: u32,
        off: u32,
        v: &Val,
        what: &str,
        image: &mut Image,
    ) {
        use Instruction as I;
        let at = mem(u64::from(off));
        match (ty, v) {
            (Ty::String, Val::Str(s)) => {
                let p = self.string_or_list_len(base, off, s.len() as u32, what);
                if !s.is_empty() {
                    let copy = image.alloc(s.len() as u32, 1);
                    image.write(copy, s.as_bytes());
                    self.code.extend([
                        I::LocalGet(p),
                        I::I32Const(copy as i32),
                        I::I32Const(s.len() as i32),
                        I::Call(self.memeq),
                        I::I32Eqz,
                    ]);
                    self.fail_if(format!("{what}: contents differ from {s:?}"));
                }
            }
            (Ty::List(e), Val::List(items)) => {
                let p = self.string_or_list_len(base, off, items.len() as u32, what);
                for (i, item) in items.iter().enumerate() {
                    let what = format!("{what}[{i}]");
                    self.compare_mem(e, p, i as u32 * e.size(), item, &what, image);
                }
            }
            (Ty::Record(fields), Val::Record(vals)) => {
                for (i, ((f, o), v)) in fields
                    .iter()
                    .zip(Ty::field_offsets(fields))
                    .zip(vals)
                    .enumerate()
                {
                    self.compare_mem(f, base, off + o, v, &format!("{what}.{i}"), image);
                }
            }
            (Ty::Variant(cases), Val::Variant(case, payload)) => {
                self.push(I::LocalGet(base));
                self.push(match discriminant_size(cases.len()) {
                    1 => I::I32Load8U(at),
                    2 => I::I32Load16U(at),
                    _ => I::I32Load(at),
                });
                self.code.extend([I::I32Const(*case as i32), I::I32Ne]);
                self.fail_if(format!("{what}: case is not {case}"));
                if let (Some(Some(t)), Some(p)) = (cases.get(*case as usize), payload) {
                    let what = format!("{what}(case {case})");
                    self.compare_mem(t, base, off + ty.payload_offset(), p, &what, image);
                }
            }
            (Ty::Flags(_), Val::Flags(words)) => {
                let size = ty.size();
                for (i, w) in words.iter().enumerate() {
                    let at = mem(u64::from(off + 4 * i as u32));
                    self.push(I::LocalGet(base));
                    self.push(match size {
                        1 => I::I32Load8U(at),
                        2 => I::I32Load16U(at),
                        _ => I::I32Load(at),
                    });
                    self.code.extend([I::I32Const(*w as i32), I::I32Ne]);
                    self.fail_if(format!("{what}: flags word {i} is not {w:#x}"));
                }
            }
            (Ty::F32, Val::F32(bits)) => {
                let r = self.local(ValType::F32);
                self.code
                    .extend([I::LocalGet(base), I::F32Load(at), I::LocalSet(r)]);
                self.compare_flat(r, (Flat::F32, u64::from(*bits)), what);
            }
            (Ty::F64, Val::F64(bits)) => {
                let r = self.local(ValType::F64);
                self.code
                    .extend([I::LocalGet(base), I::F64Load(at), I::LocalSet(r)]);
                self.compare_flat(r, (Flat::F64, *bits), what);
            }
            (Ty::S64 | Ty::U64, Val::Int(x)) => {
                self.code.extend([
                    I::LocalGet(base),
                    I::I64Load(at),
                    I::I64Const(*x as i64),
                    I::I64Ne,
                ]);
                self.fail_if(format!("{what} is not {x}"));
            }
            (_, Val::Int(x)) => {
                let size = ty.size();
                let mask = if size >= 4 {
                    0xffff_ffff
                } else {
                    (1u64 << (8 * size)) - 1
                };
                self.push(I::LocalGet(base));
                self.push(match size {
                    1 => I::I32Load8U(at),
                    2 => I::I32Load16U(at),
                    _ => I::I32Load(at),
                });
                self.code
                    .extend([I::I32Const((x & mask) as u32 as i32), I::I32Ne]);
                self.fail_if(format!("{what} is not {}", x & mask));
            }
            _ => unreachable!("values are resolved against their types"),
        }
    }

    /// Loads the (pointer, length) at `base` + `off`, checks the length, and returns a
    /// local holding the pointer.
    fn string_or_list_len(&mut self, base: u32, off: u32, len: u32, what: &str) -> u32 {
        use Instruction as I;
        let p = self.local(ValType::I32);
        self.code.extend([
            I::LocalGet(base),
            I::I32Load(mem(u64::from(off))),
            I::LocalSet(p),
            I::LocalGet(base),
            I::I32Load(mem(u64::from(off) + 4)),
            I::I32Const(len as i32),
            I::I32Ne,
        ]);
        self.fail_if(format!("{what}: length is not {len}"));
        p
    }

    fn function(&self) -> Function {
        let mut f = Function::new(self.locals.iter().map(|t| (1, *t)));
        for i in &self.code {
            f.instruction(i);
        }
        f.instruction(&Instruction::End);
        f
    }
}

fn show_flat((f, bits): FlatVal) -> String {
    match f {
        Flat::I32 => format!("{}", bits as u32),
        Flat::I64 => format!("{bits}"),
        Flat::F32 => format!("{} ({bits:#x})", f32::from_bits(bits as u32)),
        Flat::F64 => format!("{} ({bits:#x})", f64::from_bits(bits)),
    }
}
