//! What `record` stores: a scored story reduced to its sources and, per claim, which origins asserted or
//! refuted it and through which outlets.
//!
//! The CLI maps its assessment into these plain structs: one [`RecordedSource`] per story source, one
//! [`RecordedClaim`] per claim, and one [`OriginRef`] per origin cluster of the claim (`ClaimScore.origins`:
//! `id` is the cluster's origin, `sources` its other member organisations, the outlets are the first links
//! of the cluster's reports' chains), filed under `asserted_by` when the cluster supports the claim and
//! under `refuted_by` when it refutes it. All ids are the story's own.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{IdentityRules, Keys, SourceKey};

/// A scored story, as the track record keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedStory {
    /// Stable key of the story (see [`story_key`]); recording a story with a known key replaces its record.
    pub key: String,
    /// Title of the story.
    pub title: String,
    /// Every source of the story.
    #[serde(default)]
    pub sources: Vec<RecordedSource>,
    /// Every claim of the story.
    #[serde(default)]
    pub claims: Vec<RecordedClaim>,
}

/// A source of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedSource {
    /// The story's id of the source.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind (one of the config's `[kinds]`).
    pub kind: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Web domains the source publishes under (an outlet's site), or addresses to take them from.
    #[serde(default)]
    pub domains: Vec<String>,
}

impl RecordedSource {
    /// The key to look this source up with ([`crate::TrackRecord::reliability`]).
    #[must_use]
    pub fn key(&self) -> SourceKey {
        let mut names = vec![self.name.clone()];
        names.extend(self.aliases.iter().cloned());
        SourceKey { id: self.id.clone(), kind: self.kind.clone(), names, domains: self.domains.clone() }
    }
}

/// A claim of a story with its origins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedClaim {
    /// The story's id of the claim.
    pub id: String,
    /// The claim in plain words.
    pub text: String,
    /// Origin clusters that assert the claim.
    #[serde(default)]
    pub asserted_by: Vec<OriginRef>,
    /// Origin clusters that refute it.
    #[serde(default)]
    pub refuted_by: Vec<OriginRef>,
}

/// One origin cluster: the origin, the organisations merged with it, the outlets it reached the story by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginRef {
    /// Source id of the origin (the cluster's id).
    pub source: String,
    /// Other origin organisations of the cluster (merged because of copying); each is credited like `source`.
    #[serde(default)]
    pub merged: Vec<String>,
    /// Source ids of the outlets that carried the cluster's reports.
    #[serde(default)]
    pub outlets: Vec<String>,
}

impl OriginRef {
    /// An origin cluster of one source with no outlet recorded.
    pub fn new(source: impl Into<String>) -> OriginRef {
        OriginRef { source: source.into(), merged: Vec::new(), outlets: Vec::new() }
    }

    /// Adds an outlet.
    pub fn via(mut self, outlet: impl Into<String>) -> OriginRef {
        self.outlets.push(outlet.into());
        self
    }

    /// Adds a merged member.
    pub fn merged_with(mut self, source: impl Into<String>) -> OriginRef {
        self.merged.push(source.into());
        self
    }

    /// The cluster's members: the origin first, then the merged ones, without repeats.
    pub(crate) fn members(&self) -> Vec<&str> {
        let mut out = vec![self.source.as_str()];
        for m in &self.merged {
            if !out.contains(&m.as_str()) {
                out.push(m);
            }
        }
        out
    }
}

/// Longest story key accepted.
pub const MAX_KEY_LEN: usize = 200;

/// A stable story key: the title's slug (at most 48 characters), a dash and 8 hex digits of a 64-bit FNV-1a
/// hash of the title and the first article's path (`e.g. qusayr-falls-1c0de5a7`).
///
/// The slug keeps letters and digits (lower-cased) and makes every other run of characters one `-`; an
/// empty slug becomes `story`. The hash tells apart two stories of the same title, and is the same on every
/// machine and every version of credence (FNV-1a is fixed by its definition, unlike the standard hasher).
/// Renaming the story or its first article file therefore gives a new key: record it again and the old key's
/// record stays (settled outcomes are attached to it).
///
/// ```
/// use credence_store::story_key;
/// let k = story_key("Qusayr falls?", "articles/aljazeera.html");
/// assert!(k.starts_with("qusayr-falls-") && k.len() == "qusayr-falls-".len() + 8);
/// assert_eq!(k, story_key("Qusayr falls?", "articles/aljazeera.html"));
/// assert_ne!(k, story_key("Qusayr falls?", "articles/bbc.html"));
/// ```
#[must_use]
pub fn story_key(title: &str, first_article_path: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
        if slug.chars().count() >= 48 {
            break;
        }
    }
    let slug: String = slug.chars().take(48).collect();
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "story" } else { slug };
    let mut h = Fnv1a::new();
    h.write(title.as_bytes());
    h.write(&[0]);
    h.write(first_article_path.replace('\\', "/").as_bytes());
    format!("{slug}-{:08x}", h.finish() >> 32)
}

/// The 64-bit FNV-1a hash.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Checks a story key: not empty, at most [`MAX_KEY_LEN`] bytes, no `/`, no white space or control character.
pub fn check_story_key(key: &str) -> std::result::Result<(), String> {
    if key.is_empty() {
        return Err("the story key is empty".into());
    }
    if key.len() > MAX_KEY_LEN {
        return Err(format!("the story key is longer than {MAX_KEY_LEN} bytes"));
    }
    if let Some(c) = key.chars().find(|c| *c == '/' || c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the story key `{}` contains `{}`; keys have no `/`, white space or control characters (story_key() makes one)",
            key.escape_debug(),
            c.escape_debug()
        ));
    }
    Ok(())
}

/// A story checked and normalised for recording.
pub(crate) struct Checked<'a> {
    pub story: &'a RecordedStory,
    /// Keys of each source, in the story's order.
    pub keys: Vec<Keys>,
}

/// Checks a story: a valid key; unique, non-empty source ids (also after normalisation) and claim ids; every
/// id an origin cluster names is a source of the story; every domain a host name.
pub(crate) fn check<'a>(story: &'a RecordedStory, rules: &IdentityRules) -> Result<Checked<'a>> {
    let bad = |problem: String| Error::InvalidStory {
        story: if story.key.is_empty() { "(no key)".into() } else { story.key.escape_debug().to_string() },
        problem,
    };
    check_story_key(&story.key).map_err(bad)?;
    let mut keys = Vec::with_capacity(story.sources.len());
    let mut seen: Vec<(String, &str)> = Vec::new();
    for s in &story.sources {
        let names: Vec<&str> = std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str)).collect();
        let k = Keys::of(&s.id, &s.kind, &names, &s.domains, rules)
            .map_err(|e| bad(format!("source `{}`: domain {e}", s.id.escape_debug())))?;
        let Some(id) = k.id.clone() else {
            return Err(bad(format!("source id `{}` is empty (or only separators)", s.id.escape_debug())));
        };
        if let Some((_, other)) = seen.iter().find(|(n, _)| *n == id) {
            return Err(bad(format!(
                "source ids `{}` and `{}` are the same id once case and separators are ignored",
                other.escape_debug(),
                s.id.escape_debug()
            )));
        }
        seen.push((id, &s.id));
        keys.push(k);
    }
    let mut claim_ids: Vec<&str> = Vec::new();
    for c in &story.claims {
        if c.id.is_empty() {
            return Err(bad("a claim has an empty id".into()));
        }
        if claim_ids.contains(&c.id.as_str()) {
            return Err(bad(format!("claim id `{}` appears twice", c.id.escape_debug())));
        }
        claim_ids.push(&c.id);
        for (list, o) in
            c.asserted_by.iter().map(|o| ("asserted_by", o)).chain(c.refuted_by.iter().map(|o| ("refuted_by", o)))
        {
            for id in o.members().into_iter().chain(o.outlets.iter().map(String::as_str)) {
                if !story.sources.iter().any(|s| s.id == id) {
                    return Err(bad(format!(
                        "claim `{}`: {list} names source `{}`, which is not among the story's sources",
                        c.id.escape_debug(),
                        id.escape_debug()
                    )));
                }
            }
        }
    }
    Ok(Checked { story, keys })
}
