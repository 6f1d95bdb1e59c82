//! A small, fast, deterministic hasher for the lexicon tables the extractor consults for every word.
//!
//! Why: the standard `HashMap` hashes with `SipHash`, which is built to resist inputs chosen to collide and
//! costs more than the rest of a short-word look-up. The tables here have fixed keys (lexicon words and
//! phrases), so lookups of text words cannot degrade them; rustc's `FxHasher` (from the `rustc-hash` crate)
//! is enough. It has no random seed, so iteration order is the same on every run (no output
//! depends on it: these tables are only looked up).
//!
//! Maps that grow with the input (one entry per paragraph, claim or source) keep the standard hasher unless
//! profiling shows they matter.

/// A `HashMap` with the Fx hasher (the `rustc-hash` crate's, as rustc itself uses).
pub(crate) type FxHashMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A `HashSet` with the Fx hasher.
pub(crate) type FxHashSet<T> = rustc_hash::FxHashSet<T>;

/// The FNV-1a offset basis: the hash of no bytes.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte into an FNV-1a hash: hashing can go byte by byte from borrowed text, with no string joined.
#[inline]
pub(crate) fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// A fixed 64-bit hash of a string (FNV-1a): the same on every run and platform. The extractor hashes
/// borrowed words byte by byte ([`fnv_byte`]); tests check that it gets this value of the joined string.
#[cfg(test)]
pub(crate) fn hash_str(s: &str) -> u64 {
    s.as_bytes().iter().fold(FNV_OFFSET, |h, &b| fnv_byte(h, b))
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
        let b = rustc_hash::FxBuildHasher;
        assert_eq!(b.hash_one("said"), b.hash_one(String::from("said")));
        assert_ne!(b.hash_one("said"), b.hash_one("says"));
        assert_ne!(b.hash_one("according to"), b.hash_one("according"));
        let set: FxHashSet<String> = ["a", "the", "an"].iter().map(std::string::ToString::to_string).collect();
        assert!(set.contains("the") && !set.contains("these"));
    }
}
