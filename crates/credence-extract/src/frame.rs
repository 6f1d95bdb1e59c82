//! Event frames: reading a report's content as a proposition — what happened (a frame such as capture or
//! withdrawal), to whom (the sides of its actors), where (a normalised place) and with which details (extent,
//! count, day, manner).
//!
//! Alignment ([`crate::align`]) groups reports whose propositions agree and looks for conflicts between those
//! that differ. Matching is on lower-cased words against the phrases of `config/lexicons/frames.toml`, so the
//! frames, actors and their sides are data a user can extend; nothing here knows about one story.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use serde::Deserialize;

use credence_model::error::Result;
use credence_model::story::SideDef;
use credence_model::text::Slice;

/// The built-in frame lexicon, `config/lexicons/frames.toml`.
pub const BUILTIN_FRAMES: &str = include_str!("../../../config/lexicons/frames.toml");

/// Where a trigger's actor is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentAt {
    /// The nearest actor before the trigger ("rebels captured").
    Before,
    /// The nearest actor after it ("fell to the rebels").
    After,
    /// Inside the phrase ("under rebel control").
    Inside,
    /// The people the event happened to, nearest to the count ("60 soldiers were killed").
    Victim,
}

/// Which side a frame's proposition helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Favours {
    /// The actor's side.
    Agent,
    /// The side opposing the actor's.
    Opponent,
    /// The side opposing the victims'.
    VictimOpponent,
    /// No side.
    None,
}

/// Extent of control or fighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Extent {
    /// Part of the place.
    Partial,
    /// Most of it.
    Most,
    /// All of it.
    Full,
}

impl Extent {
    /// The detail name used in keys and conflict rules.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Extent::Partial => "partial",
            Extent::Most => "most",
            Extent::Full => "full",
        }
    }

    /// Words for the representative text.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Extent::Partial => "part of",
            Extent::Most => "most of",
            Extent::Full => "all of",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrigger {
    phrases: Vec<String>,
    agent: AgentAt,
    #[serde(default)]
    manner: Option<String>,
    #[serde(default)]
    verb: Option<String>,
    #[serde(default)]
    loser: bool,
    #[serde(default)]
    sequel: bool,
    #[serde(default)]
    main_place: bool,
    #[serde(default = "yes")]
    implies: bool,
}

fn yes() -> bool {
    true
}

fn two() -> usize {
    2
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    description: String,
    favours: Favours,
    text: String,
    #[serde(default)]
    verb: Option<String>,
    #[serde(default)]
    dated: bool,
    #[serde(default)]
    implies: Option<String>,
    #[serde(default)]
    counted: bool,
    #[serde(default)]
    extents: bool,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    not_objects: Vec<String>,
    triggers: Vec<RawTrigger>,
}

/// A kind of party to an armed conflict (a state's forces, armed groups opposing it), with the generic
/// phrases that name its members in any such story.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSideType {
    name: String,
    members: Vec<String>,
    /// Nouns after a name that make it a member ("Boko Haram militants") and phrases before one ("the
    /// militant group Boko Haram").
    #[serde(default)]
    named_before: Vec<String>,
    #[serde(default)]
    named_after: Vec<String>,
    /// Kinds of source that speak for this side when the story has it (state media for a government).
    #[serde(default)]
    kinds: Vec<String>,
    opposes: Vec<String>,
}

/// A side type of the lexicon, ready to match.
#[derive(Debug, Clone)]
pub struct SideType {
    /// Id the inferred side gets.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Generic member phrases.
    pub members: Vec<String>,
    named_before: Vec<Vec<String>>,
    named_after: Vec<String>,
    /// Kinds of source that speak for the side.
    pub kinds: Vec<String>,
    /// Side types it opposes.
    pub opposes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    region_words: Vec<String>,
    settlement_words: Vec<String>,
    landmark_words: Vec<String>,
    anaphors: Vec<String>,
    regions: Vec<String>,
    not_places: Vec<String>,
    prepositions: Vec<String>,
    /// Endings of adjectives of nationality ("American", "Iraqi", "Kurdish"): such a word directly before a
    /// lower-case word modifies it ("American airstrikes") and names no place.
    #[serde(default)]
    adjective_endings: Vec<String>,
    /// Words that mark the capitalised name after them (or starting with them) as a person's: "leader X",
    /// "Mr X". The person's last name is then no place anywhere in the story.
    #[serde(default)]
    person_titles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNegation {
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtent {
    full: Vec<String>,
    most: Vec<String>,
    partial: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounts {
    vague: HashMap<String, [f64; 2]>,
    qualifiers: HashMap<String, [f64; 2]>,
    number_words: HashMap<String, f64>,
}

/// Words of time: weekdays (a one-off event's day), months (a figure next to one is a date, not a count),
/// words for the day of publication, and phrases that put an event in another era ("last month").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTime {
    weekdays: Vec<String>,
    months: Vec<String>,
    today: Vec<String>,
    eras: Vec<String>,
}

/// How strongly detected conflicts count, and when two wordings are one.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Degrees {
    /// "Most of" the place vs all of it.
    pub extent_most: f64,
    /// Part of the place vs all of it.
    pub extent_partial: f64,
    /// Different days of a one-off event.
    pub temporal: f64,
    /// Disjoint counts, before the gap between them is added.
    pub count_base: f64,
    /// Two opposing sides each holding the whole place.
    pub opposing_hold: f64,
    /// Jaccard similarity of word 3-grams at which two wordings no frame reads are one claim.
    pub near_duplicate: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConflict {
    a: String,
    b: String,
    kind: String,
    degree: f64,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrames {
    side_types: HashMap<String, RawSideType>,
    #[serde(default = "two")]
    min_mentions: usize,
    places: RawPlaces,
    negation: RawNegation,
    extent: RawExtent,
    counts: RawCounts,
    frames: HashMap<String, RawFrame>,
    #[serde(default)]
    conflicts: Vec<RawConflict>,
    time: RawTime,
    degrees: Degrees,
    #[serde(default)]
    limits: RawFrameLimits,
    #[serde(default)]
    propositions: crate::paraphrase::MergeSettings,
}

/// Bounds on the work of reading one report.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawFrameLimits {
    max_words: usize,
    max_compared: usize,
}

impl Default for RawFrameLimits {
    fn default() -> RawFrameLimits {
        RawFrameLimits { max_words: 150, max_compared: 200 }
    }
}

/// One trigger phrase of a frame.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Words; "*" matches any word.
    pub words: Vec<String>,
    /// Where its actor is.
    pub agent: AgentAt,
    /// Manner detail ("flight", "redeployment").
    pub manner: Option<String>,
    /// Verb for the representative text.
    pub verb: Option<String>,
    /// The actor found is the side that lost ("government loses stronghold").
    pub loser: bool,
    /// A later event of the same kind ("recaptured"): never in conflict with the first.
    pub sequel: bool,
    /// The place is the article's main place, whatever is named nearby.
    pub main_place: bool,
    /// The frame's implication holds for this trigger.
    pub implies: bool,
}

/// An event frame.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Name ("capture").
    pub name: String,
    /// What it means.
    pub description: String,
    /// Which side its propositions help.
    pub favours: Favours,
    /// Representative text template.
    pub text: String,
    /// Default verb for the template.
    pub verb: Option<String>,
    /// The day is a detail that can conflict.
    pub dated: bool,
    /// Frame this one implies with the opponent as actor.
    pub implies: Option<String>,
    /// Figures near a trigger count the event.
    pub counted: bool,
    /// Extent words near a trigger qualify the event.
    pub extents: bool,
    /// Words that, just before a trigger, cancel it.
    pub not_after: Vec<String>,
    /// Nouns that, as the trigger's object, make it no statement of this frame ("seized a cache of arms",
    /// "captured two fighters": what was taken is no place).
    pub not_objects: Vec<String>,
    /// Trigger phrases.
    pub triggers: Vec<Trigger>,
}

/// A rule that two frame details cannot hold together.
#[derive(Debug, Clone)]
pub struct ConflictRule {
    /// "frame" or "frame/detail".
    pub a: String,
    /// The other side of the rule.
    pub b: String,
    /// Contradiction kind.
    pub kind: String,
    /// Degree of conflict.
    pub degree: f64,
    /// Why.
    pub note: String,
}

/// The frame lexicon.
#[derive(Debug, Clone)]
pub struct FrameLexicon {
    /// Frames, sorted by name.
    pub frames: Vec<Frame>,
    /// Conflict rules.
    pub conflicts: Vec<ConflictRule>,
    /// Side → display name (the story's sides, set by [`FrameLexicon::with_sides`]).
    pub side_names: HashMap<String, String>,
    /// Every word of each side's member phrases: a nationality or abbreviation before a member noun
    /// ("US warplanes") names the side only when the side's own phrases use it ("syrian army").
    side_words: HashMap<String, FxHashSet<String>>,
    /// The side types' generic member phrases ("army", "troops"), as words: written with a capital inside a
    /// longer name ("The Army of Conquest") such a phrase is part of that name, not the generic member.
    generic_members: FxHashSet<Vec<String>>,
    /// Kinds of party to an armed conflict, from which a story's sides are inferred.
    pub side_types: Vec<SideType>,
    /// Mentions of each side type needed to infer the sides of a story.
    min_mentions: usize,
    actors: Vec<(Vec<String>, String)>,
    actor_first: FxHashMap<String, Vec<usize>>,
    trigger_first: FxHashMap<String, Vec<(usize, usize)>>,
    region_words: Vec<String>,
    settlement_words: Vec<String>,
    landmark_words: Vec<String>,
    anaphors: Vec<Vec<String>>,
    regions: FxHashSet<String>,
    not_places: FxHashSet<String>,
    /// Whole names that are no place, the story's organisations ("Jabhat al-Nusra" is a group): their
    /// words as the text's words are lower-cased, by first word.
    not_place_names: FxHashMap<String, Vec<Vec<String>>>,
    negation: Vec<String>,
    extent: Vec<(Extent, Vec<Vec<String>>)>,
    vague: Vec<(String, [f64; 2])>,
    qualifiers: Vec<(Vec<String>, [f64; 2])>,
    /// Most words of a report's content read for propositions.
    max_words: usize,
    number_words: FxHashMap<String, f64>,
    weekdays: Vec<String>,
    months: FxHashSet<String>,
    today: Vec<Vec<String>>,
    eras: Vec<Vec<String>>,
    prepositions: FxHashSet<String>,
    person_titles: FxHashSet<String>,
    /// See `RawPlaces::adjective_endings`.
    adjective_endings: Vec<String>,
    /// Conflict degrees and the near-duplicate threshold.
    pub degrees: Degrees,
    /// Most claims of one event key, or one place, compared with each other for contradictions.
    pub max_compared: usize,
    /// How wordings no frame reads are merged into claims, and refutations attached to them.
    pub propositions: crate::paraphrase::MergeSettings,
}

/// A place named in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Normalised key: spelling variants share it ("Jisr al-Shughur", "Jisr al Shughour" → "jisralshughur").
    pub key: String,
    /// As written.
    pub name: String,
    /// A region (province, country) rather than a settlement.
    pub region: bool,
}

/// A proposition read from a content span.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposition {
    /// Frame index in the lexicon.
    pub frame: usize,
    /// Trigger index in the frame.
    pub trigger: usize,
    /// Byte range of the trigger in the text.
    pub span: Range<usize>,
    /// Side of the actor, as found (the loser for `loser` triggers).
    pub actor: Option<String>,
    /// Side of the victims (casualties).
    pub victim: Option<String>,
    /// Place named near the trigger; `None`: the article's main place applies.
    pub place: Option<Place>,
    /// Extent detail.
    pub extent: Option<Extent>,
    /// Count as a range, with the words it came from.
    pub count: Option<([f64; 2], String)>,
    /// Weekday, lower-case.
    pub day: Option<String>,
    /// Time other than the story's own ("2012", "last month").
    pub era: Option<String>,
    /// The trigger is negated ("did not capture").
    pub negated: bool,
}

/// A word of the text with its byte range.
#[derive(Debug, Clone)]
struct Word<'a> {
    /// The word lower-cased: borrowed from the text when it already is (most words of running text), so
    /// reading a sentence's frames allocates only for capitalised and non-ASCII words.
    lower: Cow<'a, str>,
    range: Range<usize>,
    capital: bool,
}

impl Word<'_> {
    fn lower(&self) -> &str {
        &self.lower
    }

    /// The lower-cased word without its trailing "'s" ("assad's" → "assad"), as
    /// `lower.trim_end_matches("'s")` gives it. `trim_end_matches` with a string pattern builds a substring
    /// searcher on every call, which was about 7% of a large run's samples in the phrase matching of every
    /// word; a suffix check compares two bytes.
    fn bare(&self) -> &str {
        let mut w = self.lower();
        while let Some(rest) = w.strip_suffix("'s") {
            w = rest;
        }
        w
    }
}

/// Actor phrases (words, side), longest first, and an index by first word.
#[allow(clippy::type_complexity)]
fn actor_index(pairs: &[(String, String)]) -> (Vec<(Vec<String>, String)>, FxHashMap<String, Vec<usize>>) {
    let mut actors: Vec<(Vec<String>, String)> =
        pairs.iter().map(|(a, side)| (split_phrase(a), side.clone())).filter(|(w, _)| !w.is_empty()).collect();
    actors.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    actors.dedup();
    let mut actor_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, (w, _)) in actors.iter().enumerate() {
        actor_first.entry(w[0].clone()).or_default().push(i);
    }
    (actors, actor_first)
}

/// `text` up to the end of its `n`th whitespace-separated word.
fn first_words(text: &str, n: usize) -> &str {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                count += 1;
                if count == n {
                    return text.part(..i);
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text
}

fn words<'a>(text: &'a str) -> Vec<Word<'a>> {
    let mut out = Vec::new();
    let mut start = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' || c == ',';
    let push = |s: usize, e: usize, out: &mut Vec<Word<'a>>| {
        let raw = text.part(s..e);
        // Commas belong to figures ("220,000") only.
        let raw_trim = raw.trim_end_matches(',');
        let lead = raw_trim.len() - raw_trim.trim_start_matches(['-', '\'', '’']).len();
        let core = raw_trim.trim_start_matches(['-', '\'', '’']).trim_end_matches(['-', '\'', '’']);
        if core.is_empty() {
            return;
        }
        let cs = s + lead;
        let mut lower = lower_word(core);
        if !core.chars().all(|c| c.is_ascii_digit() || c == ',') && lower.contains(',') {
            // "city,that" never happens in edited copy; split defensively at the comma.
            lower = match lower {
                Cow::Borrowed(b) => Cow::Borrowed(b.split(',').next().unwrap_or("")),
                Cow::Owned(o) => Cow::Owned(o.split(',').next().unwrap_or("").to_string()),
            };
        }
        let capital = core.chars().next().is_some_and(char::is_uppercase)
            || (core.len() > 3
                && core.part(..3).eq_ignore_ascii_case("al-")
                && core.part(3..).starts_with(char::is_uppercase));
        out.push(Word { lower, range: cs..cs + core.len(), capital });
    };
    for (i, c) in text.char_indices() {
        if is_word(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i, &mut out);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    credence_model::work::add(out.len());
    out
}

/// `core` lower-cased with curly apostrophes made straight, as `to_lowercase().replace('’', "'")` gives it,
/// borrowed when that changes nothing: an ASCII word with no capital is itself (the fast path), an ASCII
/// word with capitals is lower-cased byte by byte, and only other words go through Unicode lower-casing.
fn lower_word(core: &str) -> Cow<'_, str> {
    if core.is_ascii() {
        if core.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(core.to_ascii_lowercase())
        } else {
            Cow::Borrowed(core)
        }
    } else {
        let lower = core.to_lowercase().replace('’', "'");
        if lower == core { Cow::Borrowed(core) } else { Cow::Owned(lower) }
    }
}

/// Whether word `k` continues the name of the word before it: words are split without punctuation, so a name
/// ends where a full stop, comma or other mark comes ("in Portmere. Mr Brant"), except the full stop of an
/// initial or a short title ("U.S", "Mr. Brant", "Rep. Vale").
fn joined(text: &str, ws: &[Word], k: usize) -> bool {
    let gap = text.part(ws[k - 1].range.end..ws[k].range.start).trim();
    gap.is_empty() || gap == "." && ws[k - 1].lower.chars().count() <= 3
}

/// The runs of capitalised words of `ws` that form one name each ([`joined`]), as word ranges in order: the
/// candidates for places and for titled people.
fn capital_runs<'w>(text: &'w str, ws: &'w [Word]) -> impl Iterator<Item = Range<usize>> + 'w {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < ws.len() && !ws[i].capital {
            i += 1;
        }
        if i >= ws.len() {
            return None;
        }
        let start = i;
        i += 1;
        while i < ws.len() && ws[i].capital && joined(text, ws, i) {
            i += 1;
        }
        Some(start..i)
    })
}

/// Whether a word list holds `w` (the lists are short: a scan, with no `String` made for the look-up).
fn has(list: &[String], w: &str) -> bool {
    list.iter().any(|x| x == w)
}

fn split_phrase(p: &str) -> Vec<String> {
    p.to_lowercase().replace('’', "'").split_whitespace().map(str::to_string).collect()
}

/// Does `phrase` match the words from `at`?
fn matches_at(ws: &[Word], at: usize, phrase: &[String]) -> bool {
    at + phrase.len() <= ws.len()
        && phrase.iter().enumerate().all(|(k, p)| p == "*" || ws[at + k].lower == *p || ws[at + k].bare() == p.as_str())
}

/// Whether the run `ws[i..j]` is an abbreviation: dotted ("U.S.", "U.N.", or "U.S" split into letters) or two
/// to five capitals ("US", "UN", "EU", "ISIS", "NATO"). Such names stand for countries and bodies, never for the town an event happened in, so
/// they are no place of a frame (and never an article's main place).
fn abbreviation(text: &str, ws: &[Word], i: usize, j: usize) -> bool {
    // "U.S" and "U.N", whose full stops split them into one-letter words.
    if j > i + 1 && ws[i..j].iter().all(|w| w.lower.chars().count() == 1) {
        return true;
    }
    if j != i + 1 {
        return false;
    }
    let w = ws[i].bare();
    let dotted = w.len() <= 6 && w.trim_end_matches('.').contains('.');
    let written = text.part(ws[i].range.clone());
    let letters: Vec<char> = written.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = (2..=5).contains(&letters.len()) && letters.iter().all(|c| c.is_uppercase());
    dotted || capitals
}

/// Folds spelling variants of a place name: "Shughour" and "Shughur", "al-" and "al ".
#[must_use]
pub fn place_key(name: &str) -> String {
    let lower = name.to_lowercase().replace(['-', '\'', '’'], "");
    let words: Vec<String> = lower
        .split_whitespace()
        .filter(|w| *w != "the")
        .map(|w| {
            let w = w.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("ei", "i");
            let mut out = String::with_capacity(w.len());
            for c in w.chars() {
                if out.ends_with(c) {
                    continue;
                }
                out.push(c);
            }
            out
        })
        .collect();
    words.concat()
}

/// Weekday of a date (0 = Monday), by Sakamoto's method.
#[must_use]
pub fn weekday(y: i32, m: u32, d: u32) -> &'static str {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let dow = (y + y / 4 - y / 100 + y / 400 + T[(m as usize - 1) % 12] + d as i32).rem_euclid(7);
    ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][dow as usize]
}

impl FrameLexicon {
    /// The lexicon shipped with credence.
    #[must_use]
    pub fn builtin() -> FrameLexicon {
        // Checked by the test suite: failing here is a build defect, not a user error.
        FrameLexicon::from_toml("config/lexicons/frames.toml (built in)", BUILTIN_FRAMES)
            .expect("the built-in frame lexicon is valid")
    }

    /// Parses a frame lexicon file.
    pub fn from_toml(name: &str, text: &str) -> Result<FrameLexicon> {
        let raw: RawFrames = credence_model::error::parse_lexicon(name, text, "frames")?;
        let mut frame_names: Vec<&String> = raw.frames.keys().collect();
        frame_names.sort();
        let mut frames = Vec::new();
        let mut trigger_first: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for (fi, n) in frame_names.iter().enumerate() {
            let f = &raw.frames[*n];
            let mut triggers = Vec::new();
            for t in &f.triggers {
                for p in &t.phrases {
                    let ws = split_phrase(p);
                    if ws.is_empty() || ws[0] == "*" {
                        continue;
                    }
                    trigger_first.entry(ws[0].clone()).or_default().push((fi, triggers.len()));
                    triggers.push(Trigger {
                        words: ws,
                        agent: t.agent,
                        manner: t.manner.clone(),
                        verb: t.verb.clone(),
                        loser: t.loser,
                        sequel: t.sequel,
                        main_place: t.main_place,
                        implies: t.implies,
                    });
                }
            }
            frames.push(Frame {
                name: (*n).clone(),
                description: f.description.clone(),
                favours: f.favours,
                text: f.text.clone(),
                verb: f.verb.clone(),
                dated: f.dated,
                implies: f.implies.clone(),
                counted: f.counted,
                extents: f.extents,
                not_after: f.not_after.iter().map(|w| w.to_lowercase()).collect(),
                not_objects: f.not_objects.iter().map(|w| w.to_lowercase()).collect(),
                triggers,
            });
        }
        // Longest phrases first, so "took control" wins over "control of".
        for v in trigger_first.values_mut() {
            v.sort_by(|a, b| {
                frames[b.0].triggers[b.1].words.len().cmp(&frames[a.0].triggers[a.1].words.len()).then(a.cmp(b))
            });
        }
        let mut side_types: Vec<SideType> = raw
            .side_types
            .iter()
            .map(|(id, t)| SideType {
                id: id.clone(),
                name: t.name.clone(),
                members: t.members.iter().map(|m| m.to_lowercase()).collect(),
                named_before: t.named_before.iter().map(|p| split_phrase(p)).collect(),
                named_after: t.named_after.iter().map(|w| w.to_lowercase()).collect(),
                kinds: t.kinds.clone(),
                opposes: t.opposes.clone(),
            })
            .collect();
        side_types.sort_by(|a, b| a.id.cmp(&b.id));
        let (actors, actor_first) = actor_index(&[]);
        let mut extent: Vec<(Extent, Vec<Vec<String>>)> = vec![
            (Extent::Partial, raw.extent.partial.iter().map(|p| split_phrase(p)).collect()),
            (Extent::Most, raw.extent.most.iter().map(|p| split_phrase(p)).collect()),
            (Extent::Full, raw.extent.full.iter().map(|p| split_phrase(p)).collect()),
        ];
        for (_, ps) in &mut extent {
            ps.sort_by_key(|p: &Vec<String>| std::cmp::Reverse(p.len()));
        }
        let number_words: FxHashMap<String, f64> =
            raw.counts.number_words.iter().map(|(k, v)| (k.to_lowercase(), *v)).collect();
        let mut vague: Vec<(String, [f64; 2])> = raw.counts.vague.into_iter().collect();
        vague.sort_by(|a, b| a.0.cmp(&b.0));
        let mut qualifiers: Vec<(Vec<String>, [f64; 2])> =
            raw.counts.qualifiers.into_iter().map(|(k, v)| (split_phrase(&k), v)).collect();
        qualifiers.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Ok(FrameLexicon {
            frames,
            conflicts: raw
                .conflicts
                .into_iter()
                .map(|c| ConflictRule { a: c.a, b: c.b, kind: c.kind, degree: c.degree.clamp(0.0, 1.0), note: c.note })
                .collect(),
            side_names: HashMap::new(),
            side_words: HashMap::new(),
            generic_members: side_types.iter().flat_map(|t| t.members.iter().map(|m| split_phrase(m))).collect(),
            side_types,
            min_mentions: raw.min_mentions.max(1),
            actors,
            actor_first,
            trigger_first,
            region_words: raw.places.region_words.iter().map(|w| w.to_lowercase()).collect(),
            settlement_words: raw.places.settlement_words.iter().map(|w| w.to_lowercase()).collect(),
            landmark_words: raw.places.landmark_words.iter().map(|w| w.to_lowercase()).collect(),
            anaphors: raw.places.anaphors.iter().map(|p| split_phrase(p)).collect(),
            regions: raw.places.regions.iter().map(|w| place_key(w)).collect(),
            not_places: raw.places.not_places.iter().map(|w| w.to_lowercase()).collect(),
            not_place_names: FxHashMap::default(),
            negation: raw.negation.words.iter().map(|w| w.to_lowercase()).collect(),
            extent,
            vague,
            qualifiers,
            max_words: raw.limits.max_words.max(1),
            number_words,
            weekdays: raw.time.weekdays.iter().map(|w| w.to_lowercase()).collect(),
            months: raw.time.months.iter().map(|w| w.to_lowercase()).collect(),
            today: raw.time.today.iter().map(|p| split_phrase(p)).collect(),
            eras: raw.time.eras.iter().map(|p| split_phrase(p)).collect(),
            prepositions: raw.places.prepositions.iter().map(|w| w.to_lowercase()).collect(),
            adjective_endings: raw.places.adjective_endings.iter().map(|w| w.to_lowercase()).collect(),
            person_titles: raw.places.person_titles.iter().map(|w| w.to_lowercase()).collect(),
            degrees: raw.degrees,
            max_compared: raw.limits.max_compared.max(2),
            propositions: raw.propositions,
        })
    }

    /// Index of a frame by name.
    #[must_use]
    pub fn frame_index(&self, name: &str) -> Option<usize> {
        self.frames.iter().position(|f| f.name == name)
    }

    /// This lexicon reading the actors of a story's sides: each side's member phrases name its actors. A story
    /// without sides has no actors, and the frames (all about parties to a conflict) then read nothing.
    #[must_use]
    pub fn with_sides(&self, sides: &[SideDef]) -> FrameLexicon {
        let pairs: Vec<(String, String)> =
            sides.iter().flat_map(|d| d.members.iter().map(move |m| (m.to_lowercase(), d.id.clone()))).collect();
        let (actors, actor_first) = actor_index(&pairs);
        FrameLexicon {
            actors,
            actor_first,
            side_names: sides.iter().map(|d| (d.id.clone(), d.name.clone())).collect(),
            side_words: sides
                .iter()
                .map(|d| (d.id.clone(), d.members.iter().flat_map(|m| split_phrase(m)).collect()))
                .collect(),
            ..self.clone()
        }
    }

    /// The sides of a story inferred from its articles: when the texts name members of at least two opposing
    /// side types (a state's forces and armed groups) at least `min_mentions` times each, one side per type,
    /// opposing each other, with the generic member phrases and the named groups found ("Boko Haram
    /// militants", "the militant group X"). None otherwise: a story about a company, a celebrity or a
    /// science finding has no parties to a conflict.
    pub fn infer_sides<'t>(&self, texts: impl Iterator<Item = &'t str>) -> Vec<SideDef> {
        let mut counts: Vec<(usize, BTreeMap<String, usize>)> = vec![(0, BTreeMap::new()); self.side_types.len()];
        // Nationalities and states written before each type's member phrases ("Iraqi forces"), with the
        // phrases they qualify: the story's own state's forces are named so most of the time.
        let mut qualified: Vec<BTreeMap<String, (usize, BTreeSet<String>)>> =
            vec![BTreeMap::new(); self.side_types.len()];
        let members: Vec<Vec<Vec<String>>> =
            self.side_types.iter().map(|t| t.members.iter().map(|m| split_phrase(m)).collect()).collect();
        for text in texts {
            let ws = words(text);
            for (ti, t) in self.side_types.iter().enumerate() {
                for k in 0..ws.len() {
                    if let Some(m) = members[ti].iter().find(|m| matches_at(&ws, k, m)) {
                        counts[ti].0 += 1;
                        if k > 0 && self.qualifier(text, &ws, k - 1) {
                            let q = qualified[ti].entry(ws[k - 1].bare().to_string()).or_default();
                            q.0 += 1;
                            q.1.insert(m.join(" "));
                        }
                    }
                    // "Boko Haram militants": a capitalised run followed by a member noun, within its sentence
                    // ("... in Idlib. The fighters" names no group), and not made only of words that name no
                    // group ("The fighters", "Islamist fighters").
                    if has(&t.named_after, ws[k].lower()) && k > 0 && ws[k - 1].capital && joined(text, &ws, k) {
                        let mut a = k - 1;
                        while a > 0 && ws[a - 1].capital && joined(text, &ws, a) && k - a < 5 {
                            a -= 1;
                        }
                        if let Some(name) = self.group_name(&ws[a..k]) {
                            *counts[ti].1.entry(name).or_default() += 1;
                        }
                    }
                    // "the militant group Boko Haram": a phrase followed by a capitalised run.
                    if let Some(p) = t.named_before.iter().find(|p| matches_at(&ws, k, p)) {
                        let start = k + p.len();
                        let mut b = start;
                        while b < ws.len() && ws[b].capital && (b == start || joined(text, &ws, b)) && b - start < 5 {
                            b += 1;
                        }
                        if let Some(name) = self.group_name(&ws[start..b]) {
                            *counts[ti].1.entry(name).or_default() += 1;
                        }
                    }
                }
                credence_model::work::add(ws.len());
            }
        }
        let present: Vec<usize> = (0..self.side_types.len())
            .filter(|&i| counts[i].0 + counts[i].1.values().sum::<usize>() >= self.min_mentions)
            .collect();
        let opposed =
            |i: usize| present.iter().any(|&j| j != i && self.side_types[i].opposes.contains(&self.side_types[j].id));
        present
            .iter()
            .filter(|&&i| opposed(i))
            .map(|&i| {
                let t = &self.side_types[i];
                let named: Vec<String> = counts[i].1.keys().cloned().collect();
                let mut members = t.members.clone();
                members.extend(named.iter().cloned());
                // The qualifier written most often, and at least twice as often as any other, is the side's
                // own ("Iraqi forces" in a story about Iraq); the others name other parties ("US warplanes").
                let mut by_count: Vec<(&String, &(usize, BTreeSet<String>))> = qualified[i].iter().collect();
                by_count.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
                let own = match by_count.as_slice() {
                    [(q, (n, phrases)), rest @ ..]
                        if *n >= self.min_mentions && rest.first().is_none_or(|r| r.1.0 * 2 <= *n) =>
                    {
                        members.extend(phrases.iter().map(|p| format!("{q} {p}")));
                        Some((*q).clone())
                    }
                    _ => None,
                };
                SideDef {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    members,
                    opposes: t
                        .opposes
                        .iter()
                        .filter(|o| present.iter().any(|&j| self.side_types[j].id == **o))
                        .cloned()
                        .collect(),
                    inferred: Some(format!(
                        "the articles name {} {} times{}{}",
                        t.name.to_lowercase(),
                        counts[i].0,
                        if named.is_empty() { String::new() } else { format!(", and the groups {}", named.join(", ")) },
                        own.map_or(String::new(), |q| format!(", most often as {q}")),
                    )),
                }
            })
            .collect()
    }

    /// A group's name from a capitalised run: the run without a leading article, or `None` when every word of
    /// it names no place or group ("The", "Islamist", "Observatory") or is an adjective of nationality
    /// ("Kurdish").
    fn group_name(&self, run: &[Word]) -> Option<String> {
        let run = match run.first() {
            Some(w) if matches!(w.lower(), "the" | "a" | "an") => &run[1..],
            _ => run,
        };
        // "Kurdish fighters", "Syrian rebels": a nationality is no group.
        if run.is_empty()
            || run.iter().all(|w| self.not_places.contains(w.bare()) || self.nationality_adjective(w.bare(), false))
        {
            return None;
        }
        Some(run.iter().map(Word::lower).collect::<Vec<_>>().join(" "))
    }

    /// One side per side type with its generic members, all opposing as the types do: the sides a story of
    /// an armed conflict gets before named groups are added (for tests and for users starting a story file).
    #[must_use]
    pub fn generic_sides(&self) -> Vec<SideDef> {
        self.side_types
            .iter()
            .map(|t| SideDef {
                id: t.id.clone(),
                name: t.name.clone(),
                members: t.members.clone(),
                opposes: t.opposes.clone(),
                inferred: None,
            })
            .collect()
    }

    /// Sides the lexicon knows actors of.
    pub fn sides(&self) -> impl Iterator<Item = &str> {
        self.side_names.keys().map(String::as_str)
    }

    /// Places named in a text, with the word range of each mention. `known` holds keys of places already
    /// seen with a clear marker elsewhere ("in X", "the town of X"): a bare mention of one of them counts too.
    fn places_in(
        &self,
        text: &str,
        ws: &[Word],
        actors: &[(Range<usize>, String)],
        known: Option<&std::collections::HashSet<String>>,
    ) -> Vec<(Range<usize>, Place)> {
        let mut out = Vec::new();
        // Actor word ranges sorted by start, with the running maximum of their ends, so that "does an actor
        // overlap words i..j" is a binary search (the text may be a whole article: a scan per capitalised run
        // was quadratic).
        let mut spans: Vec<Range<usize>> = actors.iter().map(|(r, _)| r.clone()).collect();
        spans.sort_by_key(|r| (r.start, r.end));
        let mut max_end = Vec::with_capacity(spans.len());
        let mut m = 0;
        for r in &spans {
            m = m.max(r.end);
            max_end.push(m);
        }
        let overlaps_actor = |i: usize, j: usize| {
            // Ranges starting before j; one of them ends after i when the largest end does.
            let n = spans.partition_point(|r| r.start < j);
            n > 0 && max_end[n - 1] > i
        };
        for Range { start: i, end: j } in capital_runs(text, ws) {
            // A run holding a word that never names a place ("President Bashar al-Assad", "Jabhat al-Nusra")
            // or an actor ("Al-Nusra") is no place, as a whole.
            credence_model::work::add(j - i);
            let bad = ws[i..j].iter().any(|w| self.not_places.contains(w.bare()))
                || (j == i + 1 && self.demonym_plural(ws[i].bare()))
                || (!self.not_place_names.is_empty() && self.names_organisation(ws, i, j))
                || overlaps_actor(i, j)
                || self.modifies_next(ws, i, j)
                || abbreviation(text, ws, i, j);
            if bad {
                continue;
            }
            let name_words: Vec<&str> = ws[i..j].iter().map(Word::bare).collect();
            let key = place_key(&name_words.join(" "));
            let prev = i.checked_sub(1).map(|k| ws[k].lower());
            let prev2 = i.checked_sub(2).map(|k| ws[k].lower());
            let next = ws.get(j).map(Word::lower);
            let landmark =
                self.landmark_words.iter().any(|l| name_words.last() == Some(&l.as_str()) || next == Some(l));
            let region_after = next.is_some_and(|n| self.region_words.iter().any(|r| r == n));
            let region_before = prev == Some("of") && prev2.is_some_and(|p| self.region_words.iter().any(|r| r == p));
            let settlement_marked = next.is_some_and(|n| self.settlement_words.iter().any(|r| r == n))
                || (prev == Some("of") && prev2.is_some_and(|p| self.settlement_words.iter().any(|r| r == p)));
            let preposition = prev.is_some_and(|p| self.prepositions.contains(p));
            let region = region_after || region_before || self.regions.contains(&key);
            let is_known = known.is_some_and(|k| k.contains(&key));
            if !landmark && (preposition || region || settlement_marked || is_known) && !key.is_empty() {
                let written =
                    text.part(ws[i].range.start..ws[j - 1].range.end).trim_end_matches("'s").trim_end_matches("’s");
                let (key, name) = if region && !self.regions.contains(&key) {
                    (format!("{key} province"), format!("{written} province"))
                } else {
                    (key, written.to_string())
                };
                out.push((i..j, Place { key, name, region }));
            }
        }
        // "X in Y": Y only says where X is.
        let contained: Vec<bool> = out
            .iter()
            .enumerate()
            .map(|(k, (r, _))| {
                k > 0 && {
                    let (pr, _) = &out[k - 1];
                    r.start == pr.end + 1 && ws[pr.end].lower == "in"
                }
            })
            .collect();
        out.into_iter().zip(contained).filter(|(_, c)| !c).map(|(p, _)| p).collect()
    }

    /// Whether a word is a people's name in the plural ("Americans", "Iraqis"): an adjective of nationality
    /// with an "s", which names people, never the town an event happened in.
    fn demonym_plural(&self, w: &str) -> bool {
        // Not the bare "-i" ending: "Memphis" and "Paris" are towns (such plurals are listed in `not_places`).
        w.strip_suffix('s').is_some_and(|one| self.nationality_adjective(one, true))
    }

    /// Whether a lower-case word ends like an adjective of nationality (`adjective_endings`: "American",
    /// "Kurdish", "Iraqi"), longer than the ending by three letters at least; `multi_letter` leaves out the
    /// one-letter endings.
    fn nationality_adjective(&self, w: &str, multi_letter: bool) -> bool {
        self.adjective_endings
            .iter()
            .any(|e| (!multi_letter || e.len() > 1) && w.len() > e.len() + 2 && w.ends_with(e.as_str()))
    }

    /// Whether the capitalised run `ws[i..j]` is one to three adjectives of nationality modifying the
    /// lower-case word after it: "American airstrikes", "Iraqi civilians", "Iraqi Kurdish forces".
    fn modifies_next(&self, ws: &[Word], i: usize, j: usize) -> bool {
        // One adjective, or a few in a row ("Iraqi Kurdish forces").
        if j == i || j > i + 3 {
            return false;
        }
        let Some(next) = ws.get(j).filter(|w| !w.capital && w.lower.starts_with(char::is_alphabetic)) else {
            return false;
        };
        if self.prepositions.contains(next.lower()) {
            return false;
        }
        ws[i..j].iter().all(|w| self.nationality_adjective(w.lower(), false))
    }

    /// Whether the capitalised run `ws[i..j]`, or a run of its first words, is the name of one of the story's
    /// organisations: "Jabhat al-Nusra", "the Nusra Front fighters" name a group, not a place.
    fn names_organisation(&self, ws: &[Word], i: usize, j: usize) -> bool {
        let word = |k: usize| ws[k].bare();
        self.not_place_names.get(word(i)).is_some_and(|names| {
            names.iter().any(|n| n.len() <= j - i && n.iter().enumerate().all(|(d, w)| word(i + d) == w.as_str()))
        })
    }

    /// The same lexicon, with the names of the story's sources never read as places, so that no story's
    /// parties need be listed in the lexicon. People (`people`): "the killing of Foley" is no event in a place
    /// called Foley; the last word of a full name is added, and its last hyphenated part ("al-Assad" →
    /// "assad"); one-word names are not (a single capitalised word is too often a place typed as a person).
    /// Organisations (`organisations`): their whole names of two words or more ("Jabhat al-Nusra", "Human
    /// Rights Watch"), matched as a whole or as the first words of a capitalised run, never word by word — a
    /// group named after its town ("Idlib Media Center") leaves the town a place.
    #[must_use]
    pub fn with_sources<'n>(
        &self,
        people: impl IntoIterator<Item = &'n str>,
        organisations: impl IntoIterator<Item = &'n str>,
    ) -> FrameLexicon {
        let mut out = self.clone();
        for n in people {
            let words: Vec<String> = n.split_whitespace().map(|w| w.to_lowercase().replace('’', "'")).collect();
            if words.len() < 2 || words.iter().any(|w| self.prepositions.contains(w)) {
                continue;
            }
            if let Some(last) = words.last().map(|w| w.trim_end_matches("'s")).filter(|w| w.chars().count() >= 3) {
                out.not_places.insert(last.to_string());
                if let Some((_, part)) = last.rsplit_once('-').filter(|(_, p)| p.chars().count() >= 3) {
                    out.not_places.insert(part.to_string());
                }
            }
        }
        // Names already listed, so that a story of many organisations sharing a first word ("the ...") adds
        // each in constant time rather than by scanning its first word's list.
        let mut listed: FxHashSet<Vec<String>> = out.not_place_names.values().flatten().cloned().collect();
        for n in organisations {
            let key = place_key(&n.to_lowercase().replace('’', "'"));
            let ws: Vec<String> = words(n).into_iter().map(|w| w.bare().replace('’', "'")).collect();
            if ws.len() >= 2 && !self.regions.contains(&key) && !listed.contains(&ws) {
                listed.insert(ws.clone());
                out.not_place_names.entry(ws[0].clone()).or_default().push(ws);
            }
        }
        out
    }

    /// The same lexicon, with the names of known news organisations never read as places: "air strikes on
    /// Ynet" or "took control of Walla" come from a credit or a link, not from an event. A one-word name
    /// is no place as a word; a longer one as a whole ("Manchester Evening News" leaves Manchester a place).
    #[must_use]
    pub fn with_outlets<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> FrameLexicon {
        let mut out = self.clone();
        let mut longer = Vec::new();
        for n in names {
            let ws = words(n);
            match ws.as_slice() {
                [w] if !self.regions.contains(&place_key(w.bare())) && !w.bare().contains('.') => {
                    out.not_places.insert(w.bare().replace('’', "'"));
                }
                [_, _, ..] => longer.push(n),
                _ => {}
            }
        }
        out.with_sources([], longer)
    }

    /// Keys of places named with a clear marker in a text (the gazetteer for bare mentions: key, name,
    /// region), and the names the text marks as people's ("ISIS leader Abu Bakr al-Baghdadi", "Mr Ban"), for
    /// [`FrameLexicon::with_sources`]: a place found here whose words are a person's
    /// ([`FrameLexicon::names_no_place`]) is to be dropped.
    #[must_use]
    pub fn place_keys(&self, text: &str) -> (Vec<(String, String, bool)>, Vec<String>) {
        let ws = words(text);
        let places = self
            .places_in(text, &ws, &self.actors_in(text, &ws), None)
            .into_iter()
            .map(|(_, p)| (p.key, p.name, p.region));
        (places.collect(), self.titled_people(text, &ws))
    }

    /// Capitalised names the word before them ("leader", "spokesman") or their own first word ("Mr",
    /// "President") marks as a person's, as written (without the title).
    fn titled_people(&self, text: &str, ws: &[Word]) -> Vec<String> {
        let mut out = Vec::new();
        if self.person_titles.is_empty() {
            return out;
        }
        for Range { start: i, end: j } in capital_runs(text, ws) {
            let before =
                i > 0 && !ws[i - 1].capital && joined(text, ws, i) && self.person_titles.contains(ws[i - 1].bare());
            let first = self.person_titles.contains(ws[i].bare());
            let from = if first && !before { i + 1 } else { i };
            if (before || first) && from < j {
                out.push(text.part(ws[from].range.start..ws[j - 1].range.end).to_string());
            }
        }
        out
    }

    /// Whether a name holds a word that is never a place (after [`FrameLexicon::with_sources`], a person's
    /// last name): a place key found before the story's people were known is dropped by it.
    #[must_use]
    pub fn names_no_place(&self, name: &str) -> bool {
        words(name).iter().any(|w| self.not_places.contains(w.bare()))
    }

    /// Every place mention in a text, bare mentions of `known` places included (for an article's main place).
    #[must_use]
    pub fn place_mentions(&self, text: &str, known: &std::collections::HashSet<String>) -> Vec<(String, bool)> {
        let ws = words(text);
        self.places_in(text, &ws, &self.actors_in(text, &ws), Some(known))
            .into_iter()
            .map(|(_, p)| (p.key, p.region))
            .collect()
    }

    fn actors_in(&self, text: &str, ws: &[Word]) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            let key = ws[i].bare();
            let found = self
                .actor_first
                .get(key)
                .or_else(|| self.actor_first.get(ws[i].lower()))
                .and_then(|c| c.iter().find(|&&a| matches_at(ws, i, &self.actors[a].0)));
            match found {
                Some(&a) => {
                    let n = self.actors[a].0.len();
                    let side = &self.actors[a].1;
                    // "US warplanes", "Kurdish fighters": another party's forces, unless the side's own
                    // phrases name it by that word ("syrian army" makes "Syrian military" the side's).
                    let foreign = i > 0
                        && self.qualifier(text, ws, i - 1)
                        && !self.side_words.get(side).is_some_and(|w| w.contains(ws[i - 1].bare()));
                    // "The Army of Conquest", "Islamic Army": a generic member inside a capitalised name.
                    let in_name = ws[i].capital
                        && self.generic_members.contains(&self.actors[a].0)
                        && (i > 0 && ws[i - 1].capital && joined(text, ws, i)
                            || ws.get(i + n).is_some_and(|w| w.capital && joined(text, ws, i + n))
                            || ws.get(i + n).is_some_and(|w| w.lower == "of")
                                && ws.get(i + n + 1).is_some_and(|w| w.capital));
                    if !foreign && !in_name {
                        out.push((i..i + n, side.clone()));
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Whether word `k` qualifies the noun after it with a nationality or a state: an adjective of
    /// nationality ("American", "Kurdish"), a dotted or all-capital abbreviation ("U.S.", "US", "UN"), or a
    /// country ("Iraq forces").
    fn qualifier(&self, text: &str, ws: &[Word], k: usize) -> bool {
        let w = &ws[k];
        if !w.capital {
            return false;
        }
        let bare = w.bare();
        abbreviation(text, ws, k, k + 1)
            || self.nationality_adjective(bare, false)
            || self.regions.contains(&place_key(bare))
    }

    /// Reads the propositions of `text` (a report's content; `sentence` is the whole sentence, for the era).
    /// `known` is the story's gazetteer of place keys; `today` the weekday of the article's publication.
    #[must_use]
    pub fn propositions(
        &self,
        text: &str,
        sentence: &str,
        known: &std::collections::HashSet<String>,
        today: Option<&str>,
    ) -> Vec<Proposition> {
        // The frames are about the parties to a conflict: a story without sides has none to read.
        if self.actors.is_empty() {
            return Vec::new();
        }
        // A report's propositions come from its first words only: a run-on "sentence" of a megabyte would
        // otherwise yield thousands of propositions, each a claim carrying the whole content.
        let text = first_words(text, self.max_words);
        let ws = words(text);
        if ws.is_empty() {
            return Vec::new();
        }
        let actors = self.actors_in(text, &ws);
        // Actors are read once: places skip them, triggers look for them.
        let places = self.places_in(text, &ws, &actors, Some(known));
        let year = year_of(sentence);
        let mut out: Vec<Proposition> = Vec::new();
        let mut taken_until = 0;
        let mut i = 0;
        while i < ws.len() {
            credence_model::work::add(1);
            let cands = self.trigger_first.get(ws[i].lower()).or_else(|| self.trigger_first.get(ws[i].bare()));
            let Some(&(fi, ti)) =
                cands.and_then(|c| c.iter().find(|&&(f, t)| matches_at(&ws, i, &self.frames[f].triggers[t].words)))
            else {
                i += 1;
                continue;
            };
            let trig = &self.frames[fi].triggers[ti];
            let j = i + trig.words.len();
            // An actor phrase that is also a trigger word ("control" in "under rebel control") is not double read.
            if i < taken_until {
                i += 1;
                continue;
            }
            taken_until = j;
            let frame = &self.frames[fi];
            if ws[i.saturating_sub(2)..i].iter().any(|w| has(&frame.not_after, w.lower())) {
                i = j;
                continue;
            }
            // What was taken: the words after the trigger up to the first name ("seized a cache of arms near
            // Hama"), or, for a passive, the few words before it ("a cache of arms was seized").
            if !frame.not_objects.is_empty() {
                // After the trigger, up to a name or a settlement word ("the city"); an agent-after trigger
                // ("fell to the fighters") has its agent there, not its object.
                let object_after = trig.agent != AgentAt::After;
                let after = ws[j..(j + 4).min(ws.len())]
                    .iter()
                    .take_while(|w| object_after && !w.capital && !has(&self.settlement_words, w.lower()));
                let be = |w: &Word| matches!(w.lower(), "was" | "were" | "been" | "being" | "is" | "are");
                let passive = ws[i.saturating_sub(3)..i].iter().any(be);
                let before = ws[i.saturating_sub(5)..i].iter().rev().take_while(|w| passive && !w.capital);
                if after.chain(before).any(|w| has(&frame.not_objects, w.lower())) {
                    i = j;
                    continue;
                }
            }
            // "were killed or captured", "had been liberated by": passive, the actor (if any) follows "by".
            let participle = {
                let w = ws[i].lower();
                w.ends_with("ed") || w.ends_with("en") || w.ends_with("run") || w == "fell"
            };
            let passive = participle
                && ws[i.saturating_sub(3)..i]
                    .iter()
                    .any(|w| matches!(w.lower(), "was" | "were" | "been" | "being" | "be" | "is" | "are"));
            let negated = ws[i.saturating_sub(3)..i].iter().any(|w| has(&self.negation, w.lower()))
                || ws[i].lower.starts_with("not");
            let actor_before = actors.iter().rev().find(|(r, _)| r.end <= i && i - r.end <= 10).map(|(_, s)| s.clone());
            let actor_after = actors.iter().find(|(r, _)| r.start >= j && r.start - j <= 6).map(|(_, s)| s.clone());
            let actor_inside = actors.iter().find(|(r, _)| r.start >= i && r.end <= j).map(|(_, s)| s.clone());
            let count = if frame.counted { self.count_near(&ws, i, j) } else { None };
            let by_actor = (j < ws.len() && ws[j].lower == "by").then(|| actor_after.clone()).flatten();
            let (actor, victim) = match trig.agent {
                // "soldiers were killed or captured": the actor before a passive trigger is what it befell.
                AgentAt::Before if passive && by_actor.is_none() && actor_before.is_some() => {
                    i = j;
                    continue;
                }
                AgentAt::Before if passive => (by_actor, None),
                AgentAt::Before => (actor_before, None),
                AgentAt::After => (actor_after, None),
                AgentAt::Inside => (actor_inside.or(actor_before), None),
                AgentAt::Victim => {
                    // "60 government soldiers were killed": the actor right after the figure; "soldiers were
                    // killed": before a passive trigger; "killed terrorists": after an active one.
                    let near = match &count {
                        Some((_, _, k)) => {
                            actors.iter().find(|(r, _)| r.start > *k && r.start <= k + 2).map(|(_, s)| s.clone())
                        }
                        None if passive => actor_before.clone().filter(|_| {
                            actors.iter().rev().find(|(r, _)| r.end <= i).is_some_and(|(r, _)| i - r.end <= 6)
                        }),
                        None => actors
                            .iter()
                            .find(|(r, _)| r.start >= j && r.start - j <= 3)
                            .or_else(|| actors.iter().rev().find(|(r, _)| r.end <= i && i - r.end <= 6))
                            .map(|(_, s)| s.clone()),
                    };
                    (None, near)
                }
            };
            // A place after "to"/"towards" is where the actor went, not where the event happened.
            let destination =
                |r: &Range<usize>| r.start > 0 && matches!(ws[r.start - 1].lower(), "to" | "towards" | "toward");
            let after = || places.iter().find(|(r, _)| r.start >= j && r.start - j <= 12 && !destination(r));
            // Before a passive trigger, the subject: the first place of the clause, unless an anaphor ("the
            // town, on a road between X and Y, was controlled by") comes first.
            let subject_start = ws[..i]
                .iter()
                .rposition(|w| w.lower.ends_with('.') || matches!(w.lower(), "while" | "but" | "after" | "as"))
                .map_or(0, |k| k + 1)
                .max(i.saturating_sub(25));
            let anaphor_subject = (subject_start..i).find(|&k| self.anaphors.iter().any(|a| matches_at(&ws, k, a)));
            let first_place = places.iter().find(|(r, _)| r.start >= subject_start && r.end <= i);
            let before = || {
                if trig.agent == AgentAt::After {
                    match (anaphor_subject, first_place) {
                        (Some(a), Some((r, _))) if a < r.start => None,
                        _ => places
                            .iter()
                            .rev()
                            .find(|(r, p)| r.start >= subject_start && r.end <= i && !p.region)
                            .or(first_place),
                    }
                } else {
                    places.iter().rev().find(|(r, _)| r.end <= i && i - r.end <= 12 && !destination(r))
                }
            };
            let anaphor_after = (j..(j + 6).min(ws.len())).any(|k| self.anaphors.iter().any(|a| matches_at(&ws, k, a)));
            let mut place = if trig.main_place {
                None
            } else if trig.agent == AgentAt::After {
                if anaphor_subject.is_some() && first_place.is_none() {
                    None
                } else {
                    before()
                        .or_else(|| if anaphor_subject.is_some() { None } else { after() })
                        .map(|(r, p)| (r.clone(), p.clone()))
                }
            } else {
                after().or_else(before).map(|(r, p)| (r.clone(), p.clone()))
            };
            if let Some((r, p)) = &place {
                // "the city in the province of X": the city, not the province, is the place.
                let between = if r.start >= j { j..r.start } else { r.end..i };
                let settlement_between = ws[between.clone()].iter().any(|w| has(&self.settlement_words, w.lower()));
                let anaphor_first = r.start >= j
                    && anaphor_after
                    && ws[j..r.start].iter().any(|w| w.lower == "city" || w.lower == "town");
                let of_settlement = r.start >= 2
                    && ws[r.start - 1].lower == "of"
                    && has(&self.settlement_words, ws[r.start - 2].lower());
                if ((p.region && settlement_between) || anaphor_first) && !of_settlement {
                    place = None;
                }
            }
            // Extent words between the trigger and a place after it ("took control of almost all the city"),
            // not past the place ("the capture of X almost completes ...").
            let extent_end = place.as_ref().filter(|(r, _)| r.start >= j).map_or(j + 6, |(r, _)| r.start);
            let extent = if frame.extents { self.extent_near(&ws, i, extent_end) } else { None };
            let day = ws[i.saturating_sub(12)..(j + 12).min(ws.len())]
                .iter()
                .find_map(|w| self.weekdays.iter().find(|d| **d == w.lower).cloned())
                .or_else(|| {
                    let near = &ws[i.saturating_sub(12)..(j + 12).min(ws.len())];
                    let today_word = (0..near.len()).any(|k| self.today.iter().any(|t| matches_at(near, k, t)));
                    today_word.then(|| today.map(str::to_string)).flatten()
                });
            out.push(Proposition {
                frame: fi,
                trigger: ti,
                span: ws[i].range.start..ws[j - 1].range.end,
                actor,
                victim,
                place: place.map(|(_, p)| p),
                extent,
                count: count.map(|(r, t, _)| (r, t)),
                day,
                era: year.clone().or_else(|| era_near(&self.eras, text, &ws, i, j)),
                negated,
            });
            i = j;
        }
        // One proposition per frame and detail: "withdrew ... withdrawal" in one sentence is one statement.
        let mut seen = Vec::new();
        out.retain(|p| {
            let k =
                (p.frame, self.frames[p.frame].triggers[p.trigger].manner.clone(), p.actor.clone(), p.place.clone());
            if seen.contains(&k) {
                false
            } else {
                seen.push(k);
                true
            }
        });
        out
    }

    fn extent_near(&self, ws: &[Word], i: usize, end: usize) -> Option<Extent> {
        let lo = i.saturating_sub(7);
        let hi = end.min(ws.len());
        // Partial before most before full: "almost all the city" is most, not all.
        for (e, phrases) in &self.extent {
            for k in lo..hi {
                if phrases.iter().any(|p| matches_at(ws, k, p)) {
                    return Some(*e);
                }
            }
        }
        None
    }

    /// A count near the trigger: (range, words, word index of the figure).
    fn count_near(&self, ws: &[Word], i: usize, j: usize) -> Option<([f64; 2], String, usize)> {
        let lo = i.saturating_sub(8);
        let hi = (j + 8).min(ws.len());
        let mut best: Option<([f64; 2], String, usize)> = None;
        for k in lo..hi {
            let w = ws[k].lower();
            let figure = if w.chars().all(|c| c.is_ascii_digit() || c == ',') && w.chars().any(|c| c.is_ascii_digit()) {
                w.replace(',', "").parse::<f64>().ok().filter(|n| !(1900.0..=2100.0).contains(n) || w.contains(','))
            } else {
                self.number_words.get(w).copied()
            };
            let month = |x: Option<&Word>| x.is_some_and(|w| self.months.contains(w.lower()));
            // "March 28", "25 April": a date, not a count.
            let figure = figure.filter(|_| !month(k.checked_sub(1).map(|p| &ws[p])) && !month(ws.get(k + 1)));
            if let Some(n) = figure {
                let (q, qw) = self.qualifier_before(ws, k);
                let hi_v = if q[1] < 0.0 { f64::INFINITY } else { n * q[1] };
                let text = if qw.is_empty() { ws[k].lower().to_string() } else { format!("{qw} {}", ws[k].lower) };
                let cand = ([n * q[0], hi_v], text, k);
                if best.as_ref().is_none_or(|b| b.2.abs_diff(i) > k.abs_diff(i)) {
                    best = Some(cand);
                }
                continue;
            }
            if let Some((v, r)) = self.vague.iter().find(|(v, _)| {
                ws[k].lower == *v || (k + 1 < ws.len() && format!("{} {}", ws[k].lower, ws[k + 1].lower) == *v)
            }) {
                let cand = (*r, v.clone(), k);
                if best.as_ref().is_none_or(|b| b.2.abs_diff(i) > k.abs_diff(i)) {
                    best = Some(cand);
                }
            }
        }
        best
    }

    fn qualifier_before(&self, ws: &[Word], k: usize) -> ([f64; 2], String) {
        for (q, r) in &self.qualifiers {
            if q.is_empty() || q.len() > k {
                continue;
            }
            if matches_at(ws, k - q.len(), q) {
                return (*r, q.join(" "));
            }
        }
        let bare = self.qualifiers.iter().find(|(q, _)| q.is_empty()).map_or([1.0, 1.0], |(_, r)| *r);
        (bare, String::new())
    }
}

/// A year named in the sentence: its events are history, not the story's own ("since 2012", "in 1980").
fn year_of(sentence: &str) -> Option<String> {
    words(sentence).iter().find_map(|w| {
        (w.lower.len() == 4 && w.lower.chars().all(|c| c.is_ascii_digit()))
            .then(|| w.lower.parse::<u32>().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))
            .map(|y| y.to_string())
    })
}

/// "last month" and the like close to the trigger (the same sentence can hold today's event and last
/// month's).
fn era_near(eras: &[Vec<String>], text: &str, ws: &[Word], i: usize, j: usize) -> Option<String> {
    let lo = i.saturating_sub(4);
    let hi = (j + 10).min(ws.len());
    // Within the trigger's clause: no comma or semicolon between them.
    let same_clause = |k: usize| {
        let (a, b) =
            if k >= j { (ws[j - 1].range.end, ws[k].range.start) } else { (ws[k].range.end, ws[i].range.start) };
        !text.part(a.min(b)..b.max(a)).contains([',', ';'])
    };
    eras.iter().find_map(|pw| (lo..hi).any(|k| matches_at(ws, k, pw) && same_clause(k)).then(|| pw.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_s_sources_and_countries_are_read_by_general_rules() {
        let lex = FrameLexicon::builtin();
        let keys = |l: &FrameLexicon, t: &str| -> Vec<String> { l.place_keys(t).0.into_iter().map(|k| k.0).collect() };
        let text = "A statement from Harbour Watch said crowds gathered in Portmere.";
        assert_eq!(keys(&lex, text), ["harburwatch", "portmere"]);
        // An organisation of the story, by its whole name: no place; the town stays one.
        let with = lex.with_sources([], ["Harbour Watch"]);
        assert_eq!(keys(&with, text), ["portmere"]);
        // A group named after its town leaves the town a place, since the name is matched whole.
        let town = lex.with_sources([], ["Portmere Harbour Council"]);
        assert_eq!(keys(&town, text), ["harburwatch", "portmere"]);
        // A person's last name, and its last hyphenated part.
        let people = lex.with_sources(["Omar al-Rashidi"], []);
        assert_eq!(keys(&lex, "the office of Rashidi"), ["rashidi"]);
        assert!(keys(&people, "the office of Rashidi").is_empty());
        // Any country is a region, with no marker around it.
        let r = lex.place_keys("Aid reached Nigeria and Peru.").0;
        assert!(r.iter().all(|(_, _, region)| *region) && r.len() == 2, "{r:?}");
    }

    #[test]
    fn a_titled_name_is_a_person_and_no_place_in_the_story() {
        let lex = FrameLexicon::builtin();
        let text = "Militia leader Omar al-Rashidi was seen in Portmere. Mr Hugo Brant spoke. Jets struck on Rashidi.";
        let (places, people) = lex.place_keys(text);
        assert_eq!(people, ["Omar al-Rashidi", "Hugo Brant"]);
        // Before the people are known, "struck on Rashidi" reads as a place; after, it does not.
        assert!(places.iter().any(|p| p.0 == "rashidi"), "{places:?}");
        let story = lex.with_sources(people.iter().map(String::as_str), []);
        assert!(story.names_no_place("Rashidi") && !story.names_no_place("Portmere"));
        let after: Vec<String> = story.place_keys(text).0.into_iter().map(|p| p.0).collect();
        assert_eq!(after, ["portmere"]);
    }

    fn props(text: &str) -> Vec<Proposition> {
        let lex = FrameLexicon::builtin().with_sides(&FrameLexicon::builtin().generic_sides());
        let known = ["jisralshughur".to_string(), "idlib".to_string()].into_iter().collect();
        lex.propositions(text, text, &known, Some("saturday"))
    }

    fn frame(p: &Proposition) -> String {
        FrameLexicon::builtin().frames[p.frame].name.clone()
    }

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(place_key("Jisr al-Shughur"), place_key("Jisr al-Shughour"));
        assert_eq!(place_key("Jisr al-Shughur"), place_key("Jisr al Shughur"));
        assert_ne!(place_key("Idlib"), place_key("Aleppo"));
    }

    #[test]
    fn weekdays_of_dates() {
        assert_eq!(weekday(2015, 4, 25), "saturday");
        assert_eq!(weekday(2015, 3, 28), "saturday");
        assert_eq!(weekday(2024, 2, 29), "thursday");
    }

    #[test]
    fn another_state_s_forces_are_no_actor_of_the_side() {
        // Generic sides: "warplanes" are the government's, but "US warplanes" another party's.
        let own = props("Warplanes bombed rebel positions in Idlib on Saturday");
        assert_eq!(own.first().and_then(|p| p.actor.as_deref()), Some("government"), "{own:?}");
        for text in
            ["US warplanes bombed rebel positions in Idlib", "American warplanes bombed rebel positions in Idlib"]
        {
            assert!(props(text).iter().all(|p| p.actor.as_deref() != Some("government")), "{text}: {:?}", props(text));
        }
        // Inferred sides: the qualifier the story uses most for a side is the side's own.
        let lex = FrameLexicon::builtin();
        let texts = [
            "Iraqi troops shelled the town. Iraqi troops advanced. Iraqi soldiers held the bridge.",
            "US warplanes bombed militants near the dam, and militants fought back.",
        ];
        let sides = lex.infer_sides(texts.iter().copied());
        let gov = sides.iter().find(|d| d.id == "government").expect("a government side");
        assert!(gov.members.iter().any(|m| m == "iraqi troops"), "{:?}", gov.members);
        assert!(!gov.members.iter().any(|m| m.starts_with("us ")), "{:?}", gov.members);
        let story = lex.with_sides(&sides);
        let known = ["idlib".to_string()].into_iter().collect();
        let read = |t: &str| story.propositions(t, t, &known, None);
        assert_eq!(read("Iraqi troops bombed positions in Idlib")[0].actor.as_deref(), Some("government"));
        assert!(read("US warplanes bombed positions in Idlib").iter().all(|p| p.actor.is_none()));
    }

    #[test]
    fn peoples_and_nationalities_are_no_places_or_groups() {
        let lex = FrameLexicon::builtin();
        let keys = |t: &str| -> Vec<String> { lex.place_keys(t).0.into_iter().map(|k| k.0).collect() };
        assert!(keys("Jets struck near Americans and near Kurds.").is_empty());
        assert_eq!(keys("Jets struck near Memphis."), ["memphis"]);
        // "Kurdish fighters", "The fighters" name no group; "Harbour Front fighters" does.
        let texts = ["Kurdish fighters and The fighters met Harbour Front fighters. Troops and soldiers and rebels."];
        let sides = lex.infer_sides(texts.iter().copied());
        let rebels = sides.iter().find(|d| d.id == "rebels").expect("a rebel side");
        let inferred = rebels.inferred.clone().unwrap_or_default();
        assert!(inferred.contains("harbour front") && !inferred.contains("kurdish"), "{inferred}");
    }

    #[test]
    fn a_member_noun_inside_a_name_is_no_actor() {
        let p = props("The coalition calling itself The Army of Conquest overran Idlib city last month.");
        assert!(p.iter().all(|p| p.actor.as_deref() != Some("government")), "{p:?}");
        let p = props("Army units overran Idlib city last month.");
        assert_eq!(p.first().and_then(|p| p.actor.as_deref()), Some("government"), "{p:?}");
    }

    #[test]
    fn what_was_seized_must_be_a_place() {
        for text in [
            "Rebel units seized a large cache of weapons near Dalmora on Sunday",
            "Rebel fighters captured two soldiers outside the town",
            "A cache of arms was seized by rebel units in Dalmora",
        ] {
            let p = props(text);
            assert!(p.iter().all(|p| frame(p) != "capture"), "{text}: {p:?}");
        }
        let p = props("Rebel units seized the town of Dalmora on Sunday");
        assert_eq!(p.first().map(frame).as_deref(), Some("capture"), "{p:?}");
        let p = props("Rebels, who had stockpiled weapons for months, captured the town of Dalmora");
        assert_eq!(p.first().map(frame).as_deref(), Some("capture"), "{p:?}");
    }

    #[test]
    fn capture_with_agent_place_and_extent() {
        let p = props("Rebel units took control of almost all of the town of Jisr al-Shughour");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(frame(&p[0]), "capture");
        assert_eq!(p[0].actor.as_deref(), Some("rebels"));
        assert_eq!(p[0].place.as_ref().map(|x| x.key.as_str()), Some("jisralshughur"));
        assert_eq!(p[0].extent, Some(Extent::Most));
    }

    #[test]
    fn passive_capture_finds_the_agent_after() {
        let p = props("Jisr al-Shughur fell to the jihadists after four days");
        assert_eq!(frame(&p[0]), "capture");
        assert_eq!(p[0].actor.as_deref(), Some("rebels"));
        assert_eq!(p[0].place.as_ref().map(|x| x.name.as_str()), Some("Jisr al-Shughur"));
    }

    #[test]
    fn withdrawal_manners() {
        let fled = props("Regime soldiers fled the town");
        assert_eq!(frame(&fled[0]), "withdrawal");
        assert_eq!(fled[0].actor.as_deref(), Some("government"));
        let lex = FrameLexicon::builtin().with_sides(&FrameLexicon::builtin().generic_sides());
        assert_eq!(lex.frames[fled[0].frame].triggers[fled[0].trigger].manner.as_deref(), Some("flight"));
        let re = props("the army redeployed to nearby villages to spare civilians");
        assert_eq!(lex.frames[re[0].frame].triggers[re[0].trigger].manner.as_deref(), Some("redeployment"));
    }

    #[test]
    fn counts_with_qualifiers() {
        let p = props("at least 60 government soldiers had been killed in Idlib");
        assert_eq!(frame(&p[0]), "casualties");
        assert_eq!(p[0].victim.as_deref(), Some("government"));
        let (r, t) = p[0].count.clone().unwrap();
        assert_eq!(t, "at least 60");
        assert_eq!(r[0], 60.0);
        assert!(r[1].is_infinite());
        let q = props("dozens of fighters died");
        assert_eq!(q[0].count.as_ref().unwrap().0, [24.0, 99.0]);
    }

    #[test]
    fn days_eras_and_negation() {
        let p = props("The fighters launched their attack on the town on Thursday");
        assert_eq!(frame(&p[0]), "offensive");
        assert_eq!(p[0].day.as_deref(), Some("thursday"));
        let old = props("Rebels were ousted by the army which recaptured Idlib in April 2012");
        assert!(old.iter().all(|x| x.era.as_deref() == Some("2012")), "{old:?}");
        let neg = props("The army did not withdraw from the town");
        assert!(neg[0].negated);
    }

    #[test]
    fn region_is_not_the_town_in_it() {
        let p = props("Insurgents stormed the final large town the regime held, in the western province of Hama");
        assert_eq!(frame(&p[0]), "capture");
        assert!(p[0].place.is_none(), "the unnamed city is the article's main place: {:?}", p[0].place);
        let r = props("The army still controls a few areas near the edge of Hama province");
        assert_eq!(r[0].place.as_ref().map(|x| x.key.as_str()), Some("hama province"));
        assert_eq!(r[0].extent, Some(Extent::Partial));
    }
}
