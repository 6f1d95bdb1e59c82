//! A track record that carries over from story to story: credence learns how reliable a source is from
//! the claims it took a side on, once a user settles them.
//!
//! ```
//! use credence_store::{
//!     OriginRef, RecordedClaim, RecordedSource, RecordedStory, SourceKey, SqliteStore, TrackRecord, TrustOpinion,
//!     Verdict, learned_trust, PRIOR_WEIGHT,
//! };
//!
//! let source = |id: &str, kind: &str| RecordedSource {
//!     id: id.into(), name: id.to_uppercase(), kind: kind.into(), aliases: vec![], domains: vec![],
//! };
//! let story = RecordedStory {
//!     key: "qusayr-falls-0000beef".into(),
//!     title: "Qusayr falls".into(),
//!     sources: vec![source("aljazeera", "outlet"), source("sohr", "monitor"), source("sana", "state-media")],
//!     claims: vec![RecordedClaim {
//!         id: "taken".into(),
//!         text: "Government forces took Qusayr".into(),
//!         asserted_by: vec![OriginRef::new("sohr").via("aljazeera")],
//!         refuted_by: vec![OriginRef::new("sana")],
//!     }],
//! };
//!
//! // In memory here; `SqliteStore::open("track.sqlite3")` for a file shared by every command.
//! let mut store = SqliteStore::open_in_memory()?;
//! store.record(&[story])?;
//! store.settle("taken", &Verdict::manual(Some(true)))?;
//!
//! let sohr = store.reliability(&SourceKey::id("sohr"))?.expect("recorded");
//! let sana = store.reliability(&SourceKey::id("SANA"))?.expect("ids match case-blind");
//! assert_eq!((sohr.correct, sohr.wrong, sohr.stories), (1.0, 0.0, 1));
//! assert_eq!((sana.correct, sana.wrong), (0.0, 1.0));
//!
//! // At score time the kind's grade is the prior: grade C for a monitor, moved up by one correct claim.
//! let c = TrustOpinion { b: 0.45, d: 0.20, u: 0.35, a: 0.5 };
//! assert!(learned_trust(c, &sohr, PRIOR_WEIGHT).projected() > c.projected());
//!
//! // Settling again replaces the outcome: never counted twice.
//! store.settle("qusayr-falls-0000beef/taken", &Verdict::manual(Some(true)))?;
//! assert_eq!(store.reliability(&SourceKey::id("sohr"))?.unwrap().correct, 1.0);
//! # Ok::<(), credence_store::Error>(())
//! ```
//!
//! The CLI talks to a [`TrackRecord`]; [`SqliteStore`] is the embedded implementation (`SQLite` in WAL mode,
//! one transaction per command, versioned schema). [`output`] renders listings as aligned text or RFC 4180
//! CSV. [`identity`] has the rules that match a story's source to a known one, [`learned_trust`] the mapping
//! from a grade and a record to a trust opinion. The crate README has the schema and the reasoning.
//!
//! No input makes the crate panic: bad stories, claim ids, reviews and database files are [`Error`]s that
//! name the file or story and say what to do.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod claimreview;
mod error;
mod evidence;
pub mod identity;
mod input;
pub mod output;
mod schema;
mod sqlite;
mod suggest;

use std::fmt;

use serde::Serialize;

pub use claimreview::ClaimReview;
pub use error::{Error, Result};
pub use evidence::{Evidence, PRIOR_WEIGHT, TrustOpinion, learned_trust};
pub use identity::{IdentityRules, SourceKey};
pub use input::{MAX_KEY_LEN, OriginRef, RecordedClaim, RecordedSource, RecordedStory, check_story_key, story_key};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use sqlite::{DEFAULT_BUSY_TIMEOUT, MAX_BUSY_TIMEOUT, SqliteStore};

/// The track record the CLI uses. [`SqliteStore`] implements it; a server database could too (see the
/// README's scale-out note).
///
/// Each method is one command and one transaction: writers see and change a consistent database, readers
/// see one snapshot.
pub trait TrackRecord {
    /// `credence record`: stores each story's sources and claims, replacing the earlier record of a story
    /// with the same key. All stories or none are recorded.
    fn record(&mut self, stories: &[RecordedStory]) -> Result<Vec<RecordSummary>>;

    /// `credence settle`: records the outcome of a claim (`STORY-KEY/CLAIM-ID`, or a bare claim id when
    /// one story has it), replacing any earlier outcome; `verdict.outcome == None` un-settles it.
    fn settle(&mut self, claim: &str, verdict: &Verdict) -> Result<SettleSummary>;

    /// Which recorded claim an id names; an unknown or ambiguous id is an error with close matches.
    fn resolve_claim(&self, claim: &str) -> Result<ClaimRef>;

    /// Which known source a story's source is, by the rules of [`identity`].
    fn identify(&self, key: &SourceKey) -> Result<Identity>;

    /// The evidence on a known source; `None` when the source is unknown or ambiguous (score it by its prior).
    fn reliability(&self, key: &SourceKey) -> Result<Option<Evidence>>;

    /// `credence sources`: every known source with its evidence, sorted by source key (case-blind, then by
    /// bytes).
    fn sources(&self) -> Result<Vec<SourceRecord>>;

    /// Every recorded outcome with its provenance, sorted by story key, then claim id (byte order).
    fn outcomes(&self) -> Result<Vec<OutcomeRecord>>;
}

/// A recorded claim's full name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ClaimRef {
    /// The story key.
    pub story: String,
    /// The story's claim id.
    pub claim: String,
}

impl fmt::Display for ClaimRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.story, self.claim)
    }
}

/// Parses an outcome word: `true`, `false`, or `unsettled` (also `none`), any case.
///
/// ```
/// assert_eq!(credence_store::parse_outcome("TRUE").unwrap(), Some(true));
/// assert_eq!(credence_store::parse_outcome("unsettled").unwrap(), None);
/// assert!(credence_store::parse_outcome("maybe").is_err());
/// ```
pub fn parse_outcome(word: &str) -> Result<Option<bool>> {
    match word.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        "unsettled" | "none" => Ok(None),
        _ => Err(Error::InvalidOutcome { given: word.escape_debug().to_string() }),
    }
}

/// Where an outcome came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Provenance {
    /// Given on the command line.
    Manual,
    /// Read from a fact check.
    ClaimReview(ClaimReview),
}

/// An outcome and its provenance, as `settle` records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// `Some(true)` the claim holds, `Some(false)` it does not, `None` unsettled.
    pub outcome: Option<bool>,
    /// Where the outcome came from.
    pub provenance: Provenance,
}

impl Verdict {
    /// An outcome given by hand.
    #[must_use]
    pub fn manual(outcome: Option<bool>) -> Verdict {
        Verdict { outcome, provenance: Provenance::Manual }
    }

    /// The outcome of a fact check ([`ClaimReview::outcome`]).
    #[must_use]
    pub fn from_review(review: ClaimReview) -> Verdict {
        Verdict { outcome: review.outcome(), provenance: Provenance::ClaimReview(review) }
    }
}

/// How a story's source was matched to a known source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "by", content = "key")]
pub enum Match {
    /// Not matched: a new source.
    New,
    /// By its id.
    Id,
    /// By this (normalised) domain.
    Domain(String),
    /// By this (normalised) id, name or alias.
    Label(String),
}

/// What `identify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "identity")]
pub enum Identity {
    /// One known source.
    Known {
        /// Its source key.
        source: String,
        /// Its name.
        name: String,
        /// How it was matched.
        matched: Match,
    },
    /// No known source matches.
    Unknown,
    /// Several known sources match in the deciding tier.
    Ambiguous {
        /// What matched them (`domain x` or `label y`).
        by: String,
        /// Their source keys, sorted.
        candidates: Vec<String>,
    },
}

/// How one story source was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceBinding {
    /// The story's id.
    pub local_id: String,
    /// The known source's key.
    pub source: String,
    /// How it was matched.
    pub matched: Match,
}

/// What `record` did with one story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordSummary {
    /// The story key.
    pub story: String,
    /// Whether an earlier record of the story was replaced.
    pub replaced: bool,
    /// How often the story has been recorded, this time included.
    pub recordings: u32,
    /// Each story source, in the story's order.
    pub sources: Vec<SourceBinding>,
    /// Claims recorded.
    pub claims: usize,
    /// Settled claims of the story's earlier record that this record no longer has: their outcomes are
    /// kept, and count again if the claim comes back.
    pub detached: Vec<String>,
    /// Matching decisions worth a look (ambiguous matches), in words.
    pub notes: Vec<String>,
}

/// One source whose evidence a settlement changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceChange {
    /// Source key.
    pub source: String,
    /// Name.
    pub name: String,
    /// Evidence before.
    pub before: Evidence,
    /// Evidence after.
    pub after: Evidence,
}

/// What `settle` did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettleSummary {
    /// The claim.
    pub claim: ClaimRef,
    /// Its text.
    pub text: String,
    /// The earlier outcome: `None` never settled, `Some(None)` un-settled, `Some(Some(v))` settled `v`.
    pub previous: Option<Option<bool>>,
    /// The outcome now.
    pub outcome: Option<bool>,
    /// Every origin source of the claim, sorted by key (case-blind), with its evidence before and after.
    pub changes: Vec<SourceChange>,
}

/// A known source and what the track record knows of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRecord {
    /// Source key: the id it was first recorded under.
    pub key: String,
    /// Name (as first recorded).
    pub name: String,
    /// Kind (as first recorded).
    pub kind: String,
    /// Every story id it was recorded under, sorted.
    pub ids: Vec<String>,
    /// Names and aliases other than `name`, sorted.
    pub aliases: Vec<String>,
    /// Identifying domains, sorted.
    pub domains: Vec<String>,
    /// Evidence from settled claims.
    pub evidence: Evidence,
    /// Recorded claims it asserts (settled or not).
    pub asserted: u32,
    /// Recorded claims it refutes.
    pub refuted: u32,
    /// Recorded claims it carried as an outlet.
    pub relayed: u32,
}

/// A recorded outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRecord {
    /// The claim.
    pub claim: ClaimRef,
    /// The story's title.
    pub title: String,
    /// The claim's text; `None` when the story's latest record no longer has the claim (detached).
    pub text: Option<String>,
    /// The outcome (`None`: unsettled).
    pub outcome: Option<bool>,
    /// `manual` or `claimreview`.
    pub method: String,
    /// `ClaimReview` rating, with its scale.
    pub rating: Option<(f64, f64, f64)>,
    /// `ClaimReview` verdict words.
    pub verdict: Option<String>,
    /// `ClaimReview` author.
    pub reviewer: Option<String>,
    /// `ClaimReview` address.
    pub review_url: Option<String>,
    /// `ClaimReview` file.
    pub review_file: Option<String>,
    /// `ClaimReview`'s wording of the claim.
    pub claim_reviewed: Option<String>,
    /// How often the claim was settled (1 the first time).
    pub revision: u32,
    /// Source keys of the origins asserting the claim, sorted.
    pub asserted_by: Vec<String>,
    /// Source keys of the origins refuting it, sorted.
    pub refuted_by: Vec<String>,
}
