//! Copy detection between articles: which article reuses which one's text, and how much.
//!
//! Articles are compared on word 5-gram shingles. What matters is *containment* (the share of one article's
//! shingles found in the other), not resemblance: an outlet that embeds a wire dispatch in a longer story of
//! its own contains the dispatch while resembling it little. Candidate pairs come from `MinHash` signatures of
//! each paragraph, banded into buckets (locality-sensitive hashing), so the cost grows with the number of
//! paragraphs rather than with the number of article pairs; containment is then computed exactly for the
//! candidates, together with the paragraphs they share.
//!
//! Direction: a wire agency's article is the original; otherwise the earlier publication date; otherwise the
//! article more of whose text is found in the other is taken to be the copy.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

#[cfg(test)]
use crate::hash::hash_str;
use crate::hash::{FNV_OFFSET, fnv_byte, mix};
use credence_model::text::Slice;

/// Words per shingle.
/// The built-in copy-detection settings, `config/lexicons/copies.toml`.
pub const BUILTIN_COPIES: &str = include_str!("../../../config/lexicons/copies.toml");

/// Copy-detection settings (`config/lexicons/copies.toml`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyLexicon {
    /// Words per shingle.
    pub shingle_words: usize,
    /// Smallest containment for a copy edge.
    pub min_containment: f64,
}

impl CopyLexicon {
    /// The settings shipped with credence.
    #[must_use]
    pub fn builtin() -> CopyLexicon {
        // Checked by the test suite: failing here is a build defect, not a user error.
        CopyLexicon::from_toml("config/lexicons/copies.toml (built in)", BUILTIN_COPIES)
            .expect("the built-in copy lexicon is valid")
    }

    /// Parses a copy lexicon file.
    pub fn from_toml(name: &str, text: &str) -> credence_model::Result<CopyLexicon> {
        let mut lex: CopyLexicon = credence_model::error::parse_lexicon(name, text, "copies")?;
        lex.shingle_words = lex.shingle_words.clamp(1, 64);
        lex.min_containment = lex.min_containment.clamp(0.0, 1.0);
        Ok(lex)
    }
}
const HASHES: usize = 32;
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Buckets with more articles than this are compared through one representative, not pairwise.
const STAR_ABOVE: usize = 24;

/// One article as the copy detector sees it.
#[derive(Debug, Clone)]
pub struct CopyInput<'a> {
    /// Article text.
    pub text: &'a str,
    /// Paragraph ranges in `text`.
    pub paragraphs: &'a [Range<usize>],
    /// True when the article is a wire agency's own dispatch.
    pub wire: bool,
    /// Publication date as `YYYY-MM-DD`, if known.
    pub published: Option<String>,
}

/// A copy relation found between two articles (indices into the input).
#[derive(Debug, Clone, PartialEq)]
pub struct CopyEdge {
    /// The article that reuses text.
    pub copier: usize,
    /// The article whose text it reuses.
    pub source: usize,
    /// Share of the copier's shingles found in the source.
    pub containment: f64,
    /// Paragraphs of the copier (indices) that are mostly (≥ half their shingles) from the source.
    pub shared_paragraphs: Vec<usize>,
    /// For each shared paragraph, the source paragraph holding most of its shingles: (copier, source).
    pub passages: Vec<(usize, usize)>,
}

/// Shingles of one paragraph: hashes of every run of `size` lower-cased words (the whole paragraph when it
/// is shorter).
///
/// Each shingle's hash is FNV-1a over its words lower-cased and joined by single spaces, computed from the
/// words as they stand in the text: no `String` per word nor per shingle (those were a large share of the
/// allocations of a big folder). Only a word that is not ASCII is lower-cased into a `String` of its own,
/// since Unicode lower-casing may change its bytes; ASCII letters are lower-cased as they are hashed. The
/// hashes are those of the joined strings, so copy detection finds exactly what it found before.
fn shingles(s: &str, size: usize) -> Vec<u64> {
    let words: Vec<Cow<'_, str>> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w.is_ascii() { Cow::Borrowed(w) } else { Cow::Owned(w.to_lowercase()) })
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    credence_model::work::add(words.len());
    let n = size.min(words.len());
    let mut out: Vec<u64> = words.windows(n).map(shingle_hash).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a of `words` lower-cased and joined by spaces, the same value as
/// [`crate::hash::hash_str`] of the joined string.
/// Words that are not ASCII come lower-cased already; lower-casing their bytes again only touches ASCII
/// letters, which Unicode lower-casing has already lowered.
fn shingle_hash(words: &[Cow<'_, str>]) -> u64 {
    let mut h = FNV_OFFSET;
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            h = fnv_byte(h, b' ');
        }
        for &b in w.as_bytes() {
            h = fnv_byte(h, b.to_ascii_lowercase());
        }
    }
    h
}

/// Finds copy relations among articles.
#[must_use]
pub fn detect(inputs: &[CopyInput<'_>], lex: &CopyLexicon) -> Vec<CopyEdge> {
    let min_containment = lex.min_containment;
    // Everything per article (shingles, sets, signatures, shingle positions) and per candidate pair runs on
    // every thread; results come back in article and pair order, so the edges are the same on any number.
    // Shingles per paragraph and per article.
    let paras: Vec<Vec<Vec<u64>>> = credence_model::work::par_map(inputs, |_, a| {
        a.paragraphs.iter().map(|p| shingles(a.text.part(p.clone()), lex.shingle_words)).collect()
    });
    // LSH over paragraph signatures: articles whose paragraphs share a bucket are candidates.
    let band_keys: Vec<Vec<(usize, u64)>> = credence_model::work::par_map(&paras, |_, ps| {
        let mut keys = Vec::new();
        for p in ps.iter().filter(|p| p.len() >= 3) {
            let sig: Vec<u64> =
                (0..HASHES).map(|k| p.iter().map(|&h| mix(h, k as u64 + 1)).min().unwrap_or(u64::MAX)).collect();
            for b in 0..BANDS {
                keys.push((b, sig[b * ROWS..(b + 1) * ROWS].iter().fold(0u64, |acc, &x| mix(acc ^ x, b as u64))));
            }
        }
        keys
    });
    // Buckets as one sorted list of (band, key, article) rather than a map of lists: a folder of 100k
    // articles has millions of paragraph bands, most of them met once, and a list per bucket cost more
    // memory than the shingles. Sorting groups each bucket's articles in ascending order, as the map's lists
    // had them.
    let mut entries: Vec<(u32, u64, u32)> = band_keys
        .into_iter()
        .enumerate()
        .flat_map(|(ai, keys)| keys.into_iter().map(move |(b, k)| (b as u32, k, ai as u32)))
        .collect();
    credence_model::work::par_sort(&mut entries);
    entries.dedup();
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut v: Vec<usize> = Vec::new();
    for run in entries.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        if run.len() < 2 {
            continue;
        }
        v.clear();
        v.extend(run.iter().map(|e| e.2 as usize));
        if v.len() > STAR_ABOVE {
            // A passage many articles share: compare each with one representative (a wire original when there
            // is one, else the first) rather than every pair, so a dispatch republished by hundreds of outlets
            // costs linear time. The copies still each get their edge to the original.
            let rep = v.iter().copied().find(|&a| inputs[a].wire).unwrap_or(v[0]);
            for &b in v.iter().filter(|&&b| b != rep) {
                pairs.insert((rep.min(b), rep.max(b)));
            }
            continue;
        }
        for (i, &a) in v.iter().enumerate() {
            for &b in &v[i + 1..] {
                pairs.insert((a, b));
            }
        }
    }
    drop(entries);

    // Per article, where each shingle occurs: (shingle, paragraph), sorted. One linear merge of two articles'
    // lists gives their shared shingles (containment), which copier paragraphs are mostly the source's and
    // which source paragraph holds most of each; the shingles per paragraph are not needed after this.
    let index: Vec<ShingleIndex> = credence_model::work::par_map(&paras, |_, ps| ShingleIndex::new(ps));
    drop(paras);
    let pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    let edges: Vec<Option<CopyEdge>> = credence_model::work::par_map(&pairs, |_, &(a, b)| {
        let common = index[a].shared(&index[b]) as f64;
        if common == 0.0 {
            return None;
        }
        let ca = common / index[a].distinct.max(1) as f64;
        let cb = common / index[b].distinct.max(1) as f64;
        let a_copies_b = match (inputs[a].wire, inputs[b].wire) {
            (false, true) => true,
            (true, false) => false,
            _ => match (&inputs[a].published, &inputs[b].published) {
                (Some(x), Some(y)) if x != y => x > y,
                _ => ca >= cb,
            },
        };
        let (copier, source, c) = if a_copies_b { (a, b, ca) } else { (b, a, cb) };
        if c < min_containment {
            return None;
        }
        let (shared_paragraphs, passages) = index[copier].passages(&index[source]);
        Some(CopyEdge { copier, source, containment: c, shared_paragraphs, passages })
    });
    let mut out: Vec<CopyEdge> = edges.into_iter().flatten().collect();
    out.sort_by_key(|e| (e.copier, e.source));
    out
}

/// One article's shingles with the paragraph each stands in, sorted by shingle (then paragraph): a shingle
/// met in several paragraphs has an entry for each.
struct ShingleIndex {
    hashes: Vec<u64>,
    paragraphs: Vec<u32>,
    /// Shingles per paragraph.
    lens: Vec<u32>,
    /// Distinct shingles of the article.
    distinct: usize,
}

impl ShingleIndex {
    fn new(paras: &[Vec<u64>]) -> ShingleIndex {
        let mut v: Vec<(u64, u32)> =
            paras.iter().enumerate().flat_map(|(j, p)| p.iter().map(move |&h| (h, j as u32))).collect();
        v.sort_unstable();
        let distinct = v.chunk_by(|x, y| x.0 == y.0).count();
        let (hashes, paragraphs) = v.into_iter().unzip();
        ShingleIndex { hashes, paragraphs, lens: paras.iter().map(|p| p.len() as u32).collect(), distinct }
    }

    /// The runs of entries with equal shingles in both indices, in shingle order: `(mine, theirs)` ranges.
    fn matches<'a>(&'a self, other: &'a ShingleIndex) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + 'a {
        let run = |h: &[u64], i: usize| i + h[i..].iter().take_while(|&&x| x == h[i]).count();
        let (mut i, mut j) = (0, 0);
        std::iter::from_fn(move || {
            while i < self.hashes.len() && j < other.hashes.len() {
                match self.hashes[i].cmp(&other.hashes[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        let (ie, je) = (run(&self.hashes, i), run(&other.hashes, j));
                        let out = (i..ie, j..je);
                        (i, j) = (ie, je);
                        return Some(out);
                    }
                }
            }
            None
        })
    }

    /// Distinct shingles both articles have.
    fn shared(&self, other: &ShingleIndex) -> usize {
        self.matches(other).count()
    }

    /// This article's paragraphs that are mostly (≥ half their shingles) `source`'s, and for each the source
    /// paragraph holding most of its shingles (the earlier one on ties).
    fn passages(&self, source: &ShingleIndex) -> (Vec<usize>, Vec<(usize, usize)>) {
        // A paragraph's shingles are distinct, so each of its entries that matches is one shingle found.
        let mut found = vec![0u32; self.lens.len()];
        // (my paragraph, source paragraph) per shared shingle occurrence: sorted, its runs are the votes.
        let mut hits: Vec<(u32, u32)> = Vec::new();
        for (a, b) in self.matches(source) {
            for &i in &self.paragraphs[a] {
                found[i as usize] += 1;
                hits.extend(source.paragraphs[b.clone()].iter().map(|&j| (i, j)));
            }
        }
        hits.sort_unstable();
        let mut best: Vec<Option<(usize, u32)>> = vec![None; self.lens.len()];
        for run in hits.chunk_by(|x, y| x == y) {
            let (i, j) = run[0];
            let n = run.len() as u32;
            // Runs come in source-paragraph order: only a strictly larger count replaces the earlier one.
            let slot = &mut best[i as usize];
            if slot.is_none_or(|(_, m)| n > m) {
                *slot = Some((j as usize, n));
            }
        }
        let mut shared = Vec::new();
        let mut passages = Vec::new();
        for (i, (&n, &len)) in found.iter().zip(&self.lens).enumerate() {
            if len == 0 || n * 2 < len {
                continue;
            }
            shared.push(i);
            passages.extend(best[i].map(|(j, _)| (i, j)));
        }
        (shared, passages)
    }
}

/// Copy edges grouped by copier, for building `copied_from` lists.
#[must_use]
pub fn by_copier(edges: &[CopyEdge]) -> BTreeMap<usize, Vec<&CopyEdge>> {
    let mut m: BTreeMap<usize, Vec<&CopyEdge>> = BTreeMap::new();
    for e in edges {
        m.entry(e.copier).or_default().push(e);
    }
    m
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn input<'a>(text: &'a str, paras: &'a [Range<usize>], wire: bool) -> CopyInput<'a> {
        CopyInput { text, paragraphs: paras, wire, published: None }
    }

    #[test]
    fn embedded_wire_copy_is_found_with_its_direction() {
        let wire = "The river town fell to rebel units on Friday after two days of shelling. The monitor said at least forty soldiers were killed in the fighting near the bridge.";
        let outlet = format!(
            "{wire} Residents described long queues at the only working bakery. Aid groups asked both sides to open a corridor for the wounded. Local officials could not be reached for comment on Saturday morning."
        );
        let wp = [0..wire.len()];
        let op = [0..wire.len(), wire.len() + 1..outlet.len()];
        let lex = CopyLexicon { min_containment: 0.1, ..CopyLexicon::builtin() };
        let edges = detect(&[input(&outlet, &op, false), input(wire, &wp, true)], &lex);
        assert_eq!(edges.len(), 1, "{edges:?}");
        let e = &edges[0];
        assert_eq!((e.copier, e.source), (0, 1), "the outlet copies the wire");
        assert!(e.containment > 0.3 && e.containment < 0.7, "{}", e.containment);
        assert_eq!(e.shared_paragraphs, vec![0]);
        assert_eq!(e.passages, vec![(0, 0)], "the shared paragraph maps to the wire's only paragraph");
    }

    #[test]
    fn unrelated_articles_are_not_copies() {
        let a = "Heavy rain flooded the coastal road and closed the port for a second day running.";
        let b = "The football club signed a new goalkeeper from a second division side this week.";
        let pa = [0..a.len()];
        let pb = [0..b.len()];
        let lex = CopyLexicon { min_containment: 0.05, ..CopyLexicon::builtin() };
        assert!(detect(&[input(a, &pa, false), input(b, &pb, false)], &lex).is_empty());
    }

    #[test]
    fn shingle_hashes_are_those_of_the_joined_lower_cased_words() {
        let text = "Rebel UNITS overran Tal Ḫamra’s centre, the Observatory said; ÉLAN vital 220,000 x";
        let words: Vec<String> =
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        for size in [1, 3, 5, 64] {
            let n = size.min(words.len());
            let mut want: Vec<u64> = words.windows(n).map(|w| hash_str(&w.join(" "))).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(shingles(text, size), want, "size {size}");
        }
    }

    #[test]
    fn signatures_are_deterministic() {
        assert_eq!(shingles("One two three four five six", 5), shingles("one two three four five six", 5));
        assert_eq!(hash_str("the city fell"), hash_str("the city fell"));
    }
}
