//! Compressing the function names of backtraces: the encoder of
//! `smelt_contract::names` (see there for the format the runtime decodes).
//!
//! A name is split into parts: runs of identifier characters, each with the `::` before it
//! when there is one, and single other characters. A part goes into the dictionary when it
//! repeats enough to pay for its own entry; the most frequent parts get the one-byte codes.

use smelt_contract::names::{ESCAPE, MAX_PARTS, SHORT_PARTS};
use std::collections::HashMap;

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'[' | b']')
}

/// The parts of `name`, in order; they concatenate to `name`.
fn parts(name: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < name.len() {
        let word_from =
            if name[i..].starts_with(b"::") && name.get(i + 2).is_some_and(|&b| is_word(b)) {
                i + 2
            } else if is_word(name[i]) {
                i
            } else {
                out.push(&name[i..i + 1]);
                i += 1;
                continue;
            };
        let end = word_from
            + name[word_from..]
                .iter()
                .take_while(|&&b| is_word(b))
                .count();
        out.push(&name[i..end]);
        i = end;
    }
    out
}

/// Encodes `names`: returns each name's code bytes and the dictionary.
pub(crate) fn encode(names: &[String]) -> (Vec<Vec<u8>>, Vec<u8>) {
    let split: Vec<Vec<&[u8]>> = names.iter().map(|n| parts(n.as_bytes())).collect();
    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    for p in split.iter().flatten() {
        *counts.entry(p).or_default() += 1;
    }
    // Worth an entry when its uses save more than the entry costs (its bytes and an offset),
    // even with two-byte codes.
    let mut chosen: Vec<(&[u8], usize)> = counts
        .into_iter()
        .filter(|&(p, n)| p.len() > 2 && n * (p.len() - 2) > p.len() + 4)
        .collect();
    chosen.sort_by(|a, b| (b.1 * b.0.len()).cmp(&(a.1 * a.0.len())).then(a.0.cmp(b.0)));
    chosen.truncate(MAX_PARTS);
    // The one-byte codes go to the parts used most often.
    let short = chosen.len().min(SHORT_PARTS);
    chosen[..short].sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let index: HashMap<&[u8], usize> = chosen
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (*p, i))
        .collect();

    let encoded = split
        .iter()
        .map(|name| {
            let mut out = Vec::new();
            for p in name {
                match index.get(p) {
                    Some(&i) if i < SHORT_PARTS => out.push(0x80 + i as u8),
                    Some(&i) => {
                        let long = i - SHORT_PARTS;
                        out.extend([0xc0 + (long >> 8) as u8, long as u8]);
                    }
                    None => {
                        for &b in *p {
                            if b >= 0x80 {
                                out.push(ESCAPE);
                            }
                            out.push(b);
                        }
                    }
                }
            }
            out
        })
        .collect();

    let mut dict = Vec::new();
    dict.extend_from_slice(&(chosen.len() as u32).to_le_bytes());
    let mut offset = 0u32;
    for (p, _) in &chosen {
        dict.extend_from_slice(&offset.to_le_bytes());
        offset += p.len() as u32;
    }
    dict.extend_from_slice(&offset.to_le_bytes());
    for (p, _) in &chosen {
        dict.extend_from_slice(p);
    }
    (encoded, dict)
}

#[cfg(test)]
mod tests {
    use super::encode;
    use smelt_contract::names::decode;

    fn round_trip(names: &[&str]) -> (usize, usize) {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let (encoded, dict) = encode(&names);
        for (name, code) in names.iter().zip(&encoded) {
            let mut out = Vec::new();
            decode(code, &dict, |piece| out.extend_from_slice(piece));
            assert_eq!(String::from_utf8(out).unwrap(), *name);
        }
        (
            names.iter().map(String::len).sum(),
            encoded.iter().map(Vec::len).sum::<usize>() + dict.len(),
        )
    }

    #[test]
    fn names_decode_to_themselves() {
        round_trip(&[]);
        round_trip(&[
            "",
            "a",
            "::",
            "::x",
            "a::",
            "<wasm function 12>",
            "é::ü::é::ü::é::ü",
        ]);
        let rust: Vec<String> = (0..300)
            .map(|i| format!("<std[d123b7a1a2ed1472]::io::Write>::write_fmt::<core[6d9e98711c484d2e]::fmt::Arguments{i}>"))
            .collect();
        let rust: Vec<&str> = rust.iter().map(String::as_str).collect();
        let (plain, packed) = round_trip(&rust);
        assert!(packed * 3 < plain, "{packed} of {plain} bytes");
    }

    #[test]
    fn many_parts_use_two_byte_codes() {
        let names: Vec<String> = (0..400)
            .map(|i| format!("part{i:04}::part{i:04}::part{i:04}"))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        round_trip(&names);
    }

    #[test]
    fn malformed_codes_decode_as_question_marks() {
        let (_, dict) = encode(&["abc::abc::abc::abc::abc".to_string()]);
        let mut out = Vec::new();
        decode(&[0xbf, 0xc5], &dict, |p| out.extend_from_slice(p));
        assert_eq!(out, b"??");
        out.clear();
        decode(&[b'x', 0xff], &[], |p| out.extend_from_slice(p));
        assert_eq!(out, b"x?");
    }
}
