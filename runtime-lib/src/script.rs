//! Script mode: the line protocol of `smelt_contract::script` on stdin and stdout.
//!
//! One command per input line, exactly one answer line per command, flushed at once, so a
//! driver can talk to the executable interactively. Every call into wasm code is guarded
//! ([`crate::trap::guarded`]): a trap becomes the answer `trap <code>` and the loop goes on.
//! End of input ends the process with status 0.
//!
//! Values travel in 16-byte little-endian slots ([`VALUE_SLOT_SIZE`]): the arguments are
//! written to slots `0..param_count`, the export's trampoline reads them and writes result `i`
//! to slot `i`. The slots are zeroed before each call and every result slot is printed as a
//! 128-bit number.
//!
//! Invariant: the line and slot buffers are statics used only by [`run`], which runs once.
//!
//! # Safety
//!
//! Calls the compiler's instance initialisers and entry trampolines with the buffers the
//! contract describes, and reads exported globals' 16-byte storage; all pointers come from
//! the program descriptor.
#![allow(unsafe_code)]

use smelt_contract::layout::VALUE_SLOT_SIZE;
use smelt_contract::program::{ArrayCall, EXPORT_FUNC, EXPORT_GLOBAL, ExportDesc, InstanceDesc};
use smelt_contract::script::{ERROR, OK, TRAP};

use crate::io::{Out, STDOUT};
use crate::{desc, sys, trap};

/// Longest command line accepted.
const LINE_CAPACITY: usize = 64 << 10;
/// Most values (parameters or results) of one call.
const MAX_SLOTS: usize = 4096;
const SLOT: usize = VALUE_SLOT_SIZE as usize;

#[repr(C, align(16))]
struct Slots([u8; MAX_SLOTS * SLOT]);

static mut LINE: [u8; LINE_CAPACITY] = [0; LINE_CAPACITY];
static mut SLOTS: Slots = Slots([0; MAX_SLOTS * SLOT]);

/// The script-mode program's `main` ([`smelt_contract::symbols::SCRIPT_MAIN`]): the script
/// loop. Only script-mode descriptors reference it, so command executables do not link it.
#[unsafe(no_mangle)]
pub extern "C" fn smelt_rt_script_main() -> i32 {
    run()
}

/// Reads commands from stdin and answers them on stdout until end of input.
fn run() -> ! {
    let (line_buf, slots) = (&raw mut LINE, &raw mut SLOTS);
    // SAFETY: `run` runs once (invariant above), so these are the only references.
    let (line_buf, slots) = unsafe { (&mut *line_buf, &mut *slots) };
    let mut lines = Lines {
        buf: line_buf,
        start: 0,
        end: 0,
        eof: false,
    };
    let mut out = Out::new(STDOUT);
    loop {
        match lines.next() {
            None => {
                out.flush();
                sys::exit_group(0)
            }
            Some(Err(())) => {
                out.str(ERROR).str(" line too long\n");
            }
            Some(Ok(range)) => {
                let line = &lines.buf[range];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if let Err(message) = answer(line, slots, &mut out) {
                    out.str(ERROR).str(" ").str(message).str("\n");
                }
            }
        }
        out.flush();
    }
}

/// Buffered lines from stdin.
struct Lines<'a> {
    buf: &'a mut [u8],
    /// Unconsumed input is `buf[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
}

impl Lines<'_> {
    /// The next line (without its newline) as a range of `buf`; `Err` for a line longer than
    /// the buffer, which is skipped; `None` at end of input.
    fn next(&mut self) -> Option<Result<core::ops::Range<usize>, ()>> {
        let mut overlong = false;
        loop {
            if let Some(i) = self.buf[self.start..self.end]
                .iter()
                .position(|&b| b == b'\n')
            {
                let line = self.start..self.start + i;
                self.start += i + 1;
                return Some(if overlong { Err(()) } else { Ok(line) });
            }
            if self.eof {
                if self.start == self.end && !overlong {
                    return None;
                }
                let line = self.start..self.end;
                self.start = self.end;
                return Some(if overlong { Err(()) } else { Ok(line) });
            }
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.end == self.buf.len() {
                overlong = true;
                self.end = 0;
            }
            match sys::read(0, &mut self.buf[self.end..]) {
                Ok(0) | Err(_) => self.eof = true,
                Ok(n) => self.end += n,
            }
        }
    }
}

/// Executes one command and writes its answer; `Err` is a malformed command.
fn answer(line: &[u8], slots: &mut Slots, out: &mut Out) -> Result<(), &'static str> {
    let mut words = line.split(|&b| b == b' ').filter(|w| !w.is_empty());
    match words.next().ok_or("empty command")? {
        b"instantiate" => {
            let instance = instance(words.next())?;
            no_more(words)?;
            let arg = instance as *const InstanceDesc as *mut u8;
            // SAFETY: `call_init` takes a pointer to an instance descriptor; the initialiser is
            // the compiler's, run once per `instantiate` command as the driver asks.
            result(unsafe { trap::guarded(call_init, arg) }, out);
            out.str("\n");
        }
        b"invoke" => {
            let export = export(instance(words.next())?, words.next())?;
            if export.kind != EXPORT_FUNC || export.entry.is_null() {
                return Err("not a function export");
            }
            let n = export.param_count.max(export.result_count) as usize;
            if n > MAX_SLOTS {
                return Err("too many parameters or results");
            }
            slots.0[..n * SLOT].fill(0);
            let mut count = 0;
            for word in words {
                if count == export.param_count as usize {
                    return Err("too many arguments");
                }
                let value = hex(word).ok_or("bad argument")?;
                slots.0[count * SLOT..(count + 1) * SLOT].copy_from_slice(&value.to_le_bytes());
                count += 1;
            }
            if count != export.param_count as usize {
                return Err("too few arguments");
            }
            // SAFETY: the contract's entry trampoline type for function exports.
            let entry = unsafe { core::mem::transmute::<*const u8, ArrayCall>(export.entry) };
            // SAFETY: the trampoline reads `param_count` and writes `result_count` slots of
            // the buffer, which holds `max(param_count, result_count)`.
            let outcome = unsafe { trap::guarded(entry, slots.0.as_mut_ptr()) };
            if result(outcome, out) {
                for i in 0..export.result_count as usize {
                    let mut bytes = [0u8; SLOT];
                    bytes.copy_from_slice(&slots.0[i * SLOT..(i + 1) * SLOT]);
                    out.str(" ").hex(u128::from_le_bytes(bytes));
                }
            }
            out.str("\n");
        }
        b"get" => {
            let export = export(instance(words.next())?, words.next())?;
            if export.kind != EXPORT_GLOBAL || export.entry.is_null() {
                return Err("not a global export");
            }
            let size = match export.value_type {
                0x7f | 0x7d => 4,
                0x7e | 0x7c => 8,
                0x7b => 16,
                _ => size_of::<usize>(), // references
            };
            let mut bytes = [0u8; 16];
            // SAFETY: a global export's entry is its 16-byte storage.
            let storage = unsafe { core::slice::from_raw_parts(export.entry, size) };
            bytes[..size].copy_from_slice(storage);
            out.str(OK)
                .str(" ")
                .hex(u128::from_le_bytes(bytes))
                .str("\n");
        }
        _ => return Err("unknown command"),
    }
    Ok(())
}

/// Writes `ok` or `trap <code>` (without the newline); returns whether the call completed.
fn result(outcome: Result<(), u32>, out: &mut Out) -> bool {
    match outcome {
        Ok(()) => {
            out.str(OK);
            true
        }
        Err(code) => {
            out.str(TRAP).str(" ").dec(code.into());
            false
        }
    }
}

/// Calls an instance's initialiser.
unsafe extern "C" fn call_init(instance: *mut u8) {
    // SAFETY: `instance` points at an instance descriptor (see `answer`).
    unsafe { ((*instance.cast::<InstanceDesc>()).init)() }
}

fn instance(word: Option<&[u8]>) -> Result<&'static InstanceDesc, &'static str> {
    let index = decimal(word.ok_or("missing instance index")?).ok_or("bad instance index")?;
    desc::instances().get(index).ok_or("no such instance")
}

fn export(
    instance: &InstanceDesc,
    word: Option<&[u8]>,
) -> Result<&'static ExportDesc, &'static str> {
    let index = decimal(word.ok_or("missing export index")?).ok_or("bad export index")?;
    desc::exports(instance).get(index).ok_or("no such export")
}

fn no_more<'a>(mut words: impl Iterator<Item = &'a [u8]>) -> Result<(), &'static str> {
    match words.next() {
        Some(_) => Err("too many operands"),
        None => Ok(()),
    }
}

fn decimal(word: &[u8]) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    word.iter().try_fold(0usize, |acc, &b| {
        let digit = (b as char).to_digit(10)?;
        acc.checked_mul(10)?.checked_add(digit as usize)
    })
}

/// Parses `{:x}` of a value of at most 128 bits.
fn hex(word: &[u8]) -> Option<u128> {
    if word.is_empty() {
        return None;
    }
    word.iter().try_fold(0u128, |acc, &b| {
        let digit = (b as char).to_digit(16)?;
        if acc >> 124 != 0 {
            return None;
        }
        Some(acc << 4 | u128::from(digit))
    })
}
