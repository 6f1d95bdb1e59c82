//! Values: how a raw CSV cell becomes a comparable value, and how close two values are.
//!
//! Three kinds, because sources disagree differently about each:
//!
//! * **Text** — normalised (trimmed, lower-cased, runs of white space made one space) and compared exactly.
//!   Two different strings lend each other no support: "paris" says nothing about "lyon".
//! * **Number** — parsed (a leading `+`, thousands separators in `1,234,567` form and exponents are
//!   accepted; `NaN` and infinities are not numbers). Equal only when the parsed numbers are equal, but close
//!   numbers support each other: the similarity is `max(0, 1 − d / tol)` with the relative difference
//!   `d = |a − b| / max(|a|, |b|)` and `tol` = `number_tolerance`. A value off by one in the last digit is
//!   a different (wrong) value, yet evidence that the one it is close to is right.
//! * **Tokens** — a set of words (split on white space and `,` `;` `|`, lower-cased, de-duplicated, sorted;
//!   written back joined by single spaces). Equal only as sets. Support between different sets is their
//!   overlap: by default *containment* `|w ∩ v| / |w|` of the supporting value `w` in the supported value
//!   `v`, so an incomplete author list (a subset) is a different, wrong value that still vouches for every
//!   list that contains its authors; optionally Jaccard `|w ∩ v| / |w ∪ v|`, which is symmetric.
//!
//! Which kind an object's values get is [`ValueType`]: forced for the whole file, or chosen per object
//! ([`ValueType::Auto`]): numbers when every value of the object parses as a number, else tokens when some
//! value has more than one token, else text.

use serde::{Deserialize, Serialize};

/// How values are typed (the `value_type` config key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    /// Per object: numbers if all its values parse, else tokens if any has several words, else text.
    #[default]
    Auto,
    /// Exact strings after normalisation.
    Text,
    /// Numbers; a value that does not parse is kept as text and is never similar to a number.
    Number,
    /// Word sets.
    Tokens,
}

/// How two token sets support each other (the `token_similarity` config key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenSimilarity {
    /// `|w ∩ v| / |w|`: how much of the supporting value is found in the supported one.
    #[default]
    Containment,
    /// `|w ∩ v| / |w ∪ v|`.
    Jaccard,
}

/// The kind a value was given after typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Exact string.
    Text,
    /// Parsed number.
    Number,
    /// Word set.
    Tokens,
}

/// Appends the normal form of `raw` (as [`normalize_text`]) to `out`, without allocating when `out` has
/// room.
pub fn normalize_into(raw: &str, out: &mut String) {
    let b = raw.as_bytes();
    let plain = b.iter().all(|&c| (c.is_ascii_graphic() && !c.is_ascii_uppercase()) || c == b' ')
        && !raw.starts_with(' ')
        && !raw.ends_with(' ')
        && !raw.contains("  ");
    if plain {
        out.push_str(raw);
        return;
    }
    for (i, word) in raw.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Lower-cases, trims and collapses white space. This is the text form every kind starts from.
#[must_use]
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalize_into(raw, &mut out);
    out
}

/// Parses a number: optional sign, digits with an optional `1,234,567` grouping, optional fraction and
/// exponent. Returns `None` for anything else, including `NaN`, `inf` and overflowing values.
#[must_use]
pub fn parse_number(raw: &str) -> Option<f64> {
    let s = raw.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b',' | b'+')) {
        return None;
    }
    let plain;
    let s = if s.contains(',') {
        plain = strip_grouping(s)?;
        plain.as_str()
    } else {
        s
    };
    let x: f64 = s.parse().ok()?;
    x.is_finite().then_some(if x == 0.0 { 0.0 } else { x })
}

/// `-1,234,567.5` → `-1234567.5`; `None` when the commas are not thousands groups.
fn strip_grouping(s: &str) -> Option<String> {
    let (sign, body) = s.strip_prefix('-').map_or(("", s), |b| ("-", b));
    let (int, rest) = body.find(['.', 'e', 'E']).map_or((body, ""), |i| body.split_at(i));
    if rest.contains(',') {
        return None;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    Some(format!("{sign}{}{rest}", groups.concat()))
}

/// Canonical text of a number: integers without a fraction, others in Rust's shortest round-trip form.
/// Deterministic, and the same for `1,000`, `1000` and `1e3`.
#[must_use]
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// Splits into the sorted, de-duplicated word set (words are already normalised text).
#[must_use]
pub fn tokens(normalized: &str) -> Vec<&str> {
    let mut t: Vec<&str> = normalized
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter(|w| !w.is_empty())
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// [`tokens`] into a reused vector.
pub fn tokens_into<'a>(normalized: &'a str, out: &mut Vec<&'a str>) {
    out.clear();
    out.extend(normalized.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|')).filter(|w| !w.is_empty()));
    out.sort_unstable();
    out.dedup();
}

/// Whether a normalised text has more than one distinct token (without allocating).
#[must_use]
pub fn several_tokens(normalized: &str) -> bool {
    let mut words =
        normalized.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|')).filter(|w| !w.is_empty());
    match words.next() {
        Some(first) => words.any(|w| w != first),
        None => false,
    }
}

/// Similarity of two different numbers in [0, 1]: 1 − relative difference / tolerance, floored at 0.
#[must_use]
pub fn number_similarity(a: f64, b: f64, tolerance: f64) -> f64 {
    if a == b {
        return 1.0;
    }
    if tolerance <= 0.0 {
        return 0.0;
    }
    let scale = a.abs().max(b.abs());
    let d = (a - b).abs() / scale;
    (1.0 - d / tolerance).max(0.0)
}

/// Size of the intersection of two sorted id lists.
fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Support that token set `from` lends to token set `to` (both sorted ids), in [0, 1].
#[must_use]
pub fn token_similarity(from: &[u32], to: &[u32], how: TokenSimilarity) -> f64 {
    if from.is_empty() || to.is_empty() {
        return 0.0;
    }
    let common = intersection(from, to) as f64;
    match how {
        TokenSimilarity::Containment => common / from.len() as f64,
        TokenSimilarity::Jaccard => common / ((from.len() + to.len()) as f64 - common),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_in_common_forms_only() {
        let table: &[(&str, Option<f64>)] = &[
            ("42", Some(42.0)),
            (" +42 ", Some(42.0)),
            ("-0", Some(0.0)),
            ("1,234,567", Some(1_234_567.0)),
            ("-1,234.5", Some(-1234.5)),
            ("1e3", Some(1000.0)),
            ("12,34", None),
            ("1,2345", None),
            ("NaN", None),
            ("inf", None),
            ("1e999", None),
            ("12 apples", None),
            ("", None),
            ("-", None),
            ("0x10", None),
        ];
        for (raw, want) in table {
            assert_eq!(parse_number(raw), *want, "{raw:?}");
        }
        assert_eq!(format_number(1000.0), "1000");
        assert_eq!(format_number(0.25), "0.25");
        assert_eq!(format_number(-3.0), "-3");
    }

    #[test]
    fn text_and_tokens_normalise() {
        assert_eq!(normalize_text("  Hello   WORLD\t"), "hello world");
        assert_eq!(normalize_text("ÉCOLE"), "école");
        assert_eq!(tokens("smith, john; doe|john"), vec!["doe", "john", "smith"]);
    }

    #[test]
    fn number_similarity_table() {
        let table = [
            (100.0, 100.0, 0.01, 1.0),
            (100.0, 99.5, 0.01, 0.5),
            (100.0, 99.0, 0.01, 0.0),
            (100.0, 50.0, 0.01, 0.0),
            (-100.0, 100.0, 0.01, 0.0),
            (100.0, 99.5, 0.0, 0.0),
        ];
        for (a, b, tol, want) in table {
            let got = number_similarity(a, b, tol);
            assert!((got - want).abs() < 1e-9, "{a} {b} {tol}: {got}");
            assert!((number_similarity(b, a, tol) - got).abs() < 1e-12, "symmetric");
        }
    }

    #[test]
    fn token_similarity_table() {
        let full = [1, 2, 3, 4];
        let part = [1, 2];
        let other = [5];
        let c = TokenSimilarity::Containment;
        let j = TokenSimilarity::Jaccard;
        // An incomplete list fully vouches for the complete one; the complete one half vouches for it.
        assert_eq!(token_similarity(&part, &full, c), 1.0);
        assert_eq!(token_similarity(&full, &part, c), 0.5);
        assert_eq!(token_similarity(&part, &full, j), 0.5);
        assert_eq!(token_similarity(&full, &part, j), 0.5);
        assert_eq!(token_similarity(&other, &full, c), 0.0);
        assert_eq!(token_similarity(&[], &full, c), 0.0);
    }
}
