//! Near-duplicate text detection: a 64-bit SimHash over word pairs of the folded text. Two
//! postings of the same job, re-typed or lightly edited by another source, differ in a few bits.

use caunoi_domain::text::fold;

/// Bits two SimHashes may differ in and still be the same posting.
pub const MAX_DISTANCE: u32 = 10;

/// FNV-1a: a fixed, portable hash (the value is stored, so it must not change between builds).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// SimHash of a text over its folded word bigrams (single words for one-word texts).
pub fn simhash(text: &str) -> u64 {
    simhash_folded(&fold(text))
}

/// [`simhash`] of text already passed through [`fold`].
pub fn simhash_folded(folded: &str) -> u64 {
    let words: Vec<&str> = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut weights = [0i32; 64];
    let mut add = |feature: u64| {
        for (bit, weight) in weights.iter_mut().enumerate() {
            if feature >> bit & 1 == 1 { *weight += 1 } else { *weight -= 1 }
        }
    };
    if words.len() < 2 {
        words.iter().for_each(|w| add(fnv1a(w.as_bytes())));
    } else {
        for pair in words.windows(2) {
            let mut bytes = Vec::with_capacity(pair[0].len() + pair[1].len() + 1);
            bytes.extend_from_slice(pair[0].as_bytes());
            bytes.push(b' ');
            bytes.extend_from_slice(pair[1].as_bytes());
            add(fnv1a(&bytes));
        }
    }
    weights.iter().enumerate().fold(0u64, |acc, (bit, weight)| if *weight > 0 { acc | 1 << bit } else { acc })
}

/// Bits in which two SimHashes differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}
