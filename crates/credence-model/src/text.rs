//! Byte ranges into text that never split a character.
//!
//! Every stage hands byte ranges to the next (spans back into the article file), and ranges are computed by
//! arithmetic on lengths ("three bytes after the start of the word"). Indexing a `str` with a range that
//! falls inside a multi-byte character panics, and article text is untrusted: a curly apostrophe, an Arabic
//! name or a `²` is enough. So text code never indexes a `str` directly (the crate denies
//! `clippy::string_slice`); it takes slices through [`Slice::part`], which widens a range to the nearest
//! character boundaries instead of panicking, and clamps it to the text.
//!
//! ```
//! use credence_model::text::Slice;
//! let word = "naïve";
//! assert_eq!(word.part(..3), "naï"); // byte 3 is inside 'ï': the slice ends after it
//! assert_eq!(word.part(2..99), "ïve");
//! assert_eq!(word.part(4..2), "");
//! ```

use std::ops::{Bound, RangeBounds};

/// Slicing by byte range on character boundaries.
pub trait Slice {
    /// The text in `range`, its start moved back and its end moved forward to the nearest character boundary,
    /// both clamped to the text; empty when the range is empty or inverted.
    fn part<R: RangeBounds<usize>>(&self, range: R) -> &str;
}

impl Slice for str {
    #[inline]
    fn part<R: RangeBounds<usize>>(&self, range: R) -> &str {
        let start = match range.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.saturating_add(1),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => self.len(),
        };
        if let Some(s) = self.get(start..end) {
            return s;
        }
        let start = self.floor_char_boundary(start.min(self.len()));
        let end = self.ceil_char_boundary(end.min(self.len()));
        self.get(start..end.max(start)).unwrap_or_default()
    }
}

/// The largest character boundary of `s` at or before `i` (clamped to the text).
#[inline]
#[must_use]
pub fn floor(s: &str, i: usize) -> usize {
    s.floor_char_boundary(i.min(s.len()))
}

/// The smallest character boundary of `s` at or after `i` (clamped to the text).
#[inline]
#[must_use]
pub fn ceil(s: &str, i: usize) -> usize {
    s.ceil_char_boundary(i.min(s.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_never_split_characters() {
        let cases: &[(&str, usize, usize, &str)] = &[
            ("abc", 0, 3, "abc"),
            ("abc", 1, 2, "b"),
            ("naïve", 0, 3, "naï"),
            ("naïve", 3, 5, "ïv"),
            ("it’s", 0, 3, "it’"),
            ("قال", 1, 3, "قا"),
            ("km²", 3, 4, "²"),
            ("abc", 5, 9, ""),
            ("abc", 2, 1, ""),
            ("", 0, 1, ""),
        ];
        for &(s, a, b, want) in cases {
            assert_eq!(s.part(a..b), want, "{s:?}[{a}..{b}]");
        }
        assert_eq!("naïve".part(3..), "ïve");
        assert_eq!("naïve".part(..=2), "naï");
        assert_eq!(floor("naïve", 3), 2);
        assert_eq!(ceil("naïve", 3), 4);
        assert_eq!(ceil("naïve", 99), 6);
    }
}
