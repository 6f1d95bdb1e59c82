//! Who is who across stories: how a story's source is matched to a source of the track record.
//!
//! Each story names its sources with ids of its own choosing. The store keeps, for every source it knows,
//! three kinds of key, all normalised:
//!
//! - **id** keys: every story id the source was recorded under ([`normalize_label`]: case-folded, runs of
//!   spaces, `-` and `_` made one space). No two sources share an id key.
//! - **label** keys: the ids, display names and aliases it was recorded with, normalised the same way.
//! - **domain** keys: web domains ([`normalize_domain`]: case-folded, `www.` stripped, scheme, port and
//!   path dropped).
//!
//! A story's source is matched in three tiers, the first tier with any match deciding:
//!
//! 1. its id against the id keys (at most one source can match);
//! 2. its domains against the domain keys;
//! 3. its id, name and aliases against the label keys.
//!
//! A tier that matches exactly one source identifies it. A tier that matches several is **ambiguous**: the
//! story's source is then not merged with any of them (a new source is recorded, and a lookup answers
//! "unknown"), because crediting the wrong source's track record is worse than starting a fresh one. Two
//! sources of the same story are never merged with each other: the story's author said they differ.
//!
//! Limits, by design: two different sources that share an alias or a name ("the Ministry of Defence" of two
//! countries) are merged when the shared label is the only key that matches; give them distinct ids, which
//! win over labels. Subdomains are distinct (`edition.cnn.com` is not `cnn.com`). Domains of hosting
//! platforms and social networks ([`IdentityRules::shared_domains`]) are ignored: they identify nobody,
//! and sources of the kinds in [`IdentityRules::id_only_kinds`] (by default `anonymous`: "an official" of
//! one story is not "an official" of the next) are matched by id and domain only.

use serde::{Deserialize, Serialize};

/// Normalises an id, name or alias for matching: Unicode lower case, runs of white space, `-` and `_` made
/// one space, trimmed. `None` when nothing is left.
///
/// ```
/// use credence_store::identity::normalize_label;
/// assert_eq!(normalize_label("  Al-Jazeera_English ").as_deref(), Some("al jazeera english"));
/// assert_eq!(normalize_label(" -_ "), None);
/// ```
#[must_use]
pub fn normalize_label(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '-' || c == '_' || c.is_control() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.extend(c.to_lowercase());
    }
    (!out.is_empty()).then_some(out)
}

/// Normalises a web domain or an address to its host name: scheme, user, port, path, query and fragment
/// dropped, lower case, a trailing dot and one leading `www.` removed.
///
/// `Ok(None)` for an empty string; `Err` with the reason when what is left is not a host name (white space,
/// an empty label, characters other than letters, digits, `-` and `.`).
///
/// ```
/// use credence_store::identity::normalize_domain;
/// assert_eq!(normalize_domain("https://WWW.Reuters.com:443/world?x=1").unwrap().as_deref(), Some("reuters.com"));
/// assert_eq!(normalize_domain("www.bbc.co.uk.").unwrap().as_deref(), Some("bbc.co.uk"));
/// assert!(normalize_domain("not a domain").is_err());
/// ```
pub fn normalize_domain(s: &str) -> Result<Option<String>, String> {
    let mut rest = s.trim();
    if let Some(i) = rest.find("://") {
        rest = &rest[i + 3..];
    } else if let Some(r) = rest.strip_prefix("//") {
        rest = r;
    }
    if let Some(i) = rest.find(['/', '?', '#']) {
        rest = &rest[..i];
    }
    if let Some(i) = rest.rfind('@') {
        rest = &rest[i + 1..];
    }
    if let Some(i) = rest.find(':') {
        rest = &rest[..i];
    }
    let lower = rest.to_lowercase();
    let mut host = lower.trim_end_matches('.');
    if let Some(h) = host.strip_prefix("www.") {
        host = h;
    }
    if host.is_empty() {
        return if s.trim().is_empty() { Ok(None) } else { Err(format!("`{}` has no host name", s.escape_debug())) };
    }
    if host.split('.').any(str::is_empty) {
        return Err(format!("`{}` has an empty label between dots", s.escape_debug()));
    }
    if let Some(c) = host.chars().find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '.')) {
        return Err(format!("`{}` is not a host name (it contains `{}`)", s.escape_debug(), c.escape_debug()));
    }
    Ok(Some(host.to_string()))
}

/// Hosting platforms and social networks: their domains say where something was posted, not who posted it.
pub const SHARED_DOMAINS: &[&str] = &[
    "archive.org",
    "bsky.app",
    "facebook.com",
    "instagram.com",
    "linkedin.com",
    "medium.com",
    "reddit.com",
    "t.me",
    "telegram.me",
    "telegram.org",
    "threads.net",
    "tiktok.com",
    "twitter.com",
    "vk.com",
    "whatsapp.com",
    "x.com",
    "youtu.be",
    "youtube.com",
];

/// The policy knobs of source matching (the tiers themselves are fixed; see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRules {
    /// Kinds whose sources are never matched by name or alias, only by id or domain.
    pub id_only_kinds: Vec<String>,
    /// Domains (normalised) that never identify a source; their subdomains neither.
    pub shared_domains: Vec<String>,
}

impl Default for IdentityRules {
    fn default() -> Self {
        IdentityRules {
            id_only_kinds: vec!["anonymous".to_string()],
            shared_domains: SHARED_DOMAINS.iter().map(std::string::ToString::to_string).collect(),
        }
    }
}

impl IdentityRules {
    /// Whether a source of `kind` may be matched by its name and aliases.
    #[must_use]
    pub fn matches_by_label(&self, kind: &str) -> bool {
        !self.id_only_kinds.iter().any(|k| k == kind)
    }

    /// Whether the (normalised) `domain` identifies a source: false for a shared platform or a subdomain of one.
    #[must_use]
    pub fn identifies(&self, domain: &str) -> bool {
        !self.shared_domains.iter().any(|p| {
            domain == p
                || (domain.len() > p.len() && domain.ends_with(p.as_str()) && {
                    let cut = domain.len() - p.len() - 1;
                    domain.as_bytes()[cut] == b'.'
                })
        })
    }
}

/// What a caller knows about a source when it asks the track record about it: the story's id, kind, names
/// (display name and aliases) and domains, as written; the store normalises them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SourceKey {
    /// The story's id of the source.
    pub id: String,
    /// Its kind (decides whether names may match, see [`IdentityRules::id_only_kinds`]).
    #[serde(default)]
    pub kind: String,
    /// Display name and aliases.
    #[serde(default)]
    pub names: Vec<String>,
    /// Web domains (or addresses) of the source.
    #[serde(default)]
    pub domains: Vec<String>,
}

impl SourceKey {
    /// A key with an id only.
    pub fn id(id: impl Into<String>) -> SourceKey {
        SourceKey { id: id.into(), ..SourceKey::default() }
    }

    /// Adds a name or alias.
    pub fn with_name(mut self, name: impl Into<String>) -> SourceKey {
        self.names.push(name.into());
        self
    }

    /// Adds a domain or address.
    pub fn with_domain(mut self, domain: impl Into<String>) -> SourceKey {
        self.domains.push(domain.into());
        self
    }

    /// Sets the kind.
    pub fn with_kind(mut self, kind: impl Into<String>) -> SourceKey {
        self.kind = kind.into();
        self
    }
}

/// The keys of one source, normalised and filtered by the rules: what is stored and what is matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Keys {
    /// Normalised id (`None` when the id normalises to nothing, which validation refuses for stories).
    pub id: Option<String>,
    /// Normalised labels with their first spelling, sorted, without duplicates. Empty for id-only kinds.
    pub labels: Vec<(String, String)>,
    /// Normalised domains that identify, sorted, without duplicates.
    pub domains: Vec<String>,
    /// Normalised domains that were given but do not identify (shared platforms).
    pub shared: Vec<String>,
}

impl Keys {
    /// Normalises a source's id, names and domains. Bad domains are an error naming the domain.
    pub(crate) fn of(
        id: &str,
        kind: &str,
        names: &[&str],
        domains: &[String],
        rules: &IdentityRules,
    ) -> Result<Keys, String> {
        let mut keys = Keys { id: normalize_label(id), ..Keys::default() };
        if rules.matches_by_label(kind) {
            for n in std::iter::once(&id).chain(names.iter()) {
                if let Some(norm) = normalize_label(n)
                    && !keys.labels.iter().any(|(k, _)| *k == norm)
                {
                    keys.labels.push((norm, n.trim().to_string()));
                }
            }
            keys.labels.sort();
        }
        for d in domains {
            if let Some(norm) = normalize_domain(d)? {
                let list = if rules.identifies(&norm) { &mut keys.domains } else { &mut keys.shared };
                if !list.contains(&norm) {
                    list.push(norm);
                }
            }
        }
        keys.domains.sort();
        keys.shared.sort();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold_case_and_separators() {
        assert_eq!(normalize_label("SOHR").as_deref(), Some("sohr"));
        assert_eq!(
            normalize_label("Syrian  Observatory\tfor-Human_Rights").as_deref(),
            Some("syrian observatory for human rights")
        );
        assert_eq!(normalize_label("ÉTAT").as_deref(), Some("état"));
        assert_eq!(normalize_label(""), None);
    }

    #[test]
    fn domains_reduce_to_hosts() {
        for (given, want) in [
            ("reuters.com", "reuters.com"),
            ("WWW.REUTERS.COM", "reuters.com"),
            ("http://user:pw@www.aljazeera.com:8080/news/x.html#top", "aljazeera.com"),
            ("//www.sana.sy/?p=1", "sana.sy"),
            ("www2.example.org", "www2.example.org"),
            ("www.www.example.org", "www.example.org"),
        ] {
            assert_eq!(normalize_domain(given).unwrap().as_deref(), Some(want), "{given}");
        }
        assert_eq!(normalize_domain("  ").unwrap(), None);
        assert!(normalize_domain("https://").is_err());
        assert!(normalize_domain("a..b").is_err());
        assert!(normalize_domain("exa mple.com").is_err());
    }

    #[test]
    fn shared_domains_and_their_subdomains_do_not_identify() {
        let r = IdentityRules::default();
        assert!(!r.identifies("twitter.com"));
        assert!(!r.identifies("mobile.twitter.com"));
        assert!(r.identifies("nottwitter.com"));
        assert!(r.identifies("reuters.com"));
    }

    #[test]
    fn anonymous_sources_have_no_labels() {
        let r = IdentityRules::default();
        let k = Keys::of("official-1", "anonymous", &["a security official"], &[], &r).unwrap();
        assert!(k.labels.is_empty());
        assert_eq!(k.id.as_deref(), Some("official 1"));
        let k =
            Keys::of("sohr", "monitor", &["SOHR", "Syrian Observatory"], &["x.com".into(), "syriahr.com".into()], &r)
                .unwrap();
        assert_eq!(
            k.labels,
            vec![("sohr".into(), "sohr".into()), ("syrian observatory".into(), "Syrian Observatory".into())]
        );
        assert_eq!(k.domains, vec!["syriahr.com".to_string()]);
        assert_eq!(k.shared, vec!["x.com".to_string()]);
    }
}
