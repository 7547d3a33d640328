//! Grouping the lanes of a loop that LLVM unrolled into vector operations (superword-level
//! parallelism) before Cranelift optimises the function: two `f64` lanes become one `f64x2`
//! chain, four `f32` lanes one `f32x4` chain, two `f32` lanes the low half of one (see
//! [`Shape`]).
//!
//! A program built without `simd128` still gets interleaved loops from LLVM, which unrolls a
//! loop when it cannot vectorise it: matmul's `out[j] += a * row[j]` becomes `out[j]` and
//! `out[j + 1]` as two identical chains of load, multiply, add and store, an `f32` saxpy four
//! of them. Cranelift has no vectoriser, so every lane ran as scalar code; this pass turns
//! each group of chains into one chain of vector operations.
//!
//! What is grouped (anything else is left as it is):
//! - a loop that is one block (`brif` back to itself), entered by one `jump`;
//! - whose only memory writes are `f64` (or `f32`) stores of one guarded 32-bit memory that,
//!   sorted by address, split into runs of adjacent lanes (8 or 4 bytes apart) forming
//!   groups, widest first (any number of groups, at most [`MAX_STORES`] stores);
//! - whose stored values in a group are the same tree of `fadd`, `fsub`, `fmul`, `fdiv`,
//!   `sqrt`, `fneg`, `fabs` over adjacent loads of that memory and type, values all lanes
//!   share and equal constants, each node used by its lane only;
//! - with no call and no instruction that can trap other than the memory accesses.
//!
//! Why the paired loop is the same program:
//! - Each lane of a vector operation computes what the scalar operation computed, NaN bits
//!   included: these operations are one instruction per lane on every target, which treats
//!   NaN operands the same in scalar and vector form. `fmin`/`fmax` are left out: wasm lets
//!   their NaN results be any NaN, and Cranelift's x86_64 scalar and vector sequences pick
//!   different ones (a positive or negative canonical NaN). Valid either way, but a program
//!   that reads a float's bytes could tell paired from unpaired code, and found it (a
//!   fuzzed loop storing over its own input at an unaligned distance).
//! - Order: a group's vector code runs where its last store was, so lane loads the scalar
//!   code did after an earlier store now run before it. Their bytes must not overlap that
//!   store (nor may any two accesses, one a store, whose order grouping changes).
//!   With the same index value this is read off the constant parts of the addresses; with
//!   different ones it is checked once before the loop, which is valid because both indices
//!   are invariant or advance by the same constant every iteration (so their distance is
//!   fixed). When the check fails, every iteration takes the original scalar instructions
//!   (a branch on a value computed before the loop).
//! - Traps: a group's 16- (or 8-) byte access covers exactly the bytes of its lanes', so it
//!   faults if and only if one of them would — except when an `i32` index addition wraps,
//!   which only a full 4 GiB memory can tell apart: the pre-loop check also requires the
//!   memory to be smaller. The only instructions that can trap are memory accesses, so the trap is the
//!   same (out of bounds, in the same function), but it may come before the earlier store
//!   instead of after it. A command exits on a trap and nothing reads its memory afterwards;
//!   the caller runs this pass only in command mode (the script driver reads memory after a
//!   trap).

use super::simd::lane_order;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{
    self, Block, BlockArg, GlobalValue, Inst, InstBuilder, InstructionData, MemFlagsData, Opcode,
    Value, ValueDef, condcodes::IntCC, types,
};
use smelt_contract::layout::VMMemory;
use std::collections::{HashMap, HashSet};

/// Groups the lanes of every loop of `func` that qualifies; returns how many loops changed.
pub(crate) fn pair_lanes(func: &mut ir::Function) -> usize {
    let loops: Vec<Block> = func
        .layout
        .blocks()
        .filter(|&b| back_edge(func, b).is_some())
        .collect();
    if loops.is_empty() {
        return 0;
    }
    let cfg = ControlFlowGraph::with_function(func);
    let uses = use_counts(func);
    let mut changed = 0;
    for block in loops {
        if let Some(plan) = Plan::new(func, &cfg, &uses, block) {
            plan.apply(func);
            changed += 1;
        }
    }
    changed
}

/// The loop's `brif` and which of its two destinations is the loop itself.
fn back_edge(func: &ir::Function, block: Block) -> Option<(Inst, usize)> {
    let inst = func.layout.last_inst(block)?;
    let InstructionData::Brif { blocks, .. } = &func.dfg.insts[inst] else {
        return None;
    };
    let pool = &func.dfg.value_lists;
    match (
        blocks[0].block(pool) == block,
        blocks[1].block(pool) == block,
    ) {
        (true, false) => Some((inst, 0)),
        (false, true) => Some((inst, 1)),
        _ => None,
    }
}

/// How many times each value is used (aliases resolved).
fn use_counts(func: &ir::Function) -> HashMap<Value, u32> {
    let mut uses = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for v in func.dfg.inst_values(inst) {
                *uses.entry(func.dfg.resolve_aliases(v)).or_default() += 1;
            }
        }
    }
    uses
}

/// A heap address `base(mem) + uextend(root + konst) + offset`.
#[derive(Clone, Copy, Debug)]
struct Addr {
    /// The memory's descriptor symbol.
    mem: GlobalValue,
    /// The `i32` index with constant additions stripped.
    root: Value,
    /// The sum of the stripped `i32` constants, |konst| < 2^30 (see [`MAX_KONST`]).
    konst: i64,
    /// The access's immediate offset.
    offset: i64,
}

impl Addr {
    /// Byte distance from `other` when both share a root.
    fn distance(&self, other: &Addr) -> i64 {
        (self.konst + self.offset) - (other.konst + other.offset)
    }
}

/// The instruction defining `v`, if it is an instruction result.
fn def(func: &ir::Function, v: Value) -> Option<Inst> {
    match func.dfg.value_def(func.dfg.resolve_aliases(v)) {
        ValueDef::Result(inst, 0) => Some(inst),
        _ => None,
    }
}

/// The `iconst` value of `v`, sign-extended from its type.
fn iconst(func: &ir::Function, v: Value) -> Option<i64> {
    let inst = def(func, v)?;
    match func.dfg.insts[inst] {
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } => {
            let bits = func.dfg.value_type(v).bits();
            let raw = imm.bits();
            Some(if bits == 64 {
                raw
            } else {
                (raw << (64 - bits)) >> (64 - bits)
            })
        }
        _ => None,
    }
}

/// The operands (aliases resolved) of the `iadd` that defines `v`.
fn iadd_args(func: &ir::Function, v: Value) -> Option<(Value, Value)> {
    match func.dfg.insts[def(func, v)?] {
        InstructionData::Binary {
            opcode: Opcode::Iadd,
            args: [a, b],
        } => Some((func.dfg.resolve_aliases(a), func.dfg.resolve_aliases(b))),
        _ => None,
    }
}

/// `x` and `k` when `v` is `iadd x, iconst k` (either order).
fn add_const(func: &ir::Function, v: Value) -> Option<(Value, i64)> {
    let (a, b) = iadd_args(func, v)?;
    match (iconst(func, a), iconst(func, b)) {
        (None, Some(k)) => Some((a, k)),
        (Some(k), None) => Some((b, k)),
        _ => None,
    }
}

/// The memory whose base `v` is: a readonly load of a descriptor's base field.
fn memory_base(func: &ir::Function, v: Value) -> Option<GlobalValue> {
    let inst = def(func, v)?;
    let InstructionData::Load {
        opcode: Opcode::Load,
        arg,
        flags,
        offset,
    } = func.dfg.insts[inst]
    else {
        return None;
    };
    if !func.dfg.mem_flags[flags].readonly() || i32::from(offset) != VMMemory::BASE_OFFSET as i32 {
        return None;
    }
    match func.dfg.insts[def(func, arg)?] {
        InstructionData::UnaryGlobalValue {
            opcode: Opcode::SymbolValue,
            global_value,
        } => Some(global_value),
        _ => None,
    }
}

/// Bound on the constants stripped from an index. Two accesses with the same root and
/// constant parts `k0`, `k1` have `i32` indices `k1 - k0` apart modulo 2^32, and their
/// effective addresses differ by exactly `k1 - k0` unless one index addition wraps and the
/// other does not, which moves them 2^32 apart: with |k| < 2^30 the two cannot then be
/// within a vector's width, so comparing constants decides overlap exactly. (A wrapping
/// access that runs at all is below 4 GiB only in a full 4 GiB memory, which the pre-loop
/// check excludes; LLVM's loops over 64 Ki-element arrays address `base + i + 2^18`.)
const MAX_KONST: i64 = 1 << 30;

/// The heap address of an access at `addr + offset`, when it is a guarded 32-bit memory's.
fn heap_addr(func: &ir::Function, addr: Value, offset: i32) -> Option<Addr> {
    let (a, b) = iadd_args(func, addr)?;
    let (mem, ext) = match memory_base(func, a) {
        Some(mem) => (mem, b),
        None => (memory_base(func, b)?, a),
    };
    let InstructionData::Unary {
        opcode: Opcode::Uextend,
        arg: index,
    } = func.dfg.insts[def(func, ext)?]
    else {
        return None;
    };
    if func.dfg.value_type(index) != types::I32 {
        return None;
    }
    let (mut root, mut konst) = (func.dfg.resolve_aliases(index), 0i64);
    while let Some((x, k)) = add_const(func, root) {
        let sum = konst + k;
        if sum.abs() >= MAX_KONST {
            break;
        }
        (root, konst) = (x, sum);
    }
    Some(Addr {
        mem,
        root,
        konst,
        offset: offset.into(),
    })
}

/// The scalar type of a group's lanes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lane {
    F64,
    F32,
}

impl Lane {
    fn of(ty: ir::Type) -> Option<Lane> {
        match ty {
            types::F64 => Some(Lane::F64),
            types::F32 => Some(Lane::F32),
            _ => None,
        }
    }

    /// The bytes of one lane: also the distance between adjacent lanes' addresses.
    fn size(self) -> i64 {
        match self {
            Lane::F64 => 8,
            Lane::F32 => 4,
        }
    }

    fn scalar(self) -> ir::Type {
        match self {
            Lane::F64 => types::F64,
            Lane::F32 => types::F32,
        }
    }

    /// The vector type the grouped operations compute in.
    fn vector(self) -> ir::Type {
        match self {
            Lane::F64 => types::F64X2,
            Lane::F32 => types::F32X4,
        }
    }
}

/// How many lanes a group has and how they sit in a vector register.
///
/// Two `f64` lanes or four `f32` lanes fill a 16-byte vector. Two `f32` lanes are its low
/// half: loaded and stored as one `f64`'s 8 bytes (`scalar_to_vector` zeroes the upper half;
/// its lanes compute `0 op 0` and are never stored, and no float operation traps).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Shape {
    lane: Lane,
    lanes: usize,
}

impl Shape {
    /// The vector the lanes occupy, if this shape is one the pass forms.
    fn vector(self) -> Option<ir::Type> {
        let full = 16 / self.lane.size() as usize;
        (self.lanes == full || (self.lanes == 2 && full == 4)).then(|| self.lane.vector())
    }

    /// Whether the lanes fill only the low half of the vector.
    fn is_half(self) -> bool {
        (self.lanes as i64) * self.lane.size() == 8
    }
}

/// A group's lanes, as one vector value (see [`Shape`]).
enum Node {
    /// Adjacent loads; the vector loads at lane 0's address.
    Load {
        lane0: Inst,
    },
    /// One value all lanes use.
    Splat(Value),
    Unary(Opcode, Box<Node>),
    Binary(Opcode, Box<Node>, Box<Node>),
}

/// Two accesses whose order changes, to check before the loop for overlap.
struct Check {
    a: Access,
    b: Access,
}

/// A memory access of the loop: where, and how many bytes.
#[derive(Clone, Copy)]
struct Access {
    addr: Addr,
    size: i64,
}

/// One group of stores to adjacent addresses and the tree of their values.
struct Group {
    shape: Shape,
    /// The stores of lanes 0, 1, ... (by address).
    stores: Vec<Inst>,
    tree: Node,
    /// Every paired instruction of the group, stores included.
    insts: HashSet<Inst>,
    /// Its loads (all lanes) and stores, with their addresses.
    accesses: Vec<(Inst, Access)>,
}

impl Group {
    /// The group of `stores` (sorted by address) as lanes of `shape`, if their addresses are
    /// adjacent lanes of one root and their values the same tree.
    fn new(
        func: &ir::Function,
        uses: &HashMap<Value, u32>,
        block: Block,
        mem: GlobalValue,
        shape: Shape,
        stores: &[(Inst, Value, Addr, MemFlagsData)],
    ) -> Option<Group> {
        let (_, _, a0, f0) = stores[0];
        let size = shape.lane.size();
        for (k, &(_, v, a, f)) in stores.iter().enumerate() {
            if f != f0
                || a.mem != mem
                || a.root != a0.root
                || func.dfg.value_type(v) != shape.lane.scalar()
                || a.distance(&a0) != k as i64 * size
            {
                return None;
            }
        }
        let mut pairing = Pairing {
            func,
            uses,
            block,
            mem,
            lane: shape.lane,
            group: stores.iter().map(|s| s.0).collect(),
            loads: Vec::new(),
        };
        let values: Vec<Value> = stores.iter().map(|s| s.1).collect();
        let tree = pairing.lanes(&values)?;
        let mut accesses: Vec<(Inst, Access)> = pairing
            .loads
            .iter()
            .map(|&(inst, addr)| (inst, Access { addr, size }))
            .collect();
        accesses.extend(
            stores
                .iter()
                .map(|&(st, _, addr, _)| (st, Access { addr, size })),
        );
        Some(Group {
            shape,
            stores: stores.iter().map(|s| s.0).collect(),
            tree,
            insts: pairing.group,
            accesses,
        })
    }
}

/// What pairing one loop takes.
struct Plan {
    block: Block,
    /// The `jump` into the loop, before which the checks go.
    entry: Inst,
    /// The groups, in the order the paired code runs them (by their later store).
    groups: Vec<Group>,
    /// The memory (for its length) and the distances to check.
    mem: GlobalValue,
    checks: Vec<Check>,
    /// The values whose sum each checked index root has on entering the loop.
    start: HashMap<Value, Vec<Value>>,
}

/// At most this many stores in a loop, and checks before it.
const MAX_STORES: usize = 8;
const MAX_CHECKS: usize = 8;

impl Plan {
    fn new(
        func: &ir::Function,
        cfg: &ControlFlowGraph,
        uses: &HashMap<Value, u32>,
        block: Block,
    ) -> Option<Plan> {
        let (brif, back) = back_edge(func, block)?;
        // Entered by one `jump` from another block.
        let mut entries = cfg.pred_iter(block).filter(|p| p.block != block);
        let entry = entries.next()?.inst;
        if entries.next().is_some()
            || cfg.pred_iter(block).filter(|p| p.block == block).count() != 1
            || func.dfg.insts[entry].opcode() != Opcode::Jump
        {
            return None;
        }
        let the_loop = Loop {
            block,
            brif,
            back,
            entry,
        };
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        let position: HashMap<Inst, usize> = insts
            .iter()
            .enumerate()
            .map(|(i, &inst)| (inst, i))
            .collect();
        let mut stores = Vec::new();
        for &inst in &insts[..insts.len() - 1] {
            let op = func.dfg.insts[inst].opcode();
            if op.is_call()
                || op.is_branch()
                || op.is_terminator()
                || op.other_side_effects()
                || (op.can_trap() && !op.can_load() && !op.can_store())
            {
                return None;
            }
            if op.can_store() {
                let (v, addr, flags) = store_of(func, inst)?;
                stores.push((inst, v, addr, flags));
            }
        }
        if stores.is_empty() || stores.len() > MAX_STORES {
            return None;
        }
        // Group the stores by address: sorted, each run of adjacent lanes that fills a
        // vector (four `f32`) or half of one (two lanes) is a group, widest first.
        let mem = stores[0].2.mem;
        stores.sort_by_key(|s| (s.2.root, s.2.konst + s.2.offset));
        let mut groups = Vec::new();
        let mut rest = &stores[..];
        while !rest.is_empty() {
            let lane = Lane::of(func.dfg.value_type(rest[0].1))?;
            let group = [Shape { lane, lanes: 4 }, Shape { lane, lanes: 2 }]
                .into_iter()
                .filter(|shape| shape.vector().is_some() && shape.lanes <= rest.len())
                .find_map(|shape| {
                    Group::new(func, uses, block, mem, shape, &rest[..shape.lanes])
                })?;
            rest = &rest[group.stores.len()..];
            groups.push(group);
        }
        let late = |g: &Group| g.stores.iter().map(|st| position[st]).max().unwrap_or(0);
        groups.sort_by_key(late);
        let in_group: HashMap<Inst, usize> = groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.insts.iter().map(move |&inst| (inst, i)))
            .collect();

        // The scalar path runs the paired instructions after all others, in their order:
        // no other load may come after a store it would then pass.
        let first_store = groups
            .iter()
            .flat_map(|g| g.stores.iter().copied())
            .map(|st| position[&st])
            .min()?;
        for &inst in &insts[first_store..] {
            let readonly = match func.dfg.insts[inst] {
                InstructionData::Load { flags, .. } => func.dfg.mem_flags[flags].readonly(),
                _ => false,
            };
            if !in_group.contains_key(&inst)
                && func.dfg.insts[inst].opcode().can_load()
                && !readonly
            {
                return None;
            }
        }

        // The paired path runs group by group, each group's loads before its store. Every
        // two accesses, one a store, whose order that changes must not overlap.
        let is_store = |inst: Inst| func.dfg.insts[inst].opcode().can_store();
        let key = |inst: Inst| (in_group[&inst], is_store(inst), position[&inst]);
        let all: Vec<(Inst, Access)> = groups.iter().flat_map(|g| g.accesses.clone()).collect();
        let mut checks = Vec::new();
        let mut start = HashMap::new();
        for (i, &(x, ax)) in all.iter().enumerate() {
            for &(y, ay) in &all[i + 1..] {
                if !is_store(x) && !is_store(y) {
                    continue;
                }
                if (position[&x] < position[&y]) == (key(x) < key(y)) {
                    continue;
                }
                if ax.addr.root == ay.addr.root {
                    let d = ax.addr.distance(&ay.addr);
                    if d < ay.size && -d < ax.size {
                        return None;
                    }
                    continue;
                }
                // Different roots: the distance is fixed if both advance alike.
                let (init_x, step_x) = the_loop.induction(func, ax.addr.root)?;
                let (init_y, step_y) = the_loop.induction(func, ay.addr.root)?;
                if step_x != step_y {
                    return None;
                }
                start.insert(ax.addr.root, init_x);
                start.insert(ay.addr.root, init_y);
                // The same roots at the same relative distance are one check.
                let same = |c: &Check| {
                    c.a.addr.root == ax.addr.root
                        && c.b.addr.root == ay.addr.root
                        && (c.a.size, c.b.size) == (ax.size, ay.size)
                        && c.a.addr.distance(&ax.addr) == c.b.addr.distance(&ay.addr)
                };
                if !checks.iter().any(same) {
                    if checks.len() == MAX_CHECKS {
                        return None;
                    }
                    checks.push(Check { a: ax, b: ay });
                }
            }
        }
        Some(Plan {
            block,
            entry,
            groups,
            mem,
            checks,
            start,
        })
    }

    fn apply(self, func: &mut ir::Function) {
        // Before the loop: the memory is under 4 GiB and no two checked accesses overlap.
        let mut cur = FuncCursor::new(func).at_inst(self.entry);
        let vmmem = cur.ins().symbol_value(types::I64, self.mem);
        let length = cur.ins().load(
            types::I64,
            MemFlagsData::trusted(),
            vmmem,
            VMMemory::LENGTH_OFFSET as i32,
        );
        let mut ok = cur
            .ins()
            .icmp_imm_u(IntCC::UnsignedLessThan, length, 1i64 << 32);
        for check in &self.checks {
            let at = |cur: &mut FuncCursor, a: &Addr| {
                let terms = &self.start[&a.root];
                let mut v = terms[0];
                for &t in &terms[1..] {
                    v = cur.ins().iadd(v, t);
                }
                cur.ins().iadd_imm_s(v, a.konst + a.offset)
            };
            let a = at(&mut cur, &check.a.addr);
            let b = at(&mut cur, &check.b.addr);
            // [a, a + size_a) and [b, b + size_b) are disjoint when a - b is not within
            // (-size_a, size_b), modulo 2^32.
            let distance = cur.ins().isub(a, b);
            let shifted = cur.ins().iadd_imm_s(distance, check.a.size - 1);
            let disjoint = cur.ins().icmp_imm_u(
                IntCC::UnsignedGreaterThanOrEqual,
                shifted,
                check.a.size + check.b.size - 1,
            );
            ok = cur.ins().band(ok, disjoint);
        }

        // The loop becomes: the other instructions, then the paired or the scalar lanes,
        // then the branch.
        let func = cur.func;
        let block = self.block;
        let (vector, scalar, tail) = (
            func.dfg.make_block(),
            func.dfg.make_block(),
            func.dfg.make_block(),
        );
        func.layout.insert_block_after(vector, block);
        func.layout.insert_block_after(tail, vector);
        // The scalar lanes run only when the check before the loop failed: out of the way.
        func.layout.append_block(scalar);
        func.layout.set_cold(scalar);
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        let terminator = *insts.last().expect("a loop ends in its branch");
        func.layout.remove_inst(terminator);
        func.layout.append_inst(terminator, tail);
        let grouped: HashSet<Inst> = self
            .groups
            .iter()
            .flat_map(|g| g.insts.iter().copied())
            .collect();
        for &inst in &insts {
            if grouped.contains(&inst) {
                func.layout.remove_inst(inst);
                func.layout.append_inst(inst, scalar);
            }
        }
        let mut cur = FuncCursor::new(func).at_bottom(scalar);
        cur.ins().jump(tail, &[]);
        cur.goto_bottom(block);
        cur.ins().brif(ok, vector, &[], scalar, &[]);
        cur.goto_bottom(vector);
        for group in &self.groups {
            let mut value = emit(&mut cur, group.shape, &group.tree);
            if group.shape.is_half() {
                // The lanes are the low 8 bytes.
                let wide = cur.ins().bitcast(types::F64X2, lane_order(), value);
                value = cur.ins().extractlane(wide, 0);
            }
            let InstructionData::Store {
                args: [_, addr],
                flags,
                offset,
                ..
            } = cur.func.dfg.insts[group.stores[0]]
            else {
                unreachable!("a paired store is a store");
            };
            let flags = cur.func.dfg.mem_flags[flags];
            cur.ins().store(flags, value, addr, offset);
        }
        cur.ins().jump(tail, &[]);
    }
}

/// The value, heap address and flags of an `f64` or `f32` store.
fn store_of(func: &ir::Function, inst: Inst) -> Option<(Value, Addr, MemFlagsData)> {
    let InstructionData::Store {
        opcode: Opcode::Store,
        args: [v, addr],
        flags,
        offset,
    } = func.dfg.insts[inst]
    else {
        return None;
    };
    Lane::of(func.dfg.value_type(v))?;
    Some((
        v,
        heap_addr(func, addr, offset.into())?,
        func.dfg.mem_flags[flags],
    ))
}

/// Emits the vector operations of `node` (of shape `shape`) at the cursor.
fn emit(cur: &mut FuncCursor, shape: Shape, node: &Node) -> Value {
    let ty = shape.lane.vector();
    match node {
        Node::Load { lane0 } => {
            let InstructionData::Load {
                arg, flags, offset, ..
            } = cur.func.dfg.insts[*lane0]
            else {
                unreachable!("a paired load is a load");
            };
            let flags = cur.func.dfg.mem_flags[flags];
            if shape.is_half() {
                let both = cur.ins().load(types::F64, flags, arg, offset);
                let wide = cur.ins().scalar_to_vector(types::F64X2, both);
                cur.ins().bitcast(ty, lane_order(), wide)
            } else {
                cur.ins().load(ty, flags, arg, offset)
            }
        }
        Node::Splat(v) => cur.ins().splat(ty, *v),
        Node::Unary(op, x) => {
            let x = emit(cur, shape, x);
            let (inst, dfg) = cur.ins().Unary(*op, ty, x);
            dfg.first_result(inst)
        }
        Node::Binary(op, x, y) => {
            let (x, y) = (emit(cur, shape, x), emit(cur, shape, y));
            let (inst, dfg) = cur.ins().Binary(*op, ty, x, y);
            dfg.first_result(inst)
        }
    }
}

/// The loop being paired: its block, its branch (and which destination of it is the loop),
/// and the jump into it.
#[derive(Clone, Copy)]
struct Loop {
    block: Block,
    brif: Inst,
    back: usize,
    entry: Inst,
}

impl Loop {
    /// The values whose sum index root `root` has on entering the loop, and what it advances
    /// by per iteration: an [`Loop::atom`], or the sum of two computed in the loop
    /// (`base + i` with `base` invariant and `i` counting).
    fn induction(&self, func: &ir::Function, root: Value) -> Option<(Vec<Value>, i64)> {
        if let Some(inst) = def(func, root)
            && func.layout.inst_block(inst) == Some(self.block)
        {
            let (a, b) = iadd_args(func, root)?;
            let (start_a, step_a) = self.atom(func, a)?;
            let (start_b, step_b) = self.atom(func, b)?;
            return Some((vec![start_a, start_b], step_a.wrapping_add(step_b)));
        }
        let (start, step) = self.atom(func, root)?;
        Some((vec![start], step))
    }

    /// The value `v` has on entering the loop and what it advances by per iteration: a loop
    /// parameter whose back-edge argument is itself plus a constant, or a value defined
    /// outside the loop (advancing by 0).
    fn atom(&self, func: &ir::Function, v: Value) -> Option<(Value, i64)> {
        match func.dfg.value_def(v) {
            ValueDef::Param(b, n) if b == self.block => {
                let pool = &func.dfg.value_lists;
                let arg = |inst: Inst, which: usize| -> Option<Value> {
                    let call = match &func.dfg.insts[inst] {
                        InstructionData::Brif { blocks, .. } => blocks[which],
                        InstructionData::Jump { destination, .. } => *destination,
                        _ => return None,
                    };
                    match call.args(pool).nth(n)? {
                        BlockArg::Value(v) => Some(func.dfg.resolve_aliases(v)),
                        _ => None,
                    }
                };
                let next = arg(self.brif, self.back)?;
                let step = if next == v {
                    0
                } else {
                    let (x, k) = add_const(func, next)?;
                    (x == v).then_some(k)?
                };
                Some((arg(self.entry, 0)?, step))
            }
            ValueDef::Param(b, _) => (b != self.block).then_some((v, 0)),
            ValueDef::Result(inst, _) => {
                (func.layout.inst_block(inst) != Some(self.block)).then_some((v, 0))
            }
            _ => None,
        }
    }
}

/// Matching the lanes' value trees.
struct Pairing<'a> {
    func: &'a ir::Function,
    uses: &'a HashMap<Value, u32>,
    block: Block,
    mem: GlobalValue,
    lane: Lane,
    group: HashSet<Inst>,
    /// Every paired load (all lanes) with its address.
    loads: Vec<(Inst, Addr)>,
}

impl Pairing<'_> {
    /// The lanes `vs` (one value per lane, in address order) as one tree.
    fn lanes(&mut self, vs: &[Value]) -> Option<Node> {
        let func = self.func;
        let vs: Vec<Value> = vs.iter().map(|&v| func.dfg.resolve_aliases(v)).collect();
        let v0 = vs[0];
        if vs.iter().all(|&v| v == v0) {
            return Some(Node::Splat(v0));
        }
        let defs: Vec<Option<Inst>> = vs.iter().map(|&v| def(func, v)).collect();
        let constant = |i: Option<Inst>| {
            i.and_then(|i| match func.dfg.insts[i] {
                InstructionData::UnaryIeee64 { imm, .. } => Some((imm.bits(), 64)),
                InstructionData::UnaryIeee32 { imm, .. } => Some((u64::from(imm.bits()), 32)),
                _ => None,
            })
        };
        if let Some(c) = constant(defs[0])
            && defs.iter().all(|&i| constant(i) == Some(c))
        {
            return Some(Node::Splat(v0));
        }
        let insts: Vec<Inst> = defs.into_iter().collect::<Option<_>>()?;
        let inside = |i: Inst| func.layout.inst_block(i) == Some(self.block);
        for (&v, &i) in vs.iter().zip(&insts) {
            if !inside(i)
                || self.uses.get(&v) != Some(&1)
                || func.dfg.value_type(v) != self.lane.scalar()
            {
                return None;
            }
        }
        let data: Vec<InstructionData> = insts.iter().map(|&i| func.dfg.insts[i]).collect();
        let opcode = data[0].opcode();
        if data.iter().any(|d| d.opcode() != opcode) {
            return None;
        }
        let node = match data[0] {
            InstructionData::Load {
                opcode: Opcode::Load,
                flags,
                ..
            } => {
                let mut addrs = Vec::new();
                for d in &data {
                    let &InstructionData::Load {
                        arg,
                        flags: f,
                        offset,
                        ..
                    } = d
                    else {
                        return None;
                    };
                    let a = heap_addr(func, arg, offset.into())?;
                    if func.dfg.mem_flags[f] != func.dfg.mem_flags[flags] || a.mem != self.mem {
                        return None;
                    }
                    addrs.push(a);
                }
                let size = self.lane.size();
                for (k, a) in addrs.iter().enumerate() {
                    if a.root != addrs[0].root || a.distance(&addrs[0]) != k as i64 * size {
                        return None;
                    }
                }
                self.loads.extend(insts.iter().copied().zip(addrs));
                Node::Load { lane0: insts[0] }
            }
            InstructionData::Binary { opcode, .. }
                if matches!(
                    opcode,
                    Opcode::Fadd | Opcode::Fsub | Opcode::Fmul | Opcode::Fdiv
                ) =>
            {
                let arg = |n: usize| -> Vec<Value> {
                    data.iter()
                        .map(|d| match d {
                            InstructionData::Binary { args, .. } => args[n],
                            _ => unreachable!("same opcode, same format"),
                        })
                        .collect()
                };
                Node::Binary(
                    opcode,
                    Box::new(self.lanes(&arg(0))?),
                    Box::new(self.lanes(&arg(1))?),
                )
            }
            InstructionData::Unary { opcode, .. }
                if matches!(opcode, Opcode::Sqrt | Opcode::Fneg | Opcode::Fabs) =>
            {
                let args: Vec<Value> = data
                    .iter()
                    .map(|d| match d {
                        InstructionData::Unary { arg, .. } => *arg,
                        _ => unreachable!("same opcode, same format"),
                    })
                    .collect();
                Node::Unary(opcode, Box::new(self.lanes(&args)?))
            }
            _ => return None,
        };
        self.group.extend(insts);
        Some(node)
    }
}
