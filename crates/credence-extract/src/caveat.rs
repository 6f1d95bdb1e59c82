//! Caveats: the phrases by which a text weakens what it reports — verification caveats ("could not be
//! independently confirmed"), hedges ("reportedly"), distancing ("so-called", "claims to show"), conditionals
//! ("If Idlib has fallen, ...") and agentless attributions ("sources say").
//!
//! Each caveat is found with its kind and byte span, and scoped: a caveat governs its own sentence, except an
//! article-level verification caveat naming a source ("has not been able to verify reports by activists"),
//! which governs every report from that source in the article. The phrases live in
//! `config/lexicons/caveats.toml`.

use std::ops::Range;

use serde::Deserialize;

use credence_model::error::Result;
use credence_model::text::Slice;

/// The caveat lexicon shipped with credence.
pub const BUILTIN_CAVEATS: &str = include_str!("../../../config/lexicons/caveats.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCaveats {
    caveat: Vec<RawKind>,
    conditional: RawConditional,
    article_scope: RawKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    kind: String,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConditional {
    kind: String,
    openers: Vec<String>,
}

/// The compiled caveat lexicon.
#[derive(Debug, Clone)]
pub struct CaveatLexicon {
    /// (lower-cased phrase, kind), longest first.
    phrases: Vec<(String, String)>,
    /// Indices into `phrases` by the phrase's first word, so a sentence is only searched for phrases whose
    /// first word it contains.
    by_first: crate::hash::FxHashMap<String, Vec<usize>>,
    /// The first bytes and the greatest length of the keys of `by_first`: most words of a sentence fail
    /// these two tests and are never looked up.
    first_bytes: [bool; 256],
    longest_first: usize,
    conditional_kind: String,
    openers: Vec<String>,
    scope_kind: String,
    scope_phrases: Vec<String>,
    /// The distinct first words of the scope phrases, and for each phrase the index of its first word here:
    /// a sentence without the word cannot hold the phrase, so most sentences are searched for two words
    /// rather than for every phrase.
    scope_leads: Vec<String>,
    scope_lead_of: Vec<usize>,
}

/// One caveat found in the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Caveat {
    /// Caveat kind (config `[caveats.*]`).
    pub kind: String,
    /// The caveat phrase.
    pub span: Range<usize>,
    /// Index of its sentence.
    pub sentence: usize,
    /// For an article-level caveat: the phrase naming the source it is about ("activists' networks").
    pub about: Option<Range<usize>>,
}

impl CaveatLexicon {
    /// The lexicon shipped with credence.
    #[must_use]
    pub fn builtin() -> CaveatLexicon {
        // Checked by the test suite: failing here is a build defect, not a user error.
        CaveatLexicon::from_toml("config/lexicons/caveats.toml (built in)", BUILTIN_CAVEATS)
            .expect("the built-in caveat lexicon is valid")
    }

    /// Parses a caveat lexicon file.
    pub fn from_toml(name: &str, text: &str) -> Result<CaveatLexicon> {
        let raw: RawCaveats = credence_model::error::parse_lexicon(name, text, "caveats")?;
        let mut phrases: Vec<(String, String)> =
            raw.caveat.iter().flat_map(|k| k.phrases.iter().map(|p| (p.to_lowercase(), k.kind.clone()))).collect();
        phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut by_first: crate::hash::FxHashMap<String, Vec<usize>> = crate::hash::FxHashMap::default();
        for (i, (p, _)) in phrases.iter().enumerate() {
            let first = p.split(|c: char| !c.is_alphanumeric() && c != '-').next().unwrap_or("").to_string();
            by_first.entry(first).or_default().push(i);
        }
        let mut first_bytes = [false; 256];
        for k in by_first.keys() {
            if let Some(&b) = k.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        let longest_first = by_first.keys().map(String::len).max().unwrap_or(0);
        let scope_phrases: Vec<String> = raw.article_scope.phrases.iter().map(|s| s.to_lowercase()).collect();
        let mut scope_leads: Vec<String> = Vec::new();
        let mut scope_lead_of = Vec::new();
        for p in &scope_phrases {
            let lead = p.split(' ').next().unwrap_or("");
            let i = scope_leads.iter().position(|l| l == lead).unwrap_or_else(|| {
                scope_leads.push(lead.to_string());
                scope_leads.len() - 1
            });
            scope_lead_of.push(i);
        }
        Ok(CaveatLexicon {
            phrases,
            by_first,
            first_bytes,
            longest_first,
            conditional_kind: raw.conditional.kind,
            openers: raw.conditional.openers.iter().map(|s| s.to_lowercase()).collect(),
            scope_kind: raw.article_scope.kind,
            scope_phrases,
            scope_leads,
            scope_lead_of,
        })
    }

    /// Every caveat kind the lexicon can produce (to check against the scorer's config).
    #[must_use]
    pub fn kinds(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.phrases.iter().map(|(_, k)| k.as_str()).collect();
        v.push(&self.conditional_kind);
        v.push(&self.scope_kind);
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// True when `text[at..at+len]` stands on word boundaries.
fn on_boundaries(text: &str, at: usize, len: usize) -> bool {
    let before = text.part(..at).chars().next_back();
    let after = text.part(at + len..).chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
}

/// The byte offset of the first occurrence of `needle` in `hay`, as `str::find` gives it. Sentences are
/// short and phrases many, so jumping to each occurrence of the first character (a `memchr` inside
/// `str::find` with a `char`) and comparing the rest beats setting up a two-way searcher for every phrase
/// and sentence.
fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let Some(first) = needle.chars().next() else { return Some(0) };
    let mut from = 0;
    while let Some(p) = hay.part(from..).find(first) {
        let at = from + p;
        if hay.part(at..).starts_with(needle) {
            return Some(at);
        }
        from = at + first.len_utf8();
    }
    None
}

/// Finds the caveats in each sentence.
#[must_use]
pub fn find(text: &str, sentences: &[Range<usize>], lex: &CaveatLexicon) -> Vec<Caveat> {
    let mut out = Vec::new();
    let mut low = String::new();
    let mut candidates: Vec<usize> = Vec::new();
    let mut lead_found: Vec<Option<bool>> = Vec::new();
    // Cannot be the first word of a phrase (without a look-up).
    let never_first = |w: &str| {
        w.len() > lex.longest_first || w.as_bytes().first().is_some_and(|&b| !lex.first_bytes[usize::from(b)])
    };
    for (si, sr) in sentences.iter().enumerate() {
        credence_model::work::add(sr.len() / 8 + 1);
        let s = text.part(sr.clone());
        // ASCII lower-casing keeps byte offsets; the phrases are ASCII.
        low.clear();
        low.push_str(s);
        low.make_ascii_lowercase();
        let mut taken: Vec<Range<usize>> = Vec::new();
        candidates.clear();
        candidates.extend(
            low.split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| !never_first(w))
                .filter_map(|w| lex.by_first.get(w))
                .flatten()
                .copied(),
        );
        candidates.sort_unstable();
        candidates.dedup();
        for (phrase, kind) in candidates.iter().map(|&i| &lex.phrases[i]) {
            let mut from = 0;
            while let Some(p) = find_str(low.part(from..), phrase) {
                let at = from + p;
                let r = at..at + phrase.len();
                from = at + phrase.len().max(1);
                if !on_boundaries(s, at, phrase.len()) || taken.iter().any(|t| t.start < r.end && r.start < t.end) {
                    continue;
                }
                taken.push(r.clone());
                out.push(Caveat {
                    kind: kind.clone(),
                    span: sr.start + r.start..sr.start + r.end,
                    sentence: si,
                    about: None,
                });
            }
        }
        // Conditional openers: "If Idlib has fallen, ...".
        let first = low.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if lex.openers.iter().any(|o| o == first) && s.contains(',') {
            let lead = s.len() - s.trim_start().len();
            out.push(Caveat {
                kind: lex.conditional_kind.clone(),
                span: sr.start + lead..sr.start + lead + first.len(),
                sentence: si,
                about: None,
            });
        }
        // Article scope: "... verify reports by activists' networks in Syria."
        lead_found.clear();
        lead_found.resize(lex.scope_leads.len(), None);
        for (phrase, &lead) in lex.scope_phrases.iter().zip(&lex.scope_lead_of) {
            if !*lead_found[lead].get_or_insert_with(|| find_str(&low, &lex.scope_leads[lead]).is_some()) {
                continue;
            }
            if let Some(p) = find_str(&low, phrase) {
                let start = p + phrase.len();
                let rest = s.part(start..);
                let end = rest.find(['.', ',', ';']).unwrap_or(rest.len());
                let lead = rest.len() - rest.trim_start().len();
                let about = rest.part(..end).trim();
                let about_end = start + lead + about.len();
                if !about.is_empty() {
                    out.push(Caveat {
                        kind: lex.scope_kind.clone(),
                        span: sr.start + p..sr.start + p + phrase.len(),
                        sentence: si,
                        about: Some(sr.start + start + lead..sr.start + about_end),
                    });
                }
                break;
            }
        }
    }
    out.sort_by_key(|c| (c.span.start, c.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(String, String)> {
        find(s, std::slice::from_ref(&(0..s.len())), &CaveatLexicon::builtin())
            .into_iter()
            .map(|c| (c.kind, s[c.span].to_string()))
            .collect()
    }

    #[test]
    fn sentence_caveats() {
        assert_eq!(
            kinds("Troops have reportedly fled, but this could not be independently confirmed."),
            vec![
                ("hedge".to_string(), "reportedly".to_string()),
                ("unverified".to_string(), "could not be independently confirmed".to_string()),
            ]
        );
        assert_eq!(
            kinds("The video claims to show fighters in the square."),
            vec![("distancing".to_string(), "claims to show".to_string())]
        );
        assert_eq!(kinds("If the town has fallen, it is the second this month.")[0].0, "conditional");
        assert!(kinds("The reportedlyish word is not a caveat.").is_empty());
        assert_eq!(kinds("Sources say the alliance helped.")[0].0, "weasel");
    }

    #[test]
    fn article_scope_names_its_source() {
        let s = "The channel says it has not been able to independently verify reports by activists' networks there.";
        let found = find(s, std::slice::from_ref(&(0..s.len())), &CaveatLexicon::builtin());
        let scoped: Vec<&Caveat> = found.iter().filter(|c| c.about.is_some()).collect();
        assert_eq!(scoped.len(), 1);
        assert_eq!(&s[scoped[0].about.clone().unwrap()], "activists' networks there");
        assert!(found.iter().any(|c| c.kind == "unverified" && c.about.is_none()));
    }

    #[test]
    fn find_str_agrees_with_str_find() {
        let hays = ["", "a", "abc", "could not be verified", "é could é", "aaab", "xx yy xx"];
        let needles = ["", "a", "c", "ab", "abc", "could", "é", "verified", "aab", "xx", "zzzzzzzzzzzzzzzzzzzzzzzz"];
        for h in hays {
            for n in needles {
                assert_eq!(find_str(h, n), h.find(n), "{h:?} / {n:?}");
            }
        }
    }
}
