//! Function names for backtraces, compressed with a dictionary of repeated parts.
//!
//! Demangled Rust and C++ names repeat the same paths over and over
//! (`std[d123b7a1a2ed1472]::io::…`, `core::fmt::…`), so the compiler stores each name as a
//! sequence of codes over one shared dictionary of parts (about half the bytes for Rust's hello
//! world). The runtime decodes a name only when it prints a backtrace, part by part, with no
//! buffer: [`decode`].
//!
//! An encoded name is a byte sequence:
//! - `0x00..=0x7f`: that ASCII byte;
//! - `0x80..=0xbf`: dictionary part `b - 0x80` (parts 0 to 63);
//! - `0xc0..=0xfe`, then one byte `n`: part `64 + ((b - 0xc0) << 8 | n)`;
//! - `0xff`, then one byte: that byte (the bytes of non-ASCII UTF-8).
//!
//! The dictionary is `count: u32`, then `count + 1` offsets (`u32`, little-endian) into the
//! bytes that follow them; part `i` is `bytes[offset[i]..offset[i + 1]]`.
//!
//! Invariant: decoding never reads outside the two slices; a malformed code (a truncated
//! sequence or a part out of range) decodes as `?`, it never panics.

/// Codes `0x80..=0xbf`: one-byte references.
pub const SHORT_PARTS: usize = 64;
/// Codes `0xc0..=0xfe` followed by a byte: two-byte references.
pub const LONG_PARTS: usize = 63 * 256;
/// Most parts a dictionary can have.
pub const MAX_PARTS: usize = SHORT_PARTS + LONG_PARTS;
/// Escape: the next byte is literal.
pub const ESCAPE: u8 = 0xff;

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Part `i` of `dict`, if there is one.
fn part(dict: &[u8], i: usize) -> Option<&[u8]> {
    let count = u32_at(dict, 0)?;
    if i >= count {
        return None;
    }
    let strings = 4 + (count + 1) * 4;
    let start = u32_at(dict, 4 + i * 4)?;
    let end = u32_at(dict, 4 + (i + 1) * 4)?;
    dict.get(strings.checked_add(start)?..strings.checked_add(end)?)
}

/// Calls `emit` with the pieces of the name `encoded`, in order.
pub fn decode(encoded: &[u8], dict: &[u8], mut emit: impl FnMut(&[u8])) {
    let mut i = 0;
    while let Some(&b) = encoded.get(i) {
        i += 1;
        let piece = match b {
            0x00..=0x7f => Some(core::slice::from_ref(&encoded[i - 1])),
            0x80..=0xbf => part(dict, usize::from(b - 0x80)),
            ESCAPE => {
                i += 1;
                encoded.get(i - 1).map(core::slice::from_ref)
            }
            _ => {
                i += 1;
                encoded.get(i - 1).and_then(|&n| {
                    part(
                        dict,
                        SHORT_PARTS + (usize::from(b - 0xc0) << 8 | usize::from(n)),
                    )
                })
            }
        };
        emit(piece.unwrap_or(b"?"));
    }
}
