//! Configuration: the built-in `config/default.toml`, a user's override file, and the validated [`Settings`].
//!
//! The user's file may set any subset of the defaults. It is merged into the defaults table by table, and
//! checked while merging: a key the defaults do not have is an error (except new entries in the open tables
//! `kinds`, `sides`, `caveats`, `contradictions` and `cues.classes`, which must then give every field an
//! existing entry has), and so is a value of the wrong type. Range checks run on the merged result; each
//! problem is reported at the line of the file that supplied the value.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::{Table, Value};

use credence_model::error::{Diagnostic, Diagnostics, Error, Result};
use credence_model::locate::DocPath;
use credence_model::tomlmerge::{Doc, merge, parse_table};
use credence_model::vocab::{CueClass, CueTable, Role, Vocabulary};

use crate::opinion::{Fusion, Opinion};

pub use credence_discover::DiscoverConfig;

/// The default configuration, embedded in the binary.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/default.toml");

/// The name under which the embedded defaults appear in error messages.
pub const DEFAULT_CONFIG_NAME: &str = "config/default.toml (built in)";

/// Tables whose entries users may add to (new kinds, sides, caveat kinds...).
const OPEN_TABLES: &[&str] = &["kinds", "sides", "caveats", "contradictions"];

/// The key of a template entry (not a valid TOML bare key a user could write by accident).
const TEMPLATE: &str = "(template)";

/// The shape of an entry of an open table the defaults may leave empty.
fn templates() -> Vec<(&'static str, Value)> {
    let side: Table = "description = \"\"\nopposes = [\"\"]\n".parse().unwrap_or_default();
    vec![("sides", Value::Table(side))]
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    opinion: RawOpinionSection,
    fusion: RawFusion,
    independence: RawIndependence,
    interest: RawInterest,
    conflict: RawConflict,
    grades: BTreeMap<String, RawGrade>,
    kinds: BTreeMap<String, RawKind>,
    sides: BTreeMap<String, RawSide>,
    cues: RawCues,
    caveats: BTreeMap<String, RawWeighted>,
    contradictions: BTreeMap<String, RawWeighted>,
    credibility: RawCredibility,
    confidence: RawConfidence,
    likelihood: Vec<RawBand>,
    discover: Table,
    check: RawCheck,
    ratings: RawRatings,
    report: RawReport,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRatings {
    file: String,
    cuts: Vec<RawCut>,
    origin: bool,
    relay: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCut {
    at: f64,
    grade: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    prior_for: f64,
    prior_against: f64,
    refute_weight: f64,
    unit_grade: String,
    unjudged_weight: f64,
    interval: f64,
    supported: f64,
    debunked: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    title_skip: Vec<String>,
    full_detail_up_to: usize,
    detailed_claims: usize,
    evidence_per_claim: usize,
    origins_per_claim: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOpinionSection {
    prior_weight: f64,
    base_rate: f64,
    min_uncertainty: f64,
    interval: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFusion {
    within_origin: String,
    across_origins: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndependence {
    copy_threshold: f64,
    pooled_caveats: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInterest {
    self_serving: f64,
    admission: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConflict {
    alert: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOpinion {
    b: f64,
    d: f64,
    u: f64,
    #[serde(default)]
    a: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    label: String,
    opinion: RawOpinion,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    description: String,
    role: String,
    grade: String,
    relay: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSide {
    description: String,
    opposes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCues {
    default_class: String,
    own_voice_class: String,
    classes: BTreeMap<String, RawCueClass>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCueClass {
    description: String,
    opinion: RawOpinion,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeighted {
    description: String,
    weight: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredibility {
    cannot_judge_u: f64,
    improbable: f64,
    doubtful: f64,
    confirmed: f64,
    confirmed_u: f64,
    probable: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfidence {
    high_u: f64,
    moderate_u: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    below: f64,
    words: String,
    #[serde(default)]
    rating: Option<i64>,
}

pub use credence_model::vocab::GRADE_LETTERS;

/// A reliability grade and its trust opinion.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    /// The letter, A to F.
    pub letter: char,
    /// Its name ("Usually reliable").
    pub label: String,
    /// Trust opinion; its projected probability is the discount factor.
    pub opinion: Opinion,
}

/// A source kind and its default grades.
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    /// What sources of this kind are.
    pub description: String,
    /// What a source of this kind is (wire, outlet, organisation, person, ...), whatever the kind is called.
    pub role: Role,
    /// Default reliability grade as an origin.
    pub grade: char,
    /// Default grade as a relay.
    pub relay: char,
}

/// A party to the story.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Who belongs to it.
    pub description: String,
    /// The sides whose gains count against this one.
    pub opposes: Vec<String>,
}

/// The assertion strength a class of reporting cues implies. Which cue is in which class is the cue table of
/// the attribution lexicon (`credence_model::vocab::CueTable`); the config gives each class its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassOpinion {
    /// The class.
    pub class: CueClass,
    /// What the class means.
    pub description: String,
    /// Belief, disbelief and uncertainty of the origin's assertion (base rate comes from the claim).
    pub b: f64,
    /// See `b`.
    pub d: f64,
    /// See `b`.
    pub u: f64,
}

/// A caveat or contradiction kind with its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted {
    /// What it means.
    pub description: String,
    /// Weight in `[0, 1]`.
    pub weight: f64,
}

/// Thresholds of the STANAG 2511 credibility number.
#[derive(Debug, Clone, PartialEq)]
pub struct Credibility {
    /// Uncertainty at or above which a claim cannot be judged (6).
    pub cannot_judge_u: f64,
    /// Support below which a contradicted claim is improbable (5).
    pub improbable: f64,
    /// Support below which a claim is doubtful (4).
    pub doubtful: f64,
    /// Support needed for "confirmed" (1).
    pub confirmed: f64,
    /// Largest uncertainty allowed for "confirmed".
    pub confirmed_u: f64,
    /// Support needed for "probably true" (2).
    pub probable: f64,
}

/// A band of ICD 203 likelihood words.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Upper bound (exclusive, except 1.0).
    pub below: f64,
    /// The words.
    pub words: String,
    /// The point on the five-point rating scale (1 very unlikely … 5 very likely) that `ClaimReview` gives
    /// and the colours of the terminal and HTML follow (4–5 good, 3 neutral, 1–2 bad).
    pub rating: u8,
}

/// How much of a large story the Markdown report details: a story of at most `full_detail_up_to` claims is
/// written out whole; a larger one details its first `detailed_claims` claims (by rank) that rest on more than
/// one origin or are contested, each with at most `evidence_per_claim` statements and `origins_per_claim`
/// origins, and counts what it leaves out. Every claim keeps its row in the claims table; the JSON report and
/// `credence explain` always hold everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportLimits {
    /// Claims up to which nothing is left out.
    pub full_detail_up_to: usize,
    /// Claims given a section of their own in a larger story.
    pub detailed_claims: usize,
    /// Statements shown per detailed claim.
    pub evidence_per_claim: usize,
    /// Origins listed per detailed claim.
    pub origins_per_claim: usize,
}

/// The weights and verdict bands of `credence check` (config `[check]`).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSettings {
    /// Pseudo-count of support before any coverage.
    pub prior_for: f64,
    /// Pseudo-count against before any coverage.
    pub prior_against: f64,
    /// How many supporting origins of equal weight one refuting origin outweighs.
    pub refute_weight: f64,
    /// The grade whose origins weigh 1.
    pub unit_grade: char,
    /// Weight of an origin of grade F (reliability cannot be judged), relative to one of `unit_grade`. Kept
    /// apart from grade F's trust opinion, which the story scorer sets so low that one unjudged origin stays
    /// "cannot be judged": `check` counts origins head by head, and an unjudged one still counts.
    pub unjudged_weight: f64,
    /// Mass of the support's credible interval.
    pub interval: f64,
    /// Support at or above which the verdict is `supported`.
    pub supported: f64,
    /// Support below which a refuted claim is `debunked`.
    pub debunked: f64,
}

/// Validated settings: the single source of every number the scorer uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Non-informative prior weight W.
    pub prior_weight: f64,
    /// Default base rate of a claim.
    pub base_rate: f64,
    /// Minimum uncertainty of any opinion derived from text.
    pub min_uncertainty: f64,
    /// Mass of the reported credible interval (0.9 for 5%–95%).
    pub interval: f64,
    /// Operator within an origin cluster.
    pub within_origin: Fusion,
    /// Operator across origin clusters.
    pub across_origins: Fusion,
    /// Containment at which a copy edge merges origin clusters.
    pub copy_threshold: f64,
    /// Caveat kinds under which a claim passed on by nobody in particular (the outlet's own voice or an
    /// unnamed source) is one origin for all the articles that pass it on.
    pub pooled_caveats: Vec<String>,
    /// Factor on functional trust for self-serving claims.
    pub self_serving: f64,
    /// Share of the distance to 1 added to functional trust for admissions.
    pub admission: f64,
    /// Degree-of-conflict alert threshold.
    pub conflict_alert: f64,
    /// Grades by letter.
    pub grades: BTreeMap<char, Grade>,
    /// Source kinds by name.
    pub kinds: BTreeMap<String, Kind>,
    /// Sides by name.
    pub sides: BTreeMap<String, Side>,
    /// The assertion of each cue class.
    pub cue_classes: BTreeMap<CueClass, ClassOpinion>,
    /// Class for cues the cue table does not list.
    pub default_cue_class: CueClass,
    /// Class for the outlet's own voice (empty cue).
    pub own_voice_class: CueClass,
    /// Caveat kinds.
    pub caveats: BTreeMap<String, Weighted>,
    /// Contradiction kinds.
    pub contradictions: BTreeMap<String, Weighted>,
    /// Credibility thresholds.
    pub credibility: Credibility,
    /// Largest uncertainty for High confidence.
    pub confidence_high_u: f64,
    /// Largest uncertainty for Moderate confidence.
    pub confidence_moderate_u: f64,
    /// Likelihood bands, ascending.
    pub likelihood: Vec<Band>,
    /// Parameters and priors of truth discovery (`credence discover`), the `[discover]` table.
    pub discover: DiscoverConfig,
    /// `credence check`: weights and verdict bands.
    pub check: CheckSettings,
    /// Outlet priors from a domain-ratings file: the file and the cut points (the `[ratings]` table).
    pub ratings: crate::ratings::RatingSettings,
    /// How much of a large story the Markdown report details (`[report]`).
    pub report_limits: ReportLimits,
    /// Capitalised words that are not a story's topic, passed over when a title is made from headlines.
    pub title_skip: Vec<String>,
    /// The files the settings came from, defaults first.
    pub files: Vec<String>,
}

impl Settings {
    /// The built-in defaults.
    #[must_use]
    pub fn defaults() -> Settings {
        // The embedded file is checked by the test suite, so failing here is a build defect, not user error.
        Settings::from_sources(None).expect("the built-in config/default.toml is valid")
    }

    /// Loads the defaults overridden by the user's config file `name` with contents `text`.
    pub fn load(name: &str, text: &str) -> Result<Settings> {
        Settings::from_sources(Some((name, text)))
    }

    fn from_sources(user: Option<(&str, &str)>) -> Result<Settings> {
        let default_doc = Doc { name: DEFAULT_CONFIG_NAME, text: DEFAULT_CONFIG };
        let mut merged = parse_table(&default_doc)?;
        let mut files = vec![DEFAULT_CONFIG_NAME.to_string()];
        let user_doc = user.map(|(name, text)| Doc { name, text });
        let mut user_table = Table::new();
        let mut errors = Vec::new();
        if let Some(doc) = &user_doc {
            user_table = parse_table(doc)?;
            // Open tables the defaults leave empty (`[sides]`: a story's sides are its own) still check a new
            // entry's keys: against a template entry, removed once merged.
            let templates = templates();
            for (table, template) in &templates {
                if let Some(Value::Table(t)) = merged.get_mut(*table)
                    && t.is_empty()
                {
                    t.insert(TEMPLATE.into(), template.clone());
                }
            }
            merge(&mut merged, &user_table, &DocPath::root(), doc, OPEN_TABLES, &mut errors);
            for (table, _) in &templates {
                if let Some(Value::Table(t)) = merged.get_mut(*table) {
                    t.remove(TEMPLATE);
                }
            }
            files.push(doc.name.to_string());
        }
        let raw: RawConfig = match Value::Table(merged.clone()).try_into() {
            Ok(raw) => raw,
            Err(e) => {
                let e: toml::de::Error = e;
                // The merge checks keys and types against the defaults, so this is rare; point at the user's
                // table that makes the merged config unreadable, trying each alone on top of the defaults.
                let (file, at) = match &user_doc {
                    Some(doc) => (doc.name, blame(&user_table, doc)),
                    None => (DEFAULT_CONFIG_NAME, None),
                };
                errors.push(match at {
                    Some(d) => Diagnostic {
                        message: format!("cannot read this part of the configuration: {}", e.message()),
                        ..d
                    },
                    None => Diagnostic {
                        file: file.to_string(),
                        line: None,
                        column: None,
                        path: None,
                        message: format!("cannot read the merged configuration: {}", e.message()),
                        help: Some("compare your file with `credence config`".into()),
                    },
                });
                return Err(Error::Config(Diagnostics(errors)));
            }
        };
        // Point each range error at the file that supplied the value.
        let locate_in = |path: &DocPath| -> &Doc<'_> {
            match &user_doc {
                Some(doc) if has_path(&user_table, path) => doc,
                _ => &default_doc,
            }
        };
        // Merge problems and range problems are listed together: one run shows everything to fix.
        let mut v = Validator { errors, locate_in: &locate_in };
        let settings = v.build(raw, files);
        if v.errors.is_empty() { Ok(settings) } else { Err(Error::Config(Diagnostics(v.errors))) }
    }

    /// The class of a cue and its assertion (empty cue = the outlet's own voice), and whether the cue table
    /// lists it (a cue it does not list is scored as the default class and reported as unknown).
    #[must_use]
    pub fn cue_class(&self, cue: &str, table: &CueTable) -> (&ClassOpinion, bool) {
        let (class, known) = if cue.trim().is_empty() {
            (self.own_voice_class, true)
        } else {
            match table.class_of(cue) {
                // An intention never makes a report; a hand-written one is scored as the default class.
                Some(CueClass::Intention) | None => (self.default_cue_class, false),
                Some(c) => (c, true),
            }
        };
        let op = self.cue_classes.get(&class).or_else(|| self.cue_classes.values().next());
        (op.unwrap_or(&FALLBACK_CLASS), known)
    }

    /// The vocabulary these settings describe, for validating a story and for extraction.
    #[must_use]
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            kinds: self.kinds.iter().map(|(k, v)| (k.clone(), v.role)).collect(),
            sides: self.sides.iter().map(|(k, v)| (k.clone(), v.opposes.clone())).collect(),
            caveats: self.caveats.keys().cloned().collect(),
            contradictions: self.contradictions.keys().cloned().collect(),
        }
    }

    /// Trust opinion of a grade letter.
    #[must_use]
    pub fn grade(&self, letter: char) -> &Grade {
        &self.grades[&letter]
    }

    /// True when side `a` counts side `b` among its opponents.
    #[must_use]
    pub fn opposes(&self, a: &str, b: &str) -> bool {
        self.sides.get(a).is_some_and(|s| s.opposes.iter().any(|o| o == b))
    }

    /// ICD 203 likelihood words for a support value.
    #[must_use]
    pub fn likelihood_band(&self, p: f64) -> Option<&Band> {
        self.likelihood.iter().find(|b| p < b.below).or(self.likelihood.last())
    }

    /// ICD 203 likelihood words for a support value.
    #[must_use]
    pub fn likelihood_words(&self, p: f64) -> &str {
        self.likelihood.iter().find(|b| p < b.below).or(self.likelihood.last()).map_or("", |b| b.words.as_str())
    }
}

/// Used only if a config had no cue class at all, which validation refuses.
static FALLBACK_CLASS: ClassOpinion =
    ClassOpinion { class: CueClass::Neutral, description: String::new(), b: 0.9, d: 0.0, u: 0.1 };

pub use credence_model::vocab::normalise_cue;

/// The first top-level table of the user's file that, alone on top of the defaults, makes them unreadable.
fn blame(user: &Table, doc: &Doc<'_>) -> Option<Diagnostic> {
    let defaults: Table = DEFAULT_CONFIG.parse().ok()?;
    for (key, value) in user {
        let mut one = defaults.clone();
        let mut ignored = Vec::new();
        merge(
            &mut one,
            &Table::from_iter([(key.clone(), value.clone())]),
            &DocPath::root(),
            doc,
            OPEN_TABLES,
            &mut ignored,
        );
        let readable: Result<RawConfig, _> = Value::Table(one).try_into();
        if readable.is_err() {
            let path = DocPath::root().key(key);
            return Some(doc.diag(&path, String::new(), Some("compare this table with `credence config`".into())));
        }
    }
    None
}

fn has_path(table: &Table, path: &DocPath) -> bool {
    let mut cur: Option<&Value> = None;
    for (i, seg) in path.0.iter().enumerate() {
        let next = match (i, seg, cur) {
            (0, credence_model::locate::Seg::Key(k), _) => table.get(k),
            (_, credence_model::locate::Seg::Key(k), Some(Value::Table(t))) => t.get(k),
            (_, credence_model::locate::Seg::Index(n), Some(Value::Array(a))) => a.get(*n),
            _ => None,
        };
        match next {
            Some(v) => cur = Some(v),
            None => return false,
        }
    }
    true
}

struct Validator<'a, 'b> {
    errors: Vec<Diagnostic>,
    locate_in: &'a dyn Fn(&DocPath) -> &'b Doc<'b>,
}

fn p(keys: &[&str]) -> DocPath {
    DocPath(keys.iter().map(|k| credence_model::locate::Seg::Key((*k).to_string())).collect())
}

impl Validator<'_, '_> {
    fn err(&mut self, path: DocPath, message: String, help: Option<String>) {
        let d = (self.locate_in)(&path).diag(&path, message, help);
        self.errors.push(d);
    }

    fn range(&mut self, path: DocPath, x: f64, lo: f64, hi: f64, lo_open: bool) -> f64 {
        let ok = x.is_finite() && x <= hi && if lo_open { x > lo } else { x >= lo };
        if !ok {
            let open = if lo_open { "(" } else { "[" };
            self.err(
                path.clone(),
                format!("`{path}` = {x} is out of range {open}{lo}, {hi}]"),
                Some(format!("use a value in {open}{lo}, {hi}]")),
            );
        }
        x
    }

    fn opinion(&mut self, path: DocPath, o: &RawOpinion, default_a: f64) -> Opinion {
        let a = o.a.unwrap_or(default_a);
        for (k, x) in [("b", o.b), ("d", o.d), ("u", o.u), ("a", a)] {
            self.range(path.key(k), x, 0.0, 1.0, false);
        }
        if let Some(op) = Opinion::new(o.b, o.d, o.u, a) {
            op
        } else {
            self.err(
                path.clone(),
                format!("`{path}`: b + d + u = {} but must be 1", o.b + o.d + o.u),
                Some("adjust b, d and u so that they add up to 1".into()),
            );
            Opinion::vacuous(a)
        }
    }

    fn fusion(&mut self, path: DocPath, name: &str) -> Fusion {
        Fusion::from_name(name).unwrap_or_else(|| {
            self.err(
                path.clone(),
                format!("`{path}` = \"{name}\" is not a fusion operator"),
                Some("use \"cumulative\", \"weighted\" or \"averaging\"".into()),
            );
            Fusion::Weighted
        })
    }

    fn role(&mut self, path: DocPath, s: &str) -> Role {
        match s {
            "wire" => Role::Wire,
            "outlet" => Role::Outlet,
            "organisation" => Role::Organisation,
            "person" => Role::Person,
            "anonymous" => Role::Anonymous,
            "account" => Role::Account,
            "footage" => Role::Footage,
            other => {
                self.err(
                    path,
                    format!("\"{other}\" is not a role"),
                    Some("use one of: wire, outlet, organisation, person, anonymous, account, footage".into()),
                );
                Role::Organisation
            }
        }
    }

    fn letter(&mut self, path: DocPath, s: &str) -> char {
        match s.chars().collect::<Vec<_>>().as_slice() {
            [c] if GRADE_LETTERS.contains(c) => *c,
            _ => {
                self.err(
                    path.clone(),
                    format!("`{path}` = \"{s}\" is not a grade"),
                    Some("use one letter from A (completely reliable) to F (cannot be judged)".into()),
                );
                'F'
            }
        }
    }

    fn build(&mut self, raw: RawConfig, files: Vec<String>) -> Settings {
        let o = &raw.opinion;
        let prior_weight = self.range(p(&["opinion", "prior_weight"]), o.prior_weight, 0.0, 1000.0, true);
        let base_rate = self.range(p(&["opinion", "base_rate"]), o.base_rate, 0.0, 1.0, false);
        let min_uncertainty = self.range(p(&["opinion", "min_uncertainty"]), o.min_uncertainty, 0.0, 0.5, true);
        let interval = self.range(p(&["opinion", "interval"]), o.interval, 0.0, 0.999, true);
        let within_origin = self.fusion(p(&["fusion", "within_origin"]), &raw.fusion.within_origin);
        if within_origin == Fusion::Cumulative {
            self.err(
                p(&["fusion", "within_origin"]),
                "`fusion.within_origin` = \"cumulative\" would count copies of one origin as independent evidence"
                    .into(),
                Some("use \"weighted\" or \"averaging\" (both idempotent)".into()),
            );
        }
        let across_origins = self.fusion(p(&["fusion", "across_origins"]), &raw.fusion.across_origins);
        let copy_threshold =
            self.range(p(&["independence", "copy_threshold"]), raw.independence.copy_threshold, 0.0, 1.0, false);
        let self_serving = self.range(p(&["interest", "self_serving"]), raw.interest.self_serving, 0.0, 1.0, false);
        let admission = self.range(p(&["interest", "admission"]), raw.interest.admission, 0.0, 1.0, false);
        let conflict_alert = self.range(p(&["conflict", "alert"]), raw.conflict.alert, 0.0, 1.0, false);

        let mut grades = BTreeMap::new();
        for (name, g) in &raw.grades {
            let path = p(&["grades", name]);
            let letter = self.letter(path.clone(), name);
            let opinion = self.opinion(path.key("opinion"), &g.opinion, 0.5);
            grades.insert(letter, Grade { letter, label: g.label.clone(), opinion });
        }

        let mut kinds = BTreeMap::new();
        for (name, k) in &raw.kinds {
            let path = p(&["kinds", name]);
            let grade = self.letter(path.key("grade"), &k.grade);
            let relay = self.letter(path.key("relay"), &k.relay);
            let role = self.role(path.key("role"), &k.role);
            kinds.insert(name.clone(), Kind { description: k.description.clone(), role, grade, relay });
        }

        let mut sides = BTreeMap::new();
        for (name, s) in &raw.sides {
            for (i, o) in s.opposes.iter().enumerate() {
                if !raw.sides.contains_key(o) || o == name {
                    let known: Vec<_> = raw.sides.keys().filter(|k| *k != name).cloned().collect();
                    self.err(
                        p(&["sides", name, "opposes"]).index(i),
                        format!(
                            "side `{name}` opposes \"{o}\", which is {}",
                            if o == name { "itself" } else { "not a side" }
                        ),
                        Some(format!("use one of: {}", known.join(", "))),
                    );
                }
            }
            sides.insert(name.clone(), Side { description: s.description.clone(), opposes: s.opposes.clone() });
        }

        let mut cue_classes = BTreeMap::new();
        for (name, c) in &raw.cues.classes {
            let path = p(&["cues", "classes", name]);
            let op = self.opinion(path.key("opinion"), &c.opinion, 0.5);
            match CueClass::from_name(name).filter(|c| *c != CueClass::Intention) {
                Some(class) => {
                    cue_classes.insert(
                        class,
                        ClassOpinion { class, description: c.description.clone(), b: op.b, d: op.d, u: op.u },
                    );
                }
                None => self.err(
                    path,
                    format!("`cues.classes.{name}` is not a cue class that makes reports"),
                    Some("the classes are neutral, endorsing, distancing, hedged and denial; which cue is in which class is the cue table of the attribution lexicon".into()),
                ),
            }
        }
        for class in CueClass::ALL.into_iter().filter(|c| *c != CueClass::Intention) {
            if let std::collections::btree_map::Entry::Vacant(slot) = cue_classes.entry(class) {
                slot.insert(ClassOpinion { class, description: String::new(), b: 0.9, d: 0.0, u: 0.1 });
                self.err(
                    p(&["cues", "classes"]),
                    format!("`cues.classes.{}` is missing", class.name()),
                    Some("every class that makes reports needs an opinion".into()),
                );
            }
        }
        let mut class_of = |key: &str, value: &str| -> CueClass {
            if let Some(c) = CueClass::from_name(value).filter(|c| cue_classes.contains_key(c)) {
                c
            } else {
                self.err(
                    p(&["cues", key]),
                    format!("`cues.{key}` = \"{value}\" is not a cue class"),
                    Some("use one of: neutral, endorsing, distancing, hedged, denial".into()),
                );
                CueClass::Neutral
            }
        };
        let default_cue_class = class_of("default_class", &raw.cues.default_class);
        let own_voice_class = class_of("own_voice_class", &raw.cues.own_voice_class);

        let mut weighted = |table: &str, m: &BTreeMap<String, RawWeighted>| -> BTreeMap<String, Weighted> {
            m.iter()
                .map(|(k, w)| {
                    let weight = self.range(p(&[table, k, "weight"]), w.weight, 0.0, 1.0, false);
                    (k.clone(), Weighted { description: w.description.clone(), weight })
                })
                .collect()
        };
        let caveats = weighted("caveats", &raw.caveats);
        let contradictions = weighted("contradictions", &raw.contradictions);
        let mut pooled_caveats = Vec::with_capacity(raw.independence.pooled_caveats.len());
        for name in &raw.independence.pooled_caveats {
            if caveats.contains_key(name) {
                pooled_caveats.push(name.clone());
            } else {
                self.err(
                    p(&["independence", "pooled_caveats"]),
                    format!("`independence.pooled_caveats` names \"{name}\", which is no caveat kind"),
                    Some(format!("use kinds of [caveats]: {}", caveats.keys().cloned().collect::<Vec<_>>().join(", "))),
                );
            }
        }

        let c = &raw.credibility;
        let cp = |k: &str| p(&["credibility", k]);
        let credibility = Credibility {
            cannot_judge_u: self.range(cp("cannot_judge_u"), c.cannot_judge_u, 0.0, 1.0, false),
            improbable: self.range(cp("improbable"), c.improbable, 0.0, 1.0, false),
            doubtful: self.range(cp("doubtful"), c.doubtful, 0.0, 1.0, false),
            confirmed: self.range(cp("confirmed"), c.confirmed, 0.0, 1.0, false),
            confirmed_u: self.range(cp("confirmed_u"), c.confirmed_u, 0.0, 1.0, false),
            probable: self.range(cp("probable"), c.probable, 0.0, 1.0, false),
        };
        if !(credibility.improbable <= credibility.doubtful
            && credibility.doubtful <= credibility.probable
            && credibility.probable <= credibility.confirmed)
        {
            self.err(
                p(&["credibility"]),
                "credibility thresholds must satisfy improbable <= doubtful <= probable <= confirmed".into(),
                Some("reorder the values in [credibility]".into()),
            );
        }
        let confidence_high_u = self.range(p(&["confidence", "high_u"]), raw.confidence.high_u, 0.0, 1.0, false);
        let confidence_moderate_u =
            self.range(p(&["confidence", "moderate_u"]), raw.confidence.moderate_u, 0.0, 1.0, false);
        if confidence_high_u > confidence_moderate_u {
            self.err(
                p(&["confidence", "high_u"]),
                "`confidence.high_u` must not exceed `confidence.moderate_u`".into(),
                None,
            );
        }

        let mut likelihood = Vec::new();
        let mut last = 0.0;
        for (i, b) in raw.likelihood.iter().enumerate() {
            let path = p(&["likelihood"]).index(i).key("below");
            let below = self.range(path.clone(), b.below, 0.0, 1.0, true);
            if below <= last {
                self.err(path, format!("likelihood bands must ascend: {below} follows {last}"), None);
            }
            last = below;
            let mid = f64::midpoint(if i == 0 { 0.0 } else { raw.likelihood[i - 1].below }, b.below);
            let rating = match b.rating {
                Some(r) if (1..=5).contains(&r) => r as u8,
                Some(r) => {
                    let rp = p(&["likelihood"]).index(i).key("rating");
                    self.err(rp, format!("rating {r} is not on the scale 1 to 5"), None);
                    3
                }
                None => 1 + (4.0 * mid.clamp(0.0, 1.0)).round() as u8,
            };
            likelihood.push(Band { below, words: b.words.clone(), rating });
        }
        // The Admiralty credibility numbers and the likelihood words are one scale read two ways: each
        // support threshold of [credibility] must be where a likelihood band starts, so "likely" is never
        // "possibly true" and "very likely" never short of "confirmed" for want of a tenth.
        for (k, v) in [
            ("improbable", credibility.improbable),
            ("doubtful", credibility.doubtful),
            ("probable", credibility.probable),
            ("confirmed", credibility.confirmed),
        ] {
            if !likelihood.iter().any(|b| (b.below - v).abs() < 1e-9) {
                let edges: Vec<String> = likelihood.iter().map(|b| b.below.to_string()).collect();
                self.err(
                    p(&["credibility", k]),
                    format!("`credibility.{k}` = {v} is not where a likelihood band starts"),
                    Some(format!("use one of the [[likelihood]] bounds: {}", edges.join(", "))),
                );
            }
        }
        if (last - 1.0).abs() > 1e-12 {
            self.err(
                p(&["likelihood"]),
                "the last likelihood band must have below = 1.0".into(),
                Some("add a final band with below = 1.0".into()),
            );
        }

        let discover = self.discover(raw.discover);
        let c = &raw.check;
        let ck = |k: &str| p(&["check", k]);
        let check = CheckSettings {
            prior_for: self.range(ck("prior_for"), c.prior_for, 0.0, 1000.0, true),
            prior_against: self.range(ck("prior_against"), c.prior_against, 0.0, 1000.0, true),
            refute_weight: self.range(ck("refute_weight"), c.refute_weight, 0.0, 1000.0, false),
            unit_grade: self.letter(ck("unit_grade"), &c.unit_grade),
            unjudged_weight: self.range(ck("unjudged_weight"), c.unjudged_weight, 0.0, 1000.0, false),
            interval: self.range(ck("interval"), c.interval, 0.0, 0.999, true),
            supported: self.range(ck("supported"), c.supported, 0.0, 1.0, false),
            debunked: self.range(ck("debunked"), c.debunked, 0.0, 1.0, false),
        };
        if check.debunked > check.supported {
            self.err(
                ck("debunked"),
                "`check.debunked` must not exceed `check.supported`".into(),
                Some("lower check.debunked or raise check.supported".into()),
            );
        }

        let ratings = self.ratings(&raw.ratings);

        Settings {
            prior_weight,
            base_rate,
            min_uncertainty,
            interval,
            within_origin,
            across_origins,
            copy_threshold,
            pooled_caveats,
            self_serving,
            admission,
            conflict_alert,
            grades,
            kinds,
            sides,
            cue_classes,
            default_cue_class,
            own_voice_class,
            caveats,
            contradictions,
            credibility,
            confidence_high_u,
            confidence_moderate_u,
            likelihood,
            discover,
            check,
            ratings,
            report_limits: ReportLimits {
                full_detail_up_to: raw.report.full_detail_up_to,
                detailed_claims: raw.report.detailed_claims.max(1),
                evidence_per_claim: raw.report.evidence_per_claim.max(1),
                origins_per_claim: raw.report.origins_per_claim.max(1),
            },
            title_skip: raw.report.title_skip.clone(),
            files,
        }
    }

    /// The `[ratings]` table: cut points in [0, 1], descending, each with a grade letter.
    fn ratings(&mut self, r: &RawRatings) -> crate::ratings::RatingSettings {
        let mut cuts = Vec::with_capacity(r.cuts.len());
        let mut last = f64::INFINITY;
        for (i, c) in r.cuts.iter().enumerate() {
            let path = p(&["ratings", "cuts"]).index(i);
            let at = self.range(path.key("at"), c.at, 0.0, 1.0, false);
            if at >= last {
                self.err(
                    path.key("at"),
                    format!("cut points must descend: {at} follows {last}"),
                    Some("list the cut points from the best grade down, e.g. A at 0.85 before B at 0.7".into()),
                );
            }
            last = at;
            cuts.push((at, self.letter(path.key("grade"), &c.grade)));
        }
        let file = Some(r.file.trim().to_string()).filter(|f| !f.is_empty());
        crate::ratings::RatingSettings { file, cuts, origin: r.origin, relay: r.relay }
    }

    /// The `[discover]` table as the discover crate's config, every problem located at its key.
    fn discover(&mut self, table: Table) -> DiscoverConfig {
        let choices: [(&str, &[&str]); 2] =
            [("value_type", &["auto", "text", "number", "tokens"]), ("token_similarity", &["containment", "jaccard"])];
        let mut bad = false;
        for (key, allowed) in choices {
            if let Some(Value::String(s)) = table.get(key)
                && !allowed.contains(&s.as_str())
            {
                let path = p(&["discover", key]);
                let list = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
                self.err(path.clone(), format!("`{path}` = \"{s}\" is not one of {list}"), Some(format!("use {list}")));
                bad = true;
            }
        }
        if bad {
            return DiscoverConfig::default();
        }
        let config: DiscoverConfig = match Value::Table(table).try_into() {
            Ok(c) => c,
            Err(e) => {
                let e: toml::de::Error = e;
                self.err(
                    p(&["discover"]),
                    format!("cannot read `[discover]`: {}", e.message()),
                    Some("compare this table with `credence config`".into()),
                );
                return DiscoverConfig::default();
            }
        };
        if let Err(credence_discover::Error::Config { key, value, reason }) = config.validate() {
            let path = p(&["discover", key]);
            self.err(
                path.clone(),
                format!("`{path}` = {value} is out of range"),
                Some(format!("use a value {reason}")),
            );
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_err(text: &str) -> Vec<Diagnostic> {
        match Settings::load("my.toml", text) {
            Err(Error::Config(Diagnostics(d))) => d,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    /// Every mutation of the defaults (a value of another type, a misspelt key, a removed line, a number out of
    /// range, an unknown table) is either accepted or rejected with every problem located at a line of the
    /// user's file, and all of a file's problems come out of one run.
    #[test]
    fn every_mutation_is_located() {
        let lines: Vec<&str> = DEFAULT_CONFIG.lines().collect();
        let mut tried = 0;
        let mut unlocated = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let mut variants: Vec<String> = Vec::new();
            if let Some((key, _)) = t.split_once(" = ") {
                for v in ["\"text\"", "[1, \"a\"]", "{ a = 1 }", "-3.5", "true", "[{ x = 1 }]"] {
                    variants.push(format!("{key} = {v}"));
                }
                variants.push(format!("{key}x = 1"));
            } else if t.starts_with('[') {
                variants.push(t.replace(']', "x]"));
                variants.push(format!("{t}\nextra = 1"));
            }
            variants.push(String::new());
            for v in variants {
                let mut text: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
                text[i] = v;
                // A second, independent problem: every problem must be listed at once.
                let opinion = lines.iter().position(|l| l.trim() == "[opinion]").unwrap_or(0);
                let second = i != opinion;
                if second {
                    text[opinion].push_str("\nprior_weightt = 2");
                }
                let text = text.join("\n");
                tried += 1;
                match Settings::load("my.toml", &text) {
                    Ok(_) => {}
                    Err(Error::Config(Diagnostics(d))) => {
                        let syntax = d.iter().any(|x| x.message.starts_with("not valid TOML"));
                        if d.iter().any(|x| x.line.is_none())
                            || (second && !syntax && !d.iter().any(|x| x.message.contains("prior_weightt")))
                        {
                            unlocated.push(format!(
                                "line {}: {:?}",
                                i + 1,
                                d.iter().map(ToString::to_string).collect::<Vec<_>>()
                            ));
                        }
                    }
                    Err(e) => unlocated.push(format!("line {}: {e}", i + 1)),
                }
            }
        }
        assert!(tried > 1000, "{tried} mutations");
        assert!(
            unlocated.is_empty(),
            "{} of {tried} mutations not fully located:\n{}",
            unlocated.len(),
            unlocated[..unlocated.len().min(8)].join("\n")
        );
    }

    #[test]
    fn defaults_are_valid() {
        let s = Settings::defaults();
        assert_eq!(s.grades.len(), 6);
        assert_eq!(s.within_origin, Fusion::Averaging);
        let table = CueTable::new([("claims to show", CueClass::Distancing), ("vowed", CueClass::Intention)]);
        assert_eq!(s.cue_class("Claims to show", &table).0.class, CueClass::Distancing);
        assert_eq!(s.cue_class("", &table).0.class, CueClass::Neutral);
        assert!(!s.cue_class("trumpeted", &table).1);
        // An intention makes no report; written by hand, it is scored as the default class and flagged.
        assert_eq!(s.cue_class("vowed", &table), (&s.cue_classes[&CueClass::Neutral], false));
        assert_eq!(s.likelihood_words(1.0), "almost certain");
        assert_eq!(s.likelihood_words(0.5), "roughly even chance");
    }

    #[test]
    fn override_subset() {
        let s = Settings::load("my.toml", "[interest]\nself_serving = 0.25\n[kinds.militia]\ndescription = \"x\"\nrole = \"organisation\"\ngrade = \"E\"\nrelay = \"E\"\n[kinds.monitor]\ngrade = \"B\"\n").unwrap();
        assert_eq!(s.self_serving, 0.25);
        assert_eq!(s.admission, 0.5);
        assert_eq!(s.kinds["militia"].grade, 'E');
        assert_eq!(s.kinds["monitor"].grade, 'B');
        assert_eq!(s.kinds["monitor"].relay, 'B');
        // Integers are accepted where numbers are expected.
        assert_eq!(Settings::load("my.toml", "[opinion]\nprior_weight = 3\n").unwrap().prior_weight, 3.0);
    }

    #[test]
    fn discover_table_is_merged_and_located() {
        let s = Settings::load("my.toml", "[discover]\ncopy_rate = 0.5\nfalse_values = 30\nvalue_type = \"number\"\n")
            .unwrap();
        assert_eq!((s.discover.copy_rate, s.discover.false_values), (0.5, 30.0));
        assert_eq!(s.discover.value_type, credence_discover::ValueType::Number);
        assert_eq!(
            Settings::defaults().discover,
            DiscoverConfig::default(),
            "default.toml states the crate's defaults"
        );

        let d = load_err("[discover]\n\ncopy_rate = 1.5\n");
        assert_eq!((d[0].file.as_str(), d[0].line), ("my.toml", Some(3)));
        assert!(d[0].to_string().contains("discover.copy_rate"), "{}", d[0]);
        let d = load_err("[discover]\nvalue_type = \"words\"\n");
        assert_eq!(d[0].line, Some(2));
        assert!(d[0].to_string().contains("\"tokens\""), "{}", d[0]);
        let d = load_err("[discover]\ncopy_rat = 0.5\n");
        assert!(d[0].message.contains("unknown key `copy_rat`"), "{}", d[0]);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let d = load_err("[interest]\nself_servng = 0.25\n");
        assert_eq!((d[0].file.as_str(), d[0].line), ("my.toml", Some(2)));
        assert!(d[0].message.contains("unknown key `self_servng`"), "{}", d[0]);

        let d = load_err("\n[interest]\nadmission = 1.5\n");
        assert_eq!(d[0].line, Some(3));
        assert!(d[0].message.contains("1.5 is out of range"), "{}", d[0]);

        let d = load_err("[fusion]\nwithin_origin = 3\n");
        assert!(d[0].message.contains("must be a string, not an integer"), "{}", d[0]);

        let d = load_err("[kinds.militia]\ngrade = \"Z\"\n");
        assert!(d.iter().any(|x| x.message.contains("lacks the key `relay`")));

        let d = load_err("[kinds.militia]\ndescription = \"x\"\nrole = \"person\"\ngrade = \"Z\"\nrelay = \"A\"\n");
        assert_eq!(d[0].line, Some(4));
        assert!(d[0].to_string().contains("\"Z\" is not a grade"));

        let d = load_err("[kinds.militia]\ndescription = \"x\"\nrole = \"gang\"\ngrade = \"D\"\nrelay = \"A\"\n");
        assert_eq!(d[0].line, Some(3));
        assert!(d[0].to_string().contains("\"gang\" is not a role"));

        let d = load_err("[grades.A]\nopinion = { b = 0.9, d = 0.2, u = 0.08 }\n");
        assert!(d[0].message.contains("must be 1"), "{}", d[0]);

        let d = load_err("[independence]\npooled_caveats = [\"rumour\", \"gossip\"]\n");
        assert_eq!(d[0].line, Some(2));
        assert!(d[0].message.contains("\"gossip\", which is no caveat kind"), "{}", d[0]);

        let d = load_err("[fusion]\nwithin_origin = \"cumulative\"\n");
        assert!(d[0].message.contains("independent evidence"));

        let d = load_err("[opinion\n");
        assert!(d[0].message.contains("not valid TOML") && d[0].line == Some(1));

        let d = load_err("[[likelihood]]\nbelow = 0.5\nwords = \"x\"\n");
        assert!(d.iter().any(|x| x.message.contains("below = 1.0")));
    }
}
