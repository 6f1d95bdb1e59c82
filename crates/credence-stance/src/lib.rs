//! Claim relevance and stance: how much a sentence (or a whole article) is about one claim, and whether it
//! supports the claim, refutes it, or only reports it.
//!
//! ```
//! use credence_stance::{ClaimQuery, Lexicon, Stance};
//!
//! let lexicon = Lexicon::default();
//! let query = ClaimQuery::new(&lexicon, "The singer Ana Ruiz is dead");
//!
//! let s = query.assess_sentence(&lexicon, "Ana Ruiz is alive and well, her agent says");
//! assert_eq!(s.stance, Stance::Refutes);
//! assert_eq!(s.reason, "contrary");
//!
//! let s = query.assess_sentence(&lexicon, "Singer Ruiz reportedly passed away overnight");
//! assert_eq!(s.stance, Stance::Observing);
//!
//! let s = query.assess_sentence(&lexicon, "Ruiz died on Sunday at 71");
//! assert_eq!(s.stance, Stance::Supports);
//!
//! let a = query.assess_article(&lexicon, Some("Death of Ana Ruiz was a hoax"), &["She is touring."]);
//! assert_eq!(a.stance, Stance::Refutes);
//! ```
//!
//! Why this shape: a fact-checker's verdict on a claim should rest on which outlets assert it, which deny
//! it and which only pass it on, counted by independent origin and weighted by reliability. That counting
//! is the scorer's job (the root `credence` crate); this crate answers only the per-sentence question, as
//! plain data with byte spans of every matched term and cue, so a report can show its reasons.
//!
//! How: the claim is parsed once into a [`ClaimQuery`] (content words by stem, capitalised entities with
//! surname and acronym aliases, numbers, and the claim's predicate expanded through the paraphrase groups of
//! the lexicon). A sentence's relevance is the weighted share of those terms it matches. Its stance comes
//! from a small linear model over interpretable features — cue kinds (debunk, denial, hedge, rumour, ...),
//! a question mark, the claim's predicate under negation, a contrary fact — whose weights are numbers in
//! `config/lexicons/stance.toml`. Nothing here panics on any text: tokens come from `char_indices`, so every
//! span is on char boundaries.

mod lexicon;
mod query;
pub mod stem;
pub mod text;

pub use lexicon::{BUILTIN_LEXICON, BUILTIN_NAME, CueKind, Lexicon, LexiconError, Predicate};
pub use query::{
    ArticleAssessment, ClaimQuery, Cue, Evidence, Features, Participant, QueryTerm, SentenceAssessment, TermKind,
    Tokenized,
};

use serde::Serialize;

/// A byte range into the assessed text; always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The text this span covers in `text` (empty if it does not fit, rather than panicking).
    #[must_use]
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// The stance of a sentence or article toward the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Asserts the claim.
    Supports,
    /// Denies or debunks it, or states a contrary fact.
    Refutes,
    /// Reports the claim without committing to it.
    Observing,
    /// Not about the claim.
    Unrelated,
}

impl Stance {
    /// The three committed stances, in the order of the model's classes.
    pub const CLASSES: [Stance; 3] = [Stance::Supports, Stance::Refutes, Stance::Observing];

    /// Its name as written in the lexicon and in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Refutes => "refutes",
            Stance::Observing => "observing",
            Stance::Unrelated => "unrelated",
        }
    }
}

/// A feature of the stance model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// A cue of the lexicon's cue list with this index is present (not under negation).
    Cue(usize),
    /// The sentence asks a question.
    Question,
    /// The claim's predicate is stated under negation ("was not arrested").
    NegatedPredicate,
    /// A contrary fact of the claim's predicate ("alive and well").
    Contrary,
    /// A refuting cue under negation ("not a hoax").
    NegatedRefute,
    /// A confirming cue under negation ("has not confirmed").
    NegatedConfirm,
    /// The claim's predicate is matched as stated.
    Predicate,
    /// The sentence's relevance, between 0 and 1.
    Relevance,
}

impl Feature {
    /// Names of the computed features.
    pub const STRUCTURAL: [&'static str; 7] =
        ["question", "negated_predicate", "contrary", "negated_refute", "negated_confirm", "predicate", "relevance"];

    pub(crate) fn structural(name: &str) -> Option<Feature> {
        Some(match name {
            "question" => Feature::Question,
            "negated_predicate" => Feature::NegatedPredicate,
            "contrary" => Feature::Contrary,
            "negated_refute" => Feature::NegatedRefute,
            "negated_confirm" => Feature::NegatedConfirm,
            "predicate" => Feature::Predicate,
            "relevance" => Feature::Relevance,
            _ => return None,
        })
    }

    /// The feature's name in the lexicon.
    #[must_use]
    pub fn name<'a>(&self, lexicon: &'a Lexicon) -> &'a str {
        match self {
            Feature::Cue(g) => lexicon.cue_kinds.get(*g).map_or("cue", |k| k.kind.as_str()),
            Feature::Question => "question",
            Feature::NegatedPredicate => "negated_predicate",
            Feature::Contrary => "contrary",
            Feature::NegatedRefute => "negated_refute",
            Feature::NegatedConfirm => "negated_confirm",
            Feature::Predicate => "predicate",
            Feature::Relevance => "relevance",
        }
    }
}
