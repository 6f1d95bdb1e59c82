//! A small, fast, deterministic hasher for the lexicon tables the extractor consults for every word.
//!
//! Why: the standard `HashMap` hashes with `SipHash`, which is built to resist inputs chosen to collide and
//! costs more than the rest of a short-word look-up. The tables here have fixed keys (lexicon words and
//! phrases), so lookups of text words cannot degrade them; a multiply-rotate hash in the style of rustc's
//! `FxHasher` is enough. It has no random seed, so iteration order is the same on every run (no output
//! depends on it: these tables are only looked up).
//!
//! Maps that grow with the input (one entry per paragraph, claim or source) keep the standard hasher unless
//! profiling shows they matter.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Multiplier of the Fx hash (from Firefox and rustc).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// An Fx-style hasher: for each word of input, rotate, xor and multiply.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("an 8-byte chunk")));
        }
        let mut rest = chunks.remainder();
        if rest.len() >= 4 {
            self.add(u64::from(u32::from_le_bytes(rest[..4].try_into().expect("4 bytes"))));
            rest = &rest[4..];
        }
        for &b in rest {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s.
pub(crate) type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// A `HashMap` with the [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// A `HashSet` with the [`FxHasher`].
pub(crate) type FxHashSet<T> = HashSet<T, FxBuildHasher>;

/// A fixed 64-bit hash of a string (FNV-1a): the same on every run and platform, for signatures.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// splitmix64 of `x` with a seed: cheap independent permutations for `MinHash`.
pub(crate) fn mix(x: u64, seed: u64) -> u64 {
    let mut z = x ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn equal_keys_hash_alike_and_different_keys_differ() {
        let b = FxBuildHasher::default();
        assert_eq!(b.hash_one("said"), b.hash_one(String::from("said")));
        assert_ne!(b.hash_one("said"), b.hash_one("says"));
        assert_ne!(b.hash_one("according to"), b.hash_one("according"));
        let set: FxHashSet<String> = ["a", "the", "an"].iter().map(std::string::ToString::to_string).collect();
        assert!(set.contains("the") && !set.contains("these"));
    }
}
