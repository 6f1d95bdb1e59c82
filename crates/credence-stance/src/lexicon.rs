//! The stance lexicon: word lists, weights and thresholds from `config/lexicons/stance.toml`.
//!
//! Everything a stance judgement depends on is data here, so a fact-checking desk can read why a headline was
//! called a refutation and change the words without rebuilding. A user's file replaces the built-in one
//! whole. Problems are reported with the file, line, column and key path (`cue[3].stance`), found from the
//! spanned parse tree of the `toml` crate, so a typo points at its line.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::text::{TokKind, Token, tokenize};
use crate::{Feature, Stance};

/// The lexicon shipped with the crate.
pub const BUILTIN_LEXICON: &str = include_str!("../../../config/lexicons/stance.toml");

/// The name under which the built-in lexicon appears in messages.
pub const BUILTIN_NAME: &str = "config/lexicons/stance.toml (built in)";

/// A problem in a lexicon file, located where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line of the offending value, when found.
    pub line: Option<usize>,
    /// 1-based column (in characters), when found.
    pub column: Option<usize>,
    /// Key path of the offending value, e.g. `cue[3].stance`.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        write!(f, "{} (compare with config/lexicons/stance.toml)", self.message)
    }
}

impl std::error::Error for LexiconError {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    relevance: RawRelevance,
    stopwords: RawWords,
    entities: RawEntities,
    negation: RawNegation,
    /// Absent in a user's lexicon written before it existed: participants are then not read.
    #[serde(default)]
    participants: Option<RawParticipants>,
    predicate: Vec<RawPredicate>,
    cue: Vec<RawCue>,
    model: RawModel,
    article: RawArticle,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelevance {
    entity: f64,
    predicate: f64,
    content: f64,
    number: f64,
    unrelated_below: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWords {
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntities {
    organisation_words: Vec<String>,
    /// Capitalised words that name no entity (days, months).
    #[serde(default)]
    not_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNegation {
    cues: Vec<String>,
    max_words: usize,
    breaks: Vec<String>,
    #[serde(default)]
    before_gerund: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParticipants {
    auxiliaries: Vec<String>,
    skip: Vec<String>,
    determiners: Vec<String>,
    relations: Vec<String>,
    messages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPredicate {
    name: String,
    phrases: Vec<String>,
    contrary: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    kind: String,
    stance: String,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    features: Vec<String>,
    supports: RawClass,
    refutes: RawClass,
    observing: RawClass,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    bias: f64,
    weights: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    headline_weight: f64,
    supports: f64,
    refutes: f64,
    observing: f64,
    body_floor: f64,
    body_hedges_by_clause: bool,
}

/// One element of a compiled phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pat {
    /// A token whose stem (words) or text (numbers, punctuation) is this.
    Tok(String),
    /// A word in exactly this lower-case form (written `=word` in the lexicon): "=likely" does not find
    /// "like", whose stem it shares.
    Exact { stem: String, lower: String },
    /// Up to three tokens of any kind but a clause break.
    Gap,
}

/// A phrase compiled to token patterns.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub(crate) pats: Vec<Pat>,
    /// Index of the group (predicate or cue list) the phrase belongs to.
    pub(crate) group: usize,
}

/// A set of phrases, indexed by the stem of their first token.
#[derive(Debug, Clone, Default)]
pub(crate) struct PhraseSet {
    pub(crate) phrases: Vec<Phrase>,
    by_first: HashMap<String, Vec<usize>>,
    /// Identity of this content: drawn afresh at every change, kept by a clone (which finds the same hits), so
    /// hits cached with a sentence ([`crate::Tokenized::for_lexicon`]) are reused only for the set that found
    /// them. 0 is the empty set.
    id: u64,
}

/// The next [`PhraseSet::id`].
static NEXT_PHRASE_SET: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A phrase found in a token list: phrase index and token range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) phrase: usize,
    pub(crate) group: usize,
    pub(crate) toks: Range<usize>,
}

impl PhraseSet {
    fn add(&mut self, pats: Vec<Pat>, group: usize) {
        let first = match pats.first() {
            Some(Pat::Tok(t)) => t,
            Some(Pat::Exact { stem, .. }) => stem,
            _ => return,
        };
        self.by_first.entry(first.clone()).or_default().push(self.phrases.len());
        self.phrases.push(Phrase { pats, group });
        self.id = NEXT_PHRASE_SET.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// See [`PhraseSet::id`].
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Every match in `toks`, without overlaps: at each start the longest phrase wins, then matching goes
    /// on after it.
    pub(crate) fn find(&self, toks: &[Token]) -> Vec<Hit> {
        let keys: Vec<&str> = toks.iter().map(key_of).collect();
        let keys = keys.as_slice();
        let mut hits = Vec::new();
        let mut i = 0;
        while i < keys.len() {
            let mut best: Option<Hit> = None;
            if let Some(cands) = self.by_first.get(keys[i]) {
                for &p in cands {
                    if let Some(end) = match_at(&self.phrases[p].pats, toks, keys, i)
                        && best.as_ref().is_none_or(|b| end > b.toks.end)
                    {
                        best = Some(Hit { phrase: p, group: self.phrases[p].group, toks: i..end });
                    }
                }
            }
            match best {
                Some(h) => {
                    i = h.toks.end;
                    hits.push(h);
                }
                None => i += 1,
            }
        }
        hits
    }
}

/// The end of a match of `pats` starting at token `i`, if any (a gap is matched lazily).
fn match_at(pats: &[Pat], toks: &[Token], keys: &[&str], i: usize) -> Option<usize> {
    let Some((first, rest)) = pats.split_first() else { return Some(i) };
    match first {
        Pat::Tok(t) => (keys.get(i) == Some(&t.as_str())).then(|| match_at(rest, toks, keys, i + 1)).flatten(),
        Pat::Exact { lower, .. } => {
            (toks.get(i).is_some_and(|t| *t.lower == **lower)).then(|| match_at(rest, toks, keys, i + 1)).flatten()
        }
        Pat::Gap => (0..=3).find_map(|skip| {
            let stop = keys[i.min(keys.len())..].iter().take(skip).any(|k| matches!(*k, "." | ";" | "!" | "?"));
            if stop || i + skip > keys.len() { None } else { match_at(rest, toks, keys, i + skip) }
        }),
    }
}

/// The key of a token for phrase matching: the stem of a word, the text of anything else.
pub(crate) fn key_of(t: &Token) -> &str {
    if t.kind == TokKind::Word { &t.stem } else { &t.lower }
}

/// A predicate group.
#[derive(Debug, Clone)]
pub struct Predicate {
    /// Its name ("death").
    pub name: String,
}

/// A cue list.
#[derive(Debug, Clone)]
pub struct CueKind {
    /// Its kind ("debunk"), also the model feature it feeds.
    pub kind: String,
    /// The stance it argues for.
    pub stance: Stance,
}

/// Weights of the stance model for one class.
#[derive(Debug, Clone)]
pub(crate) struct ClassModel {
    pub(crate) bias: f64,
    /// One weight per [`Lexicon::features`] entry.
    pub(crate) weights: Vec<f64>,
}

/// How sentences of an article combine (see `[article]` in the lexicon).
#[derive(Debug, Clone)]
pub(crate) struct ArticleParams {
    pub(crate) headline_weight: f64,
    pub(crate) supports: f64,
    pub(crate) refutes: f64,
    pub(crate) observing: f64,
    pub(crate) body_floor: f64,
    pub(crate) body_hedges_by_clause: bool,
}

/// The words that find whom a predicate is about (`[participants]` of the lexicon).
#[derive(Debug, Clone)]
pub(crate) struct ParticipantWords {
    /// Auxiliaries before a verb that make its subject the participant: "was" in "X was killed".
    pub(crate) auxiliaries: HashSet<String>,
    /// Words passed over between the participant and the predicate ("reportedly"); words in -ly are too.
    pub(crate) skip: HashSet<String>,
    /// Determiners and quantifiers that open a noun phrase after a verb ("killed *two* members").
    pub(crate) determiners: HashSet<String>,
    /// Prepositions that tie a name to a relational noun: "an aide *to* X", "the son *of* X".
    pub(crate) relations: HashSet<String>,
    /// Nouns for the message, not a participant ("reports of X being killed" are about X), by stem.
    pub(crate) messages: HashSet<String>,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub(crate) w_entity: f64,
    pub(crate) w_predicate: f64,
    pub(crate) w_content: f64,
    pub(crate) w_number: f64,
    pub(crate) unrelated_below: f64,
    pub(crate) stopwords: HashSet<String>,
    pub(crate) organisation_words: HashSet<String>,
    /// Capitalised words that never name an entity: "Monday", "March".
    pub(crate) not_names: HashSet<String>,
    pub(crate) negators: HashSet<String>,
    pub(crate) neg_max: usize,
    pub(crate) neg_breaks: HashSet<String>,
    /// Verbs that negate the gerund after them ("stop arresting" is "no longer arrest").
    pub(crate) neg_gerund: HashSet<String>,
    /// How a predicate's participant is found (`[participants]`); `None` when the lexicon has no such section.
    pub(crate) participants: Option<ParticipantWords>,
    pub(crate) predicates: Vec<Predicate>,
    pub(crate) predicate_phrases: PhraseSet,
    pub(crate) contrary_phrases: PhraseSet,
    pub(crate) cue_kinds: Vec<CueKind>,
    pub(crate) cue_phrases: PhraseSet,
    pub(crate) features: Vec<Feature>,
    /// Model per stance, in the order supports, refutes, observing.
    pub(crate) model: [ClassModel; 3],
    pub(crate) article: ArticleParams,
}

impl Default for Lexicon {
    /// The built-in lexicon. It is checked by the crate's tests, so failing here is a build defect.
    fn default() -> Lexicon {
        Lexicon::from_toml(BUILTIN_NAME, BUILTIN_LEXICON).expect("the built-in stance lexicon is valid")
    }
}

/// One step of a key path.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Seg::Key(k) if i == 0 => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(n) => s.push_str(&format!("[{n}]")),
        }
    }
    s
}

/// 1-based line and column (in chars) of byte offset `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[start..].chars().count() + 1)
}

/// Every key and value of the document with its path and span, for locating errors both ways.
fn spans(text: &str) -> Vec<(Vec<Seg>, Range<usize>)> {
    fn walk(t: &DeTable<'_>, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Range<usize>)>) {
        for (k, v) in t {
            path.push(Seg::Key(k.get_ref().to_string()));
            out.push((path.clone(), k.span()));
            value(v.get_ref(), v.span(), path, out);
            path.pop();
        }
    }
    fn value(v: &DeValue<'_>, span: Range<usize>, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Range<usize>)>) {
        match v {
            DeValue::Table(t) => walk(t, path, out),
            DeValue::Array(a) => {
                out.push((path.clone(), span));
                for (i, item) in a.iter().enumerate() {
                    path.push(Seg::Index(i));
                    out.push((path.clone(), item.span()));
                    value(item.get_ref(), item.span(), path, out);
                    path.pop();
                }
            }
            _ => out.push((path.clone(), span)),
        }
    }
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut out = Vec::new();
    walk(doc.get_ref(), &mut Vec::new(), &mut out);
    out
}

struct Ctx<'a> {
    name: &'a str,
    text: &'a str,
    spans: Vec<(Vec<Seg>, Range<usize>)>,
}

impl Ctx<'_> {
    /// An error at the value with this path (or its deepest existing ancestor).
    fn at(&self, path: &[Seg], message: String) -> LexiconError {
        let wanted = path_string(path);
        let mut best: Option<(usize, usize)> = None;
        for (p, span) in &self.spans {
            let ps = path_string(p);
            if wanted == ps || wanted.starts_with(&format!("{ps}.")) || wanted.starts_with(&format!("{ps}[")) {
                let depth = ps.len();
                // The value span, not the key span, when both exist with the same path (the later entry).
                if best.is_none_or(|(d, _)| depth >= d) {
                    best = Some((depth, span.start));
                }
            }
        }
        let (line, column) = best.map(|(_, at)| line_col(self.text, at)).unzip();
        LexiconError { file: self.name.to_string(), line, column, key: Some(wanted), message }
    }

    /// An error at byte offset `at`, with the key path of the smallest key or value around it.
    fn at_offset(&self, at: usize, message: String) -> LexiconError {
        let inside = self
            .spans
            .iter()
            .filter(|(_, s)| s.start <= at && at < s.end.max(s.start + 1))
            .min_by_key(|(_, s)| s.len());
        let before = || self.spans.iter().filter(|(_, s)| s.start <= at).max_by_key(|(_, s)| s.start);
        let key = inside.or_else(before).map(|(p, _)| path_string(p)).filter(|s| !s.is_empty());
        let (line, column) = line_col(self.text, at);
        LexiconError { file: self.name.to_string(), line: Some(line), column: Some(column), key, message }
    }
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

impl Lexicon {
    /// Whether token `i` opens a negation: a negator ("not", "never"), or a verb of stopping before a gerund
    /// ("stopped arresting", "will cease publishing").
    pub(crate) fn negates(&self, toks: &[Token], i: usize) -> bool {
        let t = &toks[i];
        // The gerund test first: it is cheaper than a lookup and rarely true.
        self.negators.contains(&*t.lower)
            || toks.get(i + 1).is_some_and(|n| n.kind == TokKind::Word && n.lower.ends_with("ing"))
                && self.neg_gerund.contains(&*t.lower)
    }

    /// Parses and checks a lexicon; `name` is how messages name the file.
    pub fn from_toml(name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        let ctx = Ctx { name, text, spans: spans(text) };
        let raw: Raw = toml::from_str(text).map_err(|e: toml::de::Error| match e.span() {
            Some(s) => ctx.at_offset(s.start, e.message().to_string()),
            None => LexiconError {
                file: name.to_string(),
                line: None,
                column: None,
                key: None,
                message: e.message().to_string(),
            },
        })?;
        compile(&ctx, raw)
    }

    /// Reads and parses a user's lexicon file.
    pub fn from_path(path: &std::path::Path) -> Result<Lexicon, LexiconError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| LexiconError {
            file: name.clone(),
            line: None,
            column: None,
            key: None,
            message: format!("cannot read: {e}"),
        })?;
        Lexicon::from_toml(&name, &text)
    }

    /// The model's feature names, in the order of its weights.
    #[must_use]
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The predicate groups.
    #[must_use]
    pub fn predicates(&self) -> &[Predicate] {
        &self.predicates
    }

    /// The cue lists.
    #[must_use]
    pub fn cue_kinds(&self) -> &[CueKind] {
        &self.cue_kinds
    }

    /// The model weights: for supports, refutes and observing, the bias and one weight per feature.
    #[must_use]
    pub fn model(&self) -> [(f64, &[f64]); 3] {
        [0, 1, 2].map(|i| (self.model[i].bias, self.model[i].weights.as_slice()))
    }

    /// The factors by which an article multiplies the votes of its supporting, refuting and observing
    /// sentences (`[article]` in the lexicon).
    #[must_use]
    pub fn article_factors(&self) -> [f64; 3] {
        [self.article.supports, self.article.refutes, self.article.observing]
    }

    /// This lexicon with other article vote factors (for fitting; see the `emergent_veracity` example).
    #[must_use]
    pub fn with_article_factors(&self, [supports, refutes, observing]: [f64; 3]) -> Lexicon {
        let mut lex = self.clone();
        lex.article.supports = supports;
        lex.article.refutes = refutes;
        lex.article.observing = observing;
        lex
    }

    /// This lexicon with other model weights (for fitting; the caller gives a bias and one weight per feature
    /// for supports, refutes and observing).
    #[must_use]
    pub fn with_model(&self, model: [(f64, Vec<f64>); 3]) -> Lexicon {
        let mut lex = self.clone();
        lex.model = model.map(|(bias, weights)| ClassModel { bias, weights });
        lex
    }
}

fn compile(ctx: &Ctx<'_>, raw: Raw) -> Result<Lexicon, LexiconError> {
    let r = &raw.relevance;
    for (k, v) in [
        ("entity", r.entity),
        ("predicate", r.predicate),
        ("content", r.content),
        ("number", r.number),
        ("unrelated_below", r.unrelated_below),
    ] {
        if !v.is_finite() || v < 0.0 {
            return Err(ctx.at(&[key("relevance"), key(k)], format!("must be a number >= 0, not {v}")));
        }
    }
    if r.unrelated_below > 1.0 {
        return Err(ctx.at(&[key("relevance"), key("unrelated_below")], "must be at most 1".to_string()));
    }
    let a = &raw.article;
    for (k, v) in [
        ("headline_weight", a.headline_weight),
        ("supports", a.supports),
        ("refutes", a.refutes),
        ("observing", a.observing),
        ("body_floor", a.body_floor),
    ] {
        if !v.is_finite() || v < 0.0 {
            return Err(ctx.at(&[key("article"), key(k)], format!("must be a number >= 0, not {v}")));
        }
    }
    let words = |list: &[String], path: &[Seg]| -> Result<HashSet<String>, LexiconError> {
        let mut set = HashSet::default();
        for (i, w) in list.iter().enumerate() {
            let toks = tokenize(w);
            let mut p = path.to_vec();
            p.push(Seg::Index(i));
            match toks.as_slice() {
                [t] => set.insert(t.lower.to_string()),
                _ => return Err(ctx.at(&p, format!("`{w}` must be a single word"))),
            };
        }
        Ok(set)
    };
    let stopwords = words(&raw.stopwords.words, &[key("stopwords"), key("words")])?;
    let organisation_words = words(&raw.entities.organisation_words, &[key("entities"), key("organisation_words")])?;
    let not_names = words(&raw.entities.not_names, &[key("entities"), key("not_names")])?;
    let negators = words(&raw.negation.cues, &[key("negation"), key("cues")])?;
    let neg_breaks = words(&raw.negation.breaks, &[key("negation"), key("breaks")])?;
    let neg_gerund = words(&raw.negation.before_gerund, &[key("negation"), key("before_gerund")])?;
    let participants = match &raw.participants {
        None => None,
        Some(p) => {
            let at = |k: &str| [key("participants"), key(k)];
            Some(ParticipantWords {
                auxiliaries: words(&p.auxiliaries, &at("auxiliaries"))?,
                skip: words(&p.skip, &at("skip"))?,
                determiners: words(&p.determiners, &at("determiners"))?,
                relations: words(&p.relations, &at("relations"))?,
                messages: p.messages.iter().map(|m| crate::stem::stem(&m.to_lowercase())).collect(),
            })
        }
    };

    let compile_phrase = |p: &str, path: Vec<Seg>| -> Result<Vec<Pat>, LexiconError> {
        let mut pats = Vec::new();
        for part in p.split_whitespace() {
            if part == "*" {
                pats.push(Pat::Gap);
            } else if let Some(word) = part.strip_prefix('=') {
                match tokenize(word).as_slice() {
                    [t] if t.kind == TokKind::Word => {
                        pats.push(Pat::Exact { stem: t.stem.to_string(), lower: t.lower.to_string() });
                    }
                    _ => return Err(ctx.at(&path, format!("`{part}`: `=` must be followed by one word"))),
                }
            } else {
                for t in tokenize(part) {
                    pats.push(Pat::Tok(key_of(&t).to_string()));
                }
            }
        }
        if pats.is_empty() || pats.first() == Some(&Pat::Gap) || pats.last() == Some(&Pat::Gap) {
            return Err(ctx.at(&path, format!("`{p}` needs a word, and cannot begin or end with `*`")));
        }
        Ok(pats)
    };

    let mut predicates = Vec::new();
    let mut predicate_phrases = PhraseSet::default();
    let mut contrary_phrases = PhraseSet::default();
    let mut names = BTreeMap::new();
    for (g, p) in raw.predicate.iter().enumerate() {
        if let Some(prev) = names.insert(p.name.clone(), g) {
            return Err(ctx.at(
                &[key("predicate"), Seg::Index(g), key("name")],
                format!("predicate `{}` is defined twice (also predicate[{prev}])", p.name),
            ));
        }
        for (i, ph) in p.phrases.iter().enumerate() {
            let path = vec![key("predicate"), Seg::Index(g), key("phrases"), Seg::Index(i)];
            predicate_phrases.add(compile_phrase(ph, path)?, g);
        }
        for (i, ph) in p.contrary.iter().enumerate() {
            let path = vec![key("predicate"), Seg::Index(g), key("contrary"), Seg::Index(i)];
            contrary_phrases.add(compile_phrase(ph, path)?, g);
        }
        predicates.push(Predicate { name: p.name.clone() });
    }

    let mut cue_kinds: Vec<CueKind> = Vec::new();
    let mut cue_phrases = PhraseSet::default();
    for (g, c) in raw.cue.iter().enumerate() {
        let stance = match c.stance.as_str() {
            "supports" => Stance::Supports,
            "refutes" => Stance::Refutes,
            "observing" => Stance::Observing,
            other => {
                return Err(ctx.at(
                    &[key("cue"), Seg::Index(g), key("stance")],
                    format!("unknown stance `{other}`; use supports, refutes or observing"),
                ));
            }
        };
        if Feature::structural(&c.kind).is_some() || cue_kinds.iter().any(|k| k.kind == c.kind) {
            return Err(ctx.at(
                &[key("cue"), Seg::Index(g), key("kind")],
                format!("cue kind `{}` is already a cue kind or a computed feature", c.kind),
            ));
        }
        for (i, ph) in c.phrases.iter().enumerate() {
            let path = vec![key("cue"), Seg::Index(g), key("phrases"), Seg::Index(i)];
            cue_phrases.add(compile_phrase(ph, path)?, g);
        }
        cue_kinds.push(CueKind { kind: c.kind.clone(), stance });
    }

    let mut features = Vec::new();
    for (i, f) in raw.model.features.iter().enumerate() {
        let feature = if let Some(s) = Feature::structural(f) {
            s
        } else if let Some(g) = cue_kinds.iter().position(|k| &k.kind == f) {
            Feature::Cue(g)
        } else {
            return Err(ctx.at(
                &[key("model"), key("features"), Seg::Index(i)],
                format!("unknown feature `{f}`: name a cue kind or one of {}", Feature::STRUCTURAL.join(", ")),
            ));
        };
        if features.contains(&feature) {
            return Err(ctx.at(&[key("model"), key("features"), Seg::Index(i)], format!("`{f}` is listed twice")));
        }
        features.push(feature);
    }
    let class = |c: &RawClass, name: &str| -> Result<ClassModel, LexiconError> {
        if c.weights.len() != features.len() {
            return Err(ctx.at(
                &[key("model"), key(name), key("weights")],
                format!("has {} weights for {} features", c.weights.len(), features.len()),
            ));
        }
        if let Some(i) = c.weights.iter().position(|w| !w.is_finite()) {
            return Err(ctx.at(&[key("model"), key(name), key("weights"), Seg::Index(i)], "not finite".into()));
        }
        if !c.bias.is_finite() {
            return Err(ctx.at(&[key("model"), key(name), key("bias")], "not finite".into()));
        }
        Ok(ClassModel { bias: c.bias, weights: c.weights.clone() })
    };
    let model = [
        class(&raw.model.supports, "supports")?,
        class(&raw.model.refutes, "refutes")?,
        class(&raw.model.observing, "observing")?,
    ];
    Ok(Lexicon {
        w_entity: r.entity,
        w_predicate: r.predicate,
        w_content: r.content,
        w_number: r.number,
        unrelated_below: r.unrelated_below,
        stopwords,
        organisation_words,
        not_names,
        negators,
        neg_max: raw.negation.max_words,
        neg_breaks,
        neg_gerund,
        participants,
        predicates,
        predicate_phrases,
        contrary_phrases,
        cue_kinds,
        cue_phrases,
        features,
        model,
        article: ArticleParams {
            headline_weight: a.headline_weight,
            supports: a.supports,
            refutes: a.refutes,
            observing: a.observing,
            body_floor: a.body_floor,
            body_hedges_by_clause: a.body_hedges_by_clause,
        },
    })
}
