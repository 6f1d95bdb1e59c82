//! Source resolution: from the phrases articles use ("Rami Abdel Rahman, head of the SOHR", "the monitoring
//! group", "he", "a Twitter account affiliated with al-Nusra") to source ids of the story.
//!
//! Known sources (agencies, outlets, monitors, parties) and the word lists that tell the kind and side of an
//! unknown source live in `config/lexicons/sources.toml`; sources a user already wrote into a story win over
//! them. Unknown names become new sources, so nothing a text says is dropped: the extracted story is a draft
//! for a person to correct, and an unresolved name is easier to correct than a missing one.

use std::collections::HashMap;

use serde::Deserialize;

use crate::hash::FxHashMap;
use credence_model::error::Result;
use credence_model::story::SideDef;
use credence_model::story::Source;
use credence_model::text::Slice;
use credence_model::vocab::{Role, Vocabulary};

/// The source lexicon shipped with credence.
pub const BUILTIN_SOURCES: &str = include_str!("../../../config/lexicons/sources.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    new_kinds: RawNewKinds,
    names: RawNames,
    source: Vec<RawKnown>,
    kind_rule: Vec<RawKindRule>,
    /// Words that tell a new source's side. A story's sides are its own, so the built-in lexicon has none:
    /// [`SourceLexicon::with_sides`] sets them from the story's `[[side]]`s.
    #[serde(default)]
    sides: HashMap<String, Vec<String>>,
    anaphor: Vec<RawAnaphor>,
    #[serde(default)]
    owned_anonymous: RawOwnedAnonymous,
}

/// Unnamed sources of a named source: "the Journal's sources", "CNN's source", "Gurman's sources".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwnedAnonymous {
    /// The nouns after the possessive that make the phrase an unnamed source of its owner.
    nouns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNames {
    determiners: Vec<String>,
    titles: Vec<String>,
    org_words: Vec<String>,
    leads: Vec<String>,
    report_leads: Vec<String>,
    spelling_variant: f64,
    generic_credits: Vec<String>,
    contributor_phrases: Vec<String>,
    networks: Vec<String>,
}

/// The kind given to a source extraction creates, for each role; also the role of those kinds when the
/// vocabulary does not say.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNewKinds {
    person: String,
    outlet: String,
    anonymous: String,
    account: String,
    footage: String,
    #[serde(default = "unknown_outlet_kind")]
    unknown_outlet: String,
}

fn unknown_outlet_kind() -> String {
    "unknown-outlet".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKnown {
    id: String,
    name: String,
    kind: String,
    #[serde(default)]
    side: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    people: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKindRule {
    words: Vec<String>,
    kind: String,
    #[serde(default)]
    side: Option<String>,
    /// Sources of this rule are called by the name written with the words ("Activist Asaad Kanjo").
    #[serde(default)]
    named: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnaphor {
    words: Vec<String>,
    #[serde(default)]
    person: bool,
    #[serde(default)]
    kinds: Vec<String>,
}

#[derive(Debug, Clone)]
struct KindRule {
    words: Vec<Vec<String>>,
    kind: String,
    side: Option<String>,
    named: bool,
}

#[derive(Debug, Clone)]
struct Anaphor {
    words: Vec<Vec<String>>,
    person: bool,
    kinds: Vec<String>,
}

/// The compiled source lexicon.
#[derive(Debug, Clone)]
pub struct SourceLexicon {
    /// Name words and their rules.
    names: Names,
    /// (kind, side): new sources of the kind are on the side (set with the story's sides).
    kind_sides: Vec<(String, String)>,
    /// The kind of a new source of each role.
    new_kinds: Vec<(Role, String)>,
    /// Kind of the placeholder outlet of an article whose publisher is not stated.
    unknown_outlet: String,
    known: Vec<Source>,
    /// (normalised alias words, index into `known`), longest first.
    aliases: Vec<(Vec<String>, usize)>,
    /// (normalised person-name words, index into `known`, the person's name as first listed): spokespeople of
    /// known organisations.
    people: Vec<(Vec<String>, usize, String)>,
    kind_rules: Vec<KindRule>,
    sides: Vec<(String, Vec<Vec<String>>)>,
    anaphors: Vec<Anaphor>,
    /// Nouns that, after a possessive ("CNN's sources"), name an owner's unnamed sources.
    owned_anonymous: Vec<String>,
    /// `aliases`, `kind_rules` and `sides` indexed by first word (entries are their positions in the lists).
    alias_index: PhraseIndex,
    kind_index: PhraseIndex,
    side_index: PhraseIndex,
}

/// Lower-cased words of a phrase: letters, digits and inner hyphens; "’s" and punctuation dropped.
#[must_use]
pub fn norm_words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.trim_matches(|c| c == '-' || c == '\'' || c == '’');
            let w = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w);
            w.to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words an acronym skips: "Syrian Observatory for Human Rights" is SOHR.
const FUNCTION_WORDS: [&str; 8] = ["and", "for", "the", "of", "on", "in", "at", "to"];

/// Whether a word is an acronym: three to six capital letters ("SOHR", "NATO"; not "US" or "UN", too short
/// to tell from other words).
fn is_acronym(t: &str) -> bool {
    (3..=6).contains(&t.chars().count()) && t.chars().all(|c| c.is_ascii_uppercase())
}

/// A phrase without a leading location descriptor: "UK-based Syrian Observatory" → "Syrian Observatory",
/// "the London-based group" → "the group".
fn strip_based(phrase: &str) -> String {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    match words.iter().position(|w| w.to_lowercase().ends_with("-based")) {
        Some(k) if k <= 1 && words.len() > k + 1 => {
            words.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, w)| *w).collect::<Vec<_>>().join(" ")
        }
        _ => phrase.to_string(),
    }
}

/// Position of `needle` as a contiguous run inside `hay`.
fn find_run(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// Phrases (runs of normalised words) by their first word, each tagged with the number of the entry of a
/// list it belongs to (an alias, a kind rule, a side). Finding the first entry with a phrase in a source
/// phrase then costs a look-up per word, not a comparison of every phrase at every position; the answer is
/// the same as scanning the list in order with [`find_run`].
#[derive(Debug, Clone, Default)]
struct PhraseIndex {
    /// First word → (entry, phrase), entries ascending.
    by_first: FxHashMap<String, Vec<(usize, Vec<String>)>>,
}

impl PhraseIndex {
    fn new<'p>(phrases: impl IntoIterator<Item = (usize, &'p Vec<String>)>) -> PhraseIndex {
        let mut by_first: FxHashMap<String, Vec<(usize, Vec<String>)>> = FxHashMap::default();
        for (entry, phrase) in phrases {
            // An empty phrase occurs nowhere (`find_run` never finds it).
            if let Some(first) = phrase.first() {
                by_first.entry(first.clone()).or_default().push((entry, phrase.clone()));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(entry, _)| *entry);
        }
        PhraseIndex { by_first }
    }

    /// The lowest entry with a phrase occurring as a run of `words`.
    fn first_entry(&self, words: &[String]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (p, w) in words.iter().enumerate() {
            let Some(list) = self.by_first.get(w.as_str()) else { continue };
            for (entry, phrase) in list {
                if best.is_some_and(|b| b <= *entry) {
                    break;
                }
                if words[p..].starts_with(phrase) {
                    best = Some(*entry);
                    break;
                }
            }
        }
        best
    }
}

/// Whether names of `a` and `b` characters can be spelling variants (Jaro-Winkler similarity 0.95 or more)
/// at all. Matches are at most the shorter length, so with r = shorter / longer the Jaro similarity is at most
/// (2 + r) / 3, and the Winkler bonus (at most 0.4 of the rest) makes it at most 0.8 + 0.2 r: below 0.95 when
/// r < 0.75. The test cuts at 0.7, far from any rounding, so it only skips comparisons that must fail.
fn lengths_may_be_variants(a: usize, b: usize) -> bool {
    10 * a.min(b) >= 7 * a.max(b)
}

/// Jaro-Winkler similarity of two strings (for spelling variants of names).
#[must_use]
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    // Names are nearly always ASCII, whose bytes are its characters: no vectors of characters to build.
    if a.is_ascii() && b.is_ascii() {
        return jaro_winkler_of(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    jaro_winkler_of(&a, &b)
}

/// [`jaro_winkler`] on sequences of characters (or of ASCII bytes).
fn jaro_winkler_of<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    // Match flags of both strings, on the stack for names of ordinary length.
    let mut stack = [false; 128];
    let mut heap = Vec::new();
    let flags: &mut [bool] = if a.len() + b.len() <= stack.len() {
        &mut stack[..a.len() + b.len()]
    } else {
        heap.resize(a.len() + b.len(), false);
        &mut heap
    };
    let (a_match, b_match) = flags.split_at_mut(a.len());
    let mut matches = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let (mut k, mut transpositions) = (0usize, 0usize);
    for i in 0..a.len() {
        if a_match[i] {
            while !b_match[k] {
                k += 1;
            }
            if a[i] != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// A short, stable id for a name: lower-case words joined by hyphens.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut s = norm_words(name).join("-");
    if s.len() > 48 {
        let mut cut = 48;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s = s.trim_end_matches('-').to_string();
    }
    if s.is_empty() { "source".to_string() } else { s }
}

impl SourceLexicon {
    /// This lexicon telling the sides of a story: a source whose phrase holds a side's member phrase
    /// ("the army", "Boko Haram") is on that side, and so is a new source of a kind that speaks for it (state
    /// media for a government), given as (kind, side) pairs.
    #[must_use]
    pub fn with_sides(&self, sides: &[SideDef], kind_sides: &[(String, String)]) -> SourceLexicon {
        let mut lex = self.clone();
        lex.sides = sides.iter().map(|d| (d.id.clone(), d.members.iter().map(|m| norm_words(m)).collect())).collect();
        lex.sides.sort_by(|a, b| a.0.cmp(&b.0));
        lex.side_index =
            PhraseIndex::new(lex.sides.iter().enumerate().flat_map(|(i, (_, ws))| ws.iter().map(move |w| (i, w))));
        lex.kind_sides = kind_sides.to_vec();
        lex
    }

    /// The kind a new source of `role` gets.
    #[must_use]
    pub fn kind_for(&self, role: Role) -> &str {
        self.new_kinds.iter().find(|(r, _)| *r == role).map_or("person", |(_, k)| k.as_str())
    }

    /// The lexicon shipped with credence.
    #[must_use]
    pub fn builtin() -> SourceLexicon {
        // Checked by the test suite: failing here is a build defect, not a user error.
        SourceLexicon::from_toml("config/lexicons/sources.toml (built in)", BUILTIN_SOURCES)
            .expect("the built-in source lexicon is valid")
    }

    /// Parses a source lexicon file.
    pub fn from_toml(name: &str, text: &str) -> Result<SourceLexicon> {
        let raw: RawSources = credence_model::error::parse_lexicon(name, text, "sources")?;
        let n = &raw.new_kinds;
        let low = |v: &[String]| v.iter().map(|w| w.to_lowercase()).collect::<std::collections::HashSet<String>>();
        let names = Names {
            determiners: low(&raw.names.determiners),
            titles: low(&raw.names.titles),
            org_words: low(&raw.names.org_words),
            leads: raw.names.leads.clone(),
            report_leads: raw.names.report_leads.clone(),
            spelling_variant: raw.names.spelling_variant.clamp(0.0, 1.0),
            generic_credits: low(&raw.names.generic_credits),
            contributor_phrases: raw.names.contributor_phrases.iter().map(|w| w.to_lowercase()).collect(),
            networks: raw.names.networks.iter().map(|w| w.to_lowercase()).collect(),
        };
        let mut lex = SourceLexicon {
            names,
            kind_sides: Vec::new(),
            new_kinds: vec![
                (Role::Person, n.person.clone()),
                (Role::Outlet, n.outlet.clone()),
                (Role::Anonymous, n.anonymous.clone()),
                (Role::Account, n.account.clone()),
                (Role::Footage, n.footage.clone()),
            ],
            unknown_outlet: n.unknown_outlet.clone(),
            known: Vec::new(),
            aliases: Vec::new(),
            people: Vec::new(),
            kind_rules: raw
                .kind_rule
                .into_iter()
                .map(|r| KindRule {
                    words: r.words.iter().map(|w| norm_words(w)).collect(),
                    kind: r.kind,
                    side: r.side,
                    named: r.named,
                })
                .collect(),
            sides: {
                let mut v: Vec<(String, Vec<Vec<String>>)> =
                    raw.sides.into_iter().map(|(k, ws)| (k, ws.iter().map(|w| norm_words(w)).collect())).collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v
            },
            anaphors: raw
                .anaphor
                .into_iter()
                .map(|a| Anaphor {
                    words: a.words.iter().map(|w| norm_words(w)).collect(),
                    person: a.person,
                    kinds: a.kinds,
                })
                .collect(),
            owned_anonymous: raw.owned_anonymous.nouns.iter().map(|w| w.to_lowercase()).collect(),
            alias_index: PhraseIndex::default(),
            kind_index: PhraseIndex::default(),
            side_index: PhraseIndex::default(),
        };
        lex.kind_index =
            PhraseIndex::new(lex.kind_rules.iter().enumerate().flat_map(|(i, r)| r.words.iter().map(move |w| (i, w))));
        lex.side_index =
            PhraseIndex::new(lex.sides.iter().enumerate().flat_map(|(i, (_, ws))| ws.iter().map(move |w| (i, w))));
        for k in raw.source {
            lex.add_known(
                Source { side: k.side, aliases: k.aliases, ..Source::named(k.id, k.name, k.kind) },
                &k.people,
            );
        }
        Ok(lex)
    }

    /// Adds (or replaces) a known source, e.g. one a user wrote into a story file.
    pub fn add_known(&mut self, s: Source, people: &[String]) {
        let idx = if let Some(i) = self.known.iter().position(|k| k.id == s.id) {
            self.aliases.retain(|(_, j)| *j != i);
            self.known[i] = s;
            i
        } else {
            self.known.push(s);
            self.known.len() - 1
        };
        let src = &self.known[idx];
        for a in src.aliases.iter().chain(std::iter::once(&src.name)) {
            let w = norm_words(a);
            if !w.is_empty() {
                self.aliases.push((w, idx));
            }
        }
        if let Some(canonical) = people.first() {
            for p in people {
                self.people.push((norm_words(p), idx, canonical.clone()));
            }
        }
        // Longest aliases first, so "Syrian state television" wins over "state television".
        self.aliases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        self.people.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        self.alias_index = PhraseIndex::new(self.aliases.iter().enumerate().map(|(k, (a, _))| (k, a)));
    }

    /// The first kind rule with a phrase in `words`.
    fn kind_of(&self, words: &[String]) -> Option<&KindRule> {
        self.kind_index.first_entry(words).map(|i| &self.kind_rules[i])
    }

    /// The first side with a phrase in `words`.
    fn side_of(&self, words: &[String]) -> Option<String> {
        self.side_index.first_entry(words).map(|i| self.sides[i].0.clone())
    }

    /// The first alias (longest first) occurring in `words`: where it first occurs, its length in words and
    /// its known source.
    fn alias_in(&self, words: &[String]) -> Option<(usize, usize, usize)> {
        let (a, i) = &self.aliases[self.alias_index.first_entry(words)?];
        Some((find_run(words, a)?, a.len(), *i))
    }
}

/// What a source phrase resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Source id in the story.
    pub id: String,
    /// A person who spoke for it, as named ("Rami Abdel Rahman").
    pub speaker: Option<String>,
}

/// Resolves source phrases across the articles of one story, creating sources for new names.
#[derive(Debug)]
pub struct Resolver<'a> {
    lex: &'a SourceLexicon,
    /// Every source used so far, in order of first use.
    sources: Vec<Source>,
    by_id: FxHashMap<String, usize>,
    /// Named people and the source they speak for: normalised name -> (source id, name as first written).
    people: Vec<(Vec<String>, String, String)>,
    /// Sources mentioned in the current article, most recent last: (id, speaker).
    recent: Vec<(String, Option<String>)>,
    /// Normalised names of the sources used, bucketed by their first two characters (for spelling variants).
    /// (normalised name, id, the name's length in characters).
    name_keys: FxHashMap<String, Vec<(String, String, usize)>>,
    /// Sources created from an indefinite description ("a monitoring group"), which may be a named source
    /// introduced later in the same article.
    generic: std::collections::BTreeSet<String>,
    /// The owner of each owned unnamed source ("cnn-sources" → "cnn"): the owner relays what they say.
    owners: FxHashMap<String, String>,
    /// The role of each kind: the vocabulary's, then the lexicon's kinds for new sources.
    roles: FxHashMap<String, Role>,
    /// Known news organisations, by name and domain.
    gazetteer: Option<&'a crate::gazetteer::Gazetteer>,
    /// Organisations this story has named so far, so that its later mentions find them: (normalised words
    /// of the name, its acronym, source id), in order of first use.
    learned: Vec<(Vec<String>, Option<String>, String)>,
    /// Entries of `learned` by the first word of the name.
    learned_first: FxHashMap<String, Vec<usize>>,
    /// Acronyms the story's texts define ("… for Human Rights (SOHR)"), lower-cased, with the full name.
    acronyms: FxHashMap<String, String>,
    /// Entries of `learned` by acronym (the first organisation learned with it).
    learned_acronym: FxHashMap<String, usize>,
}

impl<'a> Resolver<'a> {
    /// A resolver over a lexicon.
    #[must_use]
    pub fn new(lex: &'a SourceLexicon, vocab: &Vocabulary) -> Resolver<'a> {
        let mut roles: FxHashMap<String, Role> = vocab.kinds.iter().map(|(k, r)| (k.clone(), *r)).collect();
        for (role, kind) in &lex.new_kinds {
            roles.entry(kind.clone()).or_insert(*role);
        }
        Resolver {
            roles,
            lex,
            sources: Vec::new(),
            by_id: FxHashMap::default(),
            people: Vec::new(),
            recent: Vec::new(),
            generic: std::collections::BTreeSet::new(),
            owners: FxHashMap::default(),
            name_keys: FxHashMap::default(),
            gazetteer: None,
            learned: Vec::new(),
            learned_first: FxHashMap::default(),
            acronyms: FxHashMap::default(),
            learned_acronym: FxHashMap::default(),
        }
    }

    /// Also resolves names and web addresses of the known news organisations of a gazetteer.
    #[must_use]
    pub fn with_gazetteer(mut self, gazetteer: &'a crate::gazetteer::Gazetteer) -> Resolver<'a> {
        self.gazetteer = Some(gazetteer);
        self
    }

    /// The source for a known news organisation: the gazetteer's id, name, kind (when the vocabulary knows
    /// it; otherwise the kind for outlets) and domains.
    fn known_outlet(&mut self, o: &crate::gazetteer::Outlet) -> String {
        if self.by_id.contains_key(&o.id) {
            return o.id.clone();
        }
        let kind =
            if self.roles.contains_key(&o.kind) { o.kind.clone() } else { self.lex.kind_for(Role::Outlet).to_string() };
        let s = Source { domains: o.domains.clone(), ..Source::named(o.id.clone(), o.name.clone(), kind) };
        self.use_source(&s)
    }

    /// A gazetteer outlet named by `name`: one whose name or firm alias it is, or, for a name several
    /// outlets share, the one among the sources already used.
    fn gazetteer_outlet(&self, name: &str) -> Option<&'a crate::gazetteer::Outlet> {
        // One lookup; the sources used are asked by id only for an ambiguous name's few candidates (a list of
        // every source used, built per call, made resolution quadratic in a large folder).
        self.gazetteer?.by_name_supported_by(name, |id| self.by_id.contains_key(id))
    }

    /// The publisher of an article known only by its web address, if the gazetteer knows the domain.
    pub fn outlet_from_url(&mut self, url: &str) -> Option<String> {
        let o = self.gazetteer?.by_url(url)?;
        Some(self.known_outlet(o))
    }

    /// The name rules of the lexicon.
    #[must_use]
    pub fn names(&self) -> &Names {
        &self.lex.names
    }

    /// The role of a kind, if the vocabulary or the lexicon knows it.
    #[must_use]
    pub fn role(&self, kind: &str) -> Option<Role> {
        self.roles.get(kind).copied()
    }

    /// The role of a source used so far.
    #[must_use]
    pub fn role_of(&self, id: &str) -> Option<Role> {
        self.source(id).and_then(|s| self.role(&s.kind))
    }

    /// Forgets which sources were mentioned recently (anaphora do not cross articles).
    pub fn start_article(&mut self) {
        self.recent.clear();
    }

    /// The sources used so far, in order of first use.
    #[must_use]
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The sources used, in order of first use.
    #[must_use]
    pub fn into_sources(self) -> Vec<Source> {
        self.sources
    }

    /// True for a source created from an indefinite description with no name ("a monitoring group").
    #[must_use]
    pub fn is_generic(&self, id: &str) -> bool {
        self.generic.contains(id)
    }

    /// The source with this id, if it has been used.
    #[must_use]
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.by_id.get(id).map(|&i| &self.sources[i])
    }

    fn use_source(&mut self, s: &Source) -> String {
        if !self.by_id.contains_key(&s.id) {
            self.by_id.insert(s.id.clone(), self.sources.len());
            let key = norm_words(&s.name).join(" ");
            let chars = key.chars().count();
            self.name_keys.entry(key.chars().take(2).collect()).or_default().push((key, s.id.clone(), chars));
            let mut s = s.clone();
            // A source of the source lexicon that the gazetteer also knows (an agency, a broadcaster) gets its
            // web domains, so domain ratings and addresses find it.
            if s.domains.is_empty()
                && let Some(o) = self.gazetteer.and_then(|g| g.by_name(&s.name))
                && self.role(&s.kind).is_some_and(Role::is_medium)
            {
                s.domains.clone_from(&o.domains);
            }
            self.sources.push(s);
        }
        s.id.clone()
    }

    /// The source that relays an owned unnamed source: "CNN" for "CNN's sources". A chain holds the owner
    /// before the unnamed origin (outlet ← CNN ← CNN's sources).
    #[must_use]
    pub fn relayed_by(&self, id: &str) -> Option<&str> {
        self.owners.get(id).map(String::as_str)
    }

    /// "CNN's sources", "the Journal's source", "Gurman's sources": the owner (resolved as any source phrase)
    /// and one anonymous source of its own, which all such phrases of that owner share. `None` when the phrase
    /// is not a possessive followed by one of the lexicon's nouns.
    fn owned_anonymous(&mut self, phrase: &str) -> Option<Resolved> {
        let (owner, noun) = phrase.split_once("'s ").or_else(|| phrase.split_once("\u{2019}s "))?;
        let noun = noun.trim().to_lowercase();
        if owner.trim().is_empty() || !self.lex.owned_anonymous.contains(&noun) {
            return None;
        }
        let owner = self.resolve(owner)?;
        let owner_name = self.source(&owner.id).map_or_else(|| owner.id.clone(), |s| s.name.clone());
        let kind = self.lex.kind_for(Role::Anonymous).to_string();
        let anon = Source::named(format!("{}-sources", owner.id), format!("{owner_name}'s unnamed sources"), kind);
        let id = self.use_source(&anon);
        self.owners.insert(id.clone(), owner.id);
        Some(Resolved { id, speaker: None })
    }

    fn remember(&mut self, r: &Resolved) {
        self.recent.retain(|(id, sp)| !(id == &r.id && sp == &r.speaker));
        self.recent.push((r.id.clone(), r.speaker.clone()));
    }

    /// Resolves the outlet of an article from its name as written ("Al Jazeera", "Dawn"), creating an
    /// outlet source when the name is unknown.
    pub fn outlet(&mut self, name: &str) -> String {
        self.outlet_of_kind(name, None)
    }

    /// The placeholder outlet of an article whose publisher is stated nowhere: a source of the lexicon's
    /// `unknown_outlet` kind, whose own statements carry little weight until the user names it.
    pub fn unknown_outlet(&mut self, name: &str) -> String {
        let kind = self.lex.unknown_outlet.clone();
        let kind = if self.roles.contains_key(&kind) { Some(kind) } else { None };
        self.outlet_of_kind(name, kind)
    }

    fn outlet_of_kind(&mut self, name: &str, kind: Option<String>) -> String {
        let words = norm_words(name);
        if let Some(&(_, i)) = self.lex.aliases.iter().find(|(a, _)| *a == words) {
            let s = self.lex.known[i].clone();
            return self.use_source(&s);
        }
        if kind.is_none()
            && let Some(o) = self.gazetteer_outlet(name)
        {
            return self.known_outlet(o);
        }
        let kind = kind.unwrap_or_else(|| self.lex.kind_for(Role::Outlet).to_string());
        let s = Source::named(slug(name), name.trim(), kind);
        self.use_source(&s)
    }

    /// Resolves a source phrase. `None` only for phrases with no word at all.
    pub fn resolve(&mut self, phrase: &str) -> Option<Resolved> {
        // "Sami Haddad, who heads the Regional Monitor": the person speaks for the organisation the clause
        // names.
        if let Some(p) = phrase.find(", who ") {
            let rest = phrase.part(p + ", who ".len()..);
            let led = self.lex.names.leads.iter().find_map(|v| rest.strip_prefix(v).and_then(|r| r.strip_prefix(' ')));
            if let Some(org) = led {
                let org = org.split(',').next().unwrap_or(org);
                let name = self.lex.names.capitalised_run(phrase.part(..p));
                if let (Some(name), Some(mut r)) = (name, self.resolve(org)) {
                    r.speaker = Some(name);
                    let w = norm_words(r.speaker.as_deref().unwrap_or_default());
                    if !self.people.iter().any(|(n, _, _)| *n == w) {
                        self.people.push((w, r.id.clone(), r.speaker.clone().unwrap_or_default()));
                    }
                    self.remember(&r);
                    return Some(r);
                }
            }
        }
        // A relative clause describes the source but does not name it: "The group, which relies on activists".
        let phrase = match phrase.find(", which").or_else(|| phrase.find(", who")) {
            Some(p) if p > 0 => phrase.part(..p),
            _ => phrase,
        };
        if let Some(r) = self.owned_anonymous(phrase) {
            self.remember(&r);
            return Some(r);
        }
        let words = norm_words(phrase);
        if words.is_empty() {
            return None;
        }
        let r = self.resolve_words(phrase, &words);
        if let Some(sp) = &r.speaker {
            let w = norm_words(sp);
            // Keep the fullest form of a name: "Rami Abdel Rahman" is remembered, "Abdel Rahman" then finds it.
            if !self.people.iter().any(|(n, id, _)| id == &r.id && (n.ends_with(&w) || find_run(n, &w).is_some())) {
                self.people.push((w, r.id.clone(), sp.clone()));
            }
        }
        self.remember(&r);
        Some(r)
    }

    fn resolve_words(&mut self, phrase: &str, words: &[String]) -> Resolved {
        // 1. Anaphora: "he", "the monitoring group", "they".
        if let Some(r) = self.anaphor(words) {
            return r;
        }
        // 2. A known spokesperson ("Abdel Rahman said").
        let caps = self.lex.names.capitalised_run(phrase);
        if let Some(r) = self.person(words, caps.as_deref()) {
            if let Some(org) = self.lex.known.iter().find(|k| k.id == r.id).cloned() {
                self.use_source(&org);
            }
            return r;
        }
        // 3. A known organisation named inside the phrase.
        let kind_rule = self.lex.kind_of(words).cloned();
        if let Some((start, len, idx)) = self.lex.alias_in(words) {
            let org = self.lex.known[idx].clone();
            let org_id = self.use_source(&org);
            // "a Twitter account affiliated with al-Nusra": a channel of the organisation, speaking for it.
            let channel = kind_rule.as_ref().and_then(|r| {
                let role = self.role(&r.kind)?;
                matches!(role, Role::Account | Role::Footage).then_some((r, role))
            });
            if let Some((rule, role)) = channel
                && org.kind != rule.kind
            {
                let suffix = if role == Role::Account { "account" } else { "footage" };
                let what = if suffix == "account" { "social-media account" } else { "footage" };
                let child = Source {
                    side: org.side.clone(),
                    member_of: Some(org_id.clone()),
                    ..Source::named(format!("{org_id}-{suffix}"), format!("{} {what}", org.name), rule.kind.clone())
                };
                return Resolved { id: self.use_source(&child), speaker: None };
            }
            // A person named next to the organisation: "Rami Abdel Rahman, head of the SOHR".
            let speaker = self.lex.names.person_outside(phrase, &words[start..start + len]);
            return Resolved { id: org_id, speaker };
        }
        // 3b. A known news organisation: "CNN", "the Wall Street Journal", "TMZ's" (an outlet, not a person).
        let stripped = self.lex.names.strip_lead(phrase);
        let owner = stripped.strip_suffix("'s").or_else(|| stripped.strip_suffix("’s")).unwrap_or(&stripped);
        if let Some(o) = self.gazetteer_outlet(owner).or_else(|| {
            caps.as_deref().and_then(|c| {
                // The capitalised run names the outlet only when it is the whole of the phrase's name.
                (norm_words(c) == norm_words(owner)).then(|| self.gazetteer_outlet(c)).flatten()
            })
        }) {
            return Resolved { id: self.known_outlet(o), speaker: None };
        }
        // 3c. An acronym the story defines stands for its full name, even where it comes first.
        let core: Vec<&str> =
            stripped.split_whitespace().filter(|w| !self.lex.names.is_determiner(&w.to_lowercase())).collect();
        if let [one] = core.as_slice() {
            let one = one.trim_matches(|c: char| !c.is_alphanumeric());
            if is_acronym(one)
                && let Some(full) = self.acronyms.get(&one.to_lowercase()).cloned()
            {
                return self.resolve_words(&full, &norm_words(&full));
            }
        }
        // 3d. An organisation this story named before: its whole name inside the phrase ("Rami Abdel Rahman,
        // head of the Syrian Observatory for Human Rights"), its acronym ("SOHR"), or the first words of its
        // name ("the Syrian Observatory").
        if let Some((start, len, id)) = self.learned_in(phrase, words) {
            let speaker = self.lex.names.person_outside(phrase, &words[start..start + len]);
            return Resolved { id, speaker };
        }
        // 4. A new source: kind and side from the words, an id from its name. A leading "UK-based" says
        // where the source is, not who it is.
        let stripped = strip_based(&stripped);
        let words = norm_words(&stripped);
        let rule = self.lex.kind_of(&words);
        let cap_name = self.lex.names.capitalised_run(&stripped);
        // "a report on Sunday from The New York Times": the name in the phrase is a known outlet's.
        if let Some(o) = cap_name.as_deref().and_then(|c| self.gazetteer_outlet(c)) {
            return Resolved { id: self.known_outlet(o), speaker: None };
        }
        let kind = match rule {
            Some(r) => r.kind.clone(),
            None if cap_name.is_some() => self.lex.kind_for(Role::Person).to_string(),
            None if words.first().is_some_and(|w| w == "a" || w == "an") => {
                self.lex.kind_for(Role::Anonymous).to_string()
            }
            None => self.lex.kind_for(Role::Person).to_string(),
        };
        let side = rule
            .and_then(|r| r.side.clone())
            .or_else(|| self.lex.side_of(&words))
            .or_else(|| self.lex.kind_sides.iter().find(|(k, _)| *k == kind).map(|(_, s)| s.clone()));
        // A person, or a source described with a name in it ("Activist Asaad Kanjo"), is called by that name.
        let named = matches!(self.role(&kind), Some(Role::Person)) || rule.is_some_and(|r| r.named);
        let name = match &cap_name {
            Some(n) if named && n.split_whitespace().count() >= 2 => n.clone(),
            _ => self.lex.names.tidy_name(&stripped),
        };
        // Spelling variants of a name already seen ("Abdulrahman" / "Abdel Rahman").
        let key: String = norm_words(&name).join(" ");
        let id = slug(&name);
        if self.by_id.contains_key(&id) {
            return Resolved { id, speaker: None };
        }
        // Only names that start alike are compared, so resolution stays linear in the number of mentions.
        let bucket: String = key.chars().take(2).collect();
        let chars = key.chars().count();
        if let Some(existing) = self.name_keys.get(&bucket).and_then(|v| {
            v.iter()
                .find(|(k, _, n)| {
                    lengths_may_be_variants(*n, chars) && jaro_winkler(k, &key) >= self.lex.names.spelling_variant
                })
                .map(|(_, id, _)| id.clone())
        }) {
            return Resolved { id: existing, speaker: None };
        }
        let indefinite = words.first().is_some_and(|w| w == "a" || w == "an") && cap_name.is_none();
        let organisation = !indefinite && !matches!(self.role(&kind), Some(Role::Person | Role::Anonymous));
        let s = Source { side, ..Source::named(slug(&name), name, kind) };
        let id = self.use_source(&s);
        if organisation {
            self.learn(&s.name, &id);
        }
        if indefinite {
            self.generic.insert(id.clone());
        }
        Resolved { id, speaker: None }
    }

    /// Reads the acronyms the story's texts define: a capitalised name followed by its acronym in brackets,
    /// the acronym being the initials of the name's words other than function words ("the Syrian Observatory
    /// for Human Rights (SOHR)", "Médecins Sans Frontières (MSF)"). A later bare "SOHR" then resolves to the
    /// organisation, even in an article that never spells the name out, or before the name is first used.
    pub fn define_acronyms<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) {
        for text in texts {
            let mut from = 0;
            while let Some(o) = text.get(from..).and_then(|t| t.find('(')).map(|o| o + from) {
                from = o + 1;
                let Some(c) = text.get(o + 1..).and_then(|t| t.find(')')).filter(|&c| c <= 7) else { continue };
                let acr = text.part(o + 1..o + 1 + c);
                if !is_acronym(acr) || self.acronyms.contains_key(&acr.to_lowercase()) {
                    continue;
                }
                // The words before the bracket, back to where their initials spell the acronym.
                let before: Vec<&str> = text.part(o.saturating_sub(120)..o).split_whitespace().collect();
                let letters: Vec<char> = acr.chars().map(|c| c.to_ascii_lowercase()).collect();
                let mut need = letters.len();
                let mut start = before.len();
                for (k, w) in before.iter().enumerate().rev() {
                    let low = w.to_lowercase();
                    if FUNCTION_WORDS.contains(&low.as_str()) && need < letters.len() {
                        start = k;
                        continue;
                    }
                    let Some(first) = w.chars().next().filter(|c| c.is_uppercase()) else { break };
                    if need == 0 || first.to_lowercase().next() != Some(letters[need - 1]) {
                        break;
                    }
                    need -= 1;
                    start = k;
                    if need == 0 {
                        break;
                    }
                }
                if need == 0 {
                    let name = before[start..].join(" ");
                    let name = name.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
                    self.acronyms.insert(acr.to_lowercase(), name);
                }
            }
        }
    }

    /// Remembers an organisation the story names, by its words and its acronym: stated in brackets
    /// ("… for Human Rights (SOHR)") or, for a name of three words or more, the initials of its words other
    /// than function words ("for", "of", "the").
    fn learn(&mut self, name: &str, id: &str) {
        let (base, bracket) = match name.rfind('(') {
            Some(o) if name.trim_end().ends_with(')') => {
                (name.part(..o), Some(name.part(o + 1..name.trim_end().len() - 1)))
            }
            _ => (name, None),
        };
        let words = norm_words(base);
        let stated = bracket.filter(|b| is_acronym(b)).map(str::to_lowercase);
        let initials: String =
            words.iter().filter(|w| !FUNCTION_WORDS.contains(&w.as_str())).filter_map(|w| w.chars().next()).collect();
        let acronym = stated.or_else(|| (words.len() >= 3 && initials.chars().count() >= 3).then_some(initials));
        if words.len() < 2 && acronym.is_none() {
            return;
        }
        if let Some(first) = words.first() {
            self.learned_first.entry(first.clone()).or_default().push(self.learned.len());
        }
        if let Some(a) = &acronym {
            self.learned_acronym.entry(a.clone()).or_insert(self.learned.len());
        }
        self.learned.push((words, acronym, id.to_string()));
    }

    /// An organisation of `learned` that `words` (the phrase's) name: (start, length, id) of the longest
    /// whole name inside them, else a name they start (two words or more, after a determiner), else an
    /// acronym written in capitals in the phrase.
    fn learned_in(&self, phrase: &str, words: &[String]) -> Option<(usize, usize, String)> {
        if self.learned.is_empty() {
            return None;
        }
        let mut best: Option<(usize, usize, String)> = None;
        for (i, w) in words.iter().enumerate() {
            for &k in self.learned_first.get(w).into_iter().flatten() {
                let (name, _, id) = &self.learned[k];
                if name.len() >= 2 && words[i..].starts_with(name) && best.as_ref().is_none_or(|b| name.len() > b.1) {
                    best = Some((i, name.len(), id.clone()));
                }
            }
        }
        if best.is_some() {
            return best;
        }
        let k = words.iter().take_while(|w| self.lex.names.is_determiner(w)).count();
        let rest = &words[k..];
        if rest.len() >= 2 {
            for &e in self.learned_first.get(&rest[0]).into_iter().flatten() {
                let (name, _, id) = &self.learned[e];
                if name.len() > rest.len() && name.starts_with(rest) {
                    return Some((k, rest.len(), id.clone()));
                }
            }
        }
        let capitals: Vec<&str> = phrase.split(|c: char| !c.is_alphanumeric()).filter(|t| is_acronym(t)).collect();
        for t in capitals {
            let low = t.to_lowercase();
            if let Some(pos) = words.iter().position(|w| *w == low)
                && let Some(&k) = self.learned_acronym.get(&low)
            {
                return Some((pos, 1, self.learned[k].2.clone()));
            }
        }
        None
    }

    fn anaphor(&self, words: &[String]) -> Option<Resolved> {
        let a = self.lex.anaphors.iter().find(|a| a.words.iter().any(|w| w.as_slice() == words))?;
        let is_person = |id: &str, sp: &Option<String>| sp.is_some() || self.role_of(id) == Some(Role::Person);
        let hit = self.recent.iter().rev().find(|(id, sp)| {
            if a.person {
                is_person(id, sp)
            } else {
                let kind = self.source(id).map_or("", |s| s.kind.as_str());
                self.role(kind) != Some(Role::Person) && (a.kinds.is_empty() || a.kinds.iter().any(|k| k == kind))
            }
        })?;
        Some(Resolved { id: hit.0.clone(), speaker: if a.person { hit.1.clone() } else { None } })
    }

    fn person(&self, words: &[String], caps: Option<&str>) -> Option<Resolved> {
        let caps = caps?;
        let cw = norm_words(caps);
        if cw.is_empty() {
            return None;
        }
        // Named before in this story ("Rami Abdel Rahman" ... "Abdel Rahman said").
        for (name, id, written) in &self.people {
            if name.ends_with(&cw) || find_run(&cw, name).is_some() {
                return Some(Resolved { id: id.clone(), speaker: Some(written.clone()) });
            }
        }
        // A spokesperson the lexicon knows.
        for (name, idx, canonical) in &self.lex.people {
            if find_run(words, name).is_some() {
                let org = &self.lex.known[*idx];
                return Some(Resolved { id: org.id.clone(), speaker: Some(canonical.clone()) });
            }
        }
        None
    }
}
/// What tells a person's name from an organisation's, and how names are tidied and compared
/// (`[names]` of the source lexicon).
#[derive(Debug, Clone)]
pub struct Names {
    determiners: std::collections::HashSet<String>,
    titles: std::collections::HashSet<String>,
    org_words: std::collections::HashSet<String>,
    /// Verbs of "X, who heads Y": X speaks for Y.
    leads: Vec<String>,
    /// Leading words of a phrase that name a report, not its source ("reports from activists").
    report_leads: Vec<String>,
    /// Jaro-Winkler similarity at which two names are spelling variants of one.
    spelling_variant: f64,
    /// Credits that name no one ("Al Jazeera and agencies").
    pub generic_credits: std::collections::HashSet<String>,
    /// Phrases of a credit line that credits a contributor, not the publisher ("additional reporting by").
    pub contributor_phrases: Vec<String>,
    /// Social networks named as the channel of a statement ("said on Twitter"): the origin's own account.
    pub networks: Vec<String>,
}

impl Names {
    fn is_determiner(&self, w: &str) -> bool {
        self.determiners.contains(&w.to_lowercase())
    }

    /// The first run of two or more capitalised words (a person's or organisation's name), if any.
    pub(crate) fn capitalised_run(&self, phrase: &str) -> Option<String> {
        let toks: Vec<&str> = phrase.split_whitespace().collect();
        let is_cap = |w: &str| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.chars().next().is_some_and(char::is_uppercase) && !self.is_determiner(w)
        };
        let mut best: Option<(usize, usize)> = None;
        let mut i = 0;
        while i < toks.len() {
            if is_cap(toks[i]) {
                let mut j = i + 1;
                while j < toks.len() && (is_cap(toks[j]) || matches!(toks[j], "al-" | "bin" | "abu" | "de" | "van")) {
                    j += 1;
                }
                if best.is_none_or(|(a, b)| j - i > b - a) {
                    best = Some((i, j));
                }
                i = j;
            } else {
                i += 1;
            }
        }
        best.map(|(a, b)| {
            toks[a..b]
                .iter()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// A person named in a phrase outside the words of an organisation's alias: "Rami Abdel Rahman" in
    /// "Rami Abdel Rahman, head of the Syrian Observatory", "Ahmad" in "Ahmad of the media office of Ahrar al-Sham".
    pub(crate) fn person_outside(&self, phrase: &str, alias: &[String]) -> Option<String> {
        let head = phrase.split([',', '(']).next().unwrap_or(phrase);
        let head = head.split(" of ").next().unwrap_or(head);
        let words: Vec<&str> = head.split_whitespace().collect();
        let is_name = |w: &str| {
            let t = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            let low = t.to_lowercase();
            t.chars().next().is_some_and(char::is_uppercase)
                && !alias.contains(&low)
                && !self.determiners.contains(&low)
                && !self.org_words.contains(&low)
        };
        // The name opens the phrase ("Rami Abdel Rahman, head of ...", "Ahmad of the media office ...") or
        // follows a title ("Observatory chief Rami Abdel Rahman"); a capitalised word elsewhere is part of a
        // description, not a person.
        let start = match words
            .iter()
            .position(|w| self.titles.contains(w.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric())))
        {
            Some(t) => t + 1,
            None => 0,
        };
        let names: Vec<&str> = words[start.min(words.len())..]
            .iter()
            .take_while(|w| is_name(w))
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
            .collect();
        (!names.is_empty() && names.len() <= 4).then(|| names.join(" "))
    }

    /// Drops a leading determiner and report nouns: "reports from activists" -> "activists".
    pub(crate) fn strip_lead(&self, phrase: &str) -> String {
        let mut words: Vec<&str> = phrase.split_whitespace().collect();
        for lead in &self.report_leads {
            let lw: Vec<&str> = lead.split(' ').collect();
            if words.len() > lw.len() && words.iter().zip(&lw).all(|(a, b)| a.eq_ignore_ascii_case(b)) {
                words.drain(..lw.len());
            }
        }
        words.join(" ")
    }

    /// A display name from a phrase: trimmed punctuation and a leading article removed, first letter capitalised.
    pub(crate) fn tidy_name(&self, phrase: &str) -> String {
        let t = phrase.trim().trim_matches(|c: char| c == ',' || c == '.' || c == ':' || c.is_whitespace());
        let mut words: Vec<&str> = t.split_whitespace().collect();
        if words.len() > 1 && self.is_determiner(words[0]) {
            words.remove(0);
        }
        let s = words.join(" ");
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in lexicon with the sources and sides a user states for the example story (its parties are
    /// the example's, not the lexicon's).
    fn lex() -> SourceLexicon {
        let stated: credence_model::story::Story =
            toml::from_str(include_str!("../../../examples/jisr-al-shughur/articles/story.toml")).unwrap();
        let mut lex =
            SourceLexicon::builtin().with_sides(&stated.sides, &[("state-media".into(), "government".into())]);
        for s in stated.sources {
            let people = s.people.clone();
            lex.add_known(s, &people);
        }
        lex
    }

    fn resolver_run(phrases: &[&str]) -> Vec<(String, Option<String>)> {
        let lex = lex();
        let mut r = Resolver::new(&lex, &Vocabulary::default());
        phrases.iter().map(|p| r.resolve(p).map(|x| (x.id, x.speaker)).unwrap()).collect()
    }

    #[test]
    fn known_organisations_people_and_aliases() {
        let v = resolver_run(&[
            "Rami Abdel Rahman, who leads the Syrian Observatory for Human Rights (SOHR)",
            "Observatory chief Rami Abdel Rahman",
            "Abdel Rahman",
            "The Syrian Observatory's Abdel Rahman",
            "the monitoring group",
            "he",
        ]);
        assert_eq!(v[0], ("sohr".into(), Some("Rami Abdel Rahman".into())));
        assert_eq!(v[1].0, "sohr");
        assert_eq!(v[2], ("sohr".into(), Some("Rami Abdel Rahman".into())));
        assert_eq!(v[3].0, "sohr");
        assert_eq!(v[4].0, "sohr");
        assert_eq!(v[5], ("sohr".into(), Some("Rami Abdel Rahman".into())));
    }

    #[test]
    fn organisations_the_story_names_are_found_again_without_a_lexicon() {
        // Nothing about this organisation is in any lexicon: its mentions are tied by general rules.
        let lex = SourceLexicon::builtin();
        let mut r = Resolver::new(&lex, &Vocabulary::default());
        r.define_acronyms(["Figures came from the Coastal Monitor for Civil Liberties (CMCL) on Monday."]);
        let mut id = |p: &str| r.resolve(p).map(|x| (x.id, x.speaker)).unwrap();
        // The acronym first: it stands for the name its definition spells out.
        let first = id("CMCL");
        assert_eq!(first.0, "coastal-monitor-for-civil-liberties");
        for p in [
            "the Coastal Monitor for Civil Liberties",
            "London-based Coastal Monitor for Civil Liberties",
            "the Coastal Monitor",
            "CMCL",
        ] {
            assert_eq!(id(p).0, first.0, "{p}");
        }
        // A person named with it speaks for it.
        let (org, speaker) = id("Lena Ortiz, head of the Coastal Monitor for Civil Liberties");
        assert_eq!((org.as_str(), speaker.as_deref()), (first.0.as_str(), Some("Lena Ortiz")));
        // Initials that are not the definition's, and other names, stay apart.
        assert_ne!(id("Coastal Guard Service").0, first.0);
    }

    #[test]
    fn spelling_variants_of_groups() {
        let v = resolver_run(&["Jabhat al-Nusra", "Al-Nusra Front", "Nusra Front", "the Nusra Front"]);
        assert!(v.iter().all(|x| x.0 == "nusra"), "{v:?}");
    }

    #[test]
    fn channels_of_organisations_and_unknown_sources() {
        let lex = lex();
        let mut r = Resolver::new(&lex, &Vocabulary::default());
        let acc = r.resolve("A Twitter account affiliated with al-Nusra").unwrap();
        assert_eq!(acc.id, "nusra-account");
        assert_eq!(r.source("nusra-account").unwrap().member_of.as_deref(), Some("nusra"));
        let off = r.resolve("an unnamed military official").unwrap();
        let s = r.source(&off.id).unwrap();
        assert_eq!((s.kind.as_str(), s.side.as_deref()), ("anonymous", Some("government")));
        let act = r.resolve("Activist Asaad Kanjo").unwrap();
        let s = r.source(&act.id).unwrap();
        assert_eq!((s.name.as_str(), s.kind.as_str()), ("Activist Asaad Kanjo", "activist"));
        let act = r.resolve("reports from activists").unwrap();
        assert_eq!(r.source(&act.id).unwrap().kind, "activist");
        let vid = r.resolve("The following video").unwrap();
        assert_eq!(r.source(&vid.id).unwrap().kind, "unverified-footage");
        assert_eq!(r.resolve("state television").unwrap().id, "syrian-state-tv");
        assert_eq!(r.resolve("Syrian government media").unwrap().id, "syrian-state-media");
    }

    #[test]
    fn speakers_named_before_their_organisation() {
        let v = resolver_run(&[
            "Ahmad from the press office of the Islamist Ahrar al-Sham faction, which joined the fight",
            "Ahmad",
            "The group, which relies on activists",
        ]);
        assert_eq!(v[0], ("ahrar-al-sham".into(), Some("Ahmad".into())));
        assert_eq!(v[1], ("ahrar-al-sham".into(), Some("Ahmad".into())));
        assert_eq!(v[2].0, "ahrar-al-sham");
    }

    /// Jaro-Winkler as first written (vectors of characters), the reference for the byte version.
    fn reference_jaro_winkler(a: &str, b: &str) -> f64 {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let window = (a.len().max(b.len()) / 2).saturating_sub(1);
        let mut a_match = vec![false; a.len()];
        let mut b_match = vec![false; b.len()];
        let mut matches = 0usize;
        for i in 0..a.len() {
            for j in i.saturating_sub(window)..(i + window + 1).min(b.len()) {
                if !b_match[j] && a[i] == b[j] {
                    a_match[i] = true;
                    b_match[j] = true;
                    matches += 1;
                    break;
                }
            }
        }
        if matches == 0 {
            return 0.0;
        }
        let (mut k, mut transpositions) = (0usize, 0usize);
        for i in 0..a.len() {
            if a_match[i] {
                while !b_match[k] {
                    k += 1;
                }
                if a[i] != b[k] {
                    transpositions += 1;
                }
                k += 1;
            }
        }
        let m = matches as f64;
        let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0;
        let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
        jaro + prefix * 0.1 * (1.0 - jaro)
    }

    #[test]
    fn jaro_winkler_matches_the_reference_and_the_length_bound_holds() {
        let names = [
            "",
            "a",
            "ab",
            "abdel rahman",
            "abdulrahman",
            "abd al-rahman",
            "martha",
            "marhta",
            "nusra",
            "al-nusra",
            "jabhat al-nusra",
            "syrian observatory",
            "s\u{e9}bastien",
            "sebastien",
            "\u{645}\u{631}\u{635}\u{62f}",
            "rami abdel rahman",
            "rami abdulrahman",
            "x".repeat(70).leak(),
            "x".repeat(69).leak(),
        ];
        for a in names {
            for b in names {
                let want = reference_jaro_winkler(a, b);
                assert_eq!(jaro_winkler(a, b).to_bits(), want.to_bits(), "{a:?} / {b:?}");
                let (la, lb) = (a.chars().count(), b.chars().count());
                assert!(lengths_may_be_variants(la, lb) || want < 0.95, "{a:?} / {b:?}");
            }
        }
    }

    #[test]
    fn phrase_indexes_agree_with_scanning_the_lists() {
        let lex = SourceLexicon::builtin();
        let phrases = [
            "Rami Abdel Rahman, director of the Syrian Observatory for Human Rights (SOHR)",
            "a Twitter account affiliated with al-Nusra Front",
            "state television quoting a military source",
            "activists and the monitoring group",
            "the opposition Syrian National Coalition",
            "pro-government militants and rebels",
            "news agency",
            "an unnamed official",
            "the",
            "",
        ];
        for p in phrases {
            let words = norm_words(p);
            let kind = lex.kind_rules.iter().position(|r| r.words.iter().any(|w| find_run(&words, w).is_some()));
            assert_eq!(lex.kind_index.first_entry(&words), kind, "{p:?}");
            let side = lex.sides.iter().position(|(_, ws)| ws.iter().any(|w| find_run(&words, w).is_some()));
            assert_eq!(lex.side_index.first_entry(&words), side, "{p:?}");
            let alias = lex.aliases.iter().find_map(|(a, i)| find_run(&words, a).map(|at| (at, a.len(), *i)));
            assert_eq!(lex.alias_in(&words), alias, "{p:?}");
        }
    }

    #[test]
    fn jaro_winkler_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.961).abs() < 0.001);
        assert!(jaro_winkler("abdel rahman", "abdulrahman") > 0.85);
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(slug("Rami Abdel Rahman"), "rami-abdel-rahman");
    }
}
